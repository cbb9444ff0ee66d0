import SQLKit

/// The few places where SQLite and PostgreSQL differ, all of them: a store asks its dialect here rather than
/// branching on the database itself.
extension DatabaseDialect {
    /// What a transaction-wide lock serialises (PostgreSQL's advisory locks; SQLite's single writer needs none).
    enum Lock: Int64 {
        /// Migrations: several instances may start at once; one migrates, the others wait and then find it done.
        case migrations = 4242
        /// The weekly bulletin: issued once per week whichever instance issues it.
        case bulletin = 4243
        /// The visit rules' scan: one instance applies the rules at a time.
        case visitRules = 4244
        /// Filling PostgreSQL's phone table again (`SQLItemStore.restorePhoneTable`): one instance does it.
        case phoneTable = 4245
        /// Folding the intake's rollup differences into the rollups (`ItemTallies.fold`): one connection at a time.
        case tallyFold = 4246
    }

    /// The dialect of a connection sql-kit hands out (for code given only the connection).
    init(_ db: any SQLDatabase) {
        self = db.dialect.name == "sqlite" ? .sqlite : .postgres
    }

    /// Takes `lock` until the transaction ends.
    func lock(_ lock: Lock, on db: any SQLDatabase) async throws {
        guard self == .postgres else { return }
        try await db.raw("SELECT pg_advisory_xact_lock(\(literal: lock.rawValue))").run()
    }

    /// Takes `lock` until the transaction ends unless another transaction holds it; whether it was taken.
    func tryLock(_ lock: Lock, on db: any SQLDatabase) async throws -> Bool {
        guard self == .postgres else { return true }
        let row = try await db.raw("SELECT pg_try_advisory_xact_lock(\(literal: lock.rawValue)) AS taken").first()
        return try row?.decode(column: "taken", as: Bool.self) ?? false
    }

    /// Whether many rows are best sent as one JSON text that the database unpacks (`json_each`), as SQLite does
    /// faster than it binds hundreds of parameters; PostgreSQL takes multi-row VALUES.
    var unpacksJSONRows: Bool { self == .sqlite }

    /// Ends a `CREATE TABLE` whose rows must not be kept in the order they were written: on SQLite a table keyed by a
    /// random or keyed-hash value and stored without a rowid is ordered by that key alone (PostgreSQL has no rowid).
    var withoutRowOrder: String { self == .sqlite ? " WITHOUT ROWID" : "" }

    /// Locks selected rows for the rest of the transaction (SQLite's single writer needs no lock).
    var lockRows: SQLQueryString { self == .postgres ? " FOR UPDATE" : "" }

    /// Locks selected rows, skipping rows another instance holds, so instances split the work.
    var claimRows: SQLQueryString { self == .postgres ? " FOR UPDATE SKIP LOCKED" : "" }

    /// A text field of a JSON object stored as text (events' `detail`), as an SQL expression.
    func jsonField(_ column: String, _ key: String) -> String {
        self == .sqlite ? "json_extract(\(column), '$.\(key)')" : "(\(column)::json ->> '\(key)')"
    }

    /// Makes SQLite read a table through the named index. SQLite plans without statistics and does not see that a
    /// partial index holds few rows; PostgreSQL keeps statistics and chooses for itself.
    func indexed(by index: String) -> SQLQueryString { self == .sqlite ? SQLQueryString(" INDEXED BY " + index) : "" }
}
