import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import SQLKit
import Testing

/// PostgreSQL's intake appends its rollup differences and folds them into the rollup rows later
/// (`FoldIntakeTallies`): readers count a difference the same before and after it is folded, the fold leaves the
/// rollups exactly a recount of the items, and nothing is counted twice or lost on the way.
struct TallyFoldTests {
    static func count(_ sql: String, on database: any DatabaseBackend) async throws -> Int {
        try await database.read { try await $0.raw(SQLQueryString(sql)).first()?.decode(column: "n", as: Int?.self) ?? 0 } ?? 0
    }

    /// Folds everything there is, waiting while the intake's own fold holds the lock.
    static func foldAll(_ world: World) async throws {
        while try await world.items.foldTallies() == nil { try await Task.sleep(for: .milliseconds(20)) }
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
}
