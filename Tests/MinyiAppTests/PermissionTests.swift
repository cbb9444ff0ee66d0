import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

/// Every route that names a permission admits exactly the officers who hold it, page and API alike: an officer of
/// each role tries every such route, and is refused with 403 exactly when `Permission` says so. (Before the table,
/// the supervision API let dispatchers in while the page and the navigation did not.)
struct PermissionTests {
    @Test func everyRouteAdmitsExactlyTheHoldersOfItsPermission() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            // Setup: the test bureau, a unit lead, an item, a business record, an echo-card batch, a bulletin.
            let world = try await World.make(on: database, passwordHash: testPasswordHash)
            _ = try await world.organisation.addOfficer(
                id: "o-lead_a", username: "lead_a", name: "lead_a", unit: "S01", roles: [.unitLead], passwordHash: testPasswordHash, at: World.t0)
            let number = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: World.t0).item.number
            let dependencies = AppDependencies(
                database: database, keys: ServerKeys(pin: "test-secret", csrf: "test-csrf", voter: "test-voter"), passwords: PasswordHasher(cost: 4),
                now: { World.t0 },
                logger: TestDatabase.logger)
            let type = try #require(try await dependencies.business.types().first?.code)
            let record = BusinessRecord(
                recordID: "R-PERM", businessType: type, unitID: "S01", officer: "民警", contactName: "居民", contactPhone: "13912345678",
                occurredAt: World.t0 - 86400 * 2, sensitive: false)
            _ = try await dependencies.business.importRecords([record], source: "test", by: nil, at: World.t0)
            let batch = try await dependencies.echoCards.issue(count: 2, to: "S01", by: world.admin, at: World.t0)
            let week = Bulletin.previousWeek(before: World.t0)
            try await dependencies.bulletins.issue(week: week, by: nil, at: World.t0)
            _ = try await world.organisation.addOfficer(
                id: "o-community_a", username: "community_a", name: "community_a", unit: "S01-O1", roles: [.communityOfficer],
                passwordHash: testPasswordHash, at: World.t0)
            let household = try await dependencies.community.addHousehold(
                try .init(unitID: "S01-C1", address: "幸福路 1 号", members: [], tags: [.hardship], officerID: nil), by: nil, reason: "登记",
                at: World.t0)
            let values = [
                "{number}": number, "{record}": "R-PERM", "{batch}": batch.id, "{week}": Format.date(week.start), "{code}": type,
                "{household}": household.household.id.rawValue,
            ]
            let table = RouteTable()
            var config = AppConfig()
            config.publicRequestsPerMinute = 0
            let app = Application(router: buildRouter(dependencies: dependencies, config: config, routes: table), logger: TestDatabase.logger)
            // Logging out (the API's DELETE of the session) goes last, as it ends the session the others use.
            let checked = table.all.filter { $0.permission != nil }.sorted { ($0.method == "DELETE" ? 1 : 0) < ($1.method == "DELETE" ? 1 : 0) }
            #expect(checked.count > 30)

            try await app.test(.router) { client in
                let officers = ["clerk_a", "dispatcher", "handler_a", "lead_a", "callback", "inspector", "leader", "auditor", "admin", "community_a"]
                for username in officers {
                    let officer = try #require(try await world.organisation.officer(username: username)?.officer)
                    let actor = try await world.organisation.actor(for: officer)
                    let token = try await client.login(username)
                    let browser = Browser(client)
                    try await browser.login(username)
                    for route in checked {
                        var path = route.path
                        for (name, value) in values { path = path.replacingOccurrences(of: name, with: value) }
                        // The category's deadlines are under `{code}` too.
                        if route.path.hasPrefix("/api/v1/categories/") { path = "/api/v1/categories/noise/deadlines" }
                        let status: HTTPResponse.Status
                        if route.isAPI {
                            let response = try await client.execute(
                                uri: path, method: HTTPRequest.Method(rawValue: route.method)!,
                                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                body: route.method == "GET" ? nil : ByteBuffer(string: "{}"))
                            status = response.status

                        } else if route.method == "GET" {
                            status = try await browser.get(path).status
                        } else {
                            try await browser.get("/staff")  // a fresh form token
                            status = try await browser.post(path, []).status
                        }
                        let held = route.permission!.isHeld(by: actor)
                        #expect(
                            (status == .forbidden) == !held && status != .unauthorized,
                            "\(username) \(route.method) \(path): \(status.code), \(held ? "holds" : "lacks") \(route.permission!)")
                    }
                }
            }
        }
    }

    /// A page and the API call for the same act name the same permission.
    @Test func pagesAndTheAPIAskTheSamePermissionForTheSameAct() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let dependencies = AppDependencies(
                database: database, keys: ServerKeys(pin: "s", csrf: "c", voter: "v"), passwords: PasswordHasher(cost: 4), now: { World.t0 },
                logger: TestDatabase.logger)
            let table = RouteTable()
            _ = buildRouter(dependencies: dependencies, config: AppConfig(), routes: table)
            func permission(_ method: String, _ path: String) -> Permission? {
                table.all.first { $0.method == method && $0.path == path }?.permission
            }
            #expect(permission("GET", "/staff/supervision") == permission("GET", "/api/v1/supervision-orders"))
            #expect(permission("GET", "/staff/supervision") == .readSupervision)
            #expect(permission("GET", "/staff/ledger") == permission("GET", "/api/v1/items"))
        }
    }

    /// The steps an officer may take now are worked out once (`Access.steps`) for the page's forms and the API's
    /// `allowed_commands` (before, the API listed every step the status allowed, whoever asked).
    @Test func theAPIListsTheStepsThisOfficerMayTakeNow() async throws {
        try await withApp { client, _, _ in
            let number = try number(try await client.submit(noiseFields))
            func steps(_ username: String) async throws -> Set<String> {
                let view = try decode(StaffItemView.self, try await client.get("/api/v1/items/\(number)", token: try await client.login(username)))
                return Set(view.allowedCommands)
            }
            #expect(try await steps("dispatcher") == ["answer", "dispatch", "merge", "reject", "recategorize"])
            #expect(try await steps("leader") == ["close"])
            #expect(try await steps("handler_a").isEmpty)
            let browser = Browser(client)
            try await browser.login("dispatcher")
            let page = try await browser.get("/staff/items/\(number)")
            #expect(
                page.html.contains("action=\"/staff/items/\(number)/dispatch\"") && !page.html.contains("action=\"/staff/items/\(number)/close\""))
        }
    }
}
