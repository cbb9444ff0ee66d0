import Foundation
import Logging
import SQLiteNIO

/// Items by the resident's phone, on SQLite: an index kept in a file of its own beside the database and brought up to
/// date in the background, not in the commit that registers an item.
///
/// An index in the database itself costs every commit one page per phone: the phones of a batch land at random places
/// in the index, and each page they touch is written to the log and synced before any caller of the batch is answered.
/// Measured on a 5-million-item file, that index alone halved the intake rate and took its p99 from 5.5 ms to 35 ms
/// (BENCHMARKS.md). Here the index lives in `<database>.phones`, written by a connection and thread of its own, which
/// copies the phones of new items (`rowid` beyond how far it has come) in sorted batches, without a sync of its own per
/// batch (`synchronous = NORMAL`), on small pages.
///
/// Nothing is lost by that: the items table holds every phone, and the index is worked out from it. A lookup reads the
/// index up to how far it has come and the items table beyond (`SQLItemStore.items(phone:)`), so it never misses an
/// item; the file may be deleted at any time the server is stopped and is rebuilt on the next start. The index records
/// the item it stopped at, so a file that does not belong to the database beside it (after a restore) starts again.
final class PhoneIndex: Sendable {
    /// The file beside the database at `path`.
    static func path(for database: String) -> String { database + ".phones" }
    /// The index's file as a URI that opens it read-only, for the database's other connections to attach.
    static func readOnlyURI(for database: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (path(for: database).addingPercentEncoding(withAllowedCharacters: allowed) ?? path(for: database)) + "?mode=ro"
    }
    /// The name under which every connection to the database sees it.
    static let schema = "phones"
    /// How often the index looks for new items when it has caught up.
    static let interval: Duration = .milliseconds(250)
    /// The most items one transaction copies, so that catching up on a large file goes in steps.
    static let chunk = 50_000

    private let background: BackgroundConnection

    /// Opens the database at `path` with the index attached, creating the index's file and tables if needed.
    init(path: String, busyTimeout: Duration) async throws {
        background = try await BackgroundConnection(path: path, busyTimeout: busyTimeout) { connection in
            try Self.attach(Self.path(for: path), on: connection)
            // Small pages: each new phone changes one page at a random place, and the whole page is written out.
            try connection.execute("PRAGMA \(Self.schema).page_size = 1024")
            try connection.execute("PRAGMA \(Self.schema).journal_mode = WAL")
            try connection.execute("PRAGMA \(Self.schema).synchronous = NORMAL")
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS \(Self.schema).item_phones (
                    phone TEXT NOT NULL, item_id TEXT NOT NULL, PRIMARY KEY (phone, item_id)) WITHOUT ROWID
                """)
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS \(Self.schema).indexed (
                    one INTEGER PRIMARY KEY CHECK (one = 1), up_to INTEGER NOT NULL, item_id TEXT)
                """)
            try connection.execute("INSERT OR IGNORE INTO \(Self.schema).indexed (one, up_to, item_id) VALUES (1, 0, NULL)")
            // Before any lookup reads it: an index that belongs to another database starts again.
            _ = try connection.transaction { try Self.position(on: connection) }
        }
    }

    private static let attachStatement = SQLiteWriteConnection.Statement("ATTACH DATABASE ? AS \(schema)")

    /// Attaches the index's file to one of the database's connections.
    static func attach(_ file: String, on connection: SQLiteWriteConnection) throws {
        try connection.run(attachStatement, [.text(file)])
    }

    /// Starts keeping the index up to date.
    func start(logger: Logger) {
        background.start(every: Self.interval, logger: logger, name: "phone index", step: Self.step)
    }

    /// Copies the phones of up to `chunk` new items into the index, in one transaction of the index's file; true when
    /// more are waiting. Before the items table exists (a new file, before its migrations) there is nothing to do.
    @discardableResult
    func step() async throws -> Bool {
        try await background.run(Self.step)
    }

    /// Brings the index up to every item committed so far.
    func catchUp() async throws {
        while try await step() {}
    }

    private static let position = SQLiteWriteConnection.Statement("SELECT up_to, item_id FROM \(schema).indexed WHERE one = 1")
    private static let itemsTable = SQLiteWriteConnection.Statement(
        "SELECT COUNT(*) AS n FROM main.sqlite_schema WHERE type = 'table' AND name = 'items'")
    private static let top = SQLiteWriteConnection.Statement("SELECT COALESCE(MAX(rowid), 0) AS top FROM main.items")
    private static let itemAt = SQLiteWriteConnection.Statement("SELECT id FROM main.items WHERE rowid = ?")
    private static let copy = SQLiteWriteConnection.Statement(
        """
        INSERT OR IGNORE INTO \(schema).item_phones (phone, item_id)
        SELECT contact_phone, id FROM main.items WHERE rowid > ? AND rowid <= ? AND contact_phone IS NOT NULL ORDER BY contact_phone, id
        """)
    private static let advance = SQLiteWriteConnection.Statement("UPDATE \(schema).indexed SET up_to = ?, item_id = ? WHERE one = 1")
    private static let forget = SQLiteWriteConnection.Statement("DELETE FROM \(schema).item_phones")

    /// How far the index has come (a row number of the items table), nil before the items table exists. The item the
    /// index stopped at must still be there under the same row number; otherwise the file belongs to another database
    /// (a restored one, say) and the index starts again. Runs inside a transaction.
    private static func position(on connection: SQLiteWriteConnection) throws -> Int? {
        guard try connection.rows(itemsTable, []).first?.decode(column: "n", as: Int.self) == 1 else { return nil }
        let row = try connection.rows(position, []).first
        let upTo = try row?.decode(column: "up_to", as: Int.self) ?? 0
        let recorded = try row.flatMap { try $0.decodeNil(column: "item_id") ? nil : $0.decode(column: "item_id", as: String.self) }
        guard upTo > 0, try connection.rows(itemAt, [.integer(upTo)]).first?.decode(column: "id", as: String.self) != recorded else {
            return upTo
        }
        try connection.run(forget, [])
        try connection.run(advance, [.integer(0), .null])
        return 0
    }

    private static func step(on connection: SQLiteWriteConnection) throws -> Bool {
        // A deferred transaction: it reads the database as of one moment and takes only the index's write lock, never
        // the database's, so the writer never waits for it.
        try connection.transaction {
            guard let upTo = try position(on: connection) else { return false }
            let last = try connection.rows(top, []).first?.decode(column: "top", as: Int.self) ?? 0
            let end = min(last, upTo + chunk)
            guard end > upTo else { return false }
            try connection.run(copy, [.integer(upTo), .integer(end)])
            let endID = try connection.rows(itemAt, [.integer(end)]).first?.decode(column: "id", as: String.self)
            try connection.run(advance, [.integer(end), endID.map { .text($0) } ?? .null])
            return end < last
        }
    }

    /// Stops keeping the index up to date and closes its connection. The index's log is folded into its file first:
    /// the database's other connections, which close after this one, only read the index and cannot.
    func stop() async {
        await background.stop { try? $0.execute("PRAGMA \(Self.schema).wal_checkpoint(TRUNCATE)") }
    }
}
