import Foundation

/// A safety alert or prevention tip (警情提示) a unit publishes for communities of its jurisdiction: residents read it
/// on the square and in feeds, and officers paste it into each community's WeChat or QQ group. Withdrawing one is an
/// event on its record; nothing is deleted.
public struct SafetyAlert: Sendable, Hashable, Codable {
    public typealias ID = Identifier<SafetyAlert>

    /// What an alert is about, as residents follow it (one group chat a topic, as in Pingdingshan).
    public enum Topic: String, Sendable, Hashable, Codable, CaseIterable {
        case fraud, burglary, theft, traffic, fire, weather
        case missingPerson = "missing_person"
        case publicOrder = "public_order"

        public var nameZh: String {
            switch self {
            case .fraud: "电信诈骗"
            case .burglary: "入室盗窃"
            case .theft: "盗窃防范"
            case .traffic: "交通安全"
            case .fire: "消防安全"
            case .weather: "恶劣天气"
            case .missingPerson: "寻人"
            case .publicOrder: "治安防范"
            }
        }

        public var nameEn: String {
            switch self {
            case .fraud: "Fraud"
            case .burglary: "Burglary"
            case .theft: "Theft"
            case .traffic: "Traffic safety"
            case .fire: "Fire safety"
            case .weather: "Severe weather"
            case .missingPerson: "Missing person"
            case .publicOrder: "Public order"
            }
        }
    }

    /// How soon residents should act: CAP 1.2's `urgency` values that an alert may take.
    public enum Urgency: String, Sendable, Hashable, Codable, CaseIterable {
        case immediate = "Immediate"
        case expected = "Expected"
        case future = "Future"

        public var nameZh: String {
            switch self {
            case .immediate: "立即"
            case .expected: "近期"
            case .future: "提示"
            }
        }
    }

    /// How bad it is: CAP 1.2's `severity` values that an alert may take.
    public enum Severity: String, Sendable, Hashable, Codable, CaseIterable {
        case extreme = "Extreme"
        case severe = "Severe"
        case moderate = "Moderate"
        case minor = "Minor"

        public var nameZh: String {
            switch self {
            case .extreme: "特别严重"
            case .severe: "严重"
            case .moderate: "较重"
            case .minor: "一般"
            }
        }
    }

    public var id: ID
    public var unitID: PoliceUnit.ID
    public var communities: [PoliceUnit.ID]
    public var topic: Topic
    public var urgency: Urgency
    public var severity: Severity
    public var title: String
    public var text: String
    public var validFrom: Date
    public var validUntil: Date
    public var withdrawnAt: Date?

    public init(
        id: ID, unitID: PoliceUnit.ID, communities: [PoliceUnit.ID], topic: Topic, urgency: Urgency, severity: Severity, title: String, text: String,
        validFrom: Date, validUntil: Date, withdrawnAt: Date?
    ) {
        self.id = id
        self.unitID = unitID
        self.communities = communities
        self.topic = topic
        self.urgency = urgency
        self.severity = severity
        self.title = title
        self.text = text
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.withdrawnAt = withdrawnAt
    }

    /// The longest text an alert carries, and the longest title.
    public static let maxText = 2000
    public static let maxTitle = 60
    /// The longest time an alert stays in force.
    public static let maxValidity: TimeInterval = 90 * 86400

    /// Checks an alert as entered, naming every faulty field at once: a title and a text, at least one community, a
    /// validity that ends after it starts, is not over already and lasts at most 90 days.
    public static func validated(
        id: ID, unitID: PoliceUnit.ID, communities: [PoliceUnit.ID], topic: Topic?, urgency: Urgency?, severity: Severity?, title: String?,
        text: String?, validFrom: Date?, validUntil: Date?, now: Date
    ) throws(ValidationErrors) -> SafetyAlert {
        var check = Validator()
        let title = title?.trimmed ?? ""
        let text = text?.trimmed ?? ""
        if title.isEmpty || title.count > maxTitle {
            check.fail("title", "请填写标题（最多 \(maxTitle) 字） (a title, up to \(maxTitle) characters)")
        }
        if text.isEmpty || text.count > maxText { check.fail("text", "请填写内容（最多 \(maxText) 字） (the text, up to \(maxText) characters)") }
        check.check { () throws(ValidationError) in try ValidationError.checkPlain(title, field: "title") }
        check.check { () throws(ValidationError) in try ValidationError.checkPlain(text, field: "text") }
        if communities.isEmpty { check.fail("communities", "请选择至少一个社区 (choose at least one community)") }
        if topic == nil { check.fail("topic", "请选择主题 (choose a topic)") }
        if urgency == nil { check.fail("urgency", "请选择紧急程度 (choose how urgent)") }
        if severity == nil { check.fail("severity", "请选择严重程度 (choose how severe)") }
        let from = validFrom ?? now
        if let validUntil {
            if validUntil <= from {
                check.fail("valid_until", "结束时间应晚于开始时间 (it ends after it starts)")
            } else if validUntil <= now {
                check.fail("valid_until", "结束时间已过 (it is over already)")
            } else if validUntil.timeIntervalSince(from) > maxValidity {
                check.fail("valid_until", "有效期最长 90 天 (at most 90 days)")
            }
        } else {
            check.fail("valid_until", "请填写有效期至 (when it ends)")
        }
        try check.finish()
        guard let topic, let urgency, let severity, let validUntil else { throw ValidationErrors(check.errors) }
        return SafetyAlert(
            id: id, unitID: unitID, communities: Array(Set(communities)).sorted { $0.rawValue < $1.rawValue }, topic: topic, urgency: urgency,
            severity: severity, title: title, text: text, validFrom: from, validUntil: validUntil, withdrawnAt: nil)
    }

    /// Whether residents see it as in force at `now`.
    public func isInForce(at now: Date) -> Bool { withdrawnAt == nil && validFrom <= now && now < validUntil }

    /// The message an officer pastes into a community's group: the topic, the title, a short text and the link.
    /// At most `limit` characters of text, cut at a sentence end where one falls late enough.
    public func groupMessage(link: String, limit: Int = 120) -> String {
        var short = text
        if short.count > limit {
            let cut = String(short.prefix(limit))
            if let end = cut.lastIndex(where: { "。！？!?".contains($0) }), cut.distance(from: cut.startIndex, to: end) >= limit / 2 {
                short = String(cut[...end])
            } else {
                short = cut + "……"
            }
        }
        return "【\(topic.nameZh)·\(severity.nameZh)】\(title)\n\(short)\n详情：\(link)"
    }
}
