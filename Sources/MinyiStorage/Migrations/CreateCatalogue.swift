import SQLKit

/// Categories with their deadlines, and the dispatch catalogue.
struct CreateCatalogue: Migration {
    let version = 2

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                """
                CREATE TABLE categories (
                    code TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL, grp TEXT NOT NULL,
                    response_hours BIGINT NOT NULL, handling_days BIGINT NOT NULL, position BIGINT NOT NULL DEFAULT 0)
                """,
                """
                CREATE TABLE dispatch_rules (
                    category TEXT NOT NULL REFERENCES categories(code), place_id TEXT REFERENCES units(id),
                    target_id TEXT NOT NULL REFERENCES units(id))
                """,
                "CREATE INDEX dispatch_rules_category ON dispatch_rules(category)",
                "CREATE TABLE counters (scope TEXT PRIMARY KEY, value BIGINT NOT NULL)",
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE counters", "DROP TABLE dispatch_rules", "DROP TABLE categories"], on: db)
    }
}
