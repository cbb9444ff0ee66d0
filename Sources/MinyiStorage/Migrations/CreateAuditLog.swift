import SQLKit

/// Who looked at residents' personal data, and other security-relevant acts.
struct CreateAuditLog: Migration {
    let version = 5

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                """
                CREATE TABLE audit_log (
                    id TEXT PRIMARY KEY, at BIGINT NOT NULL, actor_id TEXT, action TEXT NOT NULL, target TEXT, detail TEXT)
                """,
                "CREATE INDEX audit_log_at ON audit_log(at)",
                "CREATE INDEX audit_log_target ON audit_log(target)",
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE audit_log"], on: db)
    }
}
