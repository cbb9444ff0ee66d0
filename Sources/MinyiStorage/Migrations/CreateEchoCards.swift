import SQLKit

/// Echo cards (回音卡): serial numbers issued in batches to a unit, each usable for one item.
struct CreateEchoCards: Migration {
    let version = 6

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                """
                CREATE TABLE echo_card_batches (
                    id TEXT PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES units(id), first_seq BIGINT NOT NULL, count BIGINT NOT NULL,
                    issued_at BIGINT NOT NULL, issued_by TEXT)
                """,
                """
                CREATE TABLE echo_cards (
                    serial TEXT PRIMARY KEY, seq BIGINT NOT NULL UNIQUE, batch_id TEXT NOT NULL REFERENCES echo_card_batches(id),
                    unit_id TEXT NOT NULL REFERENCES units(id))
                """,
                "CREATE INDEX echo_cards_batch ON echo_cards(batch_id, seq)",
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE echo_cards", "DROP TABLE echo_card_batches"], on: db)
    }
}
