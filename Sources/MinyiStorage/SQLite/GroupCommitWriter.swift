import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// Runs queued writes, many to a transaction.
///
/// The writer has one thread and two connections to the file, used one at a time: SQLiteNIO's, for writes given as
/// async closures, and its own (`SQLiteWriteConnection`), for kinds of write that run synchronously on the thread with
/// statements prepared once (registering submissions). A batch runs its synchronous writes in one transaction on the
/// thread, then the rest in another.
final class GroupCommitWriter: Sendable {
    typealias Results = [Result<any Sendable, any Error>]

    /// A class, so that queueing and grouping jobs moves one reference each.
    private final class Job: Sendable {
        /// Writes that run on their own.
        let body: (@Sendable (any SQLDatabase) async throws -> any Sendable)?
        /// Batchable writes: the kind's name, the input, and the kind's executor for many inputs.
        let batch: (kind: ObjectIdentifier, input: any Sendable, execute: @Sendable (any SQLDatabase, [any Sendable]) async throws -> Results)?
        /// The kind's executor on the writer's own connection, if it has one.
        let prepared: (@Sendable (SQLiteWriteConnection, [any Sendable]) throws -> Results)?
        let continuation: CheckedContinuation<any Sendable, any Error>

        init(
            body: (@Sendable (any SQLDatabase) async throws -> any Sendable)?,
            batch: (kind: ObjectIdentifier, input: any Sendable, execute: @Sendable (any SQLDatabase, [any Sendable]) async throws -> Results)?,
            prepared: (@Sendable (SQLiteWriteConnection, [any Sendable]) throws -> Results)?,
            continuation: CheckedContinuation<any Sendable, any Error>
        ) {
            self.body = body
            self.batch = batch
            self.prepared = prepared
            self.continuation = continuation
        }
    }

    private struct State {
        var pending: [Job] = []
        var draining = false
        var commits = 0
        var writes = 0
    }

    /// The most callers' writes one transaction takes, so one huge batch does not hold up the next.
    private static let maxBatch = 256

    private let connection: SQLiteConnection
    private let prepared: SQLiteWriteConnection
    private let thread: NIOThreadPool
    private let logger: Logger
    private let state = Mutex(State())

    init(connection: SQLiteConnection, prepared: SQLiteWriteConnection, thread: NIOThreadPool, logger: Logger) {
        self.connection = connection
        self.prepared = prepared
        self.thread = thread
        self.logger = logger
    }

    var statistics: (commits: Int, writes: Int) { state.withLock { ($0.commits, $0.writes) } }

    private static let synchronous = SQLiteWriteConnection.Statement("PRAGMA synchronous")
    private static let journalMode = SQLiteWriteConnection.Statement("PRAGMA journal_mode")

    func settings() async throws -> [(synchronous: Int, journalMode: String)] {
        let sql = connection.sql(queryLogLevel: nil)
        let mine = (
            try await sql.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self) ?? -1,
            try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self) ?? ""
        )
        let own = try await thread.runIfActive { [prepared] in
            (
                try prepared.rows(Self.synchronous, []).first?.decode(column: "synchronous", as: Int.self) ?? -1,
                try prepared.rows(Self.journalMode, []).first?.decode(column: "journal_mode", as: String.self) ?? ""
            )
        }
        return [mine, own]
    }

    func submit<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await enqueue { Job(body: { try await body($0) }, batch: nil, prepared: nil, continuation: $0) }
    }

    func submit<W: BatchableWrite>(_ kind: W.Type, _ input: W.Input) async throws -> W.Output {
        let execute: @Sendable (any SQLDatabase, [any Sendable]) async throws -> Results = { db, inputs in
            let typed = inputs.compactMap { $0 as? W.Input }
            return try await W.execute(typed, on: db).map { $0.map { $0 as any Sendable } }
        }
        let prepared = (kind as? any SQLiteBatchableWrite.Type).map { Self.preparedExecutor($0) }
        return try await enqueue { Job(body: nil, batch: (ObjectIdentifier(kind), input, execute), prepared: prepared, continuation: $0) }
    }

    private static func preparedExecutor<W: SQLiteBatchableWrite>(_ kind: W.Type)
        -> @Sendable (SQLiteWriteConnection, [any Sendable]) throws -> Results
    {
        { connection, inputs in
            let typed = inputs.compactMap { $0 as? W.Input }
            guard typed.count == inputs.count else { throw StorageError.corrupt("unexpected write input type") }
            return try W.execute(typed, on: connection).map { $0.map { $0 as any Sendable } }
        }
    }

    private func enqueue<T: Sendable>(_ make: (CheckedContinuation<any Sendable, any Error>) -> Job) async throws -> T {
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            let job = make(continuation)
            let start = state.withLock { state -> Bool in
                state.pending.append(job)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if start { Task(priority: .high) { await self.drain() } }
        }
        guard let typed = value as? T else { throw StorageError.corrupt("unexpected write result type") }
        return typed
    }

    func close() async {
        try? await connection.close()
        _ = try? await thread.runIfActive { [prepared] in prepared.close() }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Job] in
                if state.pending.isEmpty {
                    state.draining = false
                    return []
                }
                let batch = Array(state.pending.prefix(Self.maxBatch))
                state.pending.removeFirst(batch.count)
                return batch
            }
            if batch.isEmpty { return }
            let rest = batch.filter { $0.prepared == nil }
            if rest.count < batch.count { await runPrepared(batch.filter { $0.prepared != nil }) }
            if !rest.isEmpty { await run(rest) }
        }
    }

    /// Runs the batch on the writer's thread and own connection, in one transaction, answering each caller as soon as
    /// the COMMIT is on disk. If it fails, each job runs again alone, as in `run`.
    private func runPrepared(_ batch: [Job]) async {
        enum Outcome {
            case committed
            case failed(any Error)
        }
        let started = ContinuousClock.now
        let outcome: Outcome
        do {
            outcome = try await thread.runIfActive { [prepared] in
                do {
                    try prepared.execute("BEGIN IMMEDIATE")
                    var results = [Result<any Sendable, any Error>?](repeating: nil, count: batch.count)
                    for group in Self.byKind(batch) {
                        guard let execute = group.prepared else { throw StorageError.corrupt("a batch without its prepared executor") }
                        try Self.place(try execute(prepared, group.inputs), at: group.indices, in: &results)
                    }
                    try prepared.execute("COMMIT")
                    for (job, result) in zip(batch, results) { job.continuation.resume(with: result ?? .failure(StorageError.corrupt("no result"))) }
                    return .committed
                } catch {
                    try? prepared.execute("ROLLBACK")
                    return .failed(error)
                }
            }
        } catch {
            outcome = .failed(error)  // the writer's thread has stopped
        }
        switch outcome {
        case .committed: counted(commits: 1, writes: batch.count, since: started)
        case .failed(let error): await failed(batch, error)
        }
    }

    private func counted(commits: Int, writes: Int, since started: ContinuousClock.Instant) {
        state.withLock {
            $0.commits += commits
            $0.writes += writes
        }
        observer.withLock { $0 }?.notify(writes, ContinuousClock.now - started)
    }

    /// Told of every commit: how many callers' writes it held and how long it took from BEGIN to COMMIT.
    let observer = Mutex<CommitObserver?>(nil)

    /// Writes waiting for the writer.
    var queued: Int { state.withLock { $0.pending.count } }

    /// After a batch's transaction failed and was rolled back: a failure that hits everyone alike is everyone's answer;
    /// otherwise each write runs again alone, so that one caller's failure never undoes another's write.
    private func failed(_ batch: [Job], _ error: any Error) async {
        if batch.count == 1 || Self.isSystemic(error) {
            for job in batch { job.continuation.resume(throwing: Self.reported(error)) }
        } else {
            for job in batch { await runAlone(job) }
        }
    }

    /// One kind's jobs in a batch: their positions, their inputs in the same order, the kind's executors.
    private struct KindGroup {
        var indices: [Int]
        var inputs: [any Sendable]
        let execute: @Sendable (any SQLDatabase, [any Sendable]) async throws -> Results
        let prepared: (@Sendable (SQLiteWriteConnection, [any Sendable]) throws -> Results)?
    }

    /// The batchable jobs grouped by kind, in the order each kind first appears.
    private static func byKind(_ batch: [Job]) -> [KindGroup] {
        var groups: [KindGroup] = []
        var position: [ObjectIdentifier: Int] = [:]
        for (index, job) in batch.enumerated() {
            guard let batched = job.batch else { continue }
            if let at = position[batched.kind] {
                groups[at].indices.append(index)
                groups[at].inputs.append(batched.input)
            } else {
                position[batched.kind] = groups.count
                groups.append(KindGroup(indices: [index], inputs: [batched.input], execute: batched.execute, prepared: job.prepared))
            }
        }
        return groups
    }

    /// Puts one kind's outputs at its jobs' positions.
    private static func place(_ outputs: Results, at indices: [Int], in results: inout [Result<any Sendable, any Error>?]) throws {
        guard outputs.count == indices.count else { throw StorageError.corrupt("batch returned \(outputs.count) of \(indices.count)") }
        for (index, output) in zip(indices, outputs) { results[index] = output }
    }

    /// Whether a failed batch failed for everyone alike (the file locked by another process, a full disk, an I/O
    /// error): then running its writes again one by one would only make each caller wait again.
    static func isSystemic(_ error: any Error) -> Bool {
        switch error {
        case StorageError.unavailable: true
        case let error as SQLiteError:
            [.busy, .busyTimeout, .busyInRecovery, .busyInSnapshot, .locked, .full, .ioError, .readOnly, .cantOpen, .noMemory].contains(error.reason)
        default: false
        }
    }

    /// The error a caller hears: SQLite's own for a systemic failure becomes `StorageError.unavailable`.
    static func reported(_ error: any Error) -> any Error {
        if let error = error as? SQLiteError, isSystemic(error) { return StorageError.unavailable("SQLite: \(error.message)") }
        return error
    }

    /// Runs a batch in one transaction. Writes rarely fail (input is checked before), so the batch runs without
    /// savepoints; if any job fails, the whole transaction is rolled back (see `failed`).
    private func run(_ batch: [Job]) async {
        let sql = connection.sql(queryLogLevel: nil)
        let started = ContinuousClock.now
        var results = [Result<any Sendable, any Error>?](repeating: nil, count: batch.count)
        do {
            try await sql.raw("BEGIN IMMEDIATE").run()
            // Writes given as closures run one after another; batchable writes of one kind share their statements.
            for (index, job) in batch.enumerated() {
                if let body = job.body { results[index] = .success(try await body(sql)) }
            }
            for group in Self.byKind(batch) {
                try Self.place(try await group.execute(sql, group.inputs), at: group.indices, in: &results)
            }
            try await sql.raw("COMMIT").run()
        } catch {
            try? await sql.raw("ROLLBACK").run()
            await failed(batch, error)
            return
        }
        counted(commits: 1, writes: batch.count, since: started)
        for (job, result) in zip(batch, results) {
            job.continuation.resume(with: result ?? .failure(StorageError.corrupt("no result")))
        }
    }

    private func runAlone(_ job: Job) async {
        let sql = connection.sql(queryLogLevel: nil)
        let started = ContinuousClock.now
        do {
            try await sql.raw("BEGIN IMMEDIATE").run()
            let value: any Sendable
            if let body = job.body {
                value = try await body(sql)
            } else if let batch = job.batch {
                value = try await batch.execute(sql, [batch.input])[0].get()
            } else {
                throw StorageError.corrupt("empty job")
            }
            try await sql.raw("COMMIT").run()
            counted(commits: 1, writes: 1, since: started)
            job.continuation.resume(returning: value)
        } catch {
            try? await sql.raw("ROLLBACK").run()
            job.continuation.resume(throwing: Self.reported(error))
        }
    }
}
