import Logging
import NIOPosix
import Synchronization

/// A connection to the database file with a thread of its own, and a loop that runs one step at a time on it in the
/// background, beside the writer: the WAL checkpointer and the phone index.
final class BackgroundConnection: Sendable {
    private let pool: NIOThreadPool
    private let connection: SQLiteWriteConnection
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Opens the file at `path`; `prepare` runs on the new connection before anything else does.
    init(
        path: String, busyTimeout: Duration, prepare: @escaping @Sendable (SQLiteWriteConnection) throws -> Void = { _ in }
    ) async throws {
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        do {
            connection = try await pool.runIfActive {
                let connection = try SQLiteWriteConnection(path: path, busyTimeout: busyTimeout)
                try prepare(connection)
                return connection
            }
        } catch {
            try? await pool.shutdownGracefully()
            throw error
        }
    }

    /// Runs `body` on the connection's thread, after any step under way.
    func run<T: Sendable>(_ body: @escaping @Sendable (SQLiteWriteConnection) throws -> T) async throws -> T {
        try await pool.runIfActive { [connection] in try body(connection) }
    }

    /// Runs `step` now and then every `interval`, and again at once while it returns true (more work waiting). A failed
    /// step is logged, once until a step succeeds again, and tried again at the next.
    func start(every interval: Duration, logger: Logger, name: String, step: @escaping @Sendable (SQLiteWriteConnection) throws -> Bool) {
        let running = Task { [self] in
            var failing = false
            while !Task.isCancelled {
                do {
                    let more = try await run(step)
                    failing = false
                    if more { continue }
                } catch is CancellationError {
                    return
                } catch {
                    if !failing { logger.warning("\(name) failed: \(error)") }
                    failing = true
                }
                try? await Task.sleep(for: interval)
            }
        }
        task.withLock { $0 = running }
    }

    /// Stops the loop, runs `last` on the connection, and closes the connection and its thread.
    func stop(last: @escaping @Sendable (SQLiteWriteConnection) -> Void = { _ in }) async {
        let running = task.withLock { task in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
        try? await run { connection in
            last(connection)
            connection.close()
        }
        try? await pool.shutdownGracefully()
    }
}
