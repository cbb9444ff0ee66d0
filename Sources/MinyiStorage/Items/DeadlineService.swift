import Foundation
import Logging
import ServiceLifecycle

extension RepeatingService {
    /// Scans for missed deadlines on a schedule, recording each breach once and issuing its supervision order.
    public static func deadlineScan(
        items: SQLItemStore, interval: Duration, now: @escaping @Sendable () -> Date, logger: Logger, claims: PeriodClaims? = nil
    ) -> RepeatingService {
        RepeatingService(name: "Deadline scan", interval: interval, logger: logger, claims: claims) {
            let count = try await items.scanDeadlines(at: now())
            if count > 0 { logger.info("Deadline scan issued supervision orders", metadata: ["count": "\(count)"]) }
        }
    }
}
