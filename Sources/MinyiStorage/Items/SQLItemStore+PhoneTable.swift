import Foundation
import Logging
import SQLKit

/// PostgreSQL's phone table (`IndexPostgresPhonesUnlogged`): the items' phones in an unlogged table that PostgreSQL
/// empties after a crash. Lookups go through it only while its marker says it holds every item's phone.
extension SQLItemStore {
    /// Whether the phone table holds every item's phone (on PostgreSQL; SQLite has its own index, `PhoneIndex`).
    static func phoneTableComplete(on db: any SQLDatabase) async throws -> Bool {
        guard DatabaseDialect(db) == .postgres else { return false }
        return try await db.raw("SELECT COUNT(*) AS n FROM item_phones_complete").first()?.decode(column: "n", as: Int.self) ?? 0 > 0
    }

    /// Fills the phone table again once PostgreSQL has emptied it, in one transaction that one instance runs at a time.
    /// Items registered meanwhile add their own phones (the trigger) and are skipped here, so nothing is indexed twice.
    /// Returns how many phones were written, or nil when there was nothing to do: on SQLite, with the table complete, or
    /// with another instance at it.
    @discardableResult
    public func restorePhoneTable() async throws -> Int? {
        let dialect = database.dialect
        guard dialect == .postgres, try await !database.read({ try await Self.phoneTableComplete(on: $0) }) else { return nil }
        return try await database.write { db -> Int? in
            guard try await dialect.tryLock(.phoneTable, on: db), try await !Self.phoneTableComplete(on: db) else { return nil }
            let written = try await db.raw(
                """
                WITH written AS (
                    INSERT INTO item_phones (phone, item_id) SELECT contact_phone, id FROM items WHERE contact_phone IS NOT NULL
                    ON CONFLICT DO NOTHING RETURNING 1
                ) SELECT COUNT(*) AS n FROM written
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
            try await db.raw("INSERT INTO item_phones_complete (complete) VALUES (true) ON CONFLICT DO NOTHING").run()
            return written
        }
    }
}

extension RepeatingService {
    /// Checks PostgreSQL's phone table every `interval` and fills it again when the server has emptied it.
    public static func phoneTable(items: SQLItemStore, interval: Duration, logger: Logger) -> RepeatingService {
        RepeatingService(name: "Phone table", interval: interval, logger: logger) {
            guard let written = try await items.restorePhoneTable() else { return }
            logger.notice("Phone table filled again after PostgreSQL emptied it", metadata: ["phones": "\(written)"])
        }
    }
}
