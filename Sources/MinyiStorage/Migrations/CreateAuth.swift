import SQLKit

/// Staff sessions, integration keys and failed logins.
struct CreateAuth: Migration {
    let version = 4

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                """
                CREATE TABLE sessions (
                    token_hash TEXT PRIMARY KEY, officer_id TEXT NOT NULL REFERENCES officers(id),
                    created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)
                """,
                "CREATE INDEX sessions_expiry ON sessions(expires_at)",
                """
                CREATE TABLE api_keys (
                    key_hash TEXT PRIMARY KEY, name TEXT NOT NULL, officer_id TEXT NOT NULL REFERENCES officers(id), created_at BIGINT NOT NULL)
                """,
                "CREATE TABLE login_failures (username TEXT NOT NULL, at BIGINT NOT NULL)",
                "CREATE INDEX login_failures_user ON login_failures(username, at)",
                "CREATE TABLE lookup_failures (number TEXT NOT NULL, at BIGINT NOT NULL)",
                "CREATE INDEX lookup_failures_number ON lookup_failures(number, at)",
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE lookup_failures", "DROP TABLE login_failures", "DROP TABLE api_keys", "DROP TABLE sessions"], on: db)
    }
}
