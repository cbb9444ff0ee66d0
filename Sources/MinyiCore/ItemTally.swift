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
    /// Of those, how many of each kind, in `ItemKind.allCases` order.
    public var kinds = [Int](repeating: 0, count: ItemKind.allCases.count)
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

    public init() {}

    /// The counters of one item; `kind` is counted when given.
    public init(_ item: ItemFacts, kind: ItemKind? = nil) {
        guard item.status != .merged && item.status != .rejected else { return }
        received = 1
        if let kind, let index = ItemKind.allCases.firstIndex(of: kind) { kinds[index] = 1 }
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
    }

    /// The counters of one item as it stands now.
    public init(_ item: Item) {
        self.init(item.facts, kind: item.kind)
    }

    /// How many items of the kind.
    public func count(of kind: ItemKind) -> Int {
        ItemKind.allCases.firstIndex(of: kind).map { kinds[$0] } ?? 0
    }

    /// The counters in a fixed order (`received`, the kinds, then the rest as declared), for storage.
    public var values: [Int] {
        [received] + kinds + [replied, responseCounted, responded, closed, open, callbacksAnswered, satisfied, overdue]
    }

    /// How many numbers `values` holds.
    static let valueCount = 1 + ItemKind.allCases.count + 8

    /// The counters from `values`; nil when the count is wrong.
    public init?(values: [Int]) {
        guard values.count == Self.valueCount else { return nil }
        let k = ItemKind.allCases.count
        received = values[0]
        kinds = Array(values[1...k])
        replied = values[k + 1]
        responseCounted = values[k + 2]
        responded = values[k + 3]
        closed = values[k + 4]
        open = values[k + 5]
        callbacksAnswered = values[k + 6]
        satisfied = values[k + 7]
        overdue = values[k + 8]
    }

    /// Whether every counter is zero.
    public var isZero: Bool { values.allSatisfy { $0 == 0 } }

    public static func + (a: ItemTally, b: ItemTally) -> ItemTally {
        a.combined(with: b, sign: 1)
    }

    public static func - (a: ItemTally, b: ItemTally) -> ItemTally {
        a.combined(with: b, sign: -1)
    }

    private func combined(with other: ItemTally, sign: Int) -> ItemTally {
        var result = self
        result.received += sign * other.received
        for index in kinds.indices { result.kinds[index] += sign * other.kinds[index] }
        result.replied += sign * other.replied
        result.responseCounted += sign * other.responseCounted
        result.responded += sign * other.responded
        result.closed += sign * other.closed
        result.open += sign * other.open
        result.callbacksAnswered += sign * other.callbacksAnswered
        result.satisfied += sign * other.satisfied
        result.overdue += sign * other.overdue
        return result
    }

    public static func += (a: inout ItemTally, b: ItemTally) { a = a + b }
}

extension Item {
    /// The facts about the item that the measures need.
    public var facts: ItemFacts {
        ItemFacts(
            status: status, answeredOnSpot: answeredOnSpot, responseDue: responseDue, acceptedAt: acceptedAt, firstRepliedAt: firstRepliedAt,
            callbackResult: callbackResult, breached: breached)
    }
}

extension ItemTally {
    /// The counters of `count` items alike.
    public static func * (tally: ItemTally, count: Int) -> ItemTally {
        ItemTally(values: tally.values.map { $0 * count })!
    }
}
