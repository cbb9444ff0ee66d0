import Foundation
import MinyiCore
import SQLKit

/// Work lists in deadline order (a unit's inbox, the command centre's late and due-soon tabs, the callbacks due) that
/// match more items than they count: read in parts along the indexes that hold each part in order, instead of sorting
/// every match. At 10 million items a station had over 100,000 open items, and each list of 200 sorted them all.
extension SQLItemStore {
    /// The deadline of each status's present step: accepting, replying, the callback. Other statuses have none.
    static let stepDeadlineColumns: [(status: ItemStatus, column: String)] = [
        (.dispatched, "response_due"), (.accepted, "handling_due"), (.supervised, "handling_due"), (.replied, "callback_due"),
    ]

    /// The deadline of the step an item waits for, as SQL.
    static let stepDeadline = SQLQueryString(
        "(CASE status " + stepDeadlineColumns.map { "WHEN '\($0.status.rawValue)' THEN \($0.column)" }.joined(separator: " ")
            + " ELSE NULL END)")

    /// A work list's order after emergencies first: items on record as late, longest late first (their deadlines have
    /// moved on with the new round), then the soonest due, then those without a deadline, newest first; the ID settles
    /// ties, so that pages follow one another whichever way they are read.
    static let deadlineOrder: SQLQueryString =
        "late_since IS NULL, late_since, " + stepDeadline + " IS NULL, " + stepDeadline + ", created_at DESC, id DESC"

    /// The statuses the filter's items can have, or nil when it leaves any status possible. Late and due-soon items
    /// are at a step with a deadline (an item on record as late always is: `Lifecycle` clears lateness otherwise).
    static func possibleStatuses(_ filter: QueueFilter) -> Set<ItemStatus>? {
        var possible: Set<ItemStatus>?
        func narrow(_ statuses: Set<ItemStatus>) { possible = possible.map { $0.intersection(statuses) } ?? statuses }
        if let status = filter.status { narrow([status]) }
        if !filter.statuses.isEmpty { narrow(Set(filter.statuses)) }
        if filter.callbackDue { narrow([.replied]) }
        if filter.overdueOnly || filter.dueWithin != nil { narrow(Set(stepDeadlineColumns.map(\.status))) }
        return possible
    }

    /// The IDs of the first `count` items of the filter in deadline order, read part by part, each part along an index
    /// in its own order and stopped once the list has enough: emergencies (few; all of them sorted), then the items on
    /// record as late (`items_late`), then the rest by their step's deadline (one search a status along its deadline's
    /// index, merged), then those without a deadline (along `items_status`, newest first). The jurisdiction and the
    /// rest of the filter are checked row by row. Nil for a filter that leaves any status possible.
    static func deadlineOrderedIDs(
        _ filter: QueueFilter, for actor: Actor, at now: Date, first count: Int, on db: any SQLDatabase, dialect: DatabaseDialect
    ) async throws -> [String]? {
        guard let statuses = possibleStatuses(filter) else { return nil }
        return try await readingInIndexOrder(on: db, dialect) {
            try await deadlineOrderedIDs(filter, statuses: statuses, for: actor, at: now, first: count, on: db, dialect: dialect)
        }
    }

    /// PostgreSQL's planner takes the jurisdiction check (`place_path || '' LIKE …`, written so that no index on the
    /// paths serves it) for far more selective than it is: it expected 9 of a station's 41,000 items under supervision
    /// and read all of them to sort, 388 ms on a 3-million-item database, where reading the deadline's index in order
    /// and stopping after 200 took 5.6 ms. Within these reads sorting is made its last resort (`enable_sort`, for this
    /// transaction only), so that each part is read in its index's order; the few rows merged at the end are still
    /// sorted. SQLite is told which index to read (`INDEXED BY`).
    static func readingInIndexOrder<T: Sendable>(
        on db: any SQLDatabase, _ dialect: DatabaseDialect, _ body: () async throws -> T
    ) async throws -> T {
        guard dialect == .postgres else { return try await body() }
        try await db.raw("BEGIN READ ONLY").run()
        do {
            try await db.raw("SET LOCAL enable_sort = off").run()
            let value = try await body()
            try await db.raw("COMMIT").run()
            return value
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
    }

    private static func deadlineOrderedIDs(
        _ filter: QueueFilter, statuses: Set<ItemStatus>, for actor: Actor, at now: Date, first count: Int, on db: any SQLDatabase,
        dialect: DatabaseDialect
    ) async throws -> [String] {
        let scope = try await whereClauses(filter, for: actor, at: now, on: db).scanned
        var ids: [String] = []
        func take(_ part: (_ limit: Int) -> SQLQueryString) async throws {
            let wanted = count - ids.count
            guard wanted > 0 else { return }
            ids += try await db.raw(part(wanted)).all().map { try $0.string("id") }
        }
        // One search for each condition, each in `order` and limited, and the first `limit` of them all in `order`.
        // (Each search orders by its index's own column, not by `due`, which no index holds.)
        func merged(_ searches: [(index: String, condition: SQLQueryString, order: String)], by order: String, limit: Int) -> SQLQueryString {
            let parts = searches.enumerated().map { number, search in
                "SELECT * FROM (SELECT id, " + stepDeadline + " AS due, created_at FROM items" + dialect.indexed(by: search.index) + scope
                    + " AND emergency = 0 AND late_since IS NULL AND " + search.condition + " ORDER BY \(unsafeRaw: search.order)"
                    + " LIMIT \(literal: limit)) AS part\(unsafeRaw: String(number))"
            }
            return "SELECT id FROM (" + parts.joined(separator: " UNION ALL ") + ") AS parts ORDER BY \(unsafeRaw: order) LIMIT \(literal: limit)"
        }
        try await take { limit in
            "SELECT id FROM " + emergencies(dialect) + scope + " AND emergency = 1 ORDER BY " + deadlineOrder + " LIMIT \(literal: limit)"
        }
        if filter.emergencyOnly { return ids }
        try await take { limit in
            "SELECT id FROM items" + dialect.indexed(by: "items_late") + scope + " AND emergency = 0 AND late_since IS NOT NULL ORDER BY "
                + deadlineOrder + " LIMIT \(literal: limit)"
        }
        let dated = stepDeadlineColumns.filter { statuses.contains($0.status) }
        if !dated.isEmpty {
            try await take { limit in
                merged(
                    dated.map { status, column in
                        (
                            "items_\(column)", "status = \(bind: status.rawValue) AND \(unsafeRaw: column) IS NOT NULL",
                            "\(column), created_at DESC, id DESC"
                        )
                    }, by: "due, created_at DESC, id DESC", limit: limit)
            }
        }
        let undated = statuses.sorted { $0.rawValue < $1.rawValue }
        if !undated.isEmpty {
            try await take { limit in
                merged(
                    undated.map { status in
                        let column = stepDeadlineColumns.first { $0.status == status }?.column
                        let condition: SQLQueryString = "status = \(bind: status.rawValue)"
                        return ("items_status", column.map { condition + " AND \(unsafeRaw: $0) IS NULL" } ?? condition, "created_at DESC, id DESC")
                    }, by: "created_at DESC, id DESC", limit: limit)
            }
        }
        return ids
    }
}
