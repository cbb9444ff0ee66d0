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

/// One item as the dashboard counts it.
public struct DashboardRow: Sendable, Hashable {
    public var createdAt: Date
    public var category: MinyiCore.Category.Code
    /// Whether the item is assigned to the unit's subtree (the measures count only those).
    public var assigned: Bool
    public var facts: ItemFacts
}

extension SQLItemStore {
    /// Every item registered in [from, to) placed in or assigned to the unit's subtree, in one read: the dashboard
    /// buckets them by month itself instead of asking once per month.
    public func dashboardRows(under unit: PoliceUnit, from: Date, to: Date) async throws -> [DashboardRow] {
        let scope = unit.path + "%"
        return try await database.read { db in
            try await db.raw(
                """
                SELECT created_at, category, assigned_path, status, answered_on_spot, response_due, accepted_at, first_replied_at,
                    callback_result, breached FROM items
                WHERE (place_path LIKE \(bind: scope) OR assigned_path LIKE \(bind: scope))
                    AND created_at >= \(bind: from.epochSeconds) AND created_at < \(bind: to.epochSeconds)
                """
            ).all().map { row in
                guard let status = ItemStatus(rawValue: try row.string("status")) else { throw StorageError.corrupt("status") }
                return DashboardRow(
                    createdAt: try row.date("created_at"), category: .init(try row.string("category")),
                    assigned: try row.optionalString("assigned_path")?.hasPrefix(unit.path) ?? false,
                    facts: ItemFacts(
                        status: status, answeredOnSpot: try row.int("answered_on_spot") == 1, responseDue: try row.optionalDate("response_due"),
                        acceptedAt: try row.optionalDate("accepted_at"), firstRepliedAt: try row.optionalDate("first_replied_at"),
                        callbackResult: try row.optionalString("callback_result").flatMap(CallbackResult.init(rawValue:)),
                        breached: try row.int("breached") == 1))
            }
        }
    }

    /// Items registered in [from, to) placed in or assigned to the unit's subtree, by category, most first.
    public func categoryCounts(under unit: PoliceUnit, from: Date, to: Date) async throws -> [CategoryCount] {
        try await database.read { db in
            try await Self.categoryCounts(on: db, under: unit, from: from, to: to)
        }
    }

    /// The same counts for several consecutive periods, in one read.
    public func categoryCounts(under unit: PoliceUnit, periods: [(start: Date, end: Date)]) async throws -> [[CategoryCount]] {
        try await database.read { db in
            var result: [[CategoryCount]] = []
            for period in periods { result.append(try await Self.categoryCounts(on: db, under: unit, from: period.start, to: period.end)) }
            return result
        }
    }

    static func categoryCounts(on db: any SQLDatabase, under unit: PoliceUnit, from: Date, to: Date) async throws -> [CategoryCount] {
        let scope = unit.path + "%"
        return try await db.raw(
            """
            SELECT category, COUNT(*) AS n FROM items
            WHERE (place_path LIKE \(bind: scope) OR assigned_path LIKE \(bind: scope))
                AND created_at >= \(bind: from.epochSeconds) AND created_at < \(bind: to.epochSeconds)
                AND status NOT IN ('merged', 'rejected')
            GROUP BY category ORDER BY n DESC, category
            """
        ).all().map { CategoryCount(category: .init(try $0.string("category")), count: try $0.int("n")) }
    }

    /// The measure facts of several consecutive periods, in one read.
    public func facts(under unit: PoliceUnit, periods: [(start: Date, end: Date)]) async throws -> [[ItemFacts]] {
        var result: [[ItemFacts]] = []
        for period in periods { result.append(try await facts(under: unit, from: period.start, to: period.end)) }
        return result
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
