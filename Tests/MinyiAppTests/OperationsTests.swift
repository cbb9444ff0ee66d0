import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

/// Running it: metrics for this machine or the token holder, with labels that stay few however many items and officers
/// there are; readiness apart from liveness.
struct OperationsTests {
    /// The values of `label` in every sample of `metric` in a Prometheus text page.
    static func labelValues(_ label: String, of metric: String, in text: String) -> Set<String> {
        var values = Set<String>()
        for line in text.split(separator: "\n") where line.hasPrefix(metric + "{") || line.hasPrefix(metric + "_bucket{") {
            guard let range = line.range(of: "\(label)=\"") else { continue }
            values.insert(String(line[range.upperBound...].prefix { $0 != "\"" }))
        }
        return values
    }

    @Test func metricsAreForThisMachineOrTheTokenAndTheirLabelsAreBounded() async throws {
        try await withConfiguredApp(live: true) { client, world, _ in
            // Items of many numbers, looked up by many numbers: one route label.
            for n in 0..<12 {
                let created = try await client.submit(["kind": "complaint", "category": "noise", "text": "噪音 \(n)", "place": "S01-C1"])
                let number = try json(created)["number"] as? String ?? "?"
                _ = try await client.execute(uri: "/api/v1/items/\(number)?pin=000000", method: .get)
            }
            _ = try await client.execute(uri: "/no/such/page/\(UUID().uuidString)", method: .get)
            let page = try await client.execute(uri: "/metrics", method: .get)
            #expect(page.status == .ok && page.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: page.body)
            let routes = Self.labelValues("route", of: "minyi_http_requests_total", in: text)
            #expect(routes.contains("/api/v1/items") && routes.contains("/api/v1/items/{number}"))
            #expect(!routes.contains { $0.contains("KFQ-") || $0.contains("no/such") }, "\(routes)")
            #expect(text.contains("minyi_commit_batch_size_bucket") && text.contains("minyi_commit_duration_seconds_bucket"))
            #expect(text.contains("minyi_items_open{station=\"S01\"} 12"))
            #expect(text.contains("minyi_periodic_last_run_timestamp_seconds{service=\"Deadline scan\"}"))
            #expect(text.contains("minyi_db_reads_in_flight"))
            // Forwarded by a proxy: the public behind it may not read it.
            let forwarded = try await client.execute(uri: "/metrics", method: .get, headers: [.xForwardedFor: "203.0.113.9"])
            #expect(forwarded.status == .forbidden)
            _ = world
        }
    }

    @Test func withATokenOnlyItsHolderReadsTheMetrics() async throws {
        try await withConfiguredApp(configure: { $0.metricsToken = "a-long-metrics-token-for-tests" }) { client, _, _ in
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .forbidden)
            #expect(
                try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer wrong-token-here-123"]).status == .forbidden
            )
            let page = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer a-long-metrics-token-for-tests"])
            #expect(page.status == .ok && String(buffer: page.body).contains("minyi_http_requests_total"))
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func readinessSaysWhetherTheDatabaseAnswersWithCurrentMigrations(dialect: DatabaseDialect) async throws {
        try await withConfiguredApp(dialect: dialect) { client, world, _ in
            let ready = try await client.execute(uri: "/health/ready", method: .get)
            #expect(ready.status == .ok && String(buffer: ready.body).contains("\"ready\":true"))
            // A migration missing: not ready, and it says which; liveness is still fine.
            let newest = Migrator.all.map(\.version).max() ?? 0
            try await world.database.write { try await $0.raw("DELETE FROM schema_migrations WHERE version = \(bind: newest)").run() }
            let pending = try await client.execute(uri: "/health/ready", method: .get)
            #expect(pending.status == .serviceUnavailable && String(buffer: pending.body).contains("migrations pending"))
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            // The database gone (its table dropped from under it, as a restore gone wrong would): not ready.
            try await world.database.write { try await $0.raw("DROP TABLE schema_migrations").run() }
            let gone = try await client.execute(uri: "/health/ready", method: .get)
            #expect(gone.status == .serviceUnavailable && String(buffer: gone.body).contains("database unreachable"))
        }
    }
}
