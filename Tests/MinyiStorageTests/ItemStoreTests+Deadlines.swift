import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Synchronization
import Testing

/// Deadlines, personal data and look-ups.
extension ItemStoreTests {
    /// A scan whose task is cancelled (the server shutting down) stops before its next batch instead of working
    /// through the whole backlog; the next scan records what is left.
    @Test(arguments: TestDatabase.dialects)
    func aCancelledScanStopsBetweenBatches(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            for index in 0..<3 {
                let number = try await world.items.submit(
                    try World.noiseSubmission("第\(index)件噪音"), idempotencyKey: nil, by: nil, at: world.t0
                ).item.number
                _ = try await world.items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: world.t0)
            }
            let later = world.t0 + 3 * 3600
            let items = world.items
            let scan = Task {
                while !Task.isCancelled { await Task.yield() }
                return try await items.scanDeadlines(at: later, batch: 1)
            }
            scan.cancel()
            await #expect(throws: CancellationError.self) { try await scan.value }
            #expect(try await world.items.queue(QueueFilter(overdueOnly: true), for: world.leader, at: world.t0).total == 0)
            #expect(try await world.items.scanDeadlines(at: later, batch: 1) == 3)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func eachBreachIsRecordedOnceAndEscalatesTheOpenOrder(dialect: DatabaseDialect) async throws {
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
