import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Synchronization
import Testing

/// The storage conformance suite: every test runs on SQLite, and on PostgreSQL when `MINYI_TEST_POSTGRES_URL` is set.
struct ItemStoreTests {
    @Test(arguments: TestDatabase.dialects)
    func migrationsApplyOnceAndRevert(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let migrator = Migrator(database: database, logger: TestDatabase.logger)
            #expect(try await migrator.migrate().isEmpty)
            try await migrator.revertAll()
            #expect(try await migrator.migrate().count == Migrator.all.count)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func submissionGetsANumberAPinAndARegisteredEvent(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let first = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: world.t0)
            let second = try await world.items.submit(try World.noiseSubmission("又吵了"), idempotencyKey: nil, by: nil, at: world.t0)
            #expect(first.item.number == "KFQ-2026-000001")
            #expect(second.item.number == "KFQ-2026-000002")
            #expect(first.pin.count == 6 && first.pin.allSatisfy(\.isNumber))
            #expect(world.items.pin(for: first.item.number) == first.pin)
            let events = try await world.items.events(of: first.item.id)
            #expect(events.map(\.kind) == [.registered])
            #expect(events[0].detail.channel == .web)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func idempotentRetryReturnsTheFirstResultAndCreatesNothing(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let first = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: "key-1", by: nil, at: world.t0)
            let retry = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: "key-1", by: nil, at: world.t0)
            #expect(first.created && !retry.created)
            #expect(retry.item.number == first.item.number && retry.pin == first.pin)
            let queue = try await world.items.queue(QueueFilter(), for: world.dispatcher, at: world.t0)
            #expect(queue.total == 1)
        }
    }

    /// A queue that matches more items than it counts is read along the time indexes instead of sorted: page by page it
    /// gives the same items in the same order (emergencies first, then newest first) as one that counts them all, and
    /// still only the officer's jurisdiction.
    @Test(arguments: TestDatabase.dialects)
    func aLongQueueGivesTheSameOrderPageByPage(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            for index in 0..<23 {
                let text = index % 5 == 2 ? "有人持刀在楼下，第 \(index) 件" : "楼下很吵，第 \(index) 件"
                let place: PoliceUnit.ID = index % 4 == 3 ? "S02-C1" : "S01-C1"
                let submission = try Submission(kind: .complaint, category: "noise", channel: .web, text: text, placeID: place)
                _ = try await world.items.submit(submission, idempotencyKey: nil, by: nil, at: world.t0 + Double(index * 60))
            }
            for actor in [world.leader, world.handlerA, world.handlerB] {
                let all = try await world.items.queue(QueueFilter(limit: 100), for: actor, at: world.t0, countingUpTo: 1000)
                #expect(all.totalIsExact && all.total == all.items.count)
                let emergencies = all.items.prefix { $0.item.emergency }
                #expect(!emergencies.isEmpty && all.items.dropFirst(emergencies.count).allSatisfy { !$0.item.emergency })
                for part in [Array(emergencies), Array(all.items.dropFirst(emergencies.count))] {
                    #expect(part.map(\.item.createdAt) == part.map(\.item.createdAt).sorted(by: >))
                }
                var paged: [String] = []
                for offset in stride(from: 0, to: all.total + 4, by: 4) {
                    let page = try await world.items.queue(QueueFilter(limit: 4, offset: offset), for: actor, at: world.t0, countingUpTo: 3)
                    #expect(page.total == 3 && !page.totalIsExact)
                    paged += page.items.map(\.item.number)
                }
                #expect(paged == all.items.map(\.item.number))
            }
            let stationB = try await world.items.queue(QueueFilter(limit: 100), for: world.handlerB, at: world.t0, countingUpTo: 2)
            #expect(!stationB.totalIsExact && stationB.items.count == 5 && stationB.items.allSatisfy { $0.placePath.contains("/S02/") })
        }
    }

    /// An export gives every match within the jurisdiction once, newest first, page by page (also where several items
    /// share a second, and along the time index when the matches are many); items registered meanwhile do not shift it.
    @Test(arguments: TestDatabase.dialects)
    func anExportReadsEveryMatchOnceNewestFirst(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            for index in 0..<23 {
                let place: PoliceUnit.ID = index % 4 == 3 ? "S02-C1" : "S01-C1"
                let submission = try Submission(kind: .complaint, category: "noise", channel: .web, text: "楼下很吵，第 \(index) 件", placeID: place)
                _ = try await world.items.submit(submission, idempotencyKey: nil, by: nil, at: world.t0 + Double(index / 3 * 60))
            }
            for actor in [world.leader, world.handlerA, world.handlerB] {
                for countLimit in [1000, 2] {
                    let all = try await world.items.queue(QueueFilter(limit: 100), for: actor, at: world.t0, countingUpTo: 1000).items
                    let expected = all.sorted { ($0.item.createdAt, $0.item.id.rawValue) > ($1.item.createdAt, $1.item.id.rawValue) }.map(
                        \.item.number)
                    var export = world.items.export(QueueFilter(), for: actor, at: world.t0, pageSize: 4, countingUpTo: countLimit)
                    var numbers: [String] = []
                    while let page = try await export.next() {
                        #expect(!page.isEmpty && page.count <= 4)
                        numbers += page.map(\.item.number)
                        if numbers.count == 4 {
                            _ = try await world.items.submit(
                                try World.noiseSubmission("导出期间新登记"), idempotencyKey: nil, by: nil,
                                at: world.t0 + 3600)
                        }
                    }
                    #expect(numbers == expected)
                }
            }
            var filtered = world.items.export(QueueFilter(unit: "S01", category: "noise"), for: world.leader, at: world.t0)
            #expect(try await filtered.next()?.count == nil)  // nothing is assigned yet
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func theWholeLoopEndsClosedWithEveryStepRecorded(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let number = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: world.t0).item.number
            let proposed = try await world.organisation.proposeUnit(category: "noise", place: "S01-C1")
            #expect(proposed == "S01")
            _ = try await world.items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: world.t0)
            _ = try await world.items.apply(.accept, to: number, by: world.handlerA, at: world.t0 + 600)
            _ = try await world.items.apply(
                .reply(outcome: .resolved, text: "已约谈店主，22点后停止营业", publicReason: nil), to: number, by: world.handlerA,
                at: world.t0 + 7200)
            let closed = try await world.items.apply(
                .callback(result: .satisfied, comment: "很满意"), to: number, by: world.callbackAgent, at: world.t0 + 86400)
            #expect(closed.item.status == .closed)
            let stored = try #require(try await world.items.item(number: number))
            #expect(stored.item.status == .closed && stored.item.version == 5)
            #expect(stored.assignedPath == "/KFQ/S01/")
            let events = try await world.items.events(of: stored.item.id)
            #expect(events.map(\.kind) == [.registered, .dispatched, .accepted, .replied, .callback])
            #expect(events.map(\.sequence) == [1, 2, 3, 4, 5])
            #expect(events[2].actorID == world.handlerA.officer.id && events[2].actorUnitID == "S01")
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func dissatisfiedCallbackSupervisesUntilSatisfied(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let number = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: world.t0).item.number
            _ = try await world.items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: world.t0)
            _ = try await world.items.apply(.accept, to: number, by: world.handlerA, at: world.t0)
            _ = try await world.items.apply(
                .reply(outcome: .explained, text: "已解释", publicReason: nil), to: number, by: world.handlerA,
                at: world.t0)
            let unhappy = try await world.items.apply(
                .callback(result: .dissatisfied, comment: "还是很吵"), to: number, by: world.callbackAgent, at: world.t0 + 86400)
            #expect(unhappy.item.status == .supervised)
            var orders = try await world.items.supervisionOrders(for: world.inspector, openOnly: true)
            #expect(orders.count == 1 && orders[0].cause == .dissatisfied && orders[0].unitID == "S01" && orders[0].itemNumber == number)
            _ = try await world.items.apply(
                .reply(outcome: .resolved, text: "已查封音响", publicReason: nil), to: number, by: world.handlerA, at: world.t0 + 2 * 86400)
            _ = try await world.items.apply(
                .callback(result: .satisfied, comment: nil), to: number, by: world.callbackAgent, at: world.t0 + 3 * 86400)
            orders = try await world.items.supervisionOrders(for: world.inspector, openOnly: true)
            #expect(orders.isEmpty)
            let all = try await world.items.supervisionOrders(of: unhappy.item.id)
            #expect(all.count == 1 && all[0].resolvedAt == world.t0 + 3 * 86400)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func illegalTransitionsAndForeignJurisdictionsAreRefused(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let number = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: world.t0).item.number
            await #expect(throws: LifecycleError.illegalTransition(command: .callback, status: .registered, number: number)) {
                try await world.items.apply(.callback(result: .satisfied, comment: nil), to: number, by: world.callbackAgent, at: world.t0)
            }
            _ = try await world.items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: world.t0)
            await #expect(throws: AccessError.outsideJurisdiction("事项 \(number)")) {
                try await world.items.apply(.accept, to: number, by: world.handlerB, at: world.t0)
            }
            await #expect(throws: AccessError.self) {
                try await world.items.apply(.close(reason: "x"), to: number, by: world.handlerA, at: world.t0)
            }
            let queueB = try await world.items.queue(QueueFilter(), for: world.handlerB, at: world.t0)
            #expect(queueB.total == 0)
            let queueA = try await world.items.queue(QueueFilter(), for: world.handlerA, at: world.t0)
            #expect(queueA.total == 1)
            let stored = try #require(try await world.items.item(number: number))
            #expect(stored.item.version == 2, "refused commands leave no trace")
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func searchFindsWordsAsTypedAndPhonesWithinTheJurisdiction(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let contact = Contact(phone: "13800138000")
            let texts = ["烧烤店 100% 噪音", "烧_店\\后门", "广场舞音响"]
            var numbers: [String] = []
            for text in texts {
                let submission = try World.noiseSubmission(text, contact: contact)
                numbers.append(try await world.items.submit(submission, idempotencyKey: nil, by: nil, at: world.t0).item.number)
            }
            func found(_ words: String) async throws -> [String] {
                try await world.items.search(text: words, for: world.handlerA, at: world.t0).map(\.item.number)
            }
            #expect(try await found("100%") == [numbers[0]])
            #expect(try await found("烧_店") == [numbers[1]], "_ matches itself only")
            #expect(try await found("_店\\后") == [numbers[1]], "so does the backslash")
            #expect(try await found("音").count == 2)
            #expect(try await world.items.search(text: "音", for: world.handlerB, at: world.t0).isEmpty, "another station's items are not found")
            #expect(try await world.items.items(phone: "13800138000", for: world.handlerA, at: world.t0).count == 3)
            #expect(try await world.items.items(phone: "13800138000", for: world.handlerB, at: world.t0).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func aQueueByDeadlinePutsTheMostUrgentStepFirst(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            var numbers: [String] = []
            for minute in 0..<3 {
                let at = world.t0 + Double(minute) * 60
                let submission = try World.noiseSubmission("第\(minute)件")
                let number = try await world.items.submit(submission, idempotencyKey: nil, by: nil, at: at).item.number
                _ = try await world.items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: at)
                numbers.append(number)
            }
            // The last one accepted: its deadline is the reply's, days away, so it comes last.
            _ = try await world.items.apply(.accept, to: numbers[0], by: world.handlerA, at: world.t0 + 300)
            var filter = QueueFilter(statuses: [.dispatched, .accepted])
            let newest = try await world.items.queue(filter, for: world.handlerA, at: world.t0 + 600)
            #expect(newest.items.map(\.item.number) == numbers.reversed())
            filter.byDeadline = true
            let urgent = try await world.items.queue(filter, for: world.handlerA, at: world.t0 + 600)
            #expect(urgent.items.map(\.item.number) == [numbers[1], numbers[2], numbers[0]])
            // Past the counting limit the order holds too.
            let counted = try await world.items.queue(filter, for: world.handlerA, at: world.t0 + 600, countingUpTo: 1)
            #expect(counted.items.map(\.item.number) == [numbers[1], numbers[2], numbers[0]] && !counted.totalIsExact)
            // Once one is on record as late, it comes first, though its new round's deadline lies ahead.
            _ = try await world.items.apply(.accept, to: numbers[1], by: world.handlerA, at: world.t0 + 900)
            _ = try await world.items.scanDeadlines(at: world.t0 + 3 * 3600)
            let late = try await world.items.queue(filter, for: world.handlerA, at: world.t0 + 3 * 3600 + 60)
            #expect(late.items.map(\.item.number) == [numbers[2], numbers[0], numbers[1]])
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func returnedItemsGoBackToTheCommandCentreAndCanBeRedispatched(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let number = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: world.t0).item.number
            _ = try await world.items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: world.t0)
            let returned = try await world.items.apply(.returnToCommand(reason: "属岳程所辖区"), to: number, by: world.handlerA, at: world.t0)
            #expect(returned.item.status == .returned && returned.item.assignedUnitID == nil)
            _ = try await world.items.apply(.dispatch(unit: "S02"), to: number, by: world.dispatcher, at: world.t0)
            _ = try await world.items.apply(.accept, to: number, by: world.handlerB, at: world.t0)
            let other = try await world.items.submit(
                try World.noiseSubmission("同一家烧烤店"), idempotencyKey: nil, by: nil,
                at: world.t0
            ).item.number
            let merged = try await world.items.apply(.merge(into: number, reason: "重复"), to: other, by: world.dispatcher, at: world.t0)
            #expect(merged.item.status == .merged && merged.item.mergedInto == number)
            await #expect(throws: ValidationError.self) {
                try await world.items.apply(.merge(into: "KFQ-2026-999999", reason: nil), to: number, by: world.dispatcher, at: world.t0)
            }
        }
    }
}
