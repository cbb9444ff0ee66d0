import SQLKit

/// The deadline indexes hold each status's items in the full order of a work list: deadline, then newest first, then
/// by ID. A work list reads them in that order and stops after its page (`deadlineOrderedIDs`). With the deadline
/// alone, items that share a deadline had to be sorted whole first: the deadline scan gives every item of one breach
/// the same new deadline, and on the 10-million-item test file the inbox sorted up to ~100,000 such items per list.
struct SettleDeadlineTiesInTheIndexes: Migration {
    let version = 35

    private static let columns = ["response_due", "handling_due", "callback_due"]

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            Self.columns.flatMap { column in
                [
                    "DROP INDEX items_\(column)",
                    "CREATE INDEX items_\(column) ON items(status, \(column), created_at DESC, id DESC) WHERE \(column) IS NOT NULL",
                ]
            }, on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            Self.columns.flatMap { column in
                ["DROP INDEX items_\(column)", "CREATE INDEX items_\(column) ON items(status, \(column)) WHERE \(column) IS NOT NULL"]
            }, on: db)
    }
}
