import SQLKit

/// Indexes by time for the Monday bulletin, which counts one week's events, callback attempts and supervision
/// orders: without them each count would read all of history.
struct IndexEventsByTime: Migration {
    let version = 10

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                "CREATE INDEX item_events_kind_at ON item_events(kind, at)",
                "CREATE INDEX supervision_orders_issued ON supervision_orders(issued_at)",
                "CREATE INDEX business_callback_attempts_at ON business_callback_attempts(at)",
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            ["DROP INDEX item_events_kind_at", "DROP INDEX supervision_orders_issued", "DROP INDEX business_callback_attempts_at"], on: db)
    }
}
