import Crypto
import Foundation
import MinyiCore
import SQLKit

/// Reading: an item, its history, the work queues and their counts, measure facts, supervision orders.
extension SQLItemStore {
    /// The item with a tracking number.
    public func item(number: String) async throws -> StoredItem? {
        try await database.read { db in
            try await db.raw("SELECT * FROM items WHERE number = \(bind: number)").first().map(Self.decodeStored)
        }
    }

    /// The item registered from an echo card.
    public func item(echoCard serial: String) async throws -> StoredItem? {
        try await database.read { db in
            try await db.raw("SELECT * FROM items WHERE echo_card = \(bind: serial)").first().map(Self.decodeStored)
        }
    }

    /// The item's history, oldest first.
    public func events(of id: Item.ID) async throws -> [ItemEvent] {
        try await database.read { db in
            try await db.raw("SELECT * FROM item_events WHERE item_id = \(bind: id.rawValue) ORDER BY seq").all().map(Self.decodeEvent)
        }
    }

    /// One page of a queue and how many items match in all.
    public struct QueuePage: Sendable {
        public var items: [StoredItem]
        /// How many items match, counted no further than the queue was asked to count.
        public var total: Int
        /// False when more items match than were counted: `total` is then a lower bound ("10000+").
        public var totalIsExact: Bool

        public init(items: [StoredItem], total: Int, totalIsExact: Bool) {
            self.items = items
            self.total = total
            self.totalIsExact = totalIsExact
        }
    }

    /// How far a queue's total is counted unless the caller asks for less. Counting every match would make each page
    /// cost as much as the bureau's whole history; beyond this the total shows as "10000+".
    public static let exactCountLimit = 10_000

    /// The items within the actor's jurisdiction that match the filter: emergencies first, then newest first.
    ///
    /// A filter that matches few items (up to `countLimit`) is read through the indexes on place and assigned
    /// unit and sorted. One that matches more is read newest first along the time indexes, stopping after the page,
    /// instead of sorting every match: the jurisdiction is then checked row by row, which is cheap because most rows
    /// match. `countingUpTo` sets how far the total is counted, and so how many matches may be sorted.
    public func queue(
        _ filter: QueueFilter, for actor: Actor, at now: Date, countingUpTo countLimit: Int = SQLItemStore.exactCountLimit
    ) async throws -> QueuePage {
        let emergencies = Self.emergencies(database.dialect)
        let items = Self.items(filter, database.dialect)
        let dialect = database.dialect
        return try await database.read { db in
            let (whereClause, scanned) = try await Self.whereClauses(filter, for: actor, at: now, on: db)
            let limit = max(1, min(filter.limit, 100_000))
            let offset = max(0, filter.offset)
            let found = try await Self.deadlineMatches(filter, for: actor, at: now, upTo: countLimit + 1, on: db)
            var matched = found?.count ?? 0
            if found == nil {
                matched = try await Self.count(filter, for: actor, at: now, upTo: countLimit + 1, on: db, dialect: database.dialect)
            }
            let total = min(matched, countLimit)
            if filter.byDeadline, matched > countLimit,
                let ids = try await Self.deadlineOrderedIDs(filter, for: actor, at: now, first: offset + limit, on: db, dialect: dialect)
            {
                let page = Array(ids.dropFirst(offset))
                var byID: [String: any SQLRow] = [:]
                for start in stride(from: 0, to: page.count, by: 1000) {  // within every database's limit of bound values
                    let chunk = Array(page[start..<min(start + 1000, page.count)])
                    for row in try await db.raw("SELECT * FROM items WHERE id IN (\(binds: chunk))").all() { byID[try row.string("id")] = row }
                }
                return QueuePage(items: try page.compactMap { byID[$0] }.map(Self.decodeStored), total: total, totalIsExact: false)
            }
            if matched <= countLimit || filter.byDeadline {
                // Few matches, or by deadline where the filter leaves any status possible: every match sorted.
                let order: SQLQueryString =
                    " ORDER BY emergency DESC, " + (filter.byDeadline ? Self.deadlineOrder : "created_at DESC, id DESC")
                // Late now or due soon, and few: the items the deadline searches found, by ID (through the table's
                // key, never the emergencies' index, which cannot find an item by ID).
                let chosen: SQLQueryString =
                    if let found, matched <= countLimit {
                        "items" + (found.isEmpty ? " WHERE 0 = 1" : " WHERE id IN (\(binds: found))")
                    } else {
                        items + whereClause
                    }
                let rows = try await db.raw("SELECT * FROM " + chosen + order + " LIMIT \(literal: limit) OFFSET \(literal: offset)").all()
                return QueuePage(items: try rows.map(Self.decodeStored), total: total, totalIsExact: matched <= countLimit)
            }
            // Many matches: emergencies (few) then the rest, each newest first.
            let emergencyCount = try await Self.count(
                "SELECT 1 FROM " + emergencies + scanned + " AND emergency = 1", upTo: offset + limit, on: db)
            var rows: [any SQLRow] = []
            if offset < emergencyCount {
                rows += try await db.raw(
                    "SELECT * FROM " + emergencies + scanned
                        + " AND emergency = 1 ORDER BY created_at DESC, id DESC LIMIT \(literal: limit) OFFSET \(literal: offset)"
                ).all()
            }
            if rows.count < limit && !filter.emergencyOnly {
                // Due soon, with no status asked for: along the time index, where items due soon are among the recent
                // ones, not along the deadlines' indexes, which SQLite took to read every item due soon and sort them
                // (0.5 s at 2 million items). Late items may be old, and there are fewer of them: those stay as chosen.
                let dueSoonOnly = filter.status == nil && filter.statuses.isEmpty && filter.dueWithin != nil && !filter.overdueOnly
                rows += try await db.raw(
                    "SELECT * FROM items" + (dueSoonOnly ? dialect.indexed(by: "items_created") : "") + scanned
                        + " AND emergency = 0 ORDER BY created_at DESC, id DESC"
                        + " LIMIT \(literal: limit - rows.count) OFFSET \(literal: max(0, offset - emergencyCount))"
                ).all()
            }
            return QueuePage(items: try rows.map(Self.decodeStored), total: total, totalIsExact: false)
        }
    }

    /// The items table as a queue with the filter reads it: emergencies through their own small index
    /// (`items_emergency`).
    static func items(_ filter: QueueFilter, _ dialect: DatabaseDialect) -> SQLQueryString {
        filter.emergencyOnly ? emergencies(dialect) : "items"
    }

    static func emergencies(_ dialect: DatabaseDialect) -> SQLQueryString { "items" + dialect.indexed(by: "items_emergency") }

    /// How many rows `select` gives, counting no further than `limit`.
    static func count(_ select: SQLQueryString, upTo limit: Int, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM (" + select + " LIMIT \(literal: max(1, limit))) AS matched").first().map { try $0.int("n") } ?? 0
    }

    /// How many items match the filter, counting no further than `limit`: for figures shown as "1000+", whose cost
    /// must not grow with the bureau's history.
    public func count(_ filter: QueueFilter, for actor: Actor, at now: Date, upTo limit: Int) async throws -> Int {
        let dialect = database.dialect
        return try await database.read { db in try await Self.count(filter, for: actor, at: now, upTo: limit, on: db, dialect: dialect) }
    }

    /// How many items match the filter, counting no further than `limit`. Late now and due soon are counted as the
    /// union of one search per status and deadline, each read along its deadline's index in deadline order with the
    /// jurisdiction checked row by row. Those searches find few rows (open items late or due soon, not the history),
    /// but a planner that takes status and deadline for independent expects many, and PostgreSQL then read the
    /// jurisdiction's every item instead: 495 ms at 2 M items for "late now" in a station, under 1 ms this way.
    static func count(
        _ filter: QueueFilter, for actor: Actor, at now: Date, upTo limit: Int, on db: any SQLDatabase, dialect: DatabaseDialect
    ) async throws -> Int {
        if let found = try await deadlineMatches(filter, for: actor, at: now, upTo: limit, on: db) { return found.count }
        return try await count(
            "SELECT 1 FROM " + items(filter, dialect) + whereClauses(filter, for: actor, at: now, on: db).indexed, upTo: limit, on: db)
    }

    /// The IDs of up to `limit` items late now or due soon that match the filter, found by `deadlineSearches`; nil for
    /// a filter on neither.
    static func deadlineMatches(
        _ filter: QueueFilter, for actor: Actor, at now: Date, upTo limit: Int, on db: any SQLDatabase
    ) async throws -> [String]? {
        let searches = deadlineSearches(filter, at: now)
        guard !searches.isEmpty else { return nil }
        var rest = filter
        rest.overdueOnly = false
        rest.dueWithin = nil
        let scope = try await whereClauses(rest, for: actor, at: now, on: db).scanned
        let most = max(1, limit)
        var union: SQLQueryString = ""
        for (index, search) in searches.enumerated() {
            union =
                union + (index == 0 ? "" : " UNION ALL ") + "SELECT id FROM (SELECT id FROM items" + scope + " AND " + search.condition
                + " ORDER BY \(unsafeRaw: search.order) LIMIT \(literal: most)) AS search\(unsafeRaw: String(index))"
        }
        return try await db.raw("SELECT id FROM (" + union + ") AS found LIMIT \(literal: most)").all().map { try $0.string("id") }
    }

    /// The searches whose union is the filter's deadline condition (late now, or due soon and not late), each a
    /// status and a range of one deadline; none for a filter without one, or with both (counted as written). Each
    /// leaves out what an earlier one finds (on record as late; the same status in an earlier deadline's range), so no
    /// item is found twice and the searches can be read one after the other, stopping once enough are found.
    static func deadlineSearches(_ filter: QueueFilter, at now: Date) -> [(condition: SQLQueryString, order: String)] {
        typealias Search = (status: ItemStatus, column: String, range: SQLQueryString)
        func chain(_ searches: [Search], after base: SQLQueryString) -> [(condition: SQLQueryString, order: String)] {
            searches.enumerated().map { index, search in
                var condition = base + "status = \(bind: search.status.rawValue) AND " + search.range
                for earlier in searches[..<index] where earlier.status == search.status {
                    condition = condition + " AND NOT COALESCE(" + earlier.range + ", FALSE)"
                }
                return (condition, search.column)
            }
        }
        let t = now.epochSeconds
        switch (filter.overdueOnly, filter.dueWithin) {
        case (true, nil):
            func past(_ status: ItemStatus, _ column: String) -> Search { (status, column, "(\(unsafeRaw: column) < \(bind: t))") }
            return [("late_since IS NOT NULL", "late_since")]
                + chain(
                    ItemStatus.awaitingAcceptance.map { past($0, "response_due") } + ItemStatus.awaitingReply.map { past($0, "handling_due") },
                    after: "late_since IS NULL AND ")
        case (false, let window?):
            let end = now.addingTimeInterval(window).epochSeconds
            func due(_ status: ItemStatus, _ column: String) -> Search {
                (status, column, "(\(unsafeRaw: column) > \(bind: t) AND \(unsafeRaw: column) <= \(bind: end))")
            }
            return chain(
                ItemStatus.awaitingAcceptance.map { due($0, "response_due") } + ItemStatus.awaitingReply.map { due($0, "handling_due") }
                    + [due(.replied, "callback_due")],
                after: "late_since IS NULL AND NOT " + pastDeadline(at: now) + " AND ")
        default:
            return []
        }
    }

    /// The `WHERE` clause of a queue: the actor's jurisdiction (or own unit) and the filter. `scanned` is the same with
    /// the paths written so that no index on them can serve it (`path || ''`), which leaves the database to read along
    /// an index that gives the order asked for.
    static func whereClauses(
        _ filter: QueueFilter, for actor: Actor, at now: Date, on db: any SQLDatabase
    ) async throws -> (indexed: SQLQueryString, scanned: SQLQueryString) {
        var unitPath: String?
        if let unit = filter.unit {
            guard let unit = try await SQLOrganisationStore.unit(on: db, id: unit) else {
                throw ValidationError.invalid(field: "unit", message: "未知的单位 \(unit) (unknown unit)")
            }
            unitPath = unit.path
        }
        func clause(place: SQLQueryString, assigned: SQLQueryString) -> SQLQueryString {
            var conditions: [SQLQueryString] = []
            let scope = actor.jurisdiction.path + "%"
            let own = actor.unit.path + "%"
            conditions.append("(" + place + " LIKE \(bind: scope) OR " + assigned + " LIKE \(bind: scope) OR " + assigned + " LIKE \(bind: own))")
            if let status = filter.status { conditions.append("status = \(bind: status.rawValue)") }
            if !filter.statuses.isEmpty { conditions.append("status IN (\(binds: filter.statuses.map(\.rawValue)))") }
            if let category = filter.category { conditions.append("category = \(bind: category.rawValue)") }
            if let channel = filter.channel { conditions.append("channel = \(bind: channel.rawValue)") }
            if let from = filter.from { conditions.append("created_at >= \(bind: from.epochSeconds)") }
            if let to = filter.to { conditions.append("created_at < \(bind: to.epochSeconds)") }
            if let unitPath { conditions.append(assigned + " LIKE \(bind: unitPath + "%")") }
            if filter.emergencyOnly { conditions.append("emergency = 1") }
            if filter.callbackDue { conditions.append("status = 'replied' AND callback_due <= \(bind: now.epochSeconds)") }
            if filter.overdueOnly {
                // Late now: a deadline missed and not caught up with (the breach moved the deadlines on), or one just
                // past that the deadline scan has not recorded yet.
                conditions.append("(late_since IS NOT NULL OR " + SQLItemStore.pastDeadline(at: now) + ")")
            }
            if let window = filter.dueWithin {
                let t = now.epochSeconds
                let end = now.addingTimeInterval(window).epochSeconds
                conditions.append(
                    """
                    (late_since IS NULL AND NOT \(SQLItemStore.pastDeadline(at: now)) AND (
                        (status IN (\(binds: ItemStatus.awaitingAcceptance.map(\.rawValue))) AND response_due > \(bind: t) AND response_due \
                    <= \(bind: end))
                        OR (status IN (\(binds: ItemStatus.awaitingReply.map(\.rawValue))) AND handling_due > \(bind: t) AND handling_due \
                    <= \(bind: end))
                        OR (status = 'replied' AND callback_due > \(bind: t) AND callback_due <= \(bind: end))))
                    """)
            }
            return SQLQueryString(" WHERE ") + conditions.joined(separator: " AND ")
        }
        return (clause(place: "place_path", assigned: "assigned_path"), clause(place: "(place_path || '')", assigned: "(assigned_path || '')"))
    }

    /// The measure facts of items registered in [from, to) and assigned to the unit's subtree, read from the items
    /// themselves: the reference the rollups (`tally(under:from:to:)`) are checked against.
    public func facts(under unit: PoliceUnit, from: Date, to: Date) async throws -> [ItemFacts] {
        try await database.read { db in try await Self.facts(on: db, under: unit, from: from, to: to) }
    }

    /// With `byDeadline`, the items whose first handling deadline (registration plus the category's days) falls in
    /// [from, to) instead of those registered then.
    static func facts(on db: any SQLDatabase, under unit: PoliceUnit, from: Date, to: Date, byDeadline: Bool = false) async throws -> [ItemFacts] {
        let time: SQLQueryString = byDeadline ? "(items.created_at + c.handling_days * 86400)" : "items.created_at"
        let rows = try await db.raw(
            """
            SELECT status, answered_on_spot, response_due, accepted_at, first_replied_at, callback_result, first_callback_result, breached
            FROM items JOIN categories c ON c.code = items.category
            WHERE assigned_path LIKE \(bind: unit.path + "%")
            """ + " AND " + time + " >= \(bind: from.epochSeconds) AND " + time + " < \(bind: to.epochSeconds)"
        ).all()
        return try rows.map { row in
            guard let status = ItemStatus(rawValue: try row.string("status")) else { throw StorageError.corrupt("status") }
            return ItemFacts(
                status: status, answeredOnSpot: try row.int("answered_on_spot") == 1, responseDue: try row.optionalDate("response_due"),
                acceptedAt: try row.optionalDate("accepted_at"), firstRepliedAt: try row.optionalDate("first_replied_at"),
                callbackResult: try row.optionalString("callback_result").flatMap(CallbackResult.init(rawValue:)),
                firstCallbackResult: try row.optionalString("first_callback_result").flatMap(CallbackResult.init(rawValue:)),
                breached: try row.int("breached") == 1)
        }
    }

    /// Supervision orders to units within the actor's jurisdiction, open ones first.
    public func supervisionOrders(for actor: Actor, openOnly: Bool) async throws -> [SupervisionOrder] {
        try await database.read { db in
            let rows = try await db.raw(
                """
                SELECT o.*, i.number FROM supervision_orders o JOIN items i ON i.id = o.item_id JOIN units u ON u.id = o.unit_id
                WHERE u.path LIKE \(bind: actor.jurisdiction.path + "%")\(unsafeRaw: openOnly ? " AND o.resolved_at IS NULL" : "")
                ORDER BY o.resolved_at IS NULL DESC, o.due ASC LIMIT 500
                """
            ).all()
            return try rows.map(Self.decodeOrder)
        }
    }

    /// The supervision orders of one item, oldest first.
    public func supervisionOrders(of item: Item.ID) async throws -> [SupervisionOrder] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT o.*, i.number FROM supervision_orders o JOIN items i ON i.id = o.item_id WHERE o.item_id = \(bind: item.rawValue) ORDER \
                BY o.issued_at
                """
            ).all().map(Self.decodeOrder)
        }
    }
}
