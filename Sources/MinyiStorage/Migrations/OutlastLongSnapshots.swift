import SQLKit

/// On PostgreSQL, intake no longer slows down while a long snapshot is held (a `pg_dump` backup holds one for as long
/// as it runs, an `ANALYZE` for as long as it samples). While one is held, no row version that is newer than it can be
/// cleaned up. Measured under load with a snapshot held for 60 s (2026-12-01), two things grew the whole time:
/// - the serial counter row, updated by every batch, from 1 to 87 pages of versions, which each next batch stepped over;
/// - the rollups' differences (migration 38), deleted by every fold but not removable, from 200 to 11,000 pages, which
///   each fold and each reader read from end to end.
/// Intake fell from about 4,500 to 3,400 submissions a second in that minute, and a backup of a city's database runs
/// for many minutes.
///
/// Now:
/// - **The differences carry their transaction** (`xid`, indexed), and the last fold's boundary is kept in
///   `tally_folds`. A fold takes the differences of every transaction that has ended since the last fold, by that
///   index. Readers take the rows and the differences at or past the boundary, by that index too. Nothing reads the
///   deleted ones, however many are left.
/// - **The tracking numbers' counters move to `number_serials`**, a row per bureau, year and epoch. About once a second
///   the upkeep replaces each counter row by the next epoch's, with the same value. So the versions any batch steps
///   over are at most a second's. A batch that finds its epoch's row replaced counts nothing, and runs again.
/// The numbers stay without gaps and in commit order. The other counters (echo cards) stay in `counters`. SQLite cleans
/// nothing up this way and is unchanged.
struct OutlastLongSnapshots: Migration {
    let version = 39

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        guard dialect == .postgres else { return }
        try await run(
            [
                // Differences already there belong to transactions long ended: transaction 0 stands for them.
                "ALTER TABLE item_tally_deltas ADD COLUMN xid xid8 NOT NULL DEFAULT '0'",
                "ALTER TABLE item_tally_deltas ALTER COLUMN xid SET DEFAULT pg_current_xact_id()",
                "CREATE INDEX item_tally_deltas_by_transaction ON item_tally_deltas (xid)",
                "CREATE TABLE tally_folds (folded xid8 NOT NULL)",
                "INSERT INTO tally_folds (folded) VALUES ('0')",
                "CREATE TABLE number_serials (scope TEXT NOT NULL, epoch BIGINT NOT NULL, value BIGINT NOT NULL, PRIMARY KEY (scope, epoch))",
                "INSERT INTO number_serials (scope, epoch, value) SELECT scope, 0, value FROM counters WHERE scope LIKE 'number:%'",
                "DELETE FROM counters WHERE scope LIKE 'number:%'",
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        guard dialect == .postgres else { return }
        // Waits for any fold in flight, then folds what is left (the lock is this transaction's, so the fold takes it).
        try await dialect.lock(.tallyFold, on: db)
        _ = try await ItemTallies.fold(on: db)
        try await run(
            [
                """
                INSERT INTO counters (scope, value) SELECT DISTINCT ON (scope) scope, value FROM number_serials ORDER BY scope, epoch DESC
                """,
                "DROP TABLE number_serials",
                "DROP TABLE tally_folds",
                "DROP INDEX item_tally_deltas_by_transaction",
                "ALTER TABLE item_tally_deltas DROP COLUMN xid",
            ], on: db)
    }
}
