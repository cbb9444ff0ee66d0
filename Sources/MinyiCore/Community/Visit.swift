import Foundation

/// A visit to a household (走访/家访): who went, when, what came of it, what was heard, and the diary note (民情日记).
public struct Visit: Sendable, Hashable {
    public typealias ID = Identifier<Visit>

    public var id: ID
    public var householdID: Household.ID
    public var officerID: Officer.ID
    /// The household's community, kept with the visit for the counts.
    public var unitID: PoliceUnit.ID
    public var at: Date
    /// Made within the bureau's night-visit hours (夜访).
    public var night: Bool
    public var outcome: VisitOutcome
    /// What the household raised; becomes an item when the officer says so.
    public var heard: String?
    public var diary: String?
    /// The item opened from what was heard.
    public var itemNumber: String?

    public init(
        id: ID, householdID: Household.ID, officerID: Officer.ID, unitID: PoliceUnit.ID, at: Date, night: Bool, outcome: VisitOutcome,
        heard: String?, diary: String?, itemNumber: String?
    ) {
        self.id = id
        self.householdID = householdID
        self.officerID = officerID
        self.unitID = unitID
        self.at = at
        self.night = night
        self.outcome = outcome
        self.heard = heard
        self.diary = diary
        self.itemNumber = itemNumber
    }
}

/// What came of a visit. Only a visit that met the household resolves a due visit; the others are attempts.
public enum VisitOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case met
    case notHome = "not_home"
    case refused

    public var nameZh: String {
        switch self {
        case .met: "见面"
        case .notHome: "不在家"
        case .refused: "拒绝"
        }
    }

    public var nameEn: String {
        switch self {
        case .met: "Met"
        case .notHome: "Not at home"
        case .refused: "Refused"
        }
    }

    /// Whether the visit counts for the household's due visits and for coverage.
    public var counts: Bool { self == .met }
}

/// A visit as the officer writes it down, checked.
public struct VisitReport: Sendable, Hashable {
    public var outcome: VisitOutcome
    public var at: Date
    public var heard: String?
    public var diary: String?
    /// The category of the item to open from what was heard; nil opens none.
    public var itemCategory: Category.Code?

    /// The longest text accepted for what was heard and for the diary, in characters.
    public static let maxText = 2000

    public init(outcome: VisitOutcome, at: Date, heard: String?, diary: String?, itemCategory: Category.Code?, now: Date) throws(ValidationError) {
        func text(_ raw: String?, _ field: String) throws(ValidationError) -> String? {
            try ValidationError.checkPlain(raw, field: field)
            guard let value = raw?.trimmed, !value.isEmpty else { return nil }
            guard value.count <= Self.maxText else {
                throw .invalid(field: field, message: "最多 \(Self.maxText) 字，现有 \(value.count) 字 (too long)")
            }
            return value
        }
        guard at <= now.addingTimeInterval(600) else {
            throw .invalid(
                field: "at",
                message: "走访时间不能晚于现在 (a visit cannot be in the future)")
        }
        guard at >= now.addingTimeInterval(-60 * 86400) else {
            throw .invalid(field: "at", message: "只能补记 60 天内的走访 (only visits of the last 60 days may be recorded)")
        }
        self.outcome = outcome
        self.at = at
        self.heard = try text(heard, "heard")
        self.diary = try text(diary, "diary")
        if itemCategory != nil, self.heard == nil {
            throw .invalid(field: "heard", message: "要转为事项，请写下群众反映的内容 (write what was heard to open an item)")
        }
        self.itemCategory = itemCategory
    }
}

/// The bureau's night-visit hours (夜访): by default Monday, Wednesday and Friday, 20:00 to 21:00, Beijing time.
public struct NightSchedule: Sendable, Hashable {
    /// Days of the week, 1 = Monday … 7 = Sunday.
    public var weekdays: Set<Int>
    /// Minutes after midnight.
    public var from: Int
    public var to: Int

    public init(weekdays: Set<Int>, from: Int, to: Int) {
        self.weekdays = weekdays
        self.from = from
        self.to = to
    }

    public static let standard = NightSchedule(weekdays: [1, 3, 5], from: 20 * 60, to: 21 * 60)

    /// Whether a visit at `date` falls within the hours.
    public func contains(_ date: Date) -> Bool {
        let weekday = Deadlines.weekday(of: date)
        let minute = Int(date.timeIntervalSince(Deadlines.dayStart(of: date)) / 60)
        return weekdays.contains(weekday) && minute >= from && minute < to
    }

    /// As written in settings and forms: `1,3,5 20:00-21:00`.
    public var text: String {
        func hhmm(_ minutes: Int) -> String {
            let h = minutes / 60
            let m = minutes % 60
            return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
        }
        return weekdays.sorted().map(String.init).joined(separator: ",") + " " + hhmm(from) + "-" + hhmm(to)
    }

    /// Reads `1,3,5 20:00-21:00`; nil when the text is not such a schedule.
    public init?(text: String) {
        let parts = text.trimmed.split(separator: " ")
        guard parts.count == 2 else { return nil }
        let fields = parts[0].split(separator: ",", omittingEmptySubsequences: false)
        let days = fields.compactMap { Int($0) }
        guard !days.isEmpty, days.count == fields.count, days.allSatisfy({ (1...7).contains($0) }) else { return nil }
        let times = parts[1].split(separator: "-")
        func minutes(_ text: Substring) -> Int? {
            let hm = text.split(separator: ":")
            guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 1440 else {
                return nil
            }
            return h * 60 + m
        }
        guard times.count == 2, let from = minutes(times[0]), let to = minutes(times[1]), from < to else { return nil }
        self.init(weekdays: Set(days), from: from, to: to)
    }
}
