/// The five indicators a callback may ask residents to score, each from 1 (worst) to 5 (best): 见警率 (seeing
/// police about), 服务态度 (attitude), 熟悉率 (knowing their community officer), 满意度 (satisfaction), 安全感 (feeling safe).
public struct CallbackScores: Sendable, Hashable, Codable {
    public enum Indicator: String, Sendable, CaseIterable, Codable {
        case visibility, attitude, familiarity, satisfaction, safety

        public var nameZh: String {
            switch self {
            case .visibility: "见警率"
            case .attitude: "服务态度"
            case .familiarity: "熟悉率"
            case .satisfaction: "满意度"
            case .safety: "安全感"
            }
        }

        public var nameEn: String {
            switch self {
            case .visibility: "Police visibility"
            case .attitude: "Attitude"
            case .familiarity: "Knows the community officer"
            case .satisfaction: "Satisfaction"
            case .safety: "Feeling safe"
            }
        }
    }

    public private(set) var values: [Indicator: Int]

    public init() { values = [:] }

    /// Scores given; each must be 1–5.
    public init(_ values: [Indicator: Int]) throws(ValidationError) {
        for (indicator, value) in values where !(1...5).contains(value) {
            throw .invalid(field: "scores.\(indicator.rawValue)", message: "\(indicator.nameZh) 应为 1–5 分 (score must be 1 to 5)")
        }
        self.values = values
    }

    public var isEmpty: Bool { values.isEmpty }

    public subscript(_ indicator: Indicator) -> Int? { values[indicator] }
}
