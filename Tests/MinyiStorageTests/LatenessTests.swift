import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

/// What is late now, what is due soon, and how lateness is supervised.
struct LatenessTests {
    /// An item that nobody accepts stays late now (before, the breach moved its deadlines on and "overdue now" showed
    /// nothing), and keeps one open supervision order that is escalated breach after breach (before, it collected a
    /// new order every response window). Accepting it ends the lateness.
    @Test(arguments: TestDatabase.dialects)
    func anItemStaysLateUntilTheStepIsDoneAndItsOrderIsEscalated(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let t0 = world.t0
            let number = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: t0).item.number
            _ = try await world.items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: t0)  // accept within 2 h
            let lateNow = QueueFilter(overdueOnly: true)
            #expect(try await world.items.queue(lateNow, for: world.leader, at: t0 + 3600).total == 0)

            // First breach: late, one order at the unit.
            #expect(try await world.items.scanDeadlines(at: t0 + 3 * 3600) == 1)
            var stored = try #require(try await world.items.item(number: number))
            #expect(stored.item.lateSince == t0 + 3 * 3600 && stored.item.lateFor == .response)
            #expect(stored.item.responseDue! > t0 + 3 * 3600)  // the deadline moved on …
            #expect(try await world.items.queue(lateNow, for: world.leader, at: t0 + 3 * 3600 + 60).total == 1)  // … but it is late now
            var orders = try await world.items.supervisionOrders(of: stored.item.id)
            #expect(orders.count == 1 && orders[0].level == 0)

            // Two more breaches: still one open order, escalated to the unit's lead, then the leaders.
            for (step, level) in [(1, 1), (2, 2)] {
                let at = t0 + Double(3 + 3 * step) * 3600
                #expect(try await world.items.scanDeadlines(at: at) == 1)
                orders = try await world.items.supervisionOrders(of: stored.item.id)
                #expect(orders.count == 1 && orders[0].level == level && orders[0].resolvedAt == nil)
                #expect(orders[0].due > at)
            }
            let events = try await world.items.events(of: stored.item.id).filter { $0.kind == .overdue }
            #expect(events.map(\.detail.escalatedTo) == [nil, .unitLead, .leader])
            stored = try #require(try await world.items.item(number: number))
            #expect(stored.item.lateSince == t0 + 3 * 3600)  // late since the first breach

            // Accepting catches up with the missed response deadline.
            _ = try await world.items.apply(.accept, to: number, by: world.handlerA, at: t0 + 10 * 3600)
            stored = try #require(try await world.items.item(number: number))
            #expect(stored.item.lateSince == nil && stored.item.lateFor == nil)
            #expect(try await world.items.queue(lateNow, for: world.leader, at: t0 + 10 * 3600).total == 0)
        }
    }

    /// Deadlines coming up within the warning window show as due soon: accepting, replying, the callback; an item
    /// already late is late, not due soon.
    @Test(arguments: TestDatabase.dialects)
    func deadlinesWithinTheWindowAreDueSoon(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let t0 = world.t0
            let first = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: t0).item.number
            let second = try await world.items.submit(try World.noiseSubmission("另一件"), idempotencyKey: nil, by: nil, at: t0).item.number
            _ = try await world.items.apply(.dispatch(unit: "S01"), to: first, by: world.dispatcher, at: t0)  // accept by t0 + 2 h
            _ = try await world.items.apply(.dispatch(unit: "S01"), to: second, by: world.dispatcher, at: t0)
            _ = try await world.items.apply(.accept, to: second, by: world.handlerA, at: t0 + 60)  // reply by t0 + 5 d

            func dueSoon(_ hours: Double, at: Date) async throws -> Set<String> {
                Set(try await world.items.queue(QueueFilter(dueWithin: hours * 3600), for: world.leader, at: at).items.map(\.item.number))
            }
            #expect(try await dueSoon(1, at: t0 + 600) == [])
            #expect(try await dueSoon(3, at: t0 + 600) == [first])
            #expect(try await dueSoon(24 * 5, at: t0 + 600) == [first, second])
            let item = try #require(try await world.items.item(number: first)).item
            #expect(item.dueSoon(at: t0 + 600, within: 3 * 3600) == .response(t0 + 2 * 3600))
            // Past the response deadline it is late, not due soon, even before the scan records it.
            #expect(try await dueSoon(24 * 5, at: t0 + 3 * 3600) == [second])
            #expect(item.dueSoon(at: t0 + 3 * 3600, within: 24 * 3600) == nil && item.lateness(at: t0 + 3 * 3600) == .response)
        }
    }

    /// "Late now" and "due soon" are counted as one search per status and deadline: the counts agree with what the
    /// items themselves say (`lateness(at:)`, `dueSoon(at:within:)`) for the bureau and for each station, before and
    /// after the deadline scan records a breach, and stop at the limit asked for.
    @Test(arguments: TestDatabase.dialects)
    func lateAndDueSoonCountsAgreeWithTheItems(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let t0 = world.t0
            for place: PoliceUnit.ID in ["S01-C1", "S02-C1"] {
                for (index, status) in [ItemStatus.registered, .dispatched, .dispatched, .accepted, .accepted, .replied].enumerated() {
                    let submission = try Submission(
                        kind: .complaint, category: "noise", channel: .web, text: "第\(index)件 \(place)", placeID: place)
                    let at = t0 + Double(place == "S01-C1" ? index : 10 + index)  // each its own time, so newest first is one order
                    let number = try await world.items.submit(submission, idempotencyKey: nil, by: nil, at: at).item.number
                    try await world.walk(number, to: status, from: at)
                }
            }
            func check(at now: Date) async throws {
                for actor in [world.leader, world.handlerA, world.handlerB] {
                    let all = try await world.items.queue(QueueFilter(limit: 1000), for: actor, at: now).items.map(\.item)
                    let lateItems = all.filter { $0.lateness(at: now) != nil }
                    let late = lateItems.count
                    #expect(try await world.items.count(QueueFilter(overdueOnly: true), for: actor, at: now, upTo: 100) == late)
                    let listed = try await world.items.queue(QueueFilter(overdueOnly: true), for: actor, at: now)
                    #expect(listed.total == late && listed.items.map(\.item.number) == lateItems.map(\.number))  // newest first
                    #expect(try await world.items.count(QueueFilter(overdueOnly: true), for: actor, at: now, upTo: 1) == min(1, late))
                    for window: TimeInterval in [3 * 3600, 6 * 86400] {
                        let soon = all.filter { $0.dueSoon(at: now, within: window) != nil }.count
                        #expect(try await world.items.count(QueueFilter(dueWithin: window), for: actor, at: now, upTo: 100) == soon)
                        let page = try await world.items.queue(QueueFilter(dueWithin: window, limit: 2, offset: 1), for: actor, at: now)
                        let expected = all.filter { $0.dueSoon(at: now, within: window) != nil }.dropFirst().prefix(2).map(\.number)
                        #expect(page.total == soon && page.items.map(\.item.number) == Array(expected))
                        #expect(try await world.items.count(QueueFilter(dueWithin: window), for: actor, at: now, upTo: 2) == min(2, soon))
                    }
                }
            }
            try await check(at: t0 + 600)  // dispatched ones due soon, nothing late
            try await check(at: t0 + 3 * 3600)  // the dispatched ones late, not yet recorded
            #expect(try await world.items.scanDeadlines(at: t0 + 3 * 3600 + 60) == 4)
            try await check(at: t0 + 3 * 3600 + 120)  // recorded: their deadlines moved on, they stay late
            try await check(at: t0 + 6 * 86400)  // the accepted ones past their handling deadline too
            let bureauLate = try await world.items.count(QueueFilter(overdueOnly: true), for: world.leader, at: t0 + 6 * 86400, upTo: 100)
            #expect(bureauLate == 8)
            // Late and emergencies at once (the work-queue API allows both): an emergency submitted now is not late yet.
            let emergency = try Submission(
                kind: .help, category: "noise", channel: .web, text: "有人持刀闹事，请马上出警", placeID: "S01-C1")
            let urgent = try await world.items.submit(emergency, idempotencyKey: nil, by: nil, at: t0 + 6 * 86400).item.number
            try await world.walk(urgent, to: .dispatched, from: t0 + 6 * 86400)
            let lateEmergencies = QueueFilter(overdueOnly: true, emergencyOnly: true)
            #expect(try await world.items.queue(lateEmergencies, for: world.leader, at: t0 + 6 * 86400 + 600).total == 0)
            let later = try await world.items.queue(lateEmergencies, for: world.leader, at: t0 + 8 * 86400)
            #expect(later.items.map(\.item.number) == [urgent] && later.total == 1)
        }
    }

    /// A callback left undone a day past due gets the callback centre an order, escalated each further day like an
    /// item's; the unit's own record is not marked, and making the callback ends it.
    @Test(arguments: TestDatabase.dialects)
    func callbacksPastDueEscalateLikeItems(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let t0 = world.t0
            let number = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: t0).item.number
            try await world.walk(number, to: .replied, from: t0)
            let due = try #require(try await world.items.item(number: number)?.item.callbackDue)
            let grace = SQLItemStore.callbackGrace

            #expect(try await world.items.scanDeadlines(at: due + 3600) == 0)
            #expect(try await world.items.scanDeadlines(at: due + grace + 60) == 1)
            #expect(try await world.items.scanDeadlines(at: due + grace + 120) == 0)
            var stored = try #require(try await world.items.item(number: number))
            #expect(stored.item.status == .replied && stored.item.lateFor == .callback && !stored.item.breached)
            var orders = try await world.items.supervisionOrders(of: stored.item.id)
            #expect(orders.map(\.cause) == [.overdueCallback] && orders.map(\.unitID) == ["HF"] && orders.map(\.level) == [0])
            #expect(try await world.items.queue(QueueFilter(overdueOnly: true), for: world.leader, at: due + grace + 120).total == 1)

            #expect(try await world.items.scanDeadlines(at: due + 2 * grace + 60) == 1)
            orders = try await world.items.supervisionOrders(of: stored.item.id)
            #expect(orders.count == 1 && orders[0].level == 1 && orders[0].resolvedAt == nil)

            _ = try await world.items.apply(
                .callback(result: .satisfied, comment: nil), to: number, by: world.callbackAgent, at: due + 2 * grace + 600)
            stored = try #require(try await world.items.item(number: number))
            #expect(stored.item.status == .closed && stored.item.lateSince == nil)
            orders = try await world.items.supervisionOrders(of: stored.item.id)
            #expect(orders.allSatisfy { $0.resolvedAt != nil })
        }
    }

    /// The test world's walk takes an item along the usual path to the status asked for.
    @Test func theWorldWalksAnItemAlongTheUsualPath() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let world = try await World.make(on: database)
            for status in [ItemStatus.dispatched, .accepted, .replied, .closed] {
                let number = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: world.t0).item.number
                try await world.walk(number, to: status, from: world.t0)
                #expect(try await world.items.item(number: number)?.item.status == status)
            }
        }
    }
}
