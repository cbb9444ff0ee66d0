import Foundation

/// A mandatory-visit rule (五必访): what makes a household due for a visit, within what window, how urgent.
/// Rules are data, kept per bureau; the visit scan applies them.
public struct VisitRule: Sendable, Hashable {
    public typealias ID = Identifier<VisitRule>

    /// What makes a visit due.
    public enum Trigger: Sendable, Hashable {
        /// Households with the tag, once every `months` months (1 a month, 3 a quarter), any time within the period.
        case every(months: Int, tag: HouseholdTag)
        /// A business record of the type (a crime report …) whose resident is a member of the household: due within
        /// the rule's window from the service.
        case businessRecord(type: String)
        /// An item of the category (a dispute …) whose resident is a member of the household: due within the window
        /// from the item's registration.
        case itemCategory(Category.Code)

        /// The kind, as stored.
        public var kind: String {
            switch self {
            case .every: "every"
            case .businessRecord: "business_record"
            case .itemCategory: "item_category"
            }
        }

        /// The subject, as stored: the tag, the business type or the category.
        public var subject: String {
            switch self {
            case .every(_, let tag): tag.rawValue
            case .businessRecord(let type): type
            case .itemCategory(let code): code.rawValue
            }
        }

        /// Rebuilds a trigger from its stored kind, subject and period; nil when they do not make one.
        public init?(kind: String, subject: String, months: Int?) {
            switch kind {
            case "every":
                guard let tag = HouseholdTag(rawValue: subject), let months, (1...12).contains(months) else { return nil }
                self = .every(months: months, tag: tag)
            case "business_record": self = .businessRecord(type: subject)
            case "item_category": self = .itemCategory(.init(subject))
            default: return nil
            }
        }

        public var months: Int? {
            if case .every(let months, _) = self { return months }
            return nil
        }
    }

    public var id: ID
    public var trigger: Trigger
    /// Days from the event to the due date (event rules); periodic rules are due at the period's end.
    public var windowDays: Int
    /// 1 (routine) to 3 (urgent); the due list puts higher first among visits due the same day.
    public var priority: Int
    public var nameZh: String
    public var active: Bool

    public init(id: ID, trigger: Trigger, windowDays: Int, priority: Int, nameZh: String, active: Bool = true) {
        self.id = id
        self.trigger = trigger
        self.windowDays = windowDays
        self.priority = priority
        self.nameZh = nameZh
        self.active = active
    }

    /// The rules a new bureau starts with: the five mandatory visits as the seeds describe them.
    public static let defaults: [VisitRule] = [
        .init(id: "crime-victim", trigger: .businessRecord(type: "case_report"), windowDays: 7, priority: 3, nameZh: "案件受害人回访"),
        .init(id: "dispute", trigger: .itemCategory("dispute"), windowDays: 7, priority: 3, nameZh: "矛盾纠纷当事人走访"),
        .init(id: "hardship", trigger: .every(months: 1, tag: .hardship), windowDays: 0, priority: 2, nameZh: "困难家庭每月走访"),
        .init(id: "lone-elderly", trigger: .every(months: 1, tag: .loneElderly), windowDays: 0, priority: 2, nameZh: "独居老人每月走访"),
        .init(id: "deputy", trigger: .every(months: 3, tag: .deputy), windowDays: 0, priority: 1, nameZh: "人大代表/政协委员每季度走访"),
        .init(id: "major-change", trigger: .every(months: 1, tag: .majorChange), windowDays: 0, priority: 2, nameZh: "家庭重大变故每月走访"),
    ]

    /// Checks a rule as typed: a window of 1–90 days for event rules, a priority of 1–3, a name.
    public static func validated(id: String, trigger: Trigger, windowDays: Int, priority: Int, name: String) throws(ValidationError) -> VisitRule {
        guard !id.isEmpty, id.count <= 32, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw .invalid(field: "id", message: "规则编号只能包含字母、数字、连字符，最多 32 位 (letters, digits and hyphens, at most 32)")
        }
        if trigger.months == nil, !(1...90).contains(windowDays) {
            throw .invalid(field: "window_days", message: "期限应为 1–90 天 (1 to 90 days)")
        }
        guard (1...3).contains(priority) else { throw .invalid(field: "priority", message: "优先级应为 1–3 (1 to 3)") }
        try ValidationError.checkPlain(name, field: "name")
        let name = name.trimmed
        guard !name.isEmpty, name.count <= 50 else { throw .invalid(field: "name", message: "名称应为 1–50 字 (1 to 50 characters)") }
        return VisitRule(id: .init(id), trigger: trigger, windowDays: trigger.months == nil ? windowDays : 0, priority: priority, nameZh: name)
    }
}

/// The window of one due visit: from `earliest` a visit counts; by `due` it is on time; after `due` it is overdue, and
/// a visit then still resolves it, as late.
public struct VisitWindow: Sendable, Hashable {
    public var earliest: Date
    public var due: Date
    /// What makes this due visit distinct from others of the same rule and household: the period (`2026-11`) or the
    /// event (`item:KFQ-2026-000123`). The scan creates each key once, however often it runs.
    public var key: String

    public init(earliest: Date, due: Date, key: String) {
        self.earliest = earliest
        self.due = due
        self.key = key
    }

    /// The period of a periodic rule containing `date`: months counted from January, so a quarter is Jan–Mar,
    /// Apr–Jun …; due at the period's last moment.
    public static func period(months: Int, containing date: Date) -> VisitWindow {
        let month = Deadlines.month(containing: date)
        let label = Deadlines.monthLabel(month.start)
        let monthNumber = Int(label.suffix(2)) ?? 1
        let back = (monthNumber - 1) % max(1, months)
        let start = Deadlines.month(containing: month.start, offsetBy: -back).start
        let end = Deadlines.month(containing: start, offsetBy: max(1, months) - 1).end
        return VisitWindow(earliest: start, due: end.addingTimeInterval(-1), key: Deadlines.monthLabel(start))
    }

    /// The window after an event at `at`: due `days` days later.
    public static func after(_ at: Date, days: Int, key: String) -> VisitWindow {
        VisitWindow(earliest: at, due: at.addingTimeInterval(TimeInterval(days) * 86400), key: key)
    }
}

/// Where a due visit stands.
public enum DueVisitStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Not visited yet (overdue once past its due date).
    case open
    /// Visited within the window.
    case done
    /// Visited, after the due date.
    case late

    /// How a visit at `at` resolves a due visit with this window: nil when the visit came before the window opened
    /// (it counts for nothing here).
    public static func resolution(of window: (earliest: Date, due: Date), visitedAt at: Date) -> DueVisitStatus? {
        guard at >= window.earliest else { return nil }
        return at <= window.due ? .done : .late
    }

    public var nameZh: String {
        switch self {
        case .open: "待走访"
        case .done: "按期走访"
        case .late: "逾期走访"
        }
    }

    public var nameEn: String {
        switch self {
        case .open: "To visit"
        case .done: "Visited on time"
        case .late: "Visited late"
        }
    }
}

/// A visit the rules made due.
public struct DueVisit: Sendable, Hashable {
    public typealias ID = Identifier<DueVisit>

    public var id: ID
    public var householdID: Household.ID
    public var ruleID: VisitRule.ID
    public var reason: String
    public var unitID: PoliceUnit.ID
    public var officerID: Officer.ID?
    public var earliest: Date
    public var due: Date
    public var priority: Int
    public var status: DueVisitStatus
    public var visitID: Visit.ID?
    /// The reason of a supervision order (督办) sent for it while overdue.
    public var supervision: String?

    public init(
        id: ID, householdID: Household.ID, ruleID: VisitRule.ID, reason: String, unitID: PoliceUnit.ID, officerID: Officer.ID?, earliest: Date,
        due: Date, priority: Int, status: DueVisitStatus, visitID: Visit.ID?, supervision: String? = nil
    ) {
        self.id = id
        self.householdID = householdID
        self.ruleID = ruleID
        self.reason = reason
        self.unitID = unitID
        self.officerID = officerID
        self.earliest = earliest
        self.due = due
        self.priority = priority
        self.status = status
        self.visitID = visitID
        self.supervision = supervision
    }

    /// Open and past its due date.
    public func isOverdue(at now: Date) -> Bool { status == .open && due < now }
}
