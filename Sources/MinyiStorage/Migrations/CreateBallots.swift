import MinyiCore
import SQLKit

/// The project ballot (十件实事票选): campaigns, candidates, the voter roll, ballots, and paper batches.
///
/// The roll and the ballots share nothing that could link a ballot to its voter: the roll holds a keyed hash of the
/// voter's ID number and the channel, no time and no reference; a ballot holds a random ID, the hash of its receipt
/// code and, for paper, its batch; neither is stored in the order it was written.
struct CreateBallots: Migration {
    let version = 19

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        let unordered = dialect.withoutRowOrder
        try await run(
            [
                """
                CREATE TABLE ballot_campaigns (
                    id TEXT PRIMARY KEY, year BIGINT NOT NULL, title TEXT NOT NULL, opens_at BIGINT NOT NULL, closes_at BIGINT NOT NULL,
                    max_choices BIGINT NOT NULL, created_by TEXT NOT NULL, created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE ballot_candidates (
                    id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL REFERENCES ballot_campaigns(id), number BIGINT NOT NULL,
                    title TEXT NOT NULL, summary TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES units(id), category TEXT,
                    created_by TEXT NOT NULL, created_at BIGINT NOT NULL, UNIQUE (campaign_id, number))
                """,
                "CREATE TABLE ballot_roll (campaign_id TEXT NOT NULL, voter_key TEXT NOT NULL, channel TEXT NOT NULL, "
                    + "PRIMARY KEY (campaign_id, voter_key))" + unordered,
                "CREATE TABLE ballots (id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, receipt_hash TEXT NOT NULL UNIQUE, batch_id TEXT)"
                    + unordered,
                "CREATE INDEX ballots_campaign ON ballots(campaign_id)",
                "CREATE TABLE ballot_choices (ballot_id TEXT NOT NULL, candidate_id TEXT NOT NULL, PRIMARY KEY (ballot_id, candidate_id))"
                    + unordered,
                "CREATE INDEX ballot_choices_candidate ON ballot_choices(candidate_id)",
                """
                CREATE TABLE ballot_verifications (
                    token_hash TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, voter_key TEXT NOT NULL, code_hash TEXT NOT NULL,
                    expires_at BIGINT NOT NULL, attempts BIGINT NOT NULL)
                """,
                "CREATE INDEX ballot_verifications_voter ON ballot_verifications(campaign_id, voter_key)",
                """
                CREATE TABLE ballot_batches (
                    id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL REFERENCES ballot_campaigns(id), number TEXT NOT NULL,
                    unit_id TEXT NOT NULL, entered_by TEXT NOT NULL, entered_at BIGINT NOT NULL, voters BIGINT NOT NULL,
                    sheets BIGINT NOT NULL, UNIQUE (campaign_id, number))
                """,
                "CREATE TABLE ballot_sheets (campaign_id TEXT NOT NULL, serial TEXT NOT NULL, PRIMARY KEY (campaign_id, serial))" + unordered,
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                "DROP TABLE ballot_sheets", "DROP TABLE ballot_batches", "DROP TABLE ballot_verifications", "DROP TABLE ballot_choices",
                "DROP TABLE ballots", "DROP TABLE ballot_roll", "DROP TABLE ballot_candidates", "DROP TABLE ballot_campaigns",
            ], on: db)
    }
}
