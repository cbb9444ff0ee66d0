import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Synchronization
import Testing

/// A backup taken while submissions and audited reads keep arriving, restored, and compared with the live database
/// row for row: every item, event and audit entry the backup holds is the live one, byte for byte, and its rollups are
/// exactly the recount of its items, so no transaction is in it by half.
struct BackupTests {
    /// The load's switch and count, shared by its tasks.
    final class Load: Sendable {
        let stop = Atomic<Bool>(false)
        let submitted = Atomic<Int>(0)
    }

    /// Every row of `table` as SQL literals (`quote()`), ordered by the given columns.
    static func dump(_ table: String, orderBy: String, on database: any DatabaseBackend) async throws -> [String] {
        try await database.read { db in
            let columns = try await db.raw("SELECT name FROM pragma_table_info(\(bind: table))").all().map {
                try $0.decode(column: "name", as: String.self)
            }
            let row = columns.map { "quote(\($0))" }.joined(separator: " || '|' || ")
            return try await db.raw("SELECT \(unsafeRaw: row) AS r FROM \(ident: table) ORDER BY \(unsafeRaw: orderBy)").all().map {
                try $0.decode(column: "r", as: String.self)
            }
        }
    }

    @Test func aBackupUnderWriteLoadRestoresToExactlyTheLiveRowsOfOneMoment() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let world = try await World.make(on: database)
            let source = try #require((database as? SQLiteBackend)?.path)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minyi-backup-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let backupPath = folder.appendingPathComponent("backup.sqlite").path
            let restoredPath = folder.appendingPathComponent("restored", isDirectory: true).appendingPathComponent("minyi.sqlite").path

            // Load: 16 submitters and an auditor, until told to stop.
            let load = Load()
            let summary = try await withThrowingTaskGroup(of: Void.self) { group -> SQLiteBackup.Summary in
                for writer in 0..<16 {
                    group.addTask {
                        var n = 0
                        while !load.stop.load(ordering: .relaxed) {
                            n += 1
                            _ = try await world.items.submit(
                                try Submission(
                                    kind: .complaint, category: "noise", channel: .web, text: "备份压力 \(writer)-\(n)：楼下很吵", placeID: "S01-C1",
                                    contact: Contact(name: "居民\(n)", phone: "1380013\(String(format: "%04d", n % 10000))")),
                                idempotencyKey: nil, by: nil, at: world.t0.addingTimeInterval(Double(n)))
                            load.submitted.add(1, ordering: .relaxed)
                        }
                    }
                }
                group.addTask {
                    var n = 0
                    while !load.stop.load(ordering: .relaxed) {
                        n += 1
                        try await world.audit.record(actor: world.auditor.officer.id, action: "test.look", target: "T\(n)", detail: nil, at: world.t0)
                    }
                }
                // Back up once the load runs, then let it go on a little and stop it.
                while load.submitted.load(ordering: .relaxed) < 300 { try await Task.sleep(for: .milliseconds(5)) }
                let summary = try await SQLiteBackup.backup(from: source, to: backupPath, logger: TestDatabase.logger)
                let atBackup = load.submitted.load(ordering: .relaxed)
                while load.submitted.load(ordering: .relaxed) < atBackup + 300 { try await Task.sleep(for: .milliseconds(5)) }
                load.stop.store(true, ordering: .relaxed)
                try await group.waitForAll()
                return summary
            }
            #expect(summary.items >= 300 && summary.schemaVersion == Migrator.all.map(\.version).max())
            // A backup is never written over.
            await #expect(throws: StorageError.self) { try await SQLiteBackup.backup(from: source, to: backupPath, logger: TestDatabase.logger) }

            let known = Migrator.all.map(\.version).max() ?? 0
            let (restored, kept) = try await SQLiteBackup.restore(
                from: backupPath, to: restoredPath, replace: false, knownVersion: known, now: world.t0, logger: TestDatabase.logger)
            #expect(kept == nil && restored.items == summary.items)
            // The live database, open in this process, cannot be replaced.
            await #expect(throws: StorageError.self) {
                _ = try await SQLiteBackup.restore(
                    from: backupPath, to: source, replace: true, knownVersion: known, now: world.t0, logger: TestDatabase.logger)
            }

            let copy = try await SQLiteBackend.open(path: restoredPath, logger: TestDatabase.logger)
            do {
                let live = try await Self.dump("items", orderBy: "id", on: database)
                let backedUp = try await Self.dump("items", orderBy: "id", on: copy)
                #expect(backedUp.count == summary.items && live.count > backedUp.count)
                #expect(Set(backedUp).isSubset(of: Set(live)), "every item of the backup is the live row")
                for (table, order) in [("item_events", "item_id, seq"), ("audit_log", "id")] {
                    let rows = try await Self.dump(table, orderBy: order, on: copy)
                    let liveRows = Set(try await Self.dump(table, orderBy: order, on: database))
                    #expect(!rows.isEmpty && Set(rows).isSubset(of: liveRows), "\(table)")
                }
                // The serial counter equals the items it numbered: no batch is in the backup by half.
                let numbered = try await copy.read { db in
                    try await db.raw("SELECT SUM(value) AS n FROM counters").first()?.decode(column: "n", as: Int.self) ?? 0
                }
                #expect(numbered == backedUp.count)
                let events = try await copy.read { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM item_events").first()?.decode(column: "n", as: Int.self) ?? 0
                }
                #expect(events == backedUp.count, "each item with its first event")
                // The rollups are exactly a recount of the backup's items.
                let tallies = try await Self.dump("item_tallies", orderBy: "r", on: copy)
                let copyStores = Stores(database: copy, pinKey: "test-secret", voterKey: "test-voter")
                _ = try await copyStores.items.rebuildTallies()
                let recounted = try await Self.dump("item_tallies", orderBy: "r", on: copy)
                #expect(recounted == tallies)
                #expect(!tallies.isEmpty)
            } catch {
                await copy.shutdown()
                throw error
            }
            await copy.shutdown()
        }
    }
}
