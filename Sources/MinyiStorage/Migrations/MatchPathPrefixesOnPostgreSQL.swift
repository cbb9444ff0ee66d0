import SQLKit

/// Jurisdictions are matched as path prefixes (`place_path LIKE '/KFQ/S01/%'`). SQLite uses the path indexes for that
/// (case-sensitive LIKE); PostgreSQL can only when the index compares bytes, which an ordinary index does not under a
/// locale such as C.UTF-8: it read the whole index instead, and a station's inbox took seconds at 10 million items.
/// On PostgreSQL the two path indexes of items are made again with `text_pattern_ops`; SQLite keeps its own.
struct MatchPathPrefixesOnPostgreSQL: Migration {
    let version = 32

    private static let indexes = [
        ("items_place", "place_path", ""), ("items_assigned", "assigned_path", " WHERE assigned_path IS NOT NULL"),
    ]

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        guard dialect == .postgres else { return }
        try await run(
            Self.indexes.flatMap { name, column, partial in
                ["DROP INDEX \(name)", "CREATE INDEX \(name) ON items(\(column) text_pattern_ops, created_at)\(partial)"]
            }, on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        guard dialect == .postgres else { return }
        try await run(
            Self.indexes.flatMap { name, column, partial in
                ["DROP INDEX \(name)", "CREATE INDEX \(name) ON items(\(column), created_at)\(partial)"]
            }, on: db)
    }
}
