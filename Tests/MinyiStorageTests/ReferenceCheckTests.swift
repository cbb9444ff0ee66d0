import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import SQLKit
import Testing

/// An item names a unit and a category that exist, an event an item that exists, and neither what is named nor an item
/// with events can go: foreign keys on SQLite, checks once per statement on PostgreSQL
/// (`CheckIntakeReferencesPerStatement`). Each refused statement has a twin that differs only in the reference and passes.
struct ReferenceCheckTests {
    private static func insertItems(_ rows: [(id: String, place: String, category: String)], on db: any SQLDatabase) async throws {
        var values: [SQLQueryString] = []
        for row in rows {
            values.append(
                """
                (\(bind: row.id), \(bind: "N-" + row.id), 'complaint', \(bind: row.category), 'web', '楼下噪音', \(bind: row.place), \
                'KFQ/S01/S01-O1/S01-C1', 0, 'registered', 0, 0, 1790000000, 1790000000, 1)
                """)
        }
        try await db.raw(
            """
            INSERT INTO items (id, number, kind, category, channel, text, place_id, place_path, emergency, status, round, callback_attempts, \
            created_at, updated_at, version) VALUES
            """ + values.joined(separator: ", ")
        ).run()
    }

    private static func insertEvent(of item: String, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO item_events (item_id, seq, kind, at, status, detail) VALUES (\(bind: item), 1, 'registered', 1790000000, 'registered', '{}')
            """
        ).run()
    }

    @Test(arguments: TestDatabase.dialects)
    func aStatementNamingWhatDoesNotExistIsRefusedWhole(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            _ = try await World.make(on: database)
            func count(_ table: String) async throws -> Int {
                try await database.read {
                    try await $0.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? -1
                }
            }
            await #expect(throws: (any Error).self, "an unknown place, beside a good row") {
                try await database.write { try await Self.insertItems([("a", "S01-C1", "noise"), ("b", "S09-C9", "noise")], on: $0) }
            }
            await #expect(throws: (any Error).self, "an unknown category") {
                try await database.write { try await Self.insertItems([("a", "S01-C1", "noise"), ("b", "S01-C1", "parking")], on: $0) }
            }
            #expect(try await count("items") == 0, "nothing of a refused statement stays")
            try await database.write { try await Self.insertItems([("a", "S01-C1", "noise"), ("b", "S02-C1", "traffic")], on: $0) }
            #expect(try await count("items") == 2)

            await #expect(throws: (any Error).self, "an event of no item") {
                try await database.write { try await Self.insertEvent(of: "zz", on: $0) }
            }
            try await database.write { try await Self.insertEvent(of: "a", on: $0) }
            #expect(try await count("item_events") == 1)

            await #expect(throws: (any Error).self, "an item moved to an unknown category") {
                try await database.write { try await $0.raw("UPDATE items SET category = 'parking' WHERE id = 'b'").run() }
            }
            await #expect(throws: (any Error).self, "an item moved to an unknown place") {
                try await database.write { try await $0.raw("UPDATE items SET place_id = 'S09' WHERE id = 'b'").run() }
            }
            try await database.write { try await $0.raw("UPDATE items SET category = 'conduct', place_id = 'S01-C1' WHERE id = 'b'").run() }

            await #expect(throws: (any Error).self, "a category an item names") {
                try await database.write { try await $0.raw("DELETE FROM categories WHERE code = 'noise'").run() }
            }
            await #expect(throws: (any Error).self, "a unit an item names") {
                try await database.write { try await $0.raw("UPDATE units SET id = 'S01-C9' WHERE id = 'S01-C1'").run() }
            }
            await #expect(throws: (any Error).self, "an item with events") {
                try await database.write { try await $0.raw("DELETE FROM items WHERE id = 'a'").run() }
            }
            // What nothing names can go.
            try await database.write { try await $0.raw("DELETE FROM items WHERE id = 'b'").run() }
            try await database.write { try await $0.raw("DELETE FROM dispatch_rules WHERE category = 'traffic'").run() }
            try await database.write { try await $0.raw("DELETE FROM categories WHERE code = 'traffic'").run() }
            #expect(try await count("items") == 1)
        }
    }
}
