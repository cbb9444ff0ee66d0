import Foundation
import MinyiCore
import SQLKit

extension SQLItemStore {
    /// Open items and those of them late now, per station (the second unit of the place's path): a handful of rows
    /// whatever the number of items, for the metrics.
    public func openByStation() async throws -> [(station: String, open: Int, late: Int)] {
        try await database.read { db in
            let open = ItemStatus.allCases.filter { !$0.isTerminal }.map(\.rawValue)
            let rows = try await db.raw(
                """
                SELECT place_path, COUNT(*) AS n, SUM(CASE WHEN late_since IS NOT NULL THEN 1 ELSE 0 END) AS late
                FROM items WHERE status IN (\(binds: open)) GROUP BY place_path
                """
            ).all()
            var byStation: [String: (open: Int, late: Int)] = [:]
            for row in rows {
                let parts = try row.string("place_path").split(separator: "/")
                let station = parts.count > 1 ? String(parts[1]) : String(parts.first ?? "")
                let current = byStation[station] ?? (0, 0)
                byStation[station] = (current.open + (try row.int("n")), current.late + (try row.int("late")))
            }
            return byStation.sorted { $0.key < $1.key }.map { ($0.key, $0.value.open, $0.value.late) }
        }
    }

    /// Whether the database answers and its schema is the one this build knows.
    public func readiness(knownVersion: Int) async throws -> (reachable: Bool, version: Int) {
        try await database.read { db in
            let version = try await db.raw("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations").first()?.int("v") ?? 0
            return (true, version)
        }
    }
}
