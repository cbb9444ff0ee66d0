import Foundation

/// A member of the policing community (警务共同体): a volunteer, a partner organisation, a security assistant or an
/// informant, registered with the area they serve, what they can do and when. Informants are sensitive: only the roles
/// that handle them see them (`Permission.handleInformants`), every look is audited, and they are never exported,
/// listed in the API, shared a task or shown on a public page.
public struct Partner: Sendable, Hashable {
    public typealias ID = Identifier<Partner>

    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case volunteer
        case organisation
        case assistant
        case informant

        public var nameZh: String {
            switch self {
            case .volunteer: "平安志愿者"
            case .organisation: "合作单位"
            case .assistant: "治安辅助力量"
            case .informant: "信息员"
            }
        }

        public var nameEn: String {
            switch self {
            case .volunteer: "Volunteer"
            case .organisation: "Partner organisation"
            case .assistant: "Security assistant"
            case .informant: "Informant"
            }
        }

        /// Whether members of this kind are shared tasks (informants never are: a task is seen by all who take part).
        public var takesTasks: Bool { self != .informant }
    }

    /// What a member can do, as the unit looks for it when it shares a task.
    public enum Skill: String, Sendable, Hashable, CaseIterable {
        case patrol, mediation
        case antiFraud = "anti_fraud"
        case firstAid = "first_aid"
        case traffic, search

        public var nameZh: String {
            switch self {
            case .patrol: "巡逻守护"
            case .mediation: "矛盾调解"
            case .antiFraud: "反诈宣传"
            case .firstAid: "急救"
            case .traffic: "交通劝导"
            case .search: "寻人搜救"
            }
        }

        public var nameEn: String {
            switch self {
            case .patrol: "Patrol"
            case .mediation: "Mediation"
            case .antiFraud: "Anti-fraud"
            case .firstAid: "First aid"
            case .traffic: "Traffic"
            case .search: "Search"
            }
        }
    }

    /// When a member is usually free.
    public enum Availability: String, Sendable, Hashable, CaseIterable {
        case weekdayDay = "weekday_day"
        case weekdayEvening = "weekday_evening"
        case weekend

        public var nameZh: String {
            switch self {
            case .weekdayDay: "工作日白天"
            case .weekdayEvening: "工作日晚上"
            case .weekend: "周末"
            }
        }

        public var nameEn: String {
            switch self {
            case .weekdayDay: "Weekday days"
            case .weekdayEvening: "Weekday evenings"
            case .weekend: "Weekends"
            }
        }
    }

    public var id: ID
    public var kind: Kind
    public var name: String
    public var phone: String?
    /// The community (or office) whose area the member serves.
    public var areaID: PoliceUnit.ID
    public var skills: [Skill]
    public var availability: [Availability]
    public var note: String?

    public init(
        id: ID, kind: Kind, name: String, phone: String?, areaID: PoliceUnit.ID, skills: [Skill], availability: [Availability], note: String?
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.phone = phone
        self.areaID = areaID
        self.skills = skills
        self.availability = availability
        self.note = note
    }

    /// Checks a registration as entered, naming every faulty field at once.
    public static func validated(
        id: ID, kind: Kind?, name: String?, phone: String?, areaID: PoliceUnit.ID?, skills: [String], availability: [String], note: String?
    ) throws(ValidationErrors) -> Partner {
        var check = Validator()
        let name = name?.trimmed ?? ""
        if kind == nil { check.fail("kind", "请选择类别 (choose what kind of member)") }
        if name.isEmpty || name.count > 60 { check.fail("name", "请填写姓名或单位名称（最多 60 字） (a name, up to 60 characters)") }
        check.check { () throws(ValidationError) in try ValidationError.checkPlain(name, field: "name") }
        var phoneNumber: String?
        if let raw = phone?.trimmed, !raw.isEmpty {
            do {
                phoneNumber = try Contact.validated(name: nil, phone: raw, idNumber: nil)?.phone
            } catch {
                check.fail("phone", error.message)
            }
        }
        if areaID == nil { check.fail("area", "请选择所在社区 (choose the area)") }
        let chosenSkills = skills.compactMap(Skill.init(rawValue:))
        if chosenSkills.count != skills.count { check.fail("skills", "技能选项有误 (unknown skill)") }
        let chosenTimes = availability.compactMap(Availability.init(rawValue:))
        if chosenTimes.count != availability.count { check.fail("availability", "时间选项有误 (unknown availability)") }
        let note = note?.trimmed
        if let note, note.count > 500 { check.fail("note", "备注最多 500 字 (at most 500 characters)") }
        check.check { () throws(ValidationError) in try ValidationError.checkPlain(note, field: "note") }
        try check.finish()
        guard let kind, let areaID else { throw ValidationErrors(check.errors) }
        return Partner(
            id: id, kind: kind, name: name, phone: phoneNumber, areaID: areaID, skills: chosenSkills, availability: chosenTimes,
            note: note?.isEmpty == true ? nil : note)
    }
}

/// Something a member did for the community's safety, with the hours it took and the points it earns.
public struct PartnerActivity: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case patrol, mediation, publicity, tip, task

        public var nameZh: String {
            switch self {
            case .patrol: "巡逻"
            case .mediation: "调解"
            case .publicity: "宣传"
            case .tip: "提供线索"
            case .task: "参与任务"
            }
        }

        public var nameEn: String {
            switch self {
            case .patrol: "Patrol"
            case .mediation: "Mediation"
            case .publicity: "Publicity"
            case .tip: "Tip"
            case .task: "Task"
            }
        }

        /// Points an hour earns (a tip earns by the tip, not by the hour).
        public var pointsPerHour: Int {
            switch self {
            case .patrol: 10
            case .mediation: 15
            case .publicity: 8
            case .tip: 0
            case .task: 12
            }
        }
    }

    /// Points for a tip, and the bonus when the unit found it useful.
    public static let tipPoints = 20
    public static let usefulTipBonus = 30
    /// The most hours one entry may carry.
    public static let maxHours = 24.0

    /// The points an activity earns: hours × the kind's rate, rounded to the nearest point (halves up); a tip earns 20,
    /// and 30 more when it proved useful.
    public static func points(kind: Kind, hours: Double, useful: Bool) -> Int {
        if kind == .tip { return tipPoints + (useful ? usefulTipBonus : 0) }
        return Int((hours * Double(kind.pointsPerHour)).rounded(.toNearestOrAwayFromZero))
    }

    /// Reads hours as typed: a number from 0 to 24 in half hours ("1.5"), or why not.
    public static func hours(_ text: String?, field: String = "hours") throws(ValidationError) -> Double {
        guard let text = text?.trimmed, !text.isEmpty else { throw .invalid(field: field, message: "请填写时长（小时） (the hours)") }
        guard let value = Double(text), value.isFinite, value >= 0, value <= maxHours, (value * 2).rounded() == value * 2 else {
            throw .invalid(field: field, message: "时长应为 0–24 小时，以半小时计 (0 to 24 hours, in half hours)")
        }
        return value
    }
}

/// A task the unit shares with the volunteers of an area (a patrol, a missing-person notice, an anti-fraud visit):
/// who took it, and what came of it.
public struct SharedTask: Sendable, Hashable {
    public typealias ID = Identifier<SharedTask>

    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case patrol
        case missingPerson = "missing_person"
        case antiFraud = "anti_fraud"
        case other

        public var nameZh: String {
            switch self {
            case .patrol: "巡逻"
            case .missingPerson: "寻人协查"
            case .antiFraud: "反诈入户"
            case .other: "其他"
            }
        }

        public var nameEn: String {
            switch self {
            case .patrol: "Patrol"
            case .missingPerson: "Missing person"
            case .antiFraud: "Anti-fraud visits"
            case .other: "Other"
            }
        }
    }

    public enum Status: String, Sendable, Hashable {
        case open, done, cancelled

        public var nameZh: String {
            switch self {
            case .open: "招募中"
            case .done: "已完成"
            case .cancelled: "已取消"
            }
        }
    }

    public var id: ID
    public var unitID: PoliceUnit.ID
    public var areaID: PoliceUnit.ID
    public var kind: Kind
    public var title: String
    public var text: String
    public var startsAt: Date
    public var needed: Int
    public var status: Status
    public var outcome: String?

    public init(
        id: ID, unitID: PoliceUnit.ID, areaID: PoliceUnit.ID, kind: Kind, title: String, text: String, startsAt: Date, needed: Int, status: Status,
        outcome: String?
    ) {
        self.id = id
        self.unitID = unitID
        self.areaID = areaID
        self.kind = kind
        self.title = title
        self.text = text
        self.startsAt = startsAt
        self.needed = needed
        self.status = status
        self.outcome = outcome
    }

    /// Checks a task as entered, naming every faulty field at once.
    public static func validated(
        id: ID, unitID: PoliceUnit.ID, areaID: PoliceUnit.ID?, kind: Kind?, title: String?, text: String?, startsAt: Date?, needed: String?
    ) throws(ValidationErrors) -> SharedTask {
        var check = Validator()
        let title = title?.trimmed ?? ""
        let text = text?.trimmed ?? ""
        if areaID == nil { check.fail("area", "请选择社区 (choose the area)") }
        if kind == nil { check.fail("kind", "请选择任务类型 (choose the kind)") }
        if title.isEmpty || title.count > 60 { check.fail("title", "请填写任务名称（最多 60 字） (a title, up to 60 characters)") }
        if text.count > 2000 { check.fail("text", "说明最多 2000 字 (at most 2,000 characters)") }
        check.check { () throws(ValidationError) in try ValidationError.checkPlain(title, field: "title") }
        check.check { () throws(ValidationError) in try ValidationError.checkPlain(text, field: "text") }
        if startsAt == nil { check.fail("starts_at", "请填写开始时间 (when it starts)") }
        let count = needed.flatMap { Int($0.trimmed) }
        if count == nil || !(1...500).contains(count ?? 0) { check.fail("needed", "需要人数应为 1–500 (1 to 500 people)") }
        try check.finish()
        guard let areaID, let kind, let startsAt, let count else { throw ValidationErrors(check.errors) }
        return SharedTask(
            id: id, unitID: unitID, areaID: areaID, kind: kind, title: title, text: text, startsAt: startsAt, needed: count, status: .open,
            outcome: nil)
    }
}
