import Foundation
import Logging
import ServiceLifecycle

/// Runs a piece of work, sleeps, and runs it again until the task is cancelled or the service group shuts down;
/// a failed round is logged and the next one runs as usual.
public struct RepeatingService: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Void

    public init(name: String, interval: Duration, logger: Logger, work: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.work = work
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await work()
                } catch {
                    logger.error("\(name) failed", metadata: ["error": "\(error)"])
                }
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
            }
        }
    }
}

extension RepeatingService {
    /// Scans for missed deadlines on a schedule, recording each breach once and issuing its supervision order.
    public static func deadlineScan(items: SQLItemStore, interval: Duration, now: @escaping @Sendable () -> Date, logger: Logger) -> RepeatingService {
        RepeatingService(name: "Deadline scan", interval: interval, logger: logger) {
            let count = try await items.scanDeadlines(at: now())
            if count > 0 { logger.info("Deadline scan issued supervision orders", metadata: ["count": "\(count)"]) }
        }
    }
}

extension RepeatingService {
    /// Failed guesses are kept a day (the throttles look back an hour), then deleted, with expired sessions.
    public static func pruneGuesses(auth: SQLAuthStore, interval: Duration, now: @escaping @Sendable () -> Date, logger: Logger) -> RepeatingService {
        RepeatingService(name: "Prune failed guesses", interval: interval, logger: logger) {
            let at = now()
            try await auth.prune(before: at.addingTimeInterval(-SQLAuthStore.guessRetention), at: at)
        }
    }
}
