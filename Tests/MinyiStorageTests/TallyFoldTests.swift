import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import SQLKit
import Synchronization
import Testing

/// PostgreSQL's intake appends its rollup differences and folds them into the rollup rows later
/// (`FoldIntakeTallies`): readers count a difference the same before and after it is folded, the fold leaves the
/// rollups exactly a recount of the items, and nothing is counted twice or lost on the way. The numbers' counter rows
/// are replaced under the intake's feet (`OutlastLongSnapshots`) without a gap or a number given twice, and a long
/// snapshot held meanwhile stops neither.
struct TallyFoldTests {
    static func count(_ sql: String, on database: any DatabaseBackend) async throws -> Int {
        try await database.read { try await $0.raw(SQLQueryString(sql)).first()?.decode(column: "n", as: Int?.self) ?? 0 }
    }

    /// Folds everything there is, waiting while the intake's own fold holds the lock. A fold takes the differences of
    /// transactions that have ended, and tests running beside this one keep transactions of their own open for a while.
    static func foldAll(_ world: World) async throws {
        guard world.database.dialect == .postgres else { return }
        for _ in 0..<500 {
            if try await world.items.foldTallies() != nil,
                try await count("SELECT COUNT(*) AS n FROM item_tally_deltas", on: world.database) == 0
            {
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("differences left after 500 folds")
    }

    static func dump(_ database: any DatabaseBackend) async throws -> [String] {
        try await database.read { db in
            try await db.raw("SELECT grain, period, place_path, assigned_path, category, received, open_count FROM item_tallies").all().map { row in
                try ["grain", "place_path", "assigned_path", "category"].map { try row.decode(column: $0, as: String.self) }.joined(separator: "|")
                    + "|" + ["period", "received", "open_count"].map { "\(try row.decode(column: $0, as: Int.self))" }.joined(separator: "|")
            }.sorted()
        }
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func differencesCountOnceBeforeAndAfterTheyAreFolded() async throws {
        try await TestDatabase.withFresh(.postgres) { database in
            let world = try await World.make(on: database)
            let bureau = try #require(try await world.organisation.unit("KFQ"))
            let station = try #require(try await world.organisation.unit("S01"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        _ = try await world.items.submit(try World.noiseSubmission("第\(i)条"), idempotencyKey: nil, by: nil, at: world.t0)
                    }
                }
                try await group.waitForAll()
            }
            let day = (from: Deadlines.dayStart(of: world.t0), to: Deadlines.dayStart(of: world.t0).addingTimeInterval(86400))
            func received() async throws -> Int {
                try await world.items.tallies(under: station, from: day.from, to: day.to).reduce(0) { $0 + $1.tally.received }
            }
            #expect(try await world.items.openCount(under: bureau) == 40)
            #expect(try await received() == 40)

            // A difference as a batch appends it, for the month and the day of t0: every reader counts it at once.
            let month = Int(Deadlines.monthStart(of: world.t0).timeIntervalSince1970)
            try await database.write { db in
                for (grain, period) in [("m", month), ("d", Int(day.from.timeIntervalSince1970))] {
                    try await db.raw(
                        """
                        INSERT INTO item_tally_deltas (grain, period, place_path, assigned_path, category, received, open_count)
                        VALUES (\(bind: grain), \(bind: period), '/KFQ/S01/S01-O1/S01-C1/', '', 'noise', 5, 5)
                        """
                    ).run()
                }
            }
            #expect(try await Self.count("SELECT COUNT(*) AS n FROM item_tally_deltas", on: database) >= 2)
            let open = try await world.items.openCount(under: bureau)
            #expect(open == 45, "the month's difference, not yet folded")
            #expect(try await received() == 45, "the day's difference, not yet folded")

            try await Self.foldAll(world)
            #expect(try await Self.count("SELECT COUNT(*) AS n FROM item_tally_deltas", on: database) == 0)
            #expect(try await Self.count("SELECT CAST(SUM(received) AS BIGINT) AS n FROM item_tallies WHERE grain = 'm'", on: database) == 45)
            #expect(try await world.items.openCount(under: bureau) == 45, "folded: counted once")
            #expect(try await received() == 45)

            // Without the hand-made difference the rollups are exactly a recount of the items.
            try await database.write { db in
                try await db.raw(
                    """
                    UPDATE item_tallies SET received = received - 5, open_count = open_count - 5
                    WHERE category = 'noise' AND place_path = '/KFQ/S01/S01-O1/S01-C1/' AND assigned_path = ''
                    """
                ).run()
            }
            let folded = try await Self.dump(database)
            try await world.items.rebuildTallies()
            #expect(try await Self.dump(database) == folded)
            #expect(try await world.items.openCount(under: bureau) == 40)
        }
    }

    /// Submissions on many connections while the counter rows are replaced again and again: every batch that finds its
    /// row replaced runs again, so the numbers are 1…n, each once, and the one counter row left holds n.
    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func numbersStayWithoutGapsWhileTheirCountersAreReplaced() async throws {
        try await TestDatabase.withFresh(.postgres) { database in
            let world = try await World.make(on: database)
            let year = Deadlines.year(of: world.t0)
            let total = 150
            let done = Atomic<Bool>(false)
            let replacing = Task {
                var times = 0
                while !done.load(ordering: .relaxed) {
                    try await world.items.replaceNumberCounters()
                    times += 1
                }
                return times
            }
            let numbers = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<total {
                    group.addTask {
                        try await world.items.submit(try World.noiseSubmission("第\(i)条"), idempotencyKey: nil, by: nil, at: world.t0).item.number
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            done.store(true, ordering: .relaxed)
            let replaced = try await replacing.value
            #expect(replaced > 3, "the counters were replaced while the submissions ran")
            #expect(numbers.count == total)
            #expect(Set(numbers) == Set((1...total).map { TrackingNumber.make(bureau: "KFQ", year: year, serial: $0) }))
            let rows = try await database.read { db in
                try await db.raw("SELECT scope, epoch, value FROM number_serials").all().map {
                    (try $0.decode(column: "scope", as: String.self), try $0.decode(column: "epoch", as: Int.self),
                     try $0.decode(column: "value", as: Int.self))
                }
            }
            #expect(rows.count == 1)
            #expect(rows.first?.0 == "number:KFQ:\(year)" && rows.first?.2 == total)
            #expect((2...replaced).contains(rows.first?.1 ?? 0), "replaced while numbering, at most once per replacement: \(rows)")
            // A statement that ran again counted its items once.
            try await Self.foldAll(world)
            let folded = try await Self.dump(database)
            try await world.items.rebuildTallies()
            #expect(try await Self.dump(database) == folded)
        }
    }

    /// A read-only snapshot held for as long as a backup runs keeps no fold from moving on, and readers count what the
    /// intake adds meanwhile once.
    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func aHeldSnapshotStopsNoFold() async throws {
        try await TestDatabase.withFresh(.postgres) { database in
            let world = try await World.make(on: database)
            let bureau = try #require(try await world.organisation.unit("KFQ"))
            let release = Atomic<Bool>(false)
            let holding = Atomic<Bool>(false)
            // What pg_dump does: one repeatable-read transaction that only reads, for as long as it takes.
            let holder = Task {
                try await database.read { db in
                    try await db.raw("BEGIN ISOLATION LEVEL REPEATABLE READ").run()
                    let seen = try await db.raw("SELECT COUNT(*) AS n FROM items").first()?.decode(column: "n", as: Int.self)
                    holding.store(true, ordering: .relaxed)
                    while !release.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(10)) }
                    let still = try await db.raw("SELECT COUNT(*) AS n FROM items").first()?.decode(column: "n", as: Int.self)
                    try await db.raw("COMMIT").run()
                    return (seen, still)
                }
            }
            while !holding.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(10)) }
            let before = try await Self.count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM tally_folds WHERE folded > '0'", on: database)
            for round in 1...3 {
                for i in 0..<10 {
                    _ = try await world.items.submit(try World.noiseSubmission("第\(round)-\(i)条"), idempotencyKey: nil, by: nil, at: world.t0)
                }
                try await world.items.replaceNumberCounters()
                try await Self.foldAll(world)
                #expect(try await Self.count("SELECT COUNT(*) AS n FROM item_tally_deltas", on: database) == 0, "round \(round)")
                #expect(try await world.items.openCount(under: bureau) == round * 10)
            }
            #expect(before == 0)
            #expect(try await Self.count("SELECT COUNT(*) AS n FROM tally_folds WHERE folded > '0'", on: database) == 1)
            release.store(true, ordering: .relaxed)
            let (seen, still) = try await holder.value
            #expect(seen == 0 && still == 0, "the snapshot was held throughout")
            let folded = try await Self.dump(database)
            try await world.items.rebuildTallies()
            #expect(try await Self.dump(database) == folded)
        }
    }
}
