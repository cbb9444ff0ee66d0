import SQLKit

/// Failed guesses (passwords, look-up PINs) in one table with the address they came from, so that throttles slow the
/// guesser rather than lock out the owner; pruned by age. Replaces `login_failures` and `lookup_failures`, which
/// counted per target only and were never pruned.
struct GuardGuesses: Migration {
    let version = 13

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                "CREATE TABLE auth_failures (kind TEXT NOT NULL, target TEXT NOT NULL, address TEXT NOT NULL, at BIGINT NOT NULL)",
                "CREATE INDEX auth_failures_target ON auth_failures(kind, target, at)",
                "CREATE INDEX auth_failures_address ON auth_failures(address, at)",
                "CREATE INDEX auth_failures_at ON auth_failures(at)",
                "DROP TABLE login_failures",
                "DROP TABLE lookup_failures",
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                "CREATE TABLE login_failures (username TEXT NOT NULL, at BIGINT NOT NULL)",
                "CREATE INDEX login_failures_user ON login_failures(username, at)",
                "CREATE TABLE lookup_failures (number TEXT NOT NULL, at BIGINT NOT NULL)",
                "CREATE INDEX lookup_failures_number ON lookup_failures(number, at)",
                "DROP TABLE auth_failures",
            ], on: db)
    }
}
