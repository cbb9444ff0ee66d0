import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

/// The scale-out store: a PostgreSQL server reached through a connection pool.
public final class PostgresBackend: DatabaseBackend {
    public let dialect = DatabaseDialect.postgres
    /// The pool's size.
    static let maximumConnections = 16
    var maximumConnections: Int { Self.maximumConnections }
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    /// Returns once the pool's task has started, so that the first query does not find the pool not yet running (which
    /// PostgresNIO logs as a warning at every start).
    private init(client: PostgresClient, logger: Logger) async {
        self.client = client
        self.logger = logger
        let (started, signal) = AsyncStream<Never>.makeStream()
        self.runner = Task {
            signal.finish()
            await client.run()
        }
        for await _ in started {}
    }

    /// Connects to `url` (`postgres://user:password@host:port/database?sslmode=disable|prefer|require`).
    public static func open(url: String, searchPath: String? = nil, logger: Logger) async throws -> PostgresBackend {
        var configuration = try configuration(from: url)
        configuration.options.additionalStartupParameters = Self.sessionSettings + (searchPath.map { [("search_path", $0)] } ?? [])
        let backend = await PostgresBackend(client: PostgresClient(configuration: configuration, backgroundLogger: logger), logger: logger)
        do {
            try await backend.read { try await $0.raw("SELECT 1").run() }
        } catch {
            await backend.shutdown()
            throw StorageError.invalidConfiguration(
                "无法连接 PostgreSQL \(DatabaseLocation.redacted(url))：请检查 MINYI_DATABASE_URL (cannot connect): "
                    + String(reflecting: error))
        }
        return backend
    }

    /// Set on every connection, whatever the server's defaults: an acknowledged commit is on disk
    /// (`synchronous_commit`), and no query is compiled to machine code first (`jit`). The compiling starts above a cost
    /// estimate, so only on large tables, and took about 90 ms of a dashboard count that then ran in under 1 ms.
    static let sessionSettings = [("synchronous_commit", "on"), ("jit", "off")]

    static func configuration(from url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty, let user = components.user
        else {
            throw StorageError.invalidConfiguration(
                "MINYI_DATABASE_URL 格式应为 postgres://user:password@host:port/database (got \(DatabaseLocation.redacted(url)))")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslmode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch sslmode {
        case "disable": tls = .disable
        case "require", "verify-full", "verify-ca": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password, database: database.isEmpty ? nil : database,
            tls: tls)
        configuration.options.maximumConnections = Self.maximumConnections
        return configuration
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        reading.add(1, ordering: .relaxed)
        defer { reading.subtract(1, ordering: .relaxed) }
        return try await client.withConnection { connection in
            try await body(connection.sql(queryLogLevel: nil))
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            let sql = connection.sql(queryLogLevel: nil)
            try await sql.raw("BEGIN").run()
            do {
                let value = try await body(sql)
                try await sql.raw("COMMIT").run()
                return value
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Shares transactions between concurrent requests of the kind (see `PostgresGroupCommit`).
    public func write<W: BatchableWrite>(_ kind: W.Type, _ input: W.Input) async throws -> W.Output {
        try await groupCommit(for: kind).submit(input)
    }

    private let reading = Atomic<Int>(0)
    private let commitObserver = Mutex<CommitObserver?>(nil)

    public var usage: DatabaseUsage {
        let queued = groupCommits.withLock { all in all.values.compactMap { ($0 as? PostgresGroupCommit<Intake>)?.queued }.reduce(0, +) }
        return DatabaseUsage(readsInFlight: reading.load(ordering: .relaxed), writesQueued: queued, connections: maximumConnections)
    }

    public func observeCommits(_ observer: @escaping @Sendable (Int, Duration) -> Void) {
        let observer = CommitObserver(notify: observer)
        commitObserver.withLock { $0 = observer }
        groupCommits.withLock { all in for case let commit as PostgresGroupCommit<Intake> in all.values { commit.observer.withLock { $0 = observer } }
        }
    }

    /// Each batchable kind's group commit, made on first use.
    private let groupCommits = Mutex<[ObjectIdentifier: any Sendable]>([:])

    private func groupCommit<W: BatchableWrite>(for kind: W.Type) -> PostgresGroupCommit<W> {
        groupCommits.withLock { all in
            if let existing = all[ObjectIdentifier(kind)] as? PostgresGroupCommit<W> { return existing }
            let made = PostgresGroupCommit<W>(
                run: native(kind) ?? { [unowned self] inputs in try await self.write { db in try await W.execute(inputs, on: db) } },
                runAlone: { [unowned self] input in try await self.writeAlone(W.self, input) })
            made.observer.withLock { $0 = commitObserver.withLock { $0 } }
            all[ObjectIdentifier(kind)] = made
            return made
        }
    }

    /// The batch's run through the kind's own PostgreSQL statements, if it has them.
    private func native<W: BatchableWrite>(_ kind: W.Type) -> (@Sendable ([W.Input]) async throws -> [Result<W.Output, any Error>])? {
        guard let native = kind as? any PostgresBatchableWrite.Type else { return nil }
        return run(native, as: kind)
    }

    private func run<N: PostgresBatchableWrite, W: BatchableWrite>(
        _ kind: N.Type, as: W.Type
    ) -> (@Sendable ([W.Input]) async throws -> [Result<W.Output, any Error>])? {
        let logger = logger
        let upkeep = N.upkeep
        let body: @Sendable ([N.Input]) async throws -> [Result<N.Output, any Error>] = { [unowned self] inputs in
            let results = try await client.withConnection { connection in try await N.execute(inputs, on: connection, logger: logger) }
            if let upkeep { startUpkeepIfDue(upkeep) }
            return results
        }
        return body as? @Sendable ([W.Input]) async throws -> [Result<W.Output, any Error>]
    }

    /// Commits and writes the intake's group commit has made (its requests per commit), for benchmarks.
    public var commitStatistics: (commits: Int, writes: Int) {
        groupCommits.withLock { all in
            all.values.compactMap { ($0 as? PostgresGroupCommit<Intake>)?.commitStatistics }.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        }
    }

    /// Whether the error is PostgreSQL's unique violation (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }

    /// When the batches' upkeep may run next, and the task running it now.
    private let upkeepState = Mutex<(due: ContinuousClock.Instant, running: Task<Void, Never>?)>((.now, nil))

    private func startUpkeepIfDue(_ work: @escaping @Sendable (PostgresConnection) async throws -> Void) {
        upkeepState.withLock { state in
            guard state.running == nil, ContinuousClock.now >= state.due else { return }
            state.running = Task {
                do {
                    try await self.client.withConnection(work)
                } catch {
                    self.logger.warning("Upkeep after intake failed; it runs again after the next batch", metadata: ["error": "\(error)"])
                }
                self.upkeepState.withLock {
                    $0.running = nil
                    $0.due = .now + .seconds(1)
                }
            }
        }
    }

    public func shutdown() async {
        if let upkeep = upkeepState.withLock({ $0.running }) { await upkeep.value }
        runner.cancel()
        _ = await runner.value
    }
}
