import SQLKit

/// Weekly bulletins, kept as issued, and the supervision orders they send to units below the threshold.
struct CreateBulletins: Migration {
    let version = 8

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                """
                CREATE TABLE bulletins (
                    week_start BIGINT PRIMARY KEY, week_end BIGINT NOT NULL, issued_at BIGINT NOT NULL, issued_by TEXT, threshold DOUBLE PRECISION \
                NOT NULL,
                    content TEXT NOT NULL)
                """,
                """
                CREATE TABLE unit_supervision_orders (
                    id TEXT PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES units(id), week_start BIGINT NOT NULL REFERENCES bulletins(week_start),
                    reason TEXT NOT NULL, issued_at BIGINT NOT NULL, due BIGINT NOT NULL, resolved_at BIGINT, UNIQUE (unit_id, week_start))
                """,
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE unit_supervision_orders", "DROP TABLE bulletins"], on: db)
    }
}
