import MinyiCore
import SQLKit

/// One-time codes for the survey's web link, printed or sent to sampled households: a code is kept as a hash with its
/// campaign and community, and used once. Nothing ties a used code to the response it opened.
struct CreateSurveyCodes: Migration {
    let version = 23

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                """
                CREATE TABLE survey_codes (
                    code_hash TEXT PRIMARY KEY, campaign_id TEXT NOT NULL REFERENCES survey_campaigns(id), unit_id TEXT NOT NULL,
                    used BIGINT NOT NULL)
                """ + dialect.withoutRowOrder
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE survey_codes"], on: db)
    }
}
