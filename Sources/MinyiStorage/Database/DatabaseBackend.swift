import Foundation
import Logging
import PostgresNIO
import SQLKit

/// Which SQL engine a backend runs; per-database differences live in `SQLDialectHelpers.swift`.
public enum DatabaseDialect: String, Sendable {
    case sqlite
    case postgres
}

/// A database the stores run SQL on: reads anywhere, writes inside one transaction each.
public protocol DatabaseBackend: Sendable {
    var dialect: DatabaseDialect { get }

    /// Runs `body` outside any transaction, for reads.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// Runs `body` inside one transaction: all of it is durably committed before this returns, or none of it.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// Runs one request of a batchable kind of write. Backends that group commits hand every queued request of the
    /// kind to `W.execute` at once, in one transaction; others run it alone.
    func write<W: BatchableWrite>(_ kind: W.Type, _ input: W.Input) async throws -> W.Output

    /// Closes every connection.
    func shutdown() async

    /// What the database is doing now: reads in flight, writes waiting, connections (for the metrics).
    var usage: DatabaseUsage { get }

    /// Tells `observer` of every shared commit: how many requests it held and how long it took.
    func observeCommits(_ observer: @escaping @Sendable (Int, Duration) -> Void)
}

/// Who is told of every shared commit. A struct around the closure, so that a `Mutex` holds it as it is: a bare
/// function type in a `Mutex` is wrapped in two more conversion thunks on every `withLock`, and a chain that grows by
/// two thunks a commit made every commit slower than the one before.
struct CommitObserver: Sendable {
    let notify: @Sendable (Int, Duration) -> Void
}

/// A moment's use of the database's connections.
public struct DatabaseUsage: Sendable, Hashable {
    public var readsInFlight: Int
    public var writesQueued: Int
    public var connections: Int
}

/// A kind of write whose concurrent requests share one transaction and can share statements (one counter update,
/// multi-row INSERTs for many submissions).
public protocol BatchableWrite: Sendable {
    associatedtype Input: Sendable
    associatedtype Output: Sendable

    /// Writes every input, inside an open transaction. A failure for one input must leave no write of that input
    /// behind (check first, then write); throwing fails the whole batch, which is then retried one input at a time.
    static func execute(_ inputs: [Input], on db: any SQLDatabase) async throws -> [Result<Output, any Error>]
}

/// A batchable write that the SQLite writer runs on its own connection, synchronously, with statements prepared once.
protocol SQLiteBatchableWrite: BatchableWrite {
    /// Writes every input inside an open transaction, on the writer's thread; the same contract as the async form.
    static func execute(_ inputs: [Input], on connection: SQLiteWriteConnection) throws -> [Result<Output, any Error>]
}

/// A batchable write that PostgreSQL runs on one of the pool's connections with statements of its own, instead of
/// the portable SQL inside a transaction.
protocol PostgresBatchableWrite: BatchableWrite {
    /// Writes every input, committing what it wrote before it returns; throwing must leave nothing written, so that
    /// the batch can be retried one input at a time.
    static func execute(_ inputs: [Input], on connection: PostgresConnection, logger: Logger) async throws -> [Result<Output, any Error>]

    /// Work the kind's batches leave for later (the intake: folding its rollup differences), run after a batch commits,
    /// at most once a second per backend, on a connection of the pool and off the batch's path, outside any transaction.
    static var upkeep: (@Sendable (PostgresConnection) async throws -> Void)? { get }
}

extension PostgresBatchableWrite {
    static var upkeep: (@Sendable (PostgresConnection) async throws -> Void)? { nil }
}

extension DatabaseBackend {
    /// Runs the request alone in its own transaction.
    public func writeAlone<W: BatchableWrite>(_ kind: W.Type, _ input: W.Input) async throws -> W.Output {
        try await write { db in try await W.execute([input], on: db)[0].get() }
    }
}

/// Where the data lives, read once from configuration.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    /// An SQLite file (WAL, synchronous=FULL); the default is `./data/minyi.sqlite`.
    case sqlite(path: String)
    /// A PostgreSQL server, as `postgres://user:password@host:port/database?sslmode=disable`.
    case postgres(url: String)

    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite \(path)"
        case .postgres(let url): "PostgreSQL \(Self.redacted(url))"
        }
    }

    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(invalid URL)" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "(invalid URL)"
    }
}

/// Opens the backend for a location, creating the SQLite file's folder if needed.
public func openDatabase(_ location: DatabaseLocation, logger: Logger) async throws -> any DatabaseBackend {
    switch location {
    case .sqlite(let path):
        return try await SQLiteBackend.open(path: path, logger: logger)
    case .postgres(let url):
        return try await PostgresBackend.open(url: url, logger: logger)
    }
}

/// Errors of the storage layer, each naming the value involved.
public enum StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(what: String, id: String)
    case conflict(String)
    case invalidConfiguration(String)
    case corrupt(String)
    /// The database cannot take the write now (locked by another process for too long, disk full, I/O error): nothing
    /// was written, and the same request may succeed later.
    case unavailable(String)

    public var description: String {
        switch self {
        case .notFound(let what, let id): "\(what) \(id) 不存在 (not found)"
        case .conflict(let message): message
        case .invalidConfiguration(let message): message
        case .corrupt(let message): "数据异常: \(message)"
        case .unavailable(let message): "数据库暂时无法写入 (database unavailable): \(message)"
        }
    }
}

/// Moments are stored as whole seconds since 1970 (BIGINT), the same on both databases.
extension Date {
    var epochSeconds: Int { Int(timeIntervalSince1970.rounded(.down)) }
    init(epochSeconds: Int) { self.init(timeIntervalSince1970: TimeInterval(epochSeconds)) }
}

extension SQLRow {
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalString(_ column: String) throws -> String? { try decode(column: column, as: String?.self) }
    func int(_ column: String) throws -> Int { try decode(column: column, as: Int.self) }
    func optionalInt(_ column: String) throws -> Int? { try decode(column: column, as: Int?.self) }
    func optionalDouble(_ column: String) throws -> Double? { try decode(column: column, as: Double?.self) }
    func date(_ column: String) throws -> Date { Date(epochSeconds: try int(column)) }
    func optionalDate(_ column: String) throws -> Date? { try optionalInt(column).map(Date.init(epochSeconds:)) }
}
