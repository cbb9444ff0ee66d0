import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Synchronization
import Testing

/// Several instances on one database: each period of a periodic service is claimed by exactly one of them, and the
/// claim records how the run went.
struct PeriodClaimsTests {
    final class Clock: Sendable {
        let seconds = Atomic<Int>(1_790_000_000)
        var now: Date { Date(timeIntervalSince1970: TimeInterval(seconds.load(ordering: .relaxed))) }
    }

    @Test(arguments: TestDatabase.dialects)
    func eachPeriodIsClaimedByOneInstanceAndItsRunRecorded(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let clock = Clock()
            let instances = (0..<8).map { PeriodClaims(database: database, instance: "instance-\($0)", now: { clock.now }) }
            // Eight instances start at once: one of them does the period's scan.
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for claims in instances { group.addTask { try await claims.claim("Deadline scan", interval: .seconds(60)) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
            // The same period again: nobody; another service's period is its own.
            #expect(try await !instances[3].claim("Deadline scan", interval: .seconds(60)))
            #expect(try await instances[3].claim("Weekly bulletin", interval: .seconds(3600)))
            // The next period: one again, whichever comes first.
            clock.seconds.add(60, ordering: .relaxed)
            #expect(try await instances[5].claim("Deadline scan", interval: .seconds(60)))
            #expect(try await !instances[0].claim("Deadline scan", interval: .seconds(60)))
            try await instances[5].finish("Deadline scan", duration: .milliseconds(1234), failed: false)
            let runs = try await instances[0].runs()
            let scan = try #require(runs.first { $0.service == "Deadline scan" })
            #expect(scan.instance == "instance-5" && scan.runs == 2 && scan.duration == 1.234 && !scan.failed)
            #expect(runs.map(\.service) == ["Deadline scan", "Weekly bulletin"])
        }
    }

    @Test func aRepeatingServiceRunsItsWorkOnlyWhenItClaimsThePeriod() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let clock = Clock()
            let ran = Atomic<Int>(0)
            let services = (0..<3).map { n in
                RepeatingService(
                    name: "Prune", interval: .seconds(600), logger: TestDatabase.logger,
                    claims: PeriodClaims(database: database, instance: "i\(n)", now: { clock.now })
                ) { ran.add(1, ordering: .relaxed) }
            }
            for service in services { await service.round() }
            #expect(ran.load(ordering: .relaxed) == 1)
            clock.seconds.add(600, ordering: .relaxed)
            for service in services.reversed() { await service.round() }
            #expect(ran.load(ordering: .relaxed) == 2)
        }
    }
}
