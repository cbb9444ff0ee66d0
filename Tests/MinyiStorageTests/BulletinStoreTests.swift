import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

/// The Monday bulletin on a hand-computed week, on both databases.
struct BulletinStoreTests {
    @Test(arguments: TestDatabase.dialects)
    func theMondayBulletinOnAHandComputedWeek(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let items = world.items
            let t = world.t0  // Monday 2026-09-21, 22:13 in Beijing
            let week = Bulletin.week(containing: t)
            #expect(week.start <= t && t < week.end)

            // S01: A is replied and the resident is satisfied; B is replied and the resident is not.
            var numbers: [String] = []
            for (index, text) in ["A 楼下烧烤店太吵", "B 广场舞太吵"].enumerated() {
                let number = try await items.submit(try World.noiseSubmission(text), idempotencyKey: nil, by: nil, at: t + Double(index)).item.number
                numbers.append(number)
                _ = try await items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: t + 60)
                _ = try await items.apply(.accept, to: number, by: world.handlerA, at: t + 120)
                _ = try await items.apply(.reply(outcome: .resolved, text: "已处理", publicReason: nil), to: number, by: world.handlerA, at: t + 600)
            }
            _ = try await items.apply(.callback(result: .satisfied, comment: nil), to: numbers[0], by: world.callbackAgent, at: t + 3 * 3600)
            _ = try await items.apply(.callback(result: .dissatisfied, comment: "还是吵"), to: numbers[1], by: world.callbackAgent, at: t + 3 * 3600)
            // S02: C is never accepted, so its response deadline passes.
            let c = try Submission(kind: .complaint, category: "noise", channel: .web, text: "C 和平村夜里施工", placeID: "S02-C1")
            let cNumber = try await items.submit(c, idempotencyKey: nil, by: nil, at: t + 5).item.number
            _ = try await items.apply(.dispatch(unit: "S02"), to: cNumber, by: world.dispatcher, at: t + 60)
            _ = try await items.scanDeadlines(at: t + 86400)
            // Next week's activity must not count.
            _ = try await items.submit(try World.noiseSubmission("D 下周的事"), idempotencyKey: nil, by: nil, at: week.end + 60)

            let store = world.stores.bulletins
            let bulletin = try await store.issue(week: week, threshold: 0.8, minimumItems: 1, by: world.leader, at: week.end + 3600)
            let s01 = try #require(bulletin.units.first { $0.unitID == "S01" })
            let s02 = try #require(bulletin.units.first { $0.unitID == "S02" })
            // S01: received 2; reply 2/2, response 2/2, closure 1/2, satisfaction 1/2 → score 0.75.
            #expect(s01.measures.received == 2)
            #expect(s01.measures.closureRate == Rate(1, of: 2) && s01.measures.satisfactionRate == Rate(1, of: 2))
            #expect(s01.score == 0.75)
            #expect(s01.callbacksDue == 2 && s01.callbacksDone == 2 && s01.dissatisfied == 1 && s01.dissatisfiedFollowedUp == 0)
            #expect(s01.supervisionOrders == 1 && s01.overdue == 0)
            // S02: received 1; reply 0/1, response 0/1, closure 0/1, no callbacks → score 0; one missed deadline, one order.
            #expect(s02.score == 0 && s02.overdue >= 1 && s02.supervisionOrders >= 1)
            #expect(bulletin.units.prefix(2).map(\.unitID) == ["S01", "S02"])
            #expect(bulletin.units.dropFirst(2).allSatisfy { $0.score == nil })
            #expect(bulletin.belowThreshold == ["S01", "S02"])

            // Units below the threshold get a supervision order, once.
            let bureau = try #require(try await world.organisation.unit("KFQ"))
            let orders = try await store.unitOrders(within: bureau)
            #expect(Set(orders.map(\.unitID)) == ["S01", "S02"])
            #expect(orders.allSatisfy { $0.reason.contains("低于 80%") })

            // Kept as issued: later events change nothing, and issuing again returns the stored bulletin.
            _ = try await items.apply(
                .reply(outcome: .resolved, text: "再次处理", publicReason: nil), to: numbers[1], by: world.handlerA, at: week.end + 7200)
            let again = try await store.issue(week: week, threshold: 0.5, by: world.leader, at: week.end + 9000)
            #expect(again == bulletin)
            #expect(try await store.bulletin(weekStart: week.start) == bulletin)
            #expect(try await store.unitOrders(within: bureau).count == 2)
        }
    }

    /// The rules that keep the bulletin fair: late-week items wait for the next bulletin, callbacks done are counted
    /// among those due, small units are not ranked, and the inspectorate is not sent an order.
    @Test(arguments: TestDatabase.dialects)
    func theBulletinsRulesAreFair(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let items = world.items
            let week = Bulletin.week(containing: world.t0)
            // Replied the Sunday before the week: its callback falls due on the week's Monday and is done that day.
            let early = try await items.submit(try World.noiseSubmission("上周日答复"), idempotencyKey: nil, by: nil, at: week.start - 86400)
                .item.number
            try await world.walk(early, to: .replied, from: week.start - 86400)
            _ = try await items.apply(.callback(result: .satisfied, comment: nil), to: early, by: world.callbackAgent, at: week.start + 3600)
            // Replied on the week's last Saturday, called back on Sunday (due that day): counted.
            let saturday = week.end - 2 * 86400
            let replied = try await items.submit(try World.noiseSubmission("周六答复"), idempotencyKey: nil, by: nil, at: saturday).item.number
            try await world.walk(replied, to: .replied, from: saturday)
            _ = try await items.apply(.callback(result: .satisfied, comment: nil), to: replied, by: world.callbackAgent, at: saturday + 86400)
            // Registered on the week's Monday and closed: counted.
            let monday = try await items.submit(try World.noiseSubmission("周一登记"), idempotencyKey: nil, by: nil, at: week.start + 3600)
                .item.number
            try await world.walk(monday, to: .closed, from: week.start + 3600)
            // Registered on Sunday evening (and the Saturday one above): their deadlines fall after Monday, so they wait for
            // next week's bulletin.
            let late = try await items.submit(try World.noiseSubmission("周日晚上登记"), idempotencyKey: nil, by: nil, at: week.end - 3600)
                .item.number
            try await world.walk(late, to: .dispatched, from: week.end - 3600)

            let bulletin = try await world.stores.bulletins.issue(week: week, threshold: 0.99, minimumItems: 5, by: nil, at: week.end + 3600)
            let s01 = try #require(bulletin.units.first { $0.unitID == "S01" })
            // Counted: the two items due in the week (the early one, registered the Sunday before, and Monday's).
            #expect(s01.notYetDue == 2 && s01.measures.received == 2, "the weekend's items do not count against S01 yet")
            #expect(s01.callbacksDone <= s01.callbacksDue && s01.callbacksDue == 3 && s01.callbacksDone == 3)
            #expect(bulletin.unranked == ["S01"] && bulletin.rank(of: "S01") == nil, "two items counted are too few to rank")
            #expect(bulletin.belowThreshold.isEmpty)
            #expect(bulletin.exempt == ["DC"], "the inspectors' unit")
        }
    }
}
