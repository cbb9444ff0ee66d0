import MinyiCore
import SQLKit

/// The households drawn for a campaign's phone survey, and where each call stands. The answers go to the responses,
/// which refer to no sample; a sample records only the day it was done, so the two cannot be paired by time.
struct CreateSurveySamples: Migration {
    let version = 24

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                """
                CREATE TABLE survey_samples (
                    id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL REFERENCES survey_campaigns(id), household_id TEXT NOT NULL,
                    unit_id TEXT NOT NULL, unit_path TEXT NOT NULL, status TEXT NOT NULL, agent_id TEXT, attempts BIGINT NOT NULL,
                    done_on BIGINT, UNIQUE (campaign_id, household_id))
                """,
                "CREATE INDEX survey_samples_queue ON survey_samples(campaign_id, status, agent_id)",
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE survey_samples"], on: db)
    }
}
