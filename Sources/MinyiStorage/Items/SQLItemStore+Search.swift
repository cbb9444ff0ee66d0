import Foundation
import MinyiCore
import SQLKit

/// Finding items: by words of the resident's text, or by the resident's phone (a look at personal data, which the
/// caller audits). Only items within the actor's jurisdiction are found.
extension SQLItemStore {
    /// The most items a search lists.
    public static let searchLimit = 50

    /// Items whose text contains `words` (as typed, `%` and `_` matching themselves), newest first. The search reads
    /// back along the time index and stops at `limit` matches.
    public func search(text words: String, for actor: Actor, at now: Date, limit: Int = SQLItemStore.searchLimit) async throws -> [StoredItem] {
        let escaped = words.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return try await database.read { db in
            let scanned = try await Self.whereClauses(QueueFilter(), for: actor, at: now, on: db).scanned
            let rows = try await db.raw(
                "SELECT * FROM items" + scanned + " AND text LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'"
                    + " ORDER BY created_at DESC LIMIT \(literal: max(1, min(limit, 500)))"
            ).all()
            return try rows.map(Self.decodeStored)
        }
    }

    /// Items left with this phone number, newest first. On SQLite the phones are indexed beside the file
    /// (`PhoneIndex`): the items it has reached are found through it, the newer ones by reading them. On PostgreSQL they
    /// are found through the phone table, or by reading the items while the server has emptied it (after a crash).
    public func items(phone: String, for actor: Actor, at now: Date, limit: Int = SQLItemStore.searchLimit) async throws -> [StoredItem] {
        let dialect = database.dialect
        return try await database.read { db in
            let clause = try await Self.whereClauses(QueueFilter(), for: actor, at: now, on: db).indexed
            let match: SQLQueryString =
                if dialect == .sqlite {
                    """
                     AND rowid IN (SELECT i.rowid FROM phones.item_phones x CROSS JOIN items i WHERE x.phone = \(bind: phone) AND i.id = x.item_id \
                    UNION ALL SELECT rowid FROM items WHERE rowid > (SELECT up_to FROM phones.indexed) AND contact_phone = \(bind: phone))
                    """
                } else if try await Self.phoneTableComplete(on: db) {
                    " AND id IN (SELECT item_id FROM item_phones WHERE phone = \(bind: phone))"
                } else {
                    " AND contact_phone = \(bind: phone)"
                }
            let rows = try await db.raw(
                "SELECT * FROM items" + clause + match + " ORDER BY created_at DESC LIMIT \(literal: max(1, min(limit, 500)))"
            ).all()
            return try rows.map(Self.decodeStored)
        }
    }
}
