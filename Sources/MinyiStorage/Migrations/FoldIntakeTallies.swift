import SQLKit

/// On PostgreSQL the intake appends its rollup differences to `item_tally_deltas` instead of adding them to the rollup
/// rows, and they are folded into the rows about once a second (`ItemTallies.fold`); readers sum both
/// (`ItemTallies.source`). Every batch used to add to the same few hundred rollup rows, which makes a new version of
/// each. While an `ANALYZE` of a large table held its snapshot, those versions could not be cleaned up: in 1–4 s the
/// rollups grew from 92 to 768 pages, every batch stepped over the old versions, and intake fell to 2,600–3,600 a
/// second with a p99 of 35–58 ms (2-second windows under load). An append has no versions to step over. SQLite writes
/// from one connection and cleans nothing up this way; it adds to the rows as before.
struct FoldIntakeTallies: Migration {
    let version = 38

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        guard dialect == .postgres else { return }
        let counters = ItemTallies.columns.map { "\($0) BIGINT NOT NULL DEFAULT 0" }.joined(separator: ", ")
        try await run(
            [
                """
                CREATE TABLE item_tally_deltas (grain TEXT NOT NULL, period BIGINT NOT NULL, place_path TEXT NOT NULL, \
                assigned_path TEXT NOT NULL, category TEXT NOT NULL, \(counters))
                """
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        guard dialect == .postgres else { return }
        // Waits for any fold in flight, then folds what is left (the lock is this transaction's, so the fold takes it).
        try await dialect.lock(.tallyFold, on: db)
        try await ItemTallies.foldEverything(on: db)
        try await run(["DROP TABLE item_tally_deltas"], on: db)
    }
}
