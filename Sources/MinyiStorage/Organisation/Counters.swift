import SQLKit

/// The `counters` table: named counters that hand out numbers in blocks (echo cards per bureau; on SQLite also the
/// tracking numbers, which PostgreSQL keeps in `number_serials`).
enum Counters {
    /// Adds `n` to the counter `scope` (made at 0 if missing) inside the caller's transaction; returns its new value, the
    /// last of the `n` numbers taken.
    static func add(_ n: Int, to scope: String, on db: any SQLDatabase) async throws -> Int {
        guard
            let row = try await db.raw(
                """
                INSERT INTO counters (scope, value) VALUES (\(bind: scope), \(bind: n))
                ON CONFLICT (scope) DO UPDATE SET value = counters.value + \(bind: n) RETURNING value
                """
            ).first()
        else { throw StorageError.corrupt("counter \(scope)") }
        return try row.int("value")
    }
}
