import SQLKit

/// Integration keys expire and can be revoked; a short prefix of each names it in listings without revealing it.
struct ExpireAPIKeys: Migration {
    let version = 14

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                "ALTER TABLE api_keys ADD COLUMN key_prefix TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE api_keys ADD COLUMN expires_at BIGINT",
                "ALTER TABLE api_keys ADD COLUMN revoked_at BIGINT",
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                "ALTER TABLE api_keys DROP COLUMN revoked_at", "ALTER TABLE api_keys DROP COLUMN expires_at",
                "ALTER TABLE api_keys DROP COLUMN key_prefix",
            ], on: db)
    }
}
