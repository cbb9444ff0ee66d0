import SQLKit

/// The few places where SQLite and PostgreSQL differ.
extension DatabaseDialect {
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
