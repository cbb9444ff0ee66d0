import SQLKit

/// The deadline and assignment indexes hold only the items that have a deadline or a unit. A new submission has
/// neither, so registering it no longer writes to four indexes; every query on these columns compares them, which
/// lets both databases still use the smaller indexes.
struct IndexOnlyItemsWithDeadlines: Migration {
    let version = 11

    private static let indexes = [
        ("items_assigned", "assigned_path, created_at", "assigned_path"), ("items_response_due", "status, response_due", "response_due"),
        ("items_handling_due", "status, handling_due", "handling_due"), ("items_callback_due", "status, callback_due", "callback_due"),
    ]

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            Self.indexes.flatMap { name, columns, present in
                ["DROP INDEX \(name)", "CREATE INDEX \(name) ON items(\(columns)) WHERE \(present) IS NOT NULL"]
            }, on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(Self.indexes.flatMap { name, columns, _ in ["DROP INDEX \(name)", "CREATE INDEX \(name) ON items(\(columns))"] }, on: db)
    }
}
