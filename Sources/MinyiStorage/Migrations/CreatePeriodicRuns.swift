import MinyiCore
import SQLKit

/// The periodic services' claims: which period of each service has been taken, by which instance, when it ran and for
/// how long. However many instances run, each period's work is done by the one that claims it.
struct CreatePeriodicRuns: Migration {
    let version = 30

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                """
                CREATE TABLE periodic_runs (
                    service TEXT PRIMARY KEY, period BIGINT NOT NULL, instance TEXT NOT NULL, started_at BIGINT NOT NULL,
                    finished_at BIGINT, duration_ms BIGINT, failed BIGINT NOT NULL DEFAULT 0, runs BIGINT NOT NULL DEFAULT 0)
                """
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE periodic_runs"], on: db)
    }
}
