import SQLKit

/// On SQLite the items' phones are indexed in a file beside the database, kept up to date in the background
/// (`PhoneIndex`), not in the items table: each new phone cost every commit a page written at a random place of that
/// index. PostgreSQL keeps its index.
struct IndexSQLitePhonesApart: Migration {
    let version = 33

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        guard dialect == .sqlite else { return }
        try await run(["DROP INDEX IF EXISTS items_contact_phone"], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        guard dialect == .sqlite else { return }
        try await run(["CREATE INDEX items_contact_phone ON items(contact_phone) WHERE contact_phone IS NOT NULL"], on: db)
    }
}
