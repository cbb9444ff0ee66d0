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

    public func run() async throws {
        while !Task.isCancelledOrShuttingDown {
            do {
                let count = try await items.scanDeadlines(at: now())
                if count > 0 { logger.info("Deadline scan issued supervision orders", metadata: ["count": "\(count)"]) }
            } catch {
                logger.error("Deadline scan failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
            try? await gracefulShutdown()
        }
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
