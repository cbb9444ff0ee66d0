import SQLKit

/// The rollups the dashboard, measures, bulletins and monthly analysis read (see `ItemTallies`), counted once from
/// the items already there.
struct CreateItemTallies: Migration {
    let version = 9

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run([ItemTallies.createTable], on: db)
        try await ItemTallies.rebuild(on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE item_tallies"], on: db)
    }
}
