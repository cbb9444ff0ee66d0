import Foundation
import Logging
import ServiceLifecycle

extension RepeatingService {
    /// Failed guesses are kept a day (the throttles look back an hour), then deleted, with expired sessions.
    public static func pruneGuesses(
        auth: SQLAuthStore, interval: Duration, now: @escaping @Sendable () -> Date, logger: Logger, claims: PeriodClaims? = nil
    ) -> RepeatingService {
        RepeatingService(name: "Prune failed guesses", interval: interval, logger: logger, claims: claims) {
            let at = now()
            try await auth.prune(before: at.addingTimeInterval(-SQLAuthStore.guessRetention), at: at)
        }
    }
}
