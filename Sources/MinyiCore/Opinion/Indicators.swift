import Foundation

/// The five indicators residents rate the police on (民意评警), as a survey asks them.
public enum SurveyIndicator: String, Sendable, Hashable, Codable, CaseIterable {
    /// 见警率: "have you seen police patrol here this month?" — the share of yes.
    case visibility
    /// 服务态度: 1–5.
    case attitude
    /// 熟悉率: "do you know your community officer's name?" — the share of yes.
    case familiarity
    /// 满意度: satisfied / basically satisfied / dissatisfied; its rate (满意率) is the share of the first two.
    case satisfaction
    /// 安全感: 1–5.
    case safety

    public var nameZh: String {
        switch self {
        case .visibility: "见警率"
        case .attitude: "服务态度"
        case .familiarity: "熟悉率"
        case .satisfaction: "满意率"
        case .safety: "安全感"
        }
    }

    public var nameEn: String {
        switch self {
        case .visibility: "Police visibility"
        case .attitude: "Attitude"
        case .familiarity: "Knows the officer"
        case .satisfaction: "Satisfaction rate"
        case .safety: "Sense of security"
        }
    }

    /// Whether the indicator is a share (of yes, of satisfied) rather than a mean score.
    public var isShare: Bool { self != .attitude && self != .safety }
}

/// Running sums of one indicator's answers, which add up across responses, units and periods; the estimate is read
/// from them. A share counts `n` answers of which `yes` are yes (or satisfied/basically satisfied); a score sums its
/// values and their squares.
public struct IndicatorTally: Sendable, Hashable, Codable {
    public var n: Int = 0
    public var yes: Int = 0
    public var sum: Double = 0
    public var sumOfSquares: Double = 0

    public init(n: Int = 0, yes: Int = 0, sum: Double = 0, sumOfSquares: Double = 0) {
        self.n = n
        self.yes = yes
        self.sum = sum
        self.sumOfSquares = sumOfSquares
    }

    public mutating func add(yes answer: Bool) {
        n += 1
        if answer { yes += 1 }
    }

    public mutating func add(score: Int) {
        n += 1
        sum += Double(score)
        sumOfSquares += Double(score * score)
    }

    public static func + (lhs: IndicatorTally, rhs: IndicatorTally) -> IndicatorTally {
        IndicatorTally(n: lhs.n + rhs.n, yes: lhs.yes + rhs.yes, sum: lhs.sum + rhs.sum, sumOfSquares: lhs.sumOfSquares + rhs.sumOfSquares)
    }

    public func estimate(for indicator: SurveyIndicator) -> Estimate? {
        indicator.isShare ? Estimate.share(yes, of: n) : Estimate.mean(sum: sum, sumOfSquares: sumOfSquares, n: n)
    }
}

/// One indicator's score for an officer, a unit or a community over a period, or why there is none to rank.
public struct IndicatorScore: Sendable, Hashable {
    public var indicator: SurveyIndicator
    public var tally: IndicatorTally
    /// Below it, the page says "sample too small" instead of a value to rank by.
    public var minimumN: Int

    public init(indicator: SurveyIndicator, tally: IndicatorTally, minimumN: Int) {
        self.indicator = indicator
        self.tally = tally
        self.minimumN = minimumN
    }

    public var estimate: Estimate? { tally.estimate(for: indicator) }
    public var tooSmall: Bool { tally.n < minimumN }
    /// The value to rank by, nil when the sample is too small.
    public var rankable: Double? { tooSmall ? nil : estimate?.value }
}
