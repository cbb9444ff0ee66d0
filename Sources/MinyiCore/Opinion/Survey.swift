import Foundation

/// A survey campaign (民意评警): a period, the part of the bureau it covers, the sample it aims for per community, and
/// the channels its answers come by.
public struct SurveyCampaign: Sendable, Hashable {
    public typealias ID = Identifier<SurveyCampaign>

    public var id: ID
    public var title: String
    public var startsAt: Date
    public var endsAt: Date
    /// The unit whose communities it covers.
    public var unitID: PoliceUnit.ID
    /// The answers it aims for per community; the response rate is measured against it.
    public var targetPerUnit: Int

    public init(id: ID, title: String, startsAt: Date, endsAt: Date, unitID: PoliceUnit.ID, targetPerUnit: Int) {
        self.id = id
        self.title = title
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.unitID = unitID
        self.targetPerUnit = targetPerUnit
    }

    public static func validated(
        id: ID, title: String?, startsAt: Date?, endsAt: Date?, unitID: PoliceUnit.ID, targetPerUnit: Int?
    ) throws(ValidationErrors) -> SurveyCampaign {
        // Every rule checked, each fault naming its field, so that the form shows them all at once.
        var check = Validator()
        let title = title?.trimmed ?? ""
        if title.isEmpty || title.count > 200 { check.fail("title", "请填写标题（最多 200 字） (a title, up to 200 characters)") }
        if startsAt == nil { check.fail("starts_at", "请填写开始日期 (when it starts)") }
        if endsAt == nil || (startsAt.map { start in endsAt.map { $0 <= start } ?? false } ?? false) {
            check.fail("ends_at", "结束日期应晚于开始日期 (it ends after it starts)")
        }
        let target = targetPerUnit ?? 30
        if !(1...100_000).contains(target) { check.fail("target_per_unit", "样本目标应为 1–100000 (1 to 100,000)") }
        try check.finish()
        guard let startsAt, let endsAt else { throw ValidationErrors(check.errors) }
        return SurveyCampaign(id: id, title: title, startsAt: startsAt, endsAt: endsAt, unitID: unitID, targetPerUnit: target)
    }
}

/// How a survey answer came in.
public enum SurveyChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case phone, web
    case faceToFace = "face_to_face"
    case thirdParty = "third_party"

    public var nameZh: String {
        switch self {
        case .phone: "电话"
        case .web: "网上"
        case .faceToFace: "面访"
        case .thirdParty: "第三方"
        }
    }

    public var nameEn: String {
        switch self {
        case .phone: "Phone"
        case .web: "Online"
        case .faceToFace: "Face to face"
        case .thirdParty: "Third party"
        }
    }
}

/// One resident's answers, without who they are: the questionnaire's five indicators and a comment. Every answer may
/// be left out; a response must give at least one.
public struct SurveyAnswers: Sendable, Hashable, Codable {
    /// 见警率: "have you seen police patrol here this month?"
    public var sawPolice: Bool?
    /// 熟悉率: "do you know your community officer's name?"
    public var knowsOfficer: Bool?
    /// 服务态度, 1–5.
    public var attitude: Int?
    /// 安全感, 1–5.
    public var safety: Int?
    /// 满意度: satisfied, basically satisfied or dissatisfied.
    public var satisfaction: CallbackResult?
    public var comment: String?

    public init(
        sawPolice: Bool? = nil, knowsOfficer: Bool? = nil, attitude: Int? = nil, safety: Int? = nil, satisfaction: CallbackResult? = nil,
        comment: String? = nil
    ) {
        self.sawPolice = sawPolice
        self.knowsOfficer = knowsOfficer
        self.attitude = attitude
        self.safety = safety
        self.satisfaction = satisfaction
        self.comment = comment
    }

    /// The answers checked: scores 1–5, satisfaction one of the three answered results, a comment of at most 1,000
    /// characters, and at least one answer.
    public func validated() throws(ValidationError) -> SurveyAnswers {
        if let problem = problems().first { throw problem }
        return self
    }

    /// Everything wrong with the answers, each naming its field (a form shows them all at once).
    public func problems() -> [ValidationError] {
        var found: [ValidationError] = []
        for (field, score) in [("attitude", attitude), ("safety", safety)] {
            if let score, !(1...5).contains(score) { found.append(.invalid(field: field, message: "评分应为 1–5 (a score is 1 to 5)")) }
        }
        if let satisfaction, !satisfaction.isAnswered {
            found.append(
                .invalid(field: "satisfaction", message: "满意度应为满意、基本满意或不满意 (satisfied, basically satisfied or dissatisfied)"))
        }
        if let comment, comment.count > 1000 { found.append(.invalid(field: "comment", message: "意见最多 1000 字 (at most 1,000 characters)")) }
        if sawPolice == nil && knowsOfficer == nil && attitude == nil && safety == nil && satisfaction == nil {
            found.append(.invalid(field: "answers", message: "至少回答一项 (answer at least one question)"))
        }
        return found
    }

    /// Adds the answers to per-indicator tallies.
    public func add(to tallies: inout [SurveyIndicator: IndicatorTally]) {
        if let sawPolice { tallies[.visibility, default: .init()].add(yes: sawPolice) }
        if let knowsOfficer { tallies[.familiarity, default: .init()].add(yes: knowsOfficer) }
        if let attitude { tallies[.attitude, default: .init()].add(score: attitude) }
        if let safety { tallies[.safety, default: .init()].add(score: safety) }
        if let satisfaction { tallies[.satisfaction, default: .init()].add(yes: satisfaction != .dissatisfied) }
    }
}
