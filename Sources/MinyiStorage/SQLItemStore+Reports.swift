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

/// Items as the dashboard counts them: how many items of one month and category share the same measure facts.
public struct DashboardRow: Sendable, Hashable {
    /// Which of the periods asked for.
    public var period: Int
    public var category: MinyiCore.Category.Code
    /// Whether the items are assigned to the unit's subtree (the measures count only those).
    public var assigned: Bool
    /// The facts the measures need (dates stand in only for "accepted in time" and "replied").
    public var facts: ItemFacts
    public var count: Int
}

extension SQLItemStore {
    /// The items registered in consecutive periods, placed in or assigned to the unit's subtree, grouped in the
    /// database by period, category and measure facts: the dashboard reads a few hundred groups, not every item.
    public func dashboardRows(under unit: PoliceUnit, periods: [(start: Date, end: Date)]) async throws -> [DashboardRow] {
        guard let first = periods.first, let last = periods.last else { return [] }
        let scope = unit.path + "%"
        var bucket: SQLQueryString = "CASE"
        for (index, period) in periods.enumerated() { bucket = bucket + " WHEN created_at < \(bind: period.end.epochSeconds) THEN \(literal: index)" }
        bucket = bucket + " ELSE -1 END"
        let query: SQLQueryString =
            "SELECT " + bucket + """
             AS period, category,
                CASE WHEN assigned_path LIKE \(bind: scope) THEN 1 ELSE 0 END AS assigned, status, answered_on_spot,
                CASE WHEN response_due IS NULL THEN -1 WHEN accepted_at IS NOT NULL AND accepted_at <= response_due THEN 1 ELSE 0 END AS in_time,
                CASE WHEN first_replied_at IS NULL THEN 0 ELSE 1 END AS replied, callback_result, breached, COUNT(*) AS n
            FROM items
            WHERE (place_path LIKE \(bind: scope) OR assigned_path LIKE \(bind: scope))
                AND created_at >= \(bind: first.start.epochSeconds) AND created_at < \(bind: last.end.epochSeconds)
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
            """
        let stand = Date(timeIntervalSince1970: 0)
        return try await database.read { db in
            try await db.raw(query).all().compactMap { row in
                guard let status = ItemStatus(rawValue: try row.string("status")) else { throw StorageError.corrupt("status") }
                let period = try row.int("period")
                guard period >= 0 else { return nil }
                let inTime = try row.int("in_time")
                return DashboardRow(
                    period: period, category: .init(try row.string("category")), assigned: try row.int("assigned") == 1,
                    facts: ItemFacts(
                        status: status, answeredOnSpot: try row.int("answered_on_spot") == 1, responseDue: inTime < 0 ? nil : stand,
                        acceptedAt: inTime == 1 ? stand : nil, firstRepliedAt: try row.int("replied") == 1 ? stand : nil,
                        callbackResult: try row.optionalString("callback_result").flatMap(CallbackResult.init(rawValue:)),
                        breached: try row.int("breached") == 1),
                    count: try row.int("n"))
            }
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
    /// merged and rejected items are left out.
    public func monthCounts(under unit: PoliceUnit, from: Date, to: Date) async throws
        -> (categories: [String: Int], kinds: [String: Int], places: [PoliceUnit.ID: Int])
    {
        let scope = unit.path + "%"
        return try await database.read { db in
            var categories: [String: Int] = [:], kinds: [String: Int] = [:], places: [PoliceUnit.ID: Int] = [:]
            for row in try await db.raw(
                """
                SELECT category, kind, place_id, COUNT(*) AS n FROM items
                WHERE (place_path LIKE \(bind: scope) OR assigned_path LIKE \(bind: scope))
                    AND created_at >= \(bind: from.epochSeconds) AND created_at < \(bind: to.epochSeconds) AND status NOT IN ('merged', 'rejected')
                GROUP BY category, kind, place_id
                """
            ).all() {
                let n = try row.int("n")
                categories[try row.string("category"), default: 0] += n
                kinds[try row.string("kind"), default: 0] += n
                places[.init(try row.string("place_id")), default: 0] += n
            }
            return (categories, kinds, places)
        }
    }

    /// Items of the period that may belong to a cluster (not merged or rejected), with their status.
    public func clusterCandidates(under unit: PoliceUnit, from: Date, to: Date) async throws -> [(candidate: ClusterFinder.Candidate, status: ItemStatus)] {
        let scope = unit.path + "%"
        return try await database.read { db in
            try await db.raw(
                """
                SELECT number, text, place_id, created_at, status FROM items
                WHERE (place_path LIKE \(bind: scope) OR assigned_path LIKE \(bind: scope))
                    AND created_at >= \(bind: from.epochSeconds) AND created_at < \(bind: to.epochSeconds) AND status NOT IN ('merged', 'rejected')
                ORDER BY created_at LIMIT 5000
                """
            ).all().compactMap { row in
                guard let status = ItemStatus(rawValue: try row.string("status")) else { return nil }
                return (
                    ClusterFinder.Candidate(
                        number: try row.string("number"), text: try row.string("text"), place: .init(try row.string("place_id")), at: try row.date("created_at")),
                    status
                )
            }
        }
    }
}
