import Foundation
import MinyiCore
import SQLKit

/// The requests filed through Open311: items of the `open311` channel, each filed with the idempotency key
/// `open311:<token>`, so that the token and the item are written in one transaction and a retried post with the same
/// token files nothing twice. Only this channel's items are served, within one bureau.
public struct SQLOpen311Store: Sendable {
    let database: any DatabaseBackend

    public init(database: any DatabaseBackend) { self.database = database }

    /// The idempotency key an Open311 post is filed with.
    public static func key(token: String) -> String { "open311:" + token }

    /// The item filed with `token`, if it is within `bureau`.
    public func item(token: String, in bureau: PoliceUnit) async throws -> Item? {
        try await database.read { db in
            try await db.raw(
                """
                SELECT * FROM items WHERE idempotency_key = \(bind: Self.key(token: token)) AND channel = 'open311' \
                AND place_path LIKE \(bind: bureau.path + "%")
                """
            ).first().map(SQLItemStore.decodeItem)
        }
    }

    /// The request with this number, if it came through Open311 and is within `bureau`.
    public func item(number: String, in bureau: PoliceUnit) async throws -> Item? {
        try await database.read { db in
            try await db.raw(
                "SELECT * FROM items WHERE number = \(bind: number) AND channel = 'open311' AND place_path LIKE \(bind: bureau.path + "%")"
            ).first().map(SQLItemStore.decodeItem)
        }
    }

    /// The token an item was filed with.
    public func token(of number: String) async throws -> String? {
        try await database.read { db in
            try await db.raw("SELECT idempotency_key FROM items WHERE number = \(bind: number) AND channel = 'open311'").first()
                .flatMap { try $0.optionalString("idempotency_key") }.map { String($0.dropFirst(Self.key(token: "").count)) }
        }
    }

    /// The requests a query asks for within `bureau`, newest first, at most `limit`.
    public func requests(_ query: GeoReport.Query, in bureau: PoliceUnit, limit: Int = 1000) async throws -> [Item] {
        try await database.read { db in
            var conditions: [SQLQueryString] = ["channel = 'open311'", "place_path LIKE \(bind: bureau.path + "%")"]
            if !query.ids.isEmpty {
                conditions.append("number IN (\(binds: query.ids))")
            } else {
                conditions.append("created_at >= \(bind: query.start.epochSeconds) AND created_at <= \(bind: query.end.epochSeconds)")
                if !query.serviceCodes.isEmpty { conditions.append("category IN (\(binds: query.serviceCodes))") }
                if !query.statuses.isEmpty {
                    conditions.append("status IN (\(binds: query.statuses.flatMap(\.itemStatuses).map(\.rawValue)))")
                }
            }
            return try await db.raw(
                "SELECT * FROM items WHERE " + conditions.joined(separator: " AND ") + " ORDER BY created_at DESC, number LIMIT \(bind: limit)"
            ).all().map(SQLItemStore.decodeItem)
        }
    }
}
