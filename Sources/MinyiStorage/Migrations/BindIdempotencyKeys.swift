import SQLKit

/// An idempotency key is bound to a hash of what was submitted with it, so a replay with another body is refused and
/// never hands out the first submitter's PIN.
struct BindIdempotencyKeys: Migration {
    let version = 15

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["ALTER TABLE items ADD COLUMN idempotency_hash TEXT"], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["ALTER TABLE items DROP COLUMN idempotency_hash"], on: db)
    }
}
