import Foundation
import Logging
import ServiceLifecycle

/// Scans for missed deadlines on a schedule, recording each breach once and issuing its supervision order.
public struct DeadlineService: Service {
    let items: SQLItemStore
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger

    public init(items: SQLItemStore, interval: Duration, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.items = items
        self.interval = interval
        self.now = now
        self.logger = logger
    }

    /// Scans, sleeps, and scans again until the task is cancelled or the service group shuts down.
    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let count = try await items.scanDeadlines(at: now())
                    if count > 0 { logger.info("Deadline scan issued supervision orders", metadata: ["count": "\(count)"]) }
                } catch {
                    logger.error("Deadline scan failed", metadata: ["error": "\(error)"])
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
