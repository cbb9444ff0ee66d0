import Foundation
import MinyiCore
import SQLKit
import SQLiteNIO
import Synchronization

/// Where a rollup row counts: the day or the month an item was registered (Beijing time), its place, the unit it is
/// assigned to (empty when none) and its category.
struct TallyKey: Hashable, Comparable, Sendable {
    enum Grain: String, Sendable {
        case day = "d"
        case month = "m"
    }

    var grain: Grain
    /// The start of the day or month, in seconds since 1970.
    var period: Int
    var placePath: String
    var assignedPath: String
    var category: String

    static func < (a: TallyKey, b: TallyKey) -> Bool {
        if a.grain != b.grain { return a.grain == .day }  // "d" before "m"
        if a.period != b.period { return a.period < b.period }
        if a.placePath != b.placePath { return a.placePath < b.placePath }
        if a.assignedPath != b.assignedPath { return a.assignedPath < b.assignedPath }
        return a.category < b.category
    }

    /// The day row and the month row an item counts in.
    static func keys(createdAt: Date, placePath: String, assignedPath: String?, category: String) -> [TallyKey] {
        [
            TallyKey(
                grain: .day, period: Deadlines.dayStart(of: createdAt).epochSeconds, placePath: placePath, assignedPath: assignedPath ?? "",
                category: category),
            TallyKey(
                grain: .month, period: Deadlines.monthStart(of: createdAt).epochSeconds, placePath: placePath, assignedPath: assignedPath ?? "",
                category: category),
        ]
    }
}

/// The rollups (`item_tallies`): per day and per month of registration, place, assigned unit and category, the
/// counters of `ItemTally`. Every write to `items` adds its difference here in the same transaction, so the
/// dashboard, the measures, the bulletin and the monthly analysis read sums of a few hundred rows instead of scanning
/// items. Changes of one transaction are gathered and written once, in key order: concurrent transactions on
/// PostgreSQL then lock rollup rows in the same order and cannot deadlock on them.
final class TallyChanges {
    private(set) var deltas: [TallyKey: ItemTally] = [:]

    init() {}

    /// A new item, as registered.
    func added(_ item: Item, placePath: String, assignedPath: String?) {
        add(
            ItemTally(item),
            at: TallyKey.keys(createdAt: item.createdAt, placePath: placePath, assignedPath: assignedPath, category: item.category.rawValue))
    }

    /// An item that changed from `old` to `new`.
    func changed(from old: StoredItem, to new: Item, assignedPath: String?) {
        add(
            ItemTally(old.item) * -1,
            at: TallyKey.keys(
                createdAt: old.item.createdAt, placePath: old.placePath, assignedPath: old.assignedPath, category: old.item.category.rawValue))
        added(new, placePath: old.placePath, assignedPath: assignedPath)
    }

    func add(_ tally: ItemTally, at keys: [TallyKey]) {
        for key in keys { deltas[key, default: ItemTally()] += tally }
    }

    /// Adds the gathered differences to the rollup rows, in key order, and forgets them.
    func write(on db: any SQLDatabase) async throws {
        let rows = deltas.filter { !$0.value.isZero }.sorted { $0.key < $1.key }
        deltas = [:]
        for start in stride(from: 0, to: rows.count, by: 500) {
            try await ItemTallies.upsert(rows[start..<min(rows.count, start + 500)], on: db)
        }
    }

    /// The same on the SQLite writer's own connection, one prepared upsert per row that binds and adds only the
    /// counters that change (a new item changes three of fourteen). SQLite has one writer, so the rows need no order.
    func write(on connection: SQLiteWriteConnection) throws {
        let rows = deltas
        deltas = [:]
        for (key, tally) in rows where !tally.isZero {
            let values = tally.values
            var changed = 0
            var binds: [SQLiteData] = [
                .text(key.grain.rawValue), .integer(key.period), .text(key.placePath), .text(key.assignedPath), .text(key.category),
            ]
            binds.reserveCapacity(5 + values.count)
            for (index, value) in values.enumerated() where value != 0 {
                changed |= 1 << index
                binds.append(.integer(value))
            }
            try connection.run(ItemTallies.upsert(changing: changed), binds)
        }
    }
}

enum ItemTallies {
    /// The counter columns, in `ItemTally.values` order.
    static let columns: [String] =
        ["received"] + ItemKind.allCases.map { "kind_" + $0.rawValue }
        + [
            "replied", "response_counted", "responded", "closed", "open_count", "callbacks_answered", "satisfied", "overdue",
            "first_callbacks_answered", "first_satisfied",
        ]

    static let keyColumns = "grain, period, place_path, assigned_path, category"

    /// The table as migration 9 (`CreateItemTallies`) made it: the counters before the first-callback ones, which
    /// migration 17 (`CountFirstCallbacks`) adds.
    static var createTable: String {
        """
        CREATE TABLE item_tallies (grain TEXT NOT NULL, period BIGINT NOT NULL, place_path TEXT NOT NULL, assigned_path TEXT NOT NULL, category \
        TEXT NOT NULL, 
        """
            + columns.dropLast(2).map { "\($0) BIGINT NOT NULL" }.joined(separator: ", ") + ", PRIMARY KEY (\(keyColumns)))"
    }

    static func upsert(_ rows: ArraySlice<(key: TallyKey, value: ItemTally)>, on db: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        var query = SQLQueryString("INSERT INTO item_tallies (\(keyColumns), " + columns.joined(separator: ", ") + ") VALUES ")
        for (index, row) in rows.enumerated() {
            let key = row.key
            query =
                query + (index == 0 ? "(" : ", (")
                + "\(bind: key.grain.rawValue), \(bind: key.period), \(bind: key.placePath), \(bind: key.assignedPath), \(bind: key.category)"
            for value in row.value.values { query = query + ", \(bind: value)" }
            query = query + ")"
        }
        query =
            query
            + SQLQueryString(
                " ON CONFLICT (\(keyColumns)) DO UPDATE SET " + adding(columns))
        try await db.raw(query).run()
    }

    /// One row's upsert that adds only the counters in `changed` (bit `i` is `columns[i]`): `?` binds for the key
    /// columns, then for those counters in column order; the other counters of a new row are 0. Built once per set of
    /// counters.
    static func upsert(changing changed: Int) -> SQLiteWriteConnection.Statement {
        upserts.withLock { statements in
            if let statement = statements[changed] { return statement }
            let counters = columns.indices.filter { changed & (1 << $0) != 0 }.map { columns[$0] }
            let statement = SQLiteWriteConnection.Statement(
                "INSERT INTO item_tallies (\(keyColumns), " + columns.joined(separator: ", ") + ") VALUES (?, ?, ?, ?, ?, "
                    + columns.map { counters.contains($0) ? "?" : "0" }.joined(separator: ", ") + ") ON CONFLICT (\(keyColumns)) DO UPDATE SET "
                    + adding(counters))
            statements[changed] = statement
            return statement
        }
    }

    private static let upserts = Mutex<[Int: SQLiteWriteConnection.Statement]>([:])

    /// An upsert's `SET` list that adds each counter's new value to the row's: `x = item_tallies.x + excluded.x, …`.
    static func adding(_ counters: [String]) -> String {
        counters.map { "\($0) = item_tallies.\($0) + excluded.\($0)" }.joined(separator: ", ")
    }

    /// The sum of every counter column, as `SUM(x) AS x` (cast so that both databases give whole numbers).
    static var sums: String { columns.map { "CAST(SUM(\($0)) AS BIGINT) AS \($0)" }.joined(separator: ", ") }

    /// What readers name in `FROM` to read the rollups: on PostgreSQL the rows together with the intake's differences
    /// not yet folded into them (`FoldIntakeTallies`), as one relation named `item_tallies`. Every reader sums rows, so a
    /// difference counts the same before and after it is folded. The differences are found by their transaction, from
    /// the last fold's boundary on (`OutlastLongSnapshots`), so no reader reads the folded ones that a long snapshot
    /// keeps from being cleaned up.
    static func source(_ dialect: DatabaseDialect) -> String {
        switch dialect {
        case .sqlite: "item_tallies"
        case .postgres: postgresSource
        }
    }

    private static let postgresSource: String = {
        let all = keyColumns + ", " + columns.joined(separator: ", ")
        return """
            (SELECT \(all) FROM item_tallies UNION ALL SELECT \(all) FROM item_tally_deltas
            WHERE xid >= (SELECT folded FROM tally_folds)) AS item_tallies
            """
    }()

    /// Moves the intake's differences into the rollup rows (PostgreSQL), one row per key, in key order as
    /// `TallyChanges.write` takes them: the differences of every transaction that has ended since the last fold, found by
    /// their transaction's number. Everything below the oldest transaction still running has ended, so the boundary
    /// moves up to it; the rows and the boundary change in one statement, so readers see each difference once, before
    /// or after. Skips, returning nil, while another connection is folding. Returns the rollup rows changed.
    static func fold(on db: any SQLDatabase) async throws -> Int? {
        guard try await DatabaseDialect.postgres.tryLock(.tallyFold, on: db) else { return nil }
        // The boundary is read before the fold's statement starts, so that statement sees every transaction below it.
        guard let bounds = try await db.raw(
            "SELECT folded::text AS folded, pg_snapshot_xmin(pg_current_snapshot())::text AS ended FROM tally_folds"
        ).first() else { throw StorageError.corrupt("tally_folds") }
        let folded = try bounds.decode(column: "folded", as: String.self)
        let ended = try bounds.decode(column: "ended", as: String.self)
        return try await fold(
            "DELETE FROM item_tally_deltas WHERE xid >= \(bind: folded)::xid8 AND xid < \(bind: ended)::xid8 RETURNING *",
            then: ", boundary AS (UPDATE tally_folds SET folded = \(bind: ended)::xid8)", on: db)
    }

    /// Folds every difference there is, as migration 38 (`FoldIntakeTallies`) left them, before the differences had
    /// their transaction: for undoing that migration.
    static func foldEverything(on db: any SQLDatabase) async throws {
        _ = try await fold("DELETE FROM item_tally_deltas RETURNING *", then: "", on: db)
    }

    /// Adds the differences that `moved` deletes and returns to the rollup rows, in key order, with `then`'s further
    /// statements (each `, name AS (…)`) in the same statement.
    private static func fold(_ moved: SQLQueryString, then: SQLQueryString, on db: any SQLDatabase) async throws -> Int {
        let folding: SQLQueryString = """
            ), folded AS (
                INSERT INTO item_tallies (\(unsafeRaw: keyColumns), \(unsafeRaw: columns.joined(separator: ", ")))
                SELECT \(unsafeRaw: keyColumns), \(unsafeRaw: sums) FROM moved GROUP BY \(unsafeRaw: keyColumns) ORDER BY \(unsafeRaw: keyOrder)
                ON CONFLICT (\(unsafeRaw: keyColumns)) DO UPDATE SET \(unsafeRaw: adding(columns))
                RETURNING 1
            )
            """
        let query = "WITH moved AS (" + moved + folding + then + " SELECT COUNT(*) AS n FROM folded"
        return try await db.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The key columns in `TallyKey`'s order: texts by their bytes.
    private static let keyOrder = keyColumns.split(separator: ", ").map { $0 == "period" ? "\($0)" : "\($0) COLLATE \"C\"" }
        .joined(separator: ", ")

    static func tally(_ row: any SQLRow) throws -> ItemTally {
        guard let tally = ItemTally(values: try columns.map { try row.int($0) }) else { throw StorageError.corrupt("item_tallies") }
        return tally
    }

    /// Items registered in [from, to) as rollup-shaped rows, counted from the items themselves: for the edges of a
    /// period that do not fill whole days, and for rebuilding the rollups.
    static func scan(
        on db: any SQLDatabase, scope: SQLQueryString, from: Date, to: Date, byDay: Bool
    ) async throws -> [(day: Int, placePath: String, assignedPath: String, category: String, items: Int, tally: ItemTally)] {
        let offset = Deadlines.timeZone.secondsFromGMT()
        let day: SQLQueryString = byDay ? "(created_at + \(literal: offset)) / 86400" : "0"
        let rows = try await db.raw(
            "SELECT " + day + """
                 AS day, place_path, COALESCE(assigned_path, '') AS assigned_path, category, kind, status, answered_on_spot,
                    CASE WHEN response_due IS NULL THEN -1 WHEN accepted_at IS NOT NULL AND accepted_at <= response_due THEN 1 ELSE 0 END AS in_time,
                    CASE WHEN first_replied_at IS NULL THEN 0 ELSE 1 END AS replied, callback_result, first_callback_result, breached, COUNT(*) AS n
                FROM items WHERE
                """ + " " + scope
                    + """
                     AND created_at >= \(bind: from.epochSeconds) AND created_at < \(bind: to.epochSeconds) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, \
                    11, 12
                    """
        ).all()
        let stand = Date(timeIntervalSince1970: 0)
        return try rows.map { row in
            guard let status = ItemStatus(rawValue: try row.string("status")), let kind = ItemKind(rawValue: try row.string("kind")) else {
                throw StorageError.corrupt("status or kind")
            }
            let inTime = try row.int("in_time")
            // Only the order of acceptance and response deadline matters, so stand-in dates carry it.
            let facts = ItemFacts(
                status: status, answeredOnSpot: try row.int("answered_on_spot") == 1, responseDue: inTime < 0 ? nil : stand,
                acceptedAt: inTime == 1 ? stand : nil, firstRepliedAt: try row.int("replied") == 1 ? stand : nil,
                callbackResult: try row.optionalString("callback_result").flatMap(CallbackResult.init(rawValue:)),
                firstCallbackResult: try row.optionalString("first_callback_result").flatMap(CallbackResult.init(rawValue:)),
                breached: try row.int("breached") == 1)
            let n = try row.int("n")
            return (
                try row.int("day") * 86400 - offset, try row.string("place_path"), try row.string("assigned_path"), try row.string("category"), n,
                ItemTally(facts, kind: kind) * n
            )
        }
    }

    /// Recounts the rollups from the items, a month at a time, inside the caller's transaction. Returns how many items
    /// were counted.
    @discardableResult
    static func rebuild(on db: any SQLDatabase, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Int {
        try await db.raw("DELETE FROM item_tallies").run()
        if DatabaseDialect(db) == .postgres, try await db.raw("SELECT to_regclass('item_tally_deltas') IS NOT NULL AS present").first()?.decode(
            column: "present", as: Bool.self) == true
        {
            try await db.raw("DELETE FROM item_tally_deltas").run()
        }
        guard let bounds = try await db.raw("SELECT MIN(created_at) AS first, MAX(created_at) AS last, COUNT(*) AS n FROM items").first(),
            let first = try bounds.optionalInt("first"), let last = try bounds.optionalInt("last")
        else { return 0 }
        let total = try bounds.int("n")
        var month = Deadlines.month(containing: Date(epochSeconds: first))
        var counted = 0
        while month.start.epochSeconds <= last {
            let changes = TallyChanges()
            for row in try await scan(on: db, scope: "1 = 1", from: month.start, to: month.end, byDay: true) {
                changes.add(
                    row.tally,
                    at: [
                        TallyKey(grain: .day, period: row.day, placePath: row.placePath, assignedPath: row.assignedPath, category: row.category),
                        TallyKey(
                            grain: .month, period: month.start.epochSeconds, placePath: row.placePath, assignedPath: row.assignedPath,
                            category: row.category),
                    ])
                counted += row.items
            }
            try await changes.write(on: db)
            progress?(min(counted, total), total)
            month = Deadlines.month(containing: month.end)
        }
        return total
    }
}

extension SQLItemStore {
    /// Recounts every rollup from the items, in one transaction: after loading items by other means (a restore, a
    /// bulk load). Changes made through Minyi keep the rollups true by themselves. Returns how many items were counted.
    @discardableResult
    public func rebuildTallies(progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Int {
        try await database.write { db in try await ItemTallies.rebuild(on: db, progress: progress) }
    }

    /// Folds the intake's differences into the rollup rows now (PostgreSQL; SQLite has none), as the intake does by
    /// itself about once a second. Returns the rollup rows changed, or nil when another connection was folding.
    @discardableResult
    public func foldTallies() async throws -> Int? {
        guard database.dialect == .postgres else { return 0 }
        return try await database.write { db in try await ItemTallies.fold(on: db) }
    }

    /// Replaces the counter rows of the tracking numbers by fresh ones (PostgreSQL; `OutlastLongSnapshots`), as the
    /// intake's upkeep does about once a second.
    public func replaceNumberCounters() async throws {
        guard database.dialect == .postgres else { return }
        try await database.write { db in try await Intake.replaceCounters(on: db) }
    }
}
