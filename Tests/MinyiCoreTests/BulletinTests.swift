import Foundation
import Testing

@testable import MinyiCore

struct BulletinTests {
    func unit(_ id: String, replied: Int, received: Int, satisfied: Int, answered: Int) -> BulletinUnit {
        var facts: [ItemFacts] = []
        for index in 0..<received {
            facts.append(
                ItemFacts(
                    status: index < replied ? .closed : .dispatched, responseDue: t0, acceptedAt: t0, firstRepliedAt: index < replied ? t0 : nil,
                    callbackResult: index < answered ? (index < satisfied ? .satisfied : .dissatisfied) : nil))
        }
        return BulletinUnit(
            unitID: .init(id), unitName: id, measures: Measures(facts: facts), callbacksDue: answered, callbacksDone: answered,
            dissatisfied: answered - satisfied, dissatisfiedFollowedUp: 0, overdue: 0, supervisionOrders: 0)
    }

    @Test func unitsAreRankedByTheMeanOfTheirRatesAndTheWeakestNamed() {
        // A: reply 4/4, response 4/4, closure 4/4, satisfaction 4/4 → 1.0
        // B: reply 3/4, response 4/4, closure 3/4, satisfaction 2/3 → (0.75 + 1 + 0.75 + 0.6667) / 4 = 0.7917
        // C: reply 1/2, response 2/2, closure 1/2, satisfaction 0/1 → (0.5 + 1 + 0.5 + 0) / 4 = 0.5
        // D: nothing registered → unranked
        let bulletin = Bulletin(
            weekStart: t0, weekEnd: t0 + 7 * 86400, issuedAt: t0 + 7 * 86400, threshold: 0.8,
            units: [
                unit("C", replied: 1, received: 2, satisfied: 0, answered: 1), unit("A", replied: 4, received: 4, satisfied: 4, answered: 4),
                unit("D", replied: 0, received: 0, satisfied: 0, answered: 0), unit("B", replied: 3, received: 4, satisfied: 2, answered: 3),
            ], minimumItems: 1)
        #expect(bulletin.units.map(\.unitID) == ["A", "B", "C", "D"])
        #expect(abs((bulletin.units[1].score ?? 0) - 0.791_67) < 0.0001)
        #expect(bulletin.bottom == ["B", "C"])
        #expect(bulletin.belowThreshold == ["B", "C"])
    }

    @Test func aUnitWithTooFewItemsIsListedButNotRankedAndTheInspectorateIsNotSentAnOrder() {
        // C has a poor score on only two items; DC, the inspectorate, scores poorly on five.
        let bulletin = Bulletin(
            weekStart: t0, weekEnd: t0 + 7 * 86400, issuedAt: t0 + 7 * 86400, threshold: 0.8,
            units: [
                unit("A", replied: 6, received: 6, satisfied: 6, answered: 6), unit("B", replied: 5, received: 5, satisfied: 5, answered: 5),
                unit("C", replied: 1, received: 2, satisfied: 0, answered: 1), unit("DC", replied: 2, received: 5, satisfied: 0, answered: 2),
                unit("E", replied: 3, received: 5, satisfied: 1, answered: 3),
            ], minimumItems: 5, exempt: ["DC"])
        #expect(bulletin.units.map(\.unitID) == ["A", "B", "E", "DC", "C"])
        #expect(bulletin.unranked == ["C"] && bulletin.rank(of: "C") == nil && bulletin.rank(of: "E") == 3)
        #expect(bulletin.bottom == ["E", "DC"], "the inspectorate is still named")
        #expect(bulletin.belowThreshold == ["E"], "but not sent an order by the bulletin")
        #expect(bulletin.exempt == ["DC"])
    }

    @Test func weeksRunFromMondayInChinaStandardTime() {
        // 2026-11-23 is a Monday; 00:30 on that Monday in Beijing is still Sunday in UTC.
        let monday = Deadlines.calendar.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 0, minute: 30))!
        let week = Bulletin.week(containing: monday)
        #expect(
            Deadlines.calendar.dateComponents([.year, .month, .day, .hour], from: week.start)
                == DateComponents(year: 2026, month: 11, day: 23, hour: 0))
        let previous = Bulletin.previousWeek(before: monday)
        #expect(Deadlines.calendar.dateComponents([.month, .day], from: previous.start) == DateComponents(month: 11, day: 16))
        #expect(previous.end == week.start)
        let sunday = Deadlines.calendar.date(from: DateComponents(year: 2026, month: 11, day: 22, hour: 23))!
        #expect(Bulletin.week(containing: sunday).start == previous.start)
    }
}
