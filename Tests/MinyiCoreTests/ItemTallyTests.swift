import Foundation
import Testing

@testable import MinyiCore

struct ItemTallyTests {
    /// Counters add and subtract field by field, and their stored form round-trips.
    @Test func talliesAddSubtractAndRoundTrip() {
        let closed = ItemTally(
            ItemFacts(
                status: .closed, responseDue: Date(timeIntervalSince1970: 100),
                acceptedAt: Date(timeIntervalSince1970: 50),
                firstRepliedAt: Date(timeIntervalSince1970: 60), callbackResult: .satisfied),
            kind: .help)
        let late = ItemTally(
            ItemFacts(
                status: .accepted, responseDue: Date(timeIntervalSince1970: 100),
                acceptedAt: Date(timeIntervalSince1970: 150), breached: true),
            kind: .complaint)
        let sum = closed + late
        #expect(
            sum.received == 2 && sum.responseCounted == 2 && sum.responded == 1 && sum.closed == 1
                && sum.open == 1)
        #expect(
            sum.callbacksAnswered == 1 && sum.satisfied == 1 && sum.overdue == 1 && sum.replied == 1)
        #expect(
            sum.count(of: .help) == 1 && sum.count(of: .complaint) == 1 && sum.count(of: .praise) == 0)
        #expect(sum - late == closed)
        #expect((sum - sum).isZero)
        #expect(closed * 3 == closed + closed + closed)
        #expect(ItemTally(values: sum.values) == sum)
        #expect(ItemTally(ItemFacts(status: .merged), kind: .help).isZero)
        #expect(
            Measures(tally: sum)
                == Measures(facts: [
                    ItemFacts(
                        status: .closed, responseDue: Date(timeIntervalSince1970: 100),
                        acceptedAt: Date(timeIntervalSince1970: 50),
                        firstRepliedAt: Date(timeIntervalSince1970: 60), callbackResult: .satisfied),
                    ItemFacts(
                        status: .accepted, responseDue: Date(timeIntervalSince1970: 100),
                        acceptedAt: Date(timeIntervalSince1970: 150), breached: true),
                ]))
    }

    /// Each kind counts in its own place of the stored form, in `ItemKind.allCases` order, and nowhere else.
    @Test func eachKindHasItsOwnStoredPlace() {
        for (offset, kind) in ItemKind.allCases.enumerated() {
            let tally = ItemTally(ItemFacts(status: .registered), kind: kind)
            #expect(tally.values == [1] + ItemKind.allCases.indices.map { $0 == offset ? 1 : 0 } + [0, 0, 0, 0, 1, 0, 0, 0, 0, 0])
            #expect(ItemKind.allCases.allSatisfy { tally.count(of: $0) == ($0 == kind ? 1 : 0) })
            #expect(ItemTally(values: tally.values) == tally)
        }
    }
}
