import SQLKit

/// On PostgreSQL the autovacuum of the tables that intake fills (items, their events, the phone table) works at a fifth
/// of its default pace. Those tables only grow during intake, so each vacuum has little to clean but many new pages to
/// mark all-visible: it reads them back and dirties each once. At the default pace (a 2 ms pause per 200 units of
/// cost) it did the minute's pages of `items` in about 3 s, and the writes it caused held up the commits of every
/// submission meanwhile (p99 of intake +7 ms, measured under load); at a 10 ms pause the same vacuum takes about 10 s
/// and intake's p99 does not move. At that pace it still marks about 900 pages a second, several times what intake
/// fills, so it keeps up. Other tables keep the server's settings. SQLite has no vacuum of this kind.
struct SpreadIntakeVacuums: Migration {
    let version = 37

    static let tables = ["items", "item_events", "item_phones"]

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        guard dialect == .postgres else { return }
        try await run(Self.tables.map { "ALTER TABLE \($0) SET (autovacuum_vacuum_cost_delay = 10)" }, on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        guard dialect == .postgres else { return }
        try await run(Self.tables.map { "ALTER TABLE \($0) RESET (autovacuum_vacuum_cost_delay)" }, on: db)
    }
}
