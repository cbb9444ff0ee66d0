import Foundation
import Logging
import ServiceLifecycle

/// Runs a piece of work, sleeps, and runs it again until the task is cancelled or the service group shuts down;
/// a failed round is logged and the next one runs as usual. With `claims`, a round runs only in the instance that
/// claims its period, so that several instances on one database do each period's work once; the claim records when
/// it ran, for how long and whether it failed.
public struct RepeatingService: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let claims: PeriodClaims?
    let work: @Sendable () async throws -> Void

    public init(
        name: String, interval: Duration, logger: Logger, claims: PeriodClaims? = nil, work: @escaping @Sendable () async throws -> Void
    ) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.claims = claims
        self.work = work
    }

    /// One round: claimed first when there are claims.
    public func round() async {
        do {
            if let claims {
                guard try await claims.claim(name, interval: interval) else { return }
                let clock = ContinuousClock()
                let started = clock.now
                var failed = false
                do {
                    try await work()
                } catch {
                    failed = true
                    logger.error("\(name) failed", metadata: ["error": "\(error)"])
                }
                try await claims.finish(name, duration: clock.now - started, failed: failed)
            } else {
                try await work()
            }
        } catch {
            logger.error("\(name) failed", metadata: ["error": "\(error)"])
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await round()
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
            }
        }
    }
}
