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
                            _ = try await world.items.submit(try World.noiseSubmission("导出期间新登记"), idempotencyKey: nil, by: nil, at: world.t0 + 3600)
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
                .reply(outcome: .resolved, text: "已约谈店主，22点后停止营业", publicReason: nil), to: number, by: world.handlerA, at: world.t0 + 7200)
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
            _ = try await world.items.apply(.reply(outcome: .explained, text: "已解释", publicReason: nil), to: number, by: world.handlerA, at: world.t0)
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
    func returnedItemsGoBackToTheCommandCentreAndCanBeRedispatched(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let number = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: world.t0).item.number
            _ = try await world.items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: world.t0)
            let returned = try await world.items.apply(.returnToCommand(reason: "属岳程所辖区"), to: number, by: world.handlerA, at: world.t0)
            #expect(returned.item.status == .returned && returned.item.assignedUnitID == nil)
            _ = try await world.items.apply(.dispatch(unit: "S02"), to: number, by: world.dispatcher, at: world.t0)
            _ = try await world.items.apply(.accept, to: number, by: world.handlerB, at: world.t0)
            let other = try await world.items.submit(try World.noiseSubmission("同一家烧烤店"), idempotencyKey: nil, by: nil, at: world.t0).item.number
            let merged = try await world.items.apply(.merge(into: number, reason: "重复"), to: other, by: world.dispatcher, at: world.t0)
            #expect(merged.item.status == .merged && merged.item.mergedInto == number)
            await #expect(throws: ValidationError.self) {
                try await world.items.apply(.merge(into: "KFQ-2026-999999", reason: nil), to: number, by: world.dispatcher, at: world.t0)
            }
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func missedDeadlinesIssueOneSupervisionOrderPerBreach(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let number = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: world.t0).item.number
            _ = try await world.items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: world.t0)
            // Within the 2-hour response deadline nothing happens.
            #expect(try await world.items.scanDeadlines(at: world.t0 + 3600) == 0)
            // Past it, two scanners racing (as two instances would) issue exactly one order.
            let later = world.t0 + 3 * 3600
            async let first = world.items.scanDeadlines(at: later)
            async let second = world.items.scanDeadlines(at: later)
            #expect(try await first + second == 1)
            #expect(try await world.items.scanDeadlines(at: later + 60) == 0)
            var orders = try await world.items.supervisionOrders(for: world.inspector, openOnly: true)
            #expect(orders.map(\.cause) == [.overdueResponse])
            // Accepted but not replied: the handling deadline (5 days) breaches once more.
            _ = try await world.items.apply(.accept, to: number, by: world.handlerA, at: later)
            #expect(try await world.items.scanDeadlines(at: world.t0 + 6 * 86400) == 1)
            #expect(try await world.items.scanDeadlines(at: world.t0 + 6 * 86400 + 60) == 0)
            // The open order for lateness is escalated to the unit's lead, not joined by a second one.
            orders = try await world.items.supervisionOrders(for: world.inspector, openOnly: true)
            #expect(orders.map(\.cause) == [.overdueHandling] && orders.map(\.level) == [1])
            let stored = try #require(try await world.items.item(number: number))
            let events = try await world.items.events(of: stored.item.id)
            #expect(events.filter { $0.kind == .overdue }.count == 2)
            #expect(stored.item.breached)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func contactIsRevealedOnlyToRolesThatNeedItAndEveryReadIsAudited(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let contact = Contact(name: "张三", phone: "13812345678", idNumber: "11010519491231002X")
            let number = try await world.items.submit(try World.noiseSubmission(contact: contact), idempotencyKey: nil, by: nil, at: world.t0).item
                .number
            let revealed = try await world.items.revealContact(of: number, by: world.callbackAgent, purpose: "回访", at: world.t0)
            #expect(revealed == contact)
            await #expect(throws: AccessError.self) {
                try await world.items.revealContact(of: number, by: world.dispatcher, purpose: "好奇", at: world.t0)
            }
            await #expect(throws: AccessError.self) {
                try await world.items.revealContact(of: number, by: world.handlerB, purpose: "回访", at: world.t0)
            }
            let entries = try await world.audit.entries(target: number)
            #expect(entries.count == 1)
            #expect(entries[0].actorID == world.callbackAgent.officer.id && entries[0].action == "contact.read")
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func theRightPinOpensTheItemAndNoOtherDoes(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let submitted = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: world.t0)
            #expect(try await world.items.lookup(number: submitted.item.number, pin: submitted.pin) != nil)
            let wrong = submitted.pin == "000000" ? "111111" : "000000"
            #expect(try await world.items.lookup(number: submitted.item.number, pin: wrong) == nil)
            #expect(try await world.items.lookup(number: "KFQ-2026-999999", pin: submitted.pin) == nil)
        }
    }

    /// Failed guesses are counted by address and by target within a window, forgotten for an address that succeeds,
    /// and pruned by age; the stored fields are capped.
    @Test(arguments: TestDatabase.dialects)
    func failedGuessesAreCountedByAddressAndTargetThenPruned(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let auth = world.auth
            for i in 0..<3 { try await auth.recordGuess(kind: "pin", target: "KFQ-2026-000001", address: "10.0.0.1", at: world.t0 + Double(i)) }
            try await auth.recordGuess(kind: "pin", target: "KFQ-2026-000001", address: "10.0.0.2", at: world.t0)
            try await auth.recordGuess(kind: "login", target: "clerk", address: "10.0.0.1", at: world.t0 - 7200)
            try await auth.recordGuess(kind: "login", target: String(repeating: "x", count: 60_000), address: "10.0.0.3", at: world.t0)

            let seen = try await auth.guesses(kind: "pin", target: "KFQ-2026-000001", address: "10.0.0.1", since: world.t0 - 3600)
            #expect(seen == .init(fromAddress: 3, addressLatest: world.t0 + 2, onTarget: 4, fromAddressOnTarget: 3))
            let other = try await auth.guesses(kind: "pin", target: "KFQ-2026-000001", address: "10.0.0.9", since: world.t0 - 3600)
            #expect(other == .init(fromAddress: 0, addressLatest: nil, onTarget: 4, fromAddressOnTarget: 0))

            try await auth.clearGuesses(kind: "pin", target: "KFQ-2026-000001", address: "10.0.0.1")
            #expect(try await auth.guesses(kind: "pin", target: "KFQ-2026-000001", address: "10.0.0.1", since: world.t0 - 3600).onTarget == 1)
            let longest = try await world.database.read { db in
                try await db.raw("SELECT MAX(LENGTH(target)) AS n FROM auth_failures").first().map { try $0.decode(column: "n", as: Int.self) }
            }
            #expect(longest == SQLAuthStore.maxGuessFieldLength)
            #expect(try await auth.prune(before: world.t0 - 3600, at: world.t0) == 1)
            #expect(try await auth.prune(before: world.t0 + 10, at: world.t0) == 2)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func measuresComeFromTheStoredItems(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let items = world.items
            func submit() async throws -> String {
                try await items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: world.t0).item.number
            }
            // 1: closed, satisfied, accepted in time.
            let a = try await submit()
            _ = try await items.apply(.dispatch(unit: "S01"), to: a, by: world.dispatcher, at: world.t0)
            _ = try await items.apply(.accept, to: a, by: world.handlerA, at: world.t0 + 60)
            _ = try await items.apply(.reply(outcome: .resolved, text: "好", publicReason: nil), to: a, by: world.handlerA, at: world.t0 + 120)
            _ = try await items.apply(.callback(result: .satisfied, comment: nil), to: a, by: world.callbackAgent, at: world.t0 + 86400)
            // 2: accepted late (after 2 h), replied, dissatisfied.
            let b = try await submit()
            _ = try await items.apply(.dispatch(unit: "S01"), to: b, by: world.dispatcher, at: world.t0)
            _ = try await items.apply(.accept, to: b, by: world.handlerA, at: world.t0 + 3 * 3600)
            _ = try await items.apply(.reply(outcome: .explained, text: "解释", publicReason: nil), to: b, by: world.handlerA, at: world.t0 + 4 * 3600)
            _ = try await items.apply(.callback(result: .dissatisfied, comment: "不行"), to: b, by: world.callbackAgent, at: world.t0 + 86400)
            // 3: dispatched, never accepted; 4: registered only (not assigned, so not counted for S01).
            let c = try await submit()
            _ = try await items.apply(.dispatch(unit: "S01"), to: c, by: world.dispatcher, at: world.t0)
            _ = try await submit()
            // 5: dispatched to S02: not S01's.
            let e = try await submit()
            _ = try await items.apply(.dispatch(unit: "S02"), to: e, by: world.dispatcher, at: world.t0)
            _ = try await items.scanDeadlines(at: world.t0 + 86400)

            let s01 = try #require(try await world.organisation.unit("S01"))
            let m = Measures(facts: try await items.facts(under: s01, from: world.t0 - 1, to: world.t0 + 10 * 86400))
            #expect(m.received == 3)
            #expect(m.replyRate == Rate(2, of: 3))
            #expect(m.responseRate == Rate(1, of: 3))
            #expect(m.closureRate == Rate(1, of: 3))
            #expect(m.satisfactionRate == Rate(1, of: 2))
            #expect(m.overdue == 1)
            #expect(m.open == 2)
            let bureau = try #require(try await world.organisation.unit("KFQ"))
            #expect(Measures(facts: try await items.facts(under: bureau, from: world.t0 - 1, to: world.t0 + 1)).received == 4)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func concurrentSubmissionsAllLandWithDistinctNumbers(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let numbers = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<200 {
                    group.addTask {
                        try await world.items.submit(try World.noiseSubmission("第\(i)条"), idempotencyKey: "k\(i)", by: nil, at: world.t0).item.number
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(numbers.count == 200)
            let queue = try await world.items.queue(QueueFilter(limit: 500), for: world.dispatcher, at: world.t0)
            #expect(queue.total == 200)
            if let sqlite = database as? SQLiteBackend {
                let stats = sqlite.commitStatistics
                #expect(stats.commits < stats.writes, "concurrent writes share commits: \(stats)")
            }
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func oneFailingWriteInABatchDoesNotSpoilTheOthers(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let results = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<50 {
                    group.addTask {
                        let category: MinyiCore.Category.Code = i % 5 == 0 ? "nonexistent" : "noise"
                        let submission = try? Submission(kind: .help, category: category, channel: .web, text: "求助\(i)", placeID: "S01-C1")
                        return (try? await world.items.submit(submission!, idempotencyKey: nil, by: nil, at: world.t0)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 40)
            #expect(try await world.items.queue(QueueFilter(), for: world.dispatcher, at: world.t0).total == 40)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func whatResidentsWriteIsStoredExactly(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let texts = [
                #"他说："别管了"，还有反斜杠 \ 和 \n 字样"#, "第一行\n第二行\t制表\r回车", "<script>alert('x')</script> & \u{1F6A8} 警灯",
                "Ünïcödé — 全角，标点。", String(repeating: "长", count: 5000),
            ]
            // Control characters (NUL, the C0 codes but tab and line breaks, DEL, C1) are refused, never stored, since
            // readers cut the text at them.
            for text in ["控制字符\u{01}\u{1F}结束", "空字符\u{0}之后", "删除\u{7F}", "C1\u{85}"] {
                #expect(throws: ValidationError.invalid(field: "text", message: "text 含有不可见的控制字符，请删除后重试 (contains control characters)")) {
                    try Submission(kind: .opinion, category: "noise", channel: .web, text: text, placeID: "S01-C1")
                }
            }
            let contact = Contact(name: "O'Brien \"张\"", phone: "13912345678", idNumber: "11010519491231002X")
            // Submitted concurrently so that they share a batch.
            let submitted = try await withThrowingTaskGroup(of: (String, Submitted).self) { group in
                for text in texts {
                    group.addTask {
                        let submission = try Submission(
                            kind: .opinion, category: "noise", channel: .web, text: text, placeID: "S01-C1", address: "幸福路 1 号 \"东门\"",
                            latitude: 35.2331, longitude: 115.4412, contact: contact)
                        return (text, try await world.items.submit(submission, idempotencyKey: nil, by: nil, at: world.t0))
                    }
                }
                return try await group.reduce(into: [(String, Submitted)]()) { $0.append($1) }
            }
            for (text, result) in submitted {
                let stored = try #require(try await world.items.item(number: result.item.number))
                #expect(stored.item == result.item)
                #expect(stored.item.text == text.trimmingCharacters(in: .whitespacesAndNewlines))
                #expect(stored.item.contact == contact)
                #expect(stored.item.address == "幸福路 1 号 \"东门\"")
                #expect(stored.item.latitude == 35.2331 && stored.item.longitude == 115.4412)
                let events = try await world.items.events(of: stored.item.id)
                #expect(events.count == 1 && events[0].detail == ["channel": "web"])
            }
        }
    }

    @Test(arguments: ["S_1", "S%", "a/b", "", "单位"])
    func unitIDsThatWouldActAsWildcardsAreRefused(id: String) async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let organisation = Stores(database: database, pinKey: "test-secret").organisation
            await #expect(throws: ValidationError.self) {
                try await organisation.addUnit(id: .init(id), name: "x", kind: .bureau, parent: nil)
            }
        }
    }

    @Test func theDeadlineServiceKeepsScanningAsTheClockMoves() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let world = try await World.make(on: database)
            let number = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: world.t0).item.number
            _ = try await world.items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: world.t0)
            let clock = Synchronization.Mutex(world.t0)
            let service = RepeatingService.deadlineScan(
                items: world.items, interval: .milliseconds(20), now: { clock.withLock { $0 } }, logger: TestDatabase.logger)
            let running = Task { try await service.run() }
            func orders() async throws -> [SupervisionOrder.Cause] {
                try await world.items.supervisionOrders(for: world.inspector, openOnly: true).map(\.cause)
            }
            // Action: time passes the response deadline, then the handling deadline.
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await orders().isEmpty)
            clock.withLock { $0 = world.t0 + 3 * 3600 }
            try await waitUntil { try await orders().count == 1 }
            _ = try await world.items.apply(.accept, to: number, by: world.handlerA, at: world.t0 + 3 * 3600)
            clock.withLock { $0 = world.t0 + 6 * 86400 }
            try await waitUntil { try await orders() == [.overdueHandling] }
            running.cancel()
            try await running.value
            #expect(try await orders() == [.overdueHandling])  // one open order, escalated
        }
    }
}

/// Polls `condition` for up to five seconds.
func waitUntil(_ condition: () async throws -> Bool) async throws {
    for _ in 0..<250 {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("condition not met within 5 s")
}
