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

extension SQLItemStore {
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
}
