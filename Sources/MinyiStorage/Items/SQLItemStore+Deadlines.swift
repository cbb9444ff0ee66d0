import Crypto
import Foundation
import MinyiCore
import SQLKit

/// Missed deadlines and callbacks, found by a scan that several instances may run at once.
extension SQLItemStore {
    /// Finds items past a deadline, records the breach once, and issues a supervision order. Safe to run on several
    /// instances at once: rows are claimed in the database, and each breach (item, deadline, round) is recorded once.
    @discardableResult
    public func scanDeadlines(at now: Date, batch: Int = 200) async throws -> Int {
        // Each deadline through its own index, then by ID: `ORDER BY id` over the two conditions joined with OR made
        // SQLite walk the whole table in ID order inside the write, holding up every submission while it did.
        let t = now.epochSeconds
        let overdue: SQLQueryString =
            "SELECT * FROM items WHERE id IN (SELECT id FROM items WHERE status IN (\(binds: ItemStatus.awaitingAcceptance.map(\.rawValue)))"
            + " AND response_due < \(bind: t) UNION ALL SELECT id FROM items WHERE status IN"
            + " (\(binds: ItemStatus.awaitingReply.map(\.rawValue))) AND handling_due < \(bind: t))"
        let units = try await scan(overdue, batch: batch, at: now, breach: { $0.overdue(at: now) })
        return units + (try await scanCallbacks(at: now, batch: batch))
    }

    /// Items past a deadline of theirs at `now` (the SQL of `Item.overdue(at:)`, with its status sets).
    static func pastDeadline(at now: Date) -> SQLQueryString {
        let t = now.epochSeconds
        return "((status IN (\(binds: ItemStatus.awaitingAcceptance.map(\.rawValue))) AND response_due < \(bind: t))"
            + " OR (status IN (\(binds: ItemStatus.awaitingReply.map(\.rawValue))) AND handling_due < \(bind: t)))"
    }

    /// How long a callback may stay undone after it falls due before the callback centre gets an order, and again
    /// before the order is escalated (to the centre's lead, then the leaders).
    public static let callbackGrace: TimeInterval = 86400

    /// Callbacks left undone a day past due: an order to the callback centre, escalated each further day (three at
    /// most). Each step is a breach claimed once, so several instances can scan at once.
    func scanCallbacks(at now: Date, batch: Int) async throws -> Int {
        let grace = Int(Self.callbackGrace)
        let breaches: SQLQueryString = "(SELECT COUNT(*) FROM deadline_breaches b WHERE b.item_id = items.id AND b.kind = 'callback')"
        // Due, plus a day for each step already taken, has passed.
        let stepDue: SQLQueryString = "callback_due + \(bind: grace) * (1 + " + breaches + ")"
        return try await scan(
            "SELECT * FROM items WHERE status = 'replied' AND callback_due < \(bind: now.epochSeconds - grace) AND " + stepDue
                + " < \(bind: now.epochSeconds) AND " + breaches + " < 3",
            batch: batch, at: now, breach: { _ in .callback })
    }

    /// Claims the items `query` selects a batch at a time (skipping rows another instance holds) and records each
    /// one's breach, if `breach` finds one; returns how many breaches were recorded.
    private func scan(_ query: SQLQueryString, batch: Int, at now: Date, breach: @escaping @Sendable (Item) -> DeadlineKind?) async throws -> Int {
        let dialect = database.dialect
        let newID = self.newID
        var total = 0
        while true {
            // Each batch is its own transaction, so a server shutting down stops here, between two, not after a
            // backlog of thousands.
            try Task.checkCancellation()
            let count = try await database.write { db -> Int in
                let rows = try await db.raw(query + " ORDER BY id LIMIT \(literal: batch)" + dialect.claimRows).all()
                var acted = 0
                let tallies = TallyChanges()
                for row in rows {
                    let stored = try Self.decodeStored(row)
                    guard let kind = breach(stored.item) else { continue }
                    do {
                        _ = try await Self.apply(.overdue(kind), to: stored, by: nil, at: now, on: db, newID: newID, tallies: tallies)
                        acted += 1
                    } catch StorageError.conflict {
                        continue
                    }
                }
                try await tallies.write(on: db)
                return acted
            }
            total += count
            if count < batch { return total }
        }
    }

    /// The unit whose officers make the callbacks (民意访评中心): the one nearest the top of the tree with an active
    /// callback agent.
    static func callbackCentre(on db: any SQLDatabase) async throws -> PoliceUnit.ID? {
        try await db.raw(
            """
            SELECT o.unit_id FROM officers o JOIN units u ON u.id = o.unit_id
            WHERE o.active = 1 AND o.roles LIKE '%callback_agent%' ORDER BY LENGTH(u.path), u.id LIMIT 1
            """
        ).first().map { .init(try $0.string("unit_id")) }
    }
}
