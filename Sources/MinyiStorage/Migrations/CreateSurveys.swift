import MinyiCore
import SQLKit

/// Survey campaigns (民意评警) and their responses, which hold the answers and never who gave them; and tallies per
/// campaign, month, community, officer and indicator, kept in each response's transaction, that scores are read from.
struct CreateSurveys: Migration {
    let version = 21

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                """
                CREATE TABLE survey_campaigns (
                    id TEXT PRIMARY KEY, title TEXT NOT NULL, starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL,
                    unit_id TEXT NOT NULL REFERENCES units(id), target_per_unit BIGINT NOT NULL, created_by TEXT, created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE survey_responses (
                    id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL REFERENCES survey_campaigns(id), unit_id TEXT NOT NULL,
                    unit_path TEXT NOT NULL, officer_id TEXT, channel TEXT NOT NULL, surveyor TEXT NOT NULL, at BIGINT NOT NULL,
                    saw_police BIGINT, knows_officer BIGINT, attitude BIGINT, safety BIGINT, satisfaction TEXT, comment TEXT,
                    import_key TEXT UNIQUE, recorded_by TEXT, recorded_at BIGINT NOT NULL)
                """,
                "CREATE INDEX survey_responses_campaign ON survey_responses(campaign_id, unit_path)",
                """
                CREATE TABLE survey_tallies (
                    campaign_id TEXT NOT NULL, month BIGINT NOT NULL, unit_id TEXT NOT NULL, unit_path TEXT NOT NULL, officer_id TEXT NOT NULL,
                    indicator TEXT NOT NULL, n BIGINT NOT NULL, yes BIGINT NOT NULL, total DOUBLE PRECISION NOT NULL,
                    squares DOUBLE PRECISION NOT NULL, PRIMARY KEY (campaign_id, month, unit_id, officer_id, indicator))
                """,
                "CREATE INDEX survey_tallies_path ON survey_tallies(campaign_id, unit_path)",
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE survey_tallies", "DROP TABLE survey_responses", "DROP TABLE survey_campaigns"], on: db)
    }
}
