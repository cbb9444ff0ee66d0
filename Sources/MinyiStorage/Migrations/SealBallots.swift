import MinyiCore
import SQLKit

/// When a closed ballot's rows were rewritten in one transaction (see `SQLBallotStore.seal`).
struct SealBallots: Migration {
    let version = 25

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["ALTER TABLE ballot_campaigns ADD COLUMN sealed_at BIGINT"], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["ALTER TABLE ballot_campaigns DROP COLUMN sealed_at"], on: db)
    }
}
