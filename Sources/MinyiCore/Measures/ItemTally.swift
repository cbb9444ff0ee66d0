import Foundation

/// Counters that add up over items: everything the measures (`Measures`) and the monthly analysis need.
///
/// One item counts 0 or 1 in each counter, so the tally of many items is the sum of theirs, and when an item changes
/// the tally changes by the difference between its new and old counters. That is how rollups stay true as events
/// happen: storage keeps tallies per day and month and adds each change's difference in the same transaction,
/// and the dashboard reads a few hundred sums instead of every item. Merged and rejected items need no answer and
/// count nowhere.
public struct ItemTally: Sendable, Hashable {
    /// Items counted (受理量): not merged or rejected.
    public var received = 0
    /// Of those, how many of each kind (stored field by field, so that adding tallies allocates nothing).
    private var opinions = 0, helps = 0, complaints = 0, tipOffs = 0, praises = 0
    /// Items that got a reply, on the spot or from the unit.
    public var replied = 0
    /// Items dispatched (with a response deadline) or answered on the spot: the response rate's denominator.
    public var responseCounted = 0
    /// Items accepted no later than their response deadline, or answered on the spot.
    public var responded = 0
    public var closed = 0
    public var open = 0
    /// Items whose latest callback was answered (satisfied, basically satisfied or dissatisfied).
    public var callbacksAnswered = 0
    /// Items whose latest callback answer was satisfied or basically satisfied.
    public var satisfied = 0
    /// Items that missed a deadline at least once.
    public var overdue = 0
    /// Items whose first callback was answered, and of those, satisfied or basically satisfied (一次满意).
    public var firstCallbacksAnswered = 0
    public var firstSatisfied = 0

    public init() {}

    /// The counters of one item; `kind` is counted when given.
    public init(_ item: ItemFacts, kind: ItemKind? = nil) {
        guard item.status != .merged && item.status != .rejected else { return }
        received = 1
        if let kind { self[kind] = 1 }
        if item.firstRepliedAt != nil { replied = 1 }
        if item.answeredOnSpot {
            responseCounted = 1
            responded = 1
        } else if let due = item.responseDue {
            responseCounted = 1
            if let accepted = item.acceptedAt, accepted <= due { responded = 1 }
        }
        if item.status == .closed { closed = 1 } else { open = 1 }
        if let result = item.callbackResult, result.isAnswered {
            callbacksAnswered = 1
            if result.isSatisfied { satisfied = 1 }
        }
        if item.breached { overdue = 1 }
        if let first = item.firstCallbackResult, first.isAnswered {
            firstCallbacksAnswered = 1
            if first.isSatisfied { firstSatisfied = 1 }
        }
    }

    /// The counters of one item as it stands now.
    public init(_ item: Item) {
        self.init(item.facts, kind: item.kind)
    }

    /// How many items of the kind.
    public func count(of kind: ItemKind) -> Int { self[kind] }

    private subscript(kind: ItemKind) -> Int {
        get {
            switch kind {
            case .opinion: opinions
            case .help: helps
            case .complaint: complaints
            case .tipOff: tipOffs
            case .praise: praises
            }
        }
        set {
            switch kind {
            case .opinion: opinions = newValue
            case .help: helps = newValue
            case .complaint: complaints = newValue
            case .tipOff: tipOffs = newValue
            case .praise: praises = newValue
            }
        }
    }

    /// The counters in a fixed order (`received`, the kinds in `ItemKind.allCases` order, then the rest as declared),
    /// for storage.
    public var values: [Int] {
        [
            received, opinions, helps, complaints, tipOffs, praises, replied, responseCounted, responded, closed, open, callbacksAnswered,
            satisfied, overdue, firstCallbacksAnswered, firstSatisfied,
        ]
    }

    /// How many numbers `values` holds.
    static let valueCount = 1 + ItemKind.allCases.count + 10

    /// The counters from `values`; nil when the count is wrong.
    public init?(values: [Int]) {
        guard values.count == Self.valueCount else { return nil }
        received = values[0]
        for (offset, kind) in ItemKind.allCases.enumerated() { self[kind] = values[1 + offset] }
        let k = ItemKind.allCases.count
        replied = values[k + 1]
        responseCounted = values[k + 2]
        responded = values[k + 3]
        closed = values[k + 4]
        open = values[k + 5]
        callbacksAnswered = values[k + 6]
        satisfied = values[k + 7]
        overdue = values[k + 8]
        firstCallbacksAnswered = values[k + 9]
        firstSatisfied = values[k + 10]
    }

    /// Whether every counter is zero.
    public var isZero: Bool { self == ItemTally() }

    public static func + (a: ItemTally, b: ItemTally) -> ItemTally {
        a.combined(with: b) { $0 + $1 }
    }

    public static func - (a: ItemTally, b: ItemTally) -> ItemTally {
        a.combined(with: b) { $0 - $1 }
    }

    /// The counters of `count` items alike.
    public static func * (tally: ItemTally, count: Int) -> ItemTally {
        tally.combined(with: tally) { value, _ in value * count }
    }

    public static func += (a: inout ItemTally, b: ItemTally) { a = a + b }

    /// Each counter of the result is `operation` of this tally's and the other's.
    private func combined(with other: ItemTally, _ operation: (Int, Int) -> Int) -> ItemTally {
        var result = ItemTally()
        result.received = operation(received, other.received)
        result.opinions = operation(opinions, other.opinions)
        result.helps = operation(helps, other.helps)
        result.complaints = operation(complaints, other.complaints)
        result.tipOffs = operation(tipOffs, other.tipOffs)
        result.praises = operation(praises, other.praises)
        result.replied = operation(replied, other.replied)
        result.responseCounted = operation(responseCounted, other.responseCounted)
        result.responded = operation(responded, other.responded)
        result.closed = operation(closed, other.closed)
        result.open = operation(open, other.open)
        result.callbacksAnswered = operation(callbacksAnswered, other.callbacksAnswered)
        result.satisfied = operation(satisfied, other.satisfied)
        result.overdue = operation(overdue, other.overdue)
        result.firstCallbacksAnswered = operation(firstCallbacksAnswered, other.firstCallbacksAnswered)
        result.firstSatisfied = operation(firstSatisfied, other.firstSatisfied)
        return result
    }
}

extension Item {
    /// The facts about the item that the measures need.
    public var facts: ItemFacts {
        ItemFacts(
            status: status, answeredOnSpot: answeredOnSpot, responseDue: responseDue, acceptedAt: acceptedAt, firstRepliedAt: firstRepliedAt,
            callbackResult: callbackResult, firstCallbackResult: firstCallbackResult, breached: breached)
    }
}
