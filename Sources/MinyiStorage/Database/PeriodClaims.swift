import Foundation
import SQLKit

/// Claims of the periodic services' periods, so that with several instances on one database each period's work (the
/// deadline scan, the Monday bulletin, pruning …) is done once, by whichever instance claims it first; and the record
/// of each service's last run, for the metrics.
public struct PeriodClaims: Sendable {
    let database: any DatabaseBackend
    /// This process, as the claims name it.
    public let instance: String
    let now: @Sendable () -> Date

    public init(database: any DatabaseBackend, instance: String, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.instance = instance
        self.now = now
    }

    /// The period `date` falls in for a service that runs every `interval`.
    public static func period(of date: Date, interval: Duration) -> Int64 {
        let seconds = max(1, interval.components.seconds)
        return Int64(date.timeIntervalSince1970.rounded(.down)) / seconds
    }

    /// Claims the current period of `service`: true for the one instance that gets it, false for every other (and for
    /// this one again in the same period). One statement, so two instances cannot both win.
    public func claim(_ service: String, interval: Duration) async throws -> Bool {
        let at = now()
        let period = Self.period(of: at, interval: interval)
        return try await database.write { db in
            try await db.raw(
                """
                INSERT INTO periodic_runs (service, period, instance, started_at, finished_at, duration_ms, failed, runs)
                VALUES (\(bind: service), \(bind: period), \(bind: instance), \(bind: at.epochSeconds), NULL, NULL, 0, 1)
                ON CONFLICT (service) DO UPDATE SET period = excluded.period, instance = excluded.instance, started_at = excluded.started_at,
                    finished_at = NULL, duration_ms = NULL, failed = 0, runs = periodic_runs.runs + 1
                WHERE periodic_runs.period < excluded.period
                RETURNING service
                """
            ).first() != nil
        }
    }

    /// Records how the claimed run ended.
    public func finish(_ service: String, duration: Duration, failed: Bool) async throws {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        try await database.write { db in
            try await db.raw(
                """
                UPDATE periodic_runs SET finished_at = \(bind: now().epochSeconds), duration_ms = \(bind: milliseconds), \
                failed = \(bind: failed ? 1 : 0) WHERE service = \(bind: service) AND instance = \(bind: instance)
                """
            ).run()
        }
    }

    /// Every service's last claimed run.
    public struct Run: Sendable, Hashable {
        public var service: String
        public var period: Int64
        public var instance: String
        public var startedAt: Date
        public var finishedAt: Date?
        public var duration: Double?
        public var failed: Bool
        public var runs: Int
    }

    public func runs() async throws -> [Run] {
        try await database.read { db in
            try await db.raw("SELECT * FROM periodic_runs ORDER BY service").all().map { row in
                Run(
                    service: try row.string("service"), period: Int64(try row.int("period")), instance: try row.string("instance"),
                    startedAt: Date(epochSeconds: try row.int("started_at")),
                    finishedAt: try row.optionalInt("finished_at").map { Date(epochSeconds: $0) },
                    duration: try row.optionalInt("duration_ms").map { Double($0) / 1000 }, failed: try row.int("failed") != 0,
                    runs: try row.int("runs"))
            }
        }
    }
}
