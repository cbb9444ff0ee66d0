import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// The embedded store: one SQLite file in WAL mode with `synchronous=FULL`.
///
/// All writes go through one connection. Concurrent writes share a transaction and its fsync (group commit): every
/// caller is answered only after the shared COMMIT is on disk.
/// Reads use a small set of other connections, which WAL lets run beside the writer.
public final class SQLiteBackend: DatabaseBackend {
    public let dialect = DatabaseDialect.sqlite
    public let path: String
    private let writer: GroupCommitWriter
    private let readers: [SQLiteConnection]
    private let nextReader = Atomic<Int>(0)

    private let pools: [NIOThreadPool]
    private let loops: [MultiThreadedEventLoopGroup]
    private let checkpointer: WALCheckpointer
    private let phoneIndex: PhoneIndex

    private init(
        path: String, writer: GroupCommitWriter, readers: [SQLiteConnection], pools: [NIOThreadPool], loops: [MultiThreadedEventLoopGroup],
        checkpointer: WALCheckpointer, phoneIndex: PhoneIndex
    ) {
        self.checkpointer = checkpointer
        self.phoneIndex = phoneIndex
        self.loops = loops
        self.path = path
        self.writer = writer
        self.readers = readers
        self.pools = pools
    }

    /// Opens (creating if needed) the file at `path`.
    /// `busyTimeout` is how long a write waits for another process's write lock (a command-line import, say) before
    /// it fails with `StorageError.unavailable`.
    /// `indexingPhones: false` leaves the phone index where it is until `catchUpPhoneIndex` (for tests).
    public static func open(
        path: String, readers readerCount: Int = 4, busyTimeout: Duration = .seconds(10), logger: Logger, indexingPhones: Bool = true
    ) async throws -> SQLiteBackend {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        // The writer has a thread of its own, so that its fsync never holds up readers, and readers share another pool.
        let writerPool = NIOThreadPool(numberOfThreads: 1)
        writerPool.start()
        let readerPool = NIOThreadPool(numberOfThreads: max(2, readerCount))
        readerPool.start()
        // The writer's completions get an event loop of their own, so they do not queue behind HTTP traffic.
        let writerLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // The phone index's file is made first, so that every other connection finds it to attach (read-only: only the
        // index's own connection writes it, and a writer's transaction never takes its lock).
        let phoneIndex = try await PhoneIndex(path: path, busyTimeout: busyTimeout)
        let phonesURI = PhoneIndex.readOnlyURI(for: path)
        func connect(_ threadPool: NIOThreadPool, on eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any()) async throws
            -> SQLiteConnection
        {
            let connection: SQLiteConnection
            do {
                connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool, logger: logger, on: eventLoop)
            } catch {
                throw StorageError.invalidConfiguration(
                    "无法打开 SQLite 文件 \(path)：请检查路径与权限 (cannot open the SQLite file; check sqlite path and permissions): \(error)")
            }
            let sql = connection.sql(queryLogLevel: nil)
            try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(busyTimeout.wholeMilliseconds))").run()
            try await sql.raw("PRAGMA foreign_keys = ON").run()
            // Jurisdiction prefixes are matched with LIKE: case-sensitive as on PostgreSQL, and so able to use the indexes.
            try await sql.raw("PRAGMA case_sensitive_like = ON").run()
            try await sql.raw("ATTACH DATABASE \(bind: phonesURI) AS \(unsafeRaw: PhoneIndex.schema)").run()
            return connection
        }
        let writerConnection = try await connect(writerPool, on: writerLoop.next())
        let sql = writerConnection.sql(queryLogLevel: nil)
        try await sql.raw("PRAGMA journal_mode = WAL").run()
        try await sql.raw("PRAGMA synchronous = FULL").run()
        try await sql.raw("PRAGMA wal_autocheckpoint = \(unsafeRaw: String(SQLiteWriteConnection.checkpointPages))").run()
        let preparedConnection = try await writerPool.runIfActive { try SQLiteWriteConnection(path: path, busyTimeout: busyTimeout) }
        var readers: [SQLiteConnection] = []
        for _ in 0..<max(1, readerCount) { readers.append(try await connect(readerPool)) }
        let writer = GroupCommitWriter(connection: writerConnection, prepared: preparedConnection, thread: writerPool, logger: logger)
        let checkpointer = try await WALCheckpointer(path: path, busyTimeout: busyTimeout)
        checkpointer.start(logger: logger)
        if indexingPhones { phoneIndex.start(logger: logger) }
        return SQLiteBackend(
            path: path, writer: writer, readers: readers, pools: [writerPool, readerPool], loops: [writerLoop], checkpointer: checkpointer,
            phoneIndex: phoneIndex)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let index = nextReader.add(1, ordering: .relaxed).newValue
        reading.add(1, ordering: .relaxed)
        defer { reading.subtract(1, ordering: .relaxed) }
        return try await body(readers[index % readers.count].sql(queryLogLevel: nil))
    }

    private let reading = Atomic<Int>(0)

    public var usage: DatabaseUsage {
        DatabaseUsage(readsInFlight: reading.load(ordering: .relaxed), writesQueued: writer.queued, connections: readers.count + 1)
    }

    public func observeCommits(_ observer: @escaping @Sendable (Int, Duration) -> Void) {
        writer.observer.withLock { $0 = CommitObserver(notify: observer) }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await writer.submit(body)
    }

    public func write<W: BatchableWrite>(_ kind: W.Type, _ input: W.Input) async throws -> W.Output {
        try await writer.submit(kind, input)
    }

    public func shutdown() async {
        await phoneIndex.stop()
        await checkpointer.stop()
        await writer.close()
        for reader in readers { try? await reader.close() }
        for pool in pools { try? await pool.shutdownGracefully() }
        for loop in loops { try? await loop.shutdownGracefully() }
    }

    /// Brings the phone index up to every item committed so far (it otherwise follows in the background).
    public func catchUpPhoneIndex() async throws {
        try await phoneIndex.catchUp()
    }

    /// How many transactions the writer committed, and how many callers' writes they held.
    public var commitStatistics: (commits: Int, writes: Int) { writer.statistics }

    /// `PRAGMA synchronous` and `journal_mode` as each of the writer's two connections sees them (2 is FULL).
    func writerSettings() async throws -> [(synchronous: Int, journalMode: String)] {
        try await writer.settings()
    }
}
