import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import MinyiApp
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

struct MeasuresAPITests {
    @Test func measuresOnAHandComputedExample() async throws {
        try await withApp { client, _, clock in
            let dispatcher = try await client.login("dispatcher")
            let handler = try await client.login("handler_a")
            var numbers: [String] = []
            for _ in 0..<4 { numbers.append(try number(try await client.submit(noiseFields))) }
            for number in numbers.prefix(3) { _ = try await client.command("dispatch", number, token: dispatcher) }
            _ = try await client.command("accept", numbers[0], token: handler)
            _ = try await client.command("accept", numbers[1], token: handler)
            _ = try await client.command("reply", numbers[0], token: handler, ["outcome": "resolved", "text": "好"])
            _ = try await client.command("reply", numbers[1], token: handler, ["outcome": "resolved", "text": "好"])
            clock.advance(86400)
            let callback = try await client.login("callback")
            let leader = try await client.login("leader")
            _ = try await client.command("callback", numbers[0], token: callback, ["result": "satisfied"])
            _ = try await client.command("callback", numbers[1], token: callback, ["result": "dissatisfied", "comment": "不行"])
            let m = try decode(Measures.self, try await client.get("/api/v1/measures?unit=S01&from=2026-09-01&to=2026-09-30", token: leader))
            #expect(m.received == 3)
            #expect(m.replyRate.percent == "66.7%")
            #expect(m.responseRate.numerator == 2)
            #expect(m.closureRate.numerator == 1)
            #expect(m.satisfactionRate.percent == "50.00%")
            #expect(m.firstSatisfactionRate.percent == "50.00%")
            #expect(m.open == 2)

            // Supervised, answered again, and this time satisfied: the final rate rises to 100%, the first-time rate
            // stays at the first answers' 50% (before, only the final figure existed, and it hid the first "no").
            let handlerAgain = try await client.login("handler_a")
            #expect(try await client.command("reply", numbers[1], token: handlerAgain, ["outcome": "resolved", "text": "已再次处理"]).status == .ok)
            clock.advance(86400)
            let callbackAgain = try await client.login("callback")
            let leaderAgain = try await client.login("leader")
            #expect(try await client.command("callback", numbers[1], token: callbackAgain, ["result": "satisfied"]).status == .ok)
            let after = try decode(Measures.self, try await client.get("/api/v1/measures?unit=S01&from=2026-09-01&to=2026-09-30", token: leaderAgain))
            #expect(after.satisfactionRate.percent == "100.00%")
            #expect(after.firstSatisfactionRate.percent == "50.00%")
            #expect(after.firstSatisfactionRate.denominator == 2)
            let bad = try await client.get("/api/v1/measures?from=yesterday", token: leaderAgain)
            #expect(bad.status == .unprocessableContent)
            #expect(try errorField(bad) == "from")
        }
    }
}

struct CatalogueAPITests {
    @Test func administratorsSetDeadlinesAndNewDispatchesUseThem() async throws {
        try await withApp { client, world, _ in
            let dispatcher = try await client.login("dispatcher")
            let denied = try await client.execute(
                uri: "/api/v1/categories/noise/deadlines", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer \(dispatcher)"],
                body: body(["response_hours": 1, "handling_days": 2]))
            #expect(denied.status == .forbidden)
            let admin = try await client.login("admin")
            let bad = try await client.execute(
                uri: "/api/v1/categories/noise/deadlines", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer \(admin)"], body: body(["response_hours": 0, "handling_days": 2]))
            #expect(bad.status == .unprocessableContent)
            #expect(try errorField(bad) == "response_hours")
            let ok = try await client.execute(
                uri: "/api/v1/categories/noise/deadlines", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer \(admin)"], body: body(["response_hours": 1, "handling_days": 2]))
            #expect(ok.status == .ok)
            let number = try number(try await client.submit(noiseFields))
            let summary = try decode(StaffItemView.self, try await client.command("dispatch", number, token: dispatcher)).summary
            #expect(summary.responseDue == World.t0 + 3600)  // 2026-09-21T15:13:20Z
            #expect(summary.handlingDue == World.t0 + 2 * 86400)  // 2026-09-23T14:13:20Z
            let entries = try await world.audit.entries(target: "noise")
            #expect(entries.first?.detail == "2h/5d → 1h/2d")
        }
    }
}

struct OpenAPITests {
    @Test func theDocumentDescribesExactlyTheRegisteredRoutes() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let dependencies = AppDependencies(
                database: database, keys: ServerKeys(pin: "s", csrf: "c", voter: "v"), passwords: PasswordHasher(cost: 4), now: { World.t0 },
                logger: TestDatabase.logger)
            let table = RouteTable()
            let router = buildRouter(dependencies: dependencies, config: AppConfig(), routes: table)
            let app = Application(router: router, logger: TestDatabase.logger)
            try await app.test(.router) { client in
                let response = try await client.get("/api/v1/openapi.json")
                #expect(response.status == .ok)
                let document = try json(response)
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
                let registered = Set(table.routes.map { "\($0.method) \($0.path)" })
                // Open311's calls are files under two routes of its own (`services.json`, `requests/{id}.json` …):
                // each documented call must be one of those routes, and each of those routes documented.
                let open311 = documented.filter { $0.contains(" /open311/") }
                let onlyDocumented = documented.subtracting(open311).subtracting(registered)
                #expect(
                    documented.subtracting(open311) == registered,
                    "only documented: \(onlyDocumented); only registered: \(registered.subtracting(documented))")
                let served = table.all.filter { !$0.isAPI && $0.path.hasPrefix("/open311/") }
                func serves(_ route: RouteTable.Entry, _ call: String) -> Bool {
                    let parts = call.split(separator: " ", maxSplits: 1)
                    let pattern = route.path.split(separator: "/")
                    let path = parts[1].split(separator: "/")
                    return parts[0] == route.method && pattern.count == path.count
                        && zip(pattern, path).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
                }
                #expect(open311.count == 7)
                for call in open311 { #expect(served.contains { serves($0, call) }, "\(call) is served by no route") }
                for route in served { #expect(open311.contains { serves(route, $0) }, "\(route.method) \(route.path) is not documented") }
            }
        }
    }

    @Test func unknownRoutesAnswerInTheErrorShape() async throws {
        try await withApp { client, _, _ in
            let response = try await client.get("/api/v1/nothing-here")
            #expect(response.status == .notFound)
            #expect(try errorMessage(response) != nil)
        }
    }
}
