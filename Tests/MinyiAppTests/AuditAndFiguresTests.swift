import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

struct AuditAndFiguresTests {
    /// The audit log is read a page at a time, following `Link: rel="next"`, and filtered by officer and period
    /// (before: the newest 200 entries, unfiltered).
    @Test(arguments: TestDatabase.dialects)
    func theAuditLogIsPagedAndFiltered(dialect: DatabaseDialect) async throws {
        try await withConfiguredApp(dialect: dialect) { client, world, _ in
            for i in 0..<7 {
                try await world.audit.record(
                    actor: world.callbackAgent.officer.id, action: "contact.read", target: "KFQ-2026-00000\(i)", detail: "回访",
                    at: World.t0 + Double(i))
            }
            try await world.audit.record(
                actor: world.leader.officer.id, action: "category.deadlines", target: "noise", detail: nil, at: World.t0 - 86400 * 3)
            let auditor = try await client.login("auditor")
            var seen: [String] = []
            var next: String? = "/api/v1/audit?actor=callback&limit=3"
            var pages = 0
            while let uri = next {
                let response = try await client.get(uri, token: auditor)
                #expect(response.status == .ok)
                seen += try decode([AuditRow].self, response).compactMap(\.target)
                next = response.headers[HTTPField.Name("Link")!].flatMap { link in
                    link.split(separator: ";").first.map { String($0.dropFirst().dropLast()) }
                }
                pages += 1
            }
            #expect(pages == 3)
            #expect(seen == (0..<7).reversed().map { "KFQ-2026-00000\($0)" })
            let old = try await client.get("/api/v1/audit?to=2026-09-19", token: auditor)
            #expect(try decode([AuditRow].self, old).map(\.action) == ["category.deadlines"])
            #expect(try errorField(try await client.get("/api/v1/audit?actor=nobody", token: auditor)) == "actor")
            #expect(try errorField(try await client.get("/api/v1/audit?limit=5000", token: auditor)) == "limit")
        }
    }

    /// The pages show what is late now, what is due soon, and both satisfaction rates with their definitions.
    @Test func thePagesShowLatenessWarningsAndBothSatisfactionRates() async throws {
        try await withApp { client, world, clock in
            let number = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: clock.now).item.number
            _ = try await world.items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: clock.now)  // accept within 2 h
            let dispatcher = Browser(client)
            try await dispatcher.login("dispatcher")
            let soon = try await dispatcher.get("/staff/queue?view=due-soon")
            #expect(soon.html.contains(number) && soon.html.contains("class=\"due-soon"))
            let dashboard = try await dispatcher.get("/staff/dashboard")
            #expect(dashboard.html.contains("即将到期") && dashboard.html.contains("一次满意率") && dashboard.html.contains("最终满意率"))

            clock.advance(3 * 3600)
            _ = try await world.items.scanDeadlines(at: clock.now)
            clock.advance(3 * 3600)
            _ = try await world.items.scanDeadlines(at: clock.now)  // late twice: the deadlines moved on twice
            try await dispatcher.login("dispatcher")
            let late = try await dispatcher.get("/staff/queue?view=overdue")
            #expect(late.html.contains(number) && late.html.contains("签收超时"))
            let handler = Browser(client)
            try await handler.login("handler_a")
            #expect(try await handler.get("/staff/inbox").html.contains("签收超时"))

            let results = try await Browser(client).get("/results")
            #expect(results.html.contains("一次满意率") && results.html.contains("最终满意率") && results.html.contains("id=\"definitions\""))
        }
    }
}
