import Foundation
import MinyiCore
import SQLKit

/// How many items of one category.
public struct CategoryCount: Sendable, Hashable {
    public var category: MinyiCore.Category.Code
    public var count: Int

    public init(category: MinyiCore.Category.Code, count: Int) {
        self.category = category
        self.count = count
    }
}

/// A reply whose reason is published: an item that could not be solved, or was not police work.
public struct PublicReason: Sendable, Hashable {
    public var category: MinyiCore.Category.Code
    public var placeID: PoliceUnit.ID
    public var outcome: ReplyOutcome
    public var reason: String
    public var repliedAt: Date
}

/// Rollup counters of items registered in a period that share a place, an assigned unit and a category.
public struct TallyRow: Sendable, Hashable {
    public var placePath: String
    /// Nil while the item is with the command centre.
    public var assignedPath: String?
    public var category: MinyiCore.Category.Code
    public var tally: ItemTally

    /// The community (or other unit) where the items happened: the last unit on the place path.
    public var placeID: PoliceUnit.ID { .init(String(placePath.split(separator: "/").last ?? "")) }
}

/// One month's counters of one category, for the dashboard.
public struct MonthTally: Sendable, Hashable {
    /// Which of the months asked for.
    public var period: Int
    public var category: MinyiCore.Category.Code
    /// Whether the items are assigned to the unit's subtree (the measures count only those).
    public var assigned: Bool
    public var tally: ItemTally
}

extension SQLItemStore {
    /// The counters of months (whole months, as `Deadlines.months` gives them) for items placed in or assigned to the
    /// unit's subtree, by month, category and whether assigned to the subtree: read from the monthly rollups, so the
    /// cost follows the number of units and categories, not of items.
    public func monthTallies(under unit: PoliceUnit, months: [(start: Date, end: Date)]) async throws -> [MonthTally] {
        guard !months.isEmpty else { return [] }
        let scope = unit.path + "%"
        var period: SQLQueryString = "CASE period"
        for (index, month) in months.enumerated() { period = period + " WHEN \(bind: month.start.epochSeconds) THEN \(literal: index)" }
        period = period + " END"
        let query: SQLQueryString =
            "SELECT " + period + " AS month, category, CASE WHEN assigned_path LIKE \(bind: scope) THEN 1 ELSE 0 END AS assigned, "
            + SQLQueryString(ItemTallies.sums)
            + SQLQueryString(" FROM " + ItemTallies.source(database.dialect))
            + " WHERE grain = 'm' AND period IN (\(binds: months.map(\.start.epochSeconds))) "
            + "AND (place_path LIKE \(bind: scope) OR assigned_path LIKE \(bind: scope)) GROUP BY 1, 2, 3"
        return try await database.read { db in
            try await db.raw(query).all().map { row in
                MonthTally(
                    period: try row.int("month"), category: .init(try row.string("category")), assigned: try row.int("assigned") == 1,
                    tally: try ItemTallies.tally(row))
            }
        }
    }

    /// Items not yet closed (nor merged or rejected) placed in or assigned to the unit's subtree, whenever registered:
    /// summed over the monthly rollups of all time, so the cost follows the months of history, not the items.
    public func openCount(under unit: PoliceUnit) async throws -> Int {
        let scope = unit.path + "%"
        let source = ItemTallies.source(database.dialect)
        return try await database.read { db in
            try await db.raw(
                """
                SELECT CAST(COALESCE(SUM(open_count), 0) AS BIGINT) AS n FROM \(unsafeRaw: source)
                WHERE grain = 'm' AND (place_path LIKE \(bind: scope) OR assigned_path LIKE \(bind: scope))
                """
            ).first().map { try $0.int("n") } ?? 0
        }
    }

    /// The counters of items registered in [from, to) and assigned to the unit's subtree: what the measures count.
    public func tally(under unit: PoliceUnit, from: Date, to: Date) async throws -> ItemTally {
        try await database.read { db in try await Self.tally(on: db, under: unit, from: from, to: to) }
    }

    static func tally(on db: any SQLDatabase, under unit: PoliceUnit, from: Date, to: Date) async throws -> ItemTally {
        try await tallyRows(on: db, under: unit, from: from, to: to, assignedOnly: true).reduce(into: ItemTally()) { $0 += $1.tally }
    }

    /// The counters of items registered in [from, to) placed in or assigned to the unit's subtree, by place, assigned
    /// unit and category.
    public func tallies(under unit: PoliceUnit, from: Date, to: Date) async throws -> [TallyRow] {
        try await database.read { db in try await Self.tallyRows(on: db, under: unit, from: from, to: to, assignedOnly: false) }
    }

    /// Reads any period from the rollups: month rows for the whole months in it, day rows for the whole days left,
    /// and the items themselves only for parts of a day at its edges.
    static func tallyRows(on db: any SQLDatabase, under unit: PoliceUnit, from: Date, to: Date, assignedOnly: Bool) async throws -> [TallyRow] {
        let pattern = unit.path + "%"
        let scope: SQLQueryString =
            assignedOnly ? "assigned_path LIKE \(bind: pattern)" : "(place_path LIKE \(bind: pattern) OR assigned_path LIKE \(bind: pattern))"
        var sums: [TallyKey: ItemTally] = [:]
        func add(_ placePath: String, _ assignedPath: String, _ category: String, _ tally: ItemTally) {
            sums[TallyKey(grain: .month, period: 0, placePath: placePath, assignedPath: assignedPath, category: category), default: ItemTally()] +=
                tally
        }
        func scan(_ a: Date, _ b: Date) async throws {
            guard a < b else { return }
            for row in try await ItemTallies.scan(on: db, scope: scope, from: a, to: b, byDay: false) {
                add(row.placePath, row.assignedPath, row.category, row.tally)
            }
        }
        let firstDay = Deadlines.dayStart(of: from) == from ? from : Deadlines.dayStart(of: from).addingTimeInterval(86400)
        let lastDay = Deadlines.dayStart(of: to)
        if firstDay >= lastDay {
            try await scan(from, to)
        } else {
            try await scan(from, firstDay)
            try await scan(lastDay, to)
            let d0 = firstDay.epochSeconds
            let d1 = lastDay.epochSeconds
            let firstMonth = Deadlines.month(containing: firstDay)
            let m0 = firstMonth.start == firstDay ? d0 : firstMonth.end.epochSeconds
            let m1 = Deadlines.month(containing: lastDay).start.epochSeconds
            let periods: SQLQueryString =
                m0 < m1
                ? """
                ((grain = 'm' AND period >= \(bind: m0) AND period < \(bind: m1))
                    OR (grain = 'd' AND ((period >= \(bind: d0) AND period < \(bind: m0)) OR (period >= \(bind: m1) AND period < \(bind: d1)))))
                """
                : "(grain = 'd' AND period >= \(bind: d0) AND period < \(bind: d1))"
            let rows = try await db.raw(
                "SELECT place_path, assigned_path, category, " + SQLQueryString(ItemTallies.sums + " FROM " + ItemTallies.source(DatabaseDialect(db)))
                    + " WHERE " + scope + " AND "
                    + periods + " GROUP BY place_path, assigned_path, category"
            ).all()
            for row in rows {
                add(try row.string("place_path"), try row.string("assigned_path"), try row.string("category"), try ItemTallies.tally(row))
            }
        }
        return sums.compactMap { key, tally in
            tally.isZero
                ? nil
                : TallyRow(
                    placePath: key.placePath, assignedPath: key.assignedPath.isEmpty ? nil : key.assignedPath, category: .init(key.category),
                    tally: tally)
        }
    }

    /// Items registered in [from, to) placed in or assigned to the unit's subtree, by category, most first.
    public func categoryCounts(under unit: PoliceUnit, from: Date, to: Date) async throws -> [CategoryCount] {
        try await monthCounts(under: unit, from: from, to: to).categories
            .map { CategoryCount(category: .init($0.key), count: $0.value) }
            .sorted { ($1.count, $0.category.rawValue) < ($0.count, $1.category.rawValue) }
    }

    /// The latest published reasons of replies in the unit's subtree: what could not be solved, and why.
    public func publicReasons(under unit: PoliceUnit, limit: Int = 20) async throws -> [PublicReason] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT category, place_id, reply_outcome, public_reason, replied_at FROM items
                WHERE (place_path LIKE \(bind: unit.path + "%") OR assigned_path LIKE \(bind: unit.path + "%"))
                    AND reply_outcome IN ('unsolvable', 'referred') AND public_reason IS NOT NULL AND replied_at IS NOT NULL
                ORDER BY replied_at DESC LIMIT \(literal: max(1, min(limit, 200)))
                """
            ).all().compactMap { row in
                guard let outcome = ReplyOutcome(rawValue: try row.string("reply_outcome")) else { return nil }
                return PublicReason(
                    category: .init(try row.string("category")), placeID: .init(try row.string("place_id")), outcome: outcome,
                    reason: try row.string("public_reason"), repliedAt: try row.date("replied_at"))
            }
        }
    }

    /// Past category decisions, oldest first: the text and category of items a person has triaged (dispatched,
    /// answered, or whose category was corrected), for training the category suggester.
    public func categoryDecisions(limit: Int = 20_000) async throws -> [CategorySuggester.Example] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT text, category FROM (
                    SELECT text, category, created_at FROM items
                    WHERE status NOT IN ('registered', 'rejected', 'merged') ORDER BY created_at DESC LIMIT \(literal: max(1, limit))
                ) AS recent ORDER BY created_at
                """
            ).all().map { CategorySuggester.Example(text: try $0.string("text"), category: .init(try $0.string("category"))) }
        }
    }

    /// Items registered in [from, to) in the unit's subtree (placed or assigned), counted by category, kind and place;
    /// merged and rejected items are left out. Read from the rollups.
    public func monthCounts(under unit: PoliceUnit, from: Date, to: Date) async throws
        -> (categories: [String: Int], kinds: [String: Int], places: [PoliceUnit.ID: Int])
    {
        var categories: [String: Int] = [:]
        var kinds: [String: Int] = [:]
        var places: [PoliceUnit.ID: Int] = [:]
        for row in try await tallies(under: unit, from: from, to: to) where row.tally.received > 0 {
            categories[row.category.rawValue, default: 0] += row.tally.received
            for kind in ItemKind.allCases where row.tally.count(of: kind) > 0 { kinds[kind.rawValue, default: 0] += row.tally.count(of: kind) }
            places[row.placeID, default: 0] += row.tally.received
        }
        return (categories, kinds, places)
    }

    /// At most how many items the cluster finder compares: with more in a month, the latest are compared, so the page
    /// costs the same at any volume.
    public static let clusterCandidateLimit = 2000

    /// Items of the period that may belong to a cluster (not merged or rejected), the latest
    /// `clusterCandidateLimit`, with their status.
    public func clusterCandidates(under unit: PoliceUnit, from: Date, to: Date) async throws -> [(
        candidate: ClusterFinder.Candidate, status: ItemStatus
    )] {
        let scope = unit.path + "%"
        return try await database.read { db in
            try await db.raw(
                """
                SELECT number, text, place_id, created_at, status FROM items
                WHERE (place_path LIKE \(bind: scope) OR assigned_path LIKE \(bind: scope))
                    AND created_at >= \(bind: from.epochSeconds) AND created_at < \(bind: to.epochSeconds) AND status NOT IN ('merged', 'rejected')
                ORDER BY created_at DESC LIMIT \(literal: Self.clusterCandidateLimit)
                """
            ).all().compactMap { row in
                guard let status = ItemStatus(rawValue: try row.string("status")) else { return nil }
                return (
                    ClusterFinder.Candidate(
                        number: try row.string("number"), text: try row.string("text"), place: .init(try row.string("place_id")),
                        at: try row.date("created_at")),
                    status
                )
            }
        }
    }
}
