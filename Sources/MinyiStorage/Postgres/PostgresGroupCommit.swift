import Foundation
import Synchronization

/// Group commit on PostgreSQL: concurrent requests of one batchable kind (the intake) share transactions, so that one
/// durable commit (`synchronous_commit = on`, one WAL flush) acknowledges many of them. A request waits in the queue
/// while the transaction in flight commits; the committer then takes everything queued as one batch. Every request is
/// answered only after its transaction committed. A batch that fails is retried one request at a time, so that one bad
/// request fails alone.
final class PostgresGroupCommit<W: BatchableWrite>: Sendable {
    private struct Pending: Sendable {
        var input: W.Input
        var continuation: CheckedContinuation<W.Output, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var committers = 0
    }

    private let state = Mutex(State())
    /// Transactions in flight at once. One: the intake's batches of one bureau and year serialise on their counter row
    /// anyway, so a second batch in flight only waited there for the first's commit, while it halved the batches and
    /// so doubled the statements, their commits and the server's work per batch (BENCHMARKS.md, "One batch in flight":
    /// 14% less CPU per registration). Each instance of several has its own.
    let maxCommitters: Int
    /// The most requests one transaction takes.
    let maxBatch: Int
    private let run: @Sendable ([W.Input]) async throws -> [Result<W.Output, any Error>]
    private let runAlone: @Sendable (W.Input) async throws -> W.Output
    private let statistics: Mutex<(commits: Int, writes: Int)> = Mutex((0, 0))
    /// Told of every commit (see `DatabaseBackend.observeCommits`).
    let observer = Mutex<CommitObserver?>(nil)

    /// Requests waiting for a transaction.
    var queued: Int { state.withLock { $0.queue.count } }

    init(
        maxCommitters: Int = 1, maxBatch: Int = 512, run: @escaping @Sendable ([W.Input]) async throws -> [Result<W.Output, any Error>],
        runAlone: @escaping @Sendable (W.Input) async throws -> W.Output
    ) {
        self.maxCommitters = maxCommitters
        self.maxBatch = maxBatch
        self.run = run
        self.runAlone = runAlone
    }

    /// Commits and requests committed so far.
    var commitStatistics: (commits: Int, writes: Int) { statistics.withLock { $0 } }

    func submit(_ input: W.Input) async throws -> W.Output {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { state -> Bool in
                state.queue.append(Pending(input: input, continuation: continuation))
                guard state.committers < maxCommitters else { return false }
                state.committers += 1
                return true
            }
            if start { Task { await self.commitWhileQueued() } }
        }
    }

    /// Takes batches off the queue until it is empty.
    private func commitWhileQueued() async {
        while true {
            let batch = state.withLock { state -> [Pending]? in
                guard !state.queue.isEmpty else {
                    state.committers -= 1
                    return nil
                }
                let count = min(state.queue.count, maxBatch)
                let batch = Array(state.queue.prefix(count))
                state.queue.removeFirst(count)
                return batch
            }
            guard let batch else { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [Pending]) async {
        let started = ContinuousClock.now
        do {
            let results = try await run(batch.map(\.input))
            statistics.withLock {
                $0.commits += 1
                $0.writes += batch.count
            }
            observer.withLock { $0 }?.notify(batch.count, ContinuousClock.now - started)
            for (pending, result) in zip(batch, results) { pending.continuation.resume(with: result) }
        } catch {
            // One request may have failed the batch: each alone, so that it fails by itself.
            for pending in batch {
                do {
                    let output = try await runAlone(pending.input)
                    statistics.withLock {
                        $0.commits += 1
                        $0.writes += 1
                    }
                    pending.continuation.resume(returning: output)
                } catch {
                    pending.continuation.resume(throwing: error)
                }
            }
        }
    }
}
