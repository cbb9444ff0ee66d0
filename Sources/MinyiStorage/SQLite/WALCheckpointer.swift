import Logging

/// Copies the write-ahead log into the database file in the background, on a connection and a thread of its own, so
/// that the writer's own checkpoint has little left to do.
///
/// Left to SQLite, the commit that takes the log past its limit (`SQLiteWriteConnection.checkpointPages`) copies all
/// of the log's pages into the database file and syncs the file before it returns: a stall for every request waiting
/// on that commit, which grows with the database (the pages copied lie further apart). A passive checkpoint on another
/// connection runs beside the writer and takes no lock the writer needs, so the writer's checkpoint finds most pages
/// copied and synced already. The writer's checkpoint still has to happen: under a steady load only it can see the
/// whole log copied and let the next commit start the log again from its beginning; without it the log would grow.
final class WALCheckpointer: Sendable {
    private let background: BackgroundConnection
    /// How often the log is copied: at 20,000 submissions a second, some 800 pages (3 MB) a time.
    static let interval: Duration = .milliseconds(20)

    init(path: String, busyTimeout: Duration) async throws {
        background = try await BackgroundConnection(path: path, busyTimeout: busyTimeout)
    }

    /// Starts copying every `interval`.
    func start(logger: Logger) {
        background.start(every: Self.interval, logger: logger, name: "WAL checkpoint") { connection in
            try connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            return false
        }
    }

    /// Stops copying and closes the connection; the last commits' pages stay in the log, which SQLite copies when the
    /// last connection closes.
    func stop() async {
        await background.stop()
    }
}
