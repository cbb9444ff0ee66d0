import SQLKit

/// Units (the jurisdiction tree and departments) and settings.
struct CreateOrganisation: Migration {
    let version = 1

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                """
                CREATE TABLE units (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, parent_id TEXT REFERENCES units(id),
                    path TEXT NOT NULL UNIQUE, population BIGINT, phone TEXT, address TEXT)
                """,
                "CREATE INDEX units_parent ON units(parent_id)",
                """
                CREATE TABLE officers (
                    id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, name TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES units(id),
                    roles TEXT NOT NULL, password_hash TEXT NOT NULL, active BIGINT NOT NULL DEFAULT 1, created_at BIGINT NOT NULL)
                """,
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE officers", "DROP TABLE units", "DROP TABLE settings"], on: db)
    }
}
