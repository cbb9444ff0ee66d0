import Foundation

/// The facts about one item that the measures need.
public struct ItemFacts: Sendable, Hashable {
    public var status: ItemStatus
    /// Answered on the spot (当场答复): responded and replied at once.
    public var answeredOnSpot: Bool
    public var responseDue: Date?
    public var acceptedAt: Date?
    public var firstRepliedAt: Date?
    /// The latest answered callback (or `unreachable` once attempts ran out).
    public var callbackResult: CallbackResult?
    /// The first answered callback, whatever came after.
    public var firstCallbackResult: CallbackResult?
    /// Whether any deadline of the item was ever missed.
    public var breached: Bool

    public init(
        status: ItemStatus, answeredOnSpot: Bool = false, responseDue: Date? = nil, acceptedAt: Date? = nil, firstRepliedAt: Date? = nil,
        callbackResult: CallbackResult? = nil, firstCallbackResult: CallbackResult? = nil, breached: Bool = false
    ) {
        self.status = status
        self.answeredOnSpot = answeredOnSpot
        self.responseDue = responseDue
        self.acceptedAt = acceptedAt
        self.firstRepliedAt = firstRepliedAt
        self.callbackResult = callbackResult
        self.firstCallbackResult = firstCallbackResult
        self.breached = breached
    }
}

/// A rate: how many of how many. `value` is nil when nothing was counted.
public struct Rate: Sendable, Hashable, Codable {
    public var numerator: Int
    public var denominator: Int

    public init(_ numerator: Int, of denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    public var value: Double? { denominator == 0 ? nil : Double(numerator) / Double(denominator) }

    /// The rate as a percentage with one decimal, or "—" when nothing was counted.
    public var percent: String {
        guard let value else { return "—" }
        return String(format: "%.1f%%", value * 100)
    }

    /// The rate with two decimals, for rates near 100% where one decimal hides the difference (99.72%, not 99.7%).
    public var precisePercent: String {
        guard let value else { return "—" }
        return String(format: "%.2f%%", value * 100)
    }
}

/// The measures of a unit (with its subtree) over a period.
///
/// Counted over items registered in the period and assigned (now) to the unit or below it, except items merged as
/// duplicates or rejected, which need no answer:
/// - received (受理量): those items;
/// - reply rate (回复率): items that got a reply (on the spot or from the unit) ÷ received; the target is 100%;
/// - response rate (响应率): items accepted (签收) no later than their response deadline, or answered on the spot ÷
///   items that were dispatched or answered;
/// - closure rate (办结率): items closed (销号) ÷ received;
/// - satisfaction rate (满意率, final): items whose latest callback answer was satisfied or basically satisfied ÷ items
///   with an answered callback (satisfied, basically satisfied or dissatisfied; unreachable is not an answer);
/// - first-time satisfaction rate (一次满意率): items whose first answered callback was satisfied or basically satisfied
///   ÷ items with an answered first callback. Supervision that wins a dissatisfied resident round raises the final
///   rate, never this one, so the two together show how often the first answer fell short;
/// - overdue (超期数): items that missed a response or handling deadline at least once;
/// - open (在办数): items not yet closed.
public struct Measures: Sendable, Hashable, Codable {
    public var received: Int
    public var replyRate: Rate
    public var responseRate: Rate
    public var closureRate: Rate
    public var satisfactionRate: Rate
    public var firstSatisfactionRate: Rate
    public var overdue: Int
    public var open: Int

    /// The measures of items given one by one.
    public init(facts: some Sequence<ItemFacts>) {
        var tally = ItemTally()
        for item in facts { tally += ItemTally(item) }
        self.init(tally: tally)
    }

    /// The measures from counters added up beforehand (see `ItemTally`): the same figures as from the items themselves.
    public init(tally: ItemTally) {
        self.received = tally.received
        self.replyRate = Rate(tally.replied, of: tally.received)
        self.responseRate = Rate(tally.responded, of: tally.responseCounted)
        self.closureRate = Rate(tally.closed, of: tally.received)
        self.satisfactionRate = Rate(tally.satisfied, of: tally.callbacksAnswered)
        self.firstSatisfactionRate = Rate(tally.firstSatisfied, of: tally.firstCallbacksAnswered)
        self.overdue = tally.overdue
        self.open = tally.open
    }
}
