import Crypto
import Foundation
import MinyiCore
import SQLKit

/// The ledger's export, a page at a time.
extension SQLItemStore {
    /// Every item within the actor's jurisdiction that matches the filter (its limit and offset aside), newest
    /// registration first, read a page at a time so that an export of any size holds one page in memory.
    public func export(
        _ filter: QueueFilter, for actor: Actor, at now: Date, pageSize: Int = 1000, countingUpTo countLimit: Int = SQLItemStore.exactCountLimit
    ) -> ItemExport {
        ItemExport(store: self, filter: filter, actor: actor, now: now, pageSize: max(1, pageSize), countLimit: countLimit)
    }

    /// The pages of an export. Each page is its own read, which continues after the last item of the page before
    /// (by registration time, then ID), so items registered meanwhile neither shift nor repeat what follows.
    public struct ItemExport: Sendable {
        let store: SQLItemStore
        let filter: QueueFilter
        let actor: Actor
        let now: Date
        let pageSize: Int
        let countLimit: Int
        /// Whether the filter matches more than `countLimit` items: the pages are then read along the time index.
        private var long: Bool?
        private var after: (createdAt: Int, id: String)?
        private var done = false

        init(store: SQLItemStore, filter: QueueFilter, actor: Actor, now: Date, pageSize: Int, countLimit: Int) {
            self.store = store
            self.filter = filter
            self.actor = actor
            self.now = now
            self.pageSize = pageSize
            self.countLimit = countLimit
        }

        /// The next page, or nil after the last.
        public mutating func next() async throws -> [StoredItem]? {
            guard !done else { return nil }
            let (filter, actor, now, pageSize, countLimit, known, after) = (filter, actor, now, pageSize, countLimit, long, after)
            let (rows, long) = try await store.database.read { db -> ([StoredItem], Bool) in
                let (indexed, scanned) = try await SQLItemStore.whereClauses(filter, for: actor, at: now, on: db)
                let long: Bool
                if let known {
                    long = known
                } else {
                    long = try await SQLItemStore.count("SELECT 1 FROM items" + indexed, upTo: countLimit + 1, on: db) > countLimit
                }
                var query = "SELECT * FROM items" + (long ? scanned : indexed)
                if let after {
                    query =
                        query + " AND created_at <= \(bind: after.createdAt) AND (created_at < \(bind: after.createdAt) OR id < \(bind: after.id))"
                }
                query = query + " ORDER BY created_at DESC, id DESC LIMIT \(literal: pageSize)"
                return (try await db.raw(query).all().map(SQLItemStore.decodeStored), long)
            }
            self.long = long
            if rows.count < pageSize { done = true }
            guard let last = rows.last else { return nil }
            self.after = (last.item.createdAt.epochSeconds, last.item.id.rawValue)
            return rows
        }
    }
}
