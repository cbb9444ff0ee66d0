import Foundation
import SQLKit
import SQLiteKit
import SQLiteNIO
// SQLite's C interface, as built into SQLiteNIO (its symbols carry a prefix).
import VaporCSQLite

/// The SQLite writer's own handle on the file, for the writes that run most often (registering submissions).
///
/// Its statements are prepared once and kept, and each batch runs start to finish on the writer's thread without a
/// hop per statement. Only the writer's one thread ever uses it, and never while the writer's other connection is in a
/// transaction, so the two never wait for each other.
final class SQLiteWriteConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [Statement: OpaquePointer] = [:]

    /// SQL text that is prepared once per connection and found again by a hash worked out once, not on every run.
    struct Statement: Hashable, Sendable {
        let sql: String
        private let hash: Int

        init(_ sql: String) {
            self.sql = sql
            hash = sql.hashValue
        }

        static func == (left: Statement, right: Statement) -> Bool { left.hash == right.hash && left.sql == right.sql }
        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    init(path: String, busyTimeout: Duration = .seconds(10)) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        guard sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw StorageError.invalidConfiguration("无法打开 SQLite 文件 \(path) (cannot open the SQLite file)")
        }
        self.handle = handle
        sqlite_nio_sqlite3_extended_result_codes(handle, 1)
        // The same settings as the writer's other connection: durable commits, enforced references.
        for pragma in [
            "PRAGMA busy_timeout = \(busyTimeout.wholeMilliseconds)", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = FULL",
            "PRAGMA case_sensitive_like = ON",
            "PRAGMA wal_autocheckpoint = \(Self.checkpointPages)",
            // A log larger than this is cut back to it once copied, so that a burst does not leave a large file behind.
            "PRAGMA journal_size_limit = 67108864",
            // The pages of the indexes that every registration changes stay in memory as the database grows.
            "PRAGMA cache_size = -32768",
        ] {
            try execute(pragma)
        }
    }

    /// How many pages the write-ahead log may hold before a commit copies them into the database file (SQLite's default
    /// is 1,000). A page that many commits change, such as the last page of an index, is copied once per checkpoint, so
    /// a longer log means less copying; 4,000 pages are 16 MB at most. Most of the copying is done beforehand in the
    /// background (`WALCheckpointer`): the commit that reaches the limit copies only what came since, and then the
    /// log starts again from its beginning, which only a checkpoint by the writer itself can bring about under load.
    static let checkpointPages = 4000

    deinit { close() }

    /// Finalizes the statements and closes the handle; later calls fail.
    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements = [:]
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs statements that take no binds (transaction control, pragmas).
    func execute(_ sql: String) throws {
        guard let handle else { throw SQLiteWriteError(code: SQLITE_MISUSE, message: "connection closed") }
        let code = sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code, sql) }
    }

    /// Runs `body` in a transaction begun with `begin`, committed if it returns and rolled back if it throws.
    func transaction<T>(_ begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try execute(begin)
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs one statement; `onRow` sees each row's values in column order.
    func run(_ sql: Statement, _ binds: [SQLiteData], onRow: (RawRow) throws -> Void = { _ in }) throws {
        let statement = try prepared(sql)
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite_nio_sqlite3_bind_null(statement, index)
            case .integer(let number): code = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
            case .float(let number): code = sqlite_nio_sqlite3_bind_double(statement, index, number)
            case .text(let text):
                code = sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
            case .blob(let bytes):
                code = bytes.withUnsafeReadableBytes {
                    sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient)
                }
            }
            guard code == SQLITE_OK else { throw error(code, sql.sql) }
        }
        let count = sqlite_nio_sqlite3_column_count(statement)
        let columns = (0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(statement, $0)) }
        while true {
            let code = sqlite_nio_sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw error(code, sql.sql) }
            try onRow(RawRow(columns: columns, values: (0..<count).map { value(statement, $0) }))
        }
    }

    /// The rows of one statement.
    func rows(_ sql: Statement, _ binds: [SQLiteData]) throws -> [RawRow] {
        var rows: [RawRow] = []
        try run(sql, binds) { rows.append($0) }
        return rows
    }

    private func prepared(_ sql: Statement) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        guard let handle else { throw SQLiteWriteError(code: SQLITE_MISUSE, message: "connection closed") }
        var statement: OpaquePointer?
        let code = sqlite_nio_sqlite3_prepare_v3(handle, sql.sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw error(code, sql.sql) }
        statements[sql] = statement
        return statement
    }

    private func value(_ statement: OpaquePointer, _ column: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .null }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            guard let bytes = sqlite_nio_sqlite3_column_blob(statement, column) else { return .blob(ByteBuffer()) }
            return .blob(ByteBuffer(bytes: UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    private func error(_ code: Int32, _ sql: String) -> any Error {
        let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "connection closed"
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_NOMEM:
            return StorageError.unavailable("SQLite \(code): \(message)")
        default:
            return SQLiteWriteError(code: code, message: "\(message) (in \(sql.prefix(80)))")
        }
    }

    /// SQLite copies bound text and blobs before the call returns.
    private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// One row read on the writer's own connection, readable like any other row.
struct RawRow: SQLRow {
    let columns: [String]
    let values: [SQLiteData]

    var allColumns: [String] { columns }

    func contains(column: String) -> Bool { columns.contains(column) }

    func decodeNil(column: String) throws -> Bool { try data(column) == .null }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        try SQLiteDataDecoder().decode(D.self, from: try data(column))
    }

    private func data(_ column: String) throws -> SQLiteData {
        guard let index = columns.firstIndex(of: column) else { throw StorageError.corrupt("no column \(column)") }
        return values[index]
    }
}

/// An error SQLite reported on the writer's own connection.
struct SQLiteWriteError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { "SQLite \(code): \(message)" }
}

extension Duration {
    /// The duration in whole milliseconds, as SQLite's `busy_timeout` takes it.
    var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
