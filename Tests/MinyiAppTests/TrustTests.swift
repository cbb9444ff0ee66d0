import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

/// The app with its dependencies at hand and a configuration of the test's own; `live` runs a real server on
/// loopback, so requests have a connection address (needed to tell guessers apart).
func withConfiguredApp(
    dialect: DatabaseDialect = .sqlite, live: Bool = false, configure: @Sendable (inout AppConfig) -> Void = { _ in },
    _ body: @escaping @Sendable (any TestClientProtocol, World, AppDependencies) async throws -> Void
) async throws {
    try await TestDatabase.withFresh(dialect) { database in
        let world = try await World.make(on: database, passwordHash: testPasswordHash)
        let dependencies = AppDependencies(
            database: database, keys: ServerKeys(pin: "test-secret", csrf: "test-csrf"), passwords: PasswordHasher(cost: 4), now: { World.t0 },
            logger: TestDatabase.logger)
        var config = AppConfig()
        config.publicRequestsPerMinute = 0
        config.deadlineScanInterval = .seconds(3600)
        configure(&config)
        let app = buildApplication(config: config, dependencies: dependencies)
        try await app.test(live ? .live : .router) { client in try await body(client, world, dependencies) }
    }
}

extension TestClientProtocol {
    /// A JSON request from a client behind the proxy, which says so in `X-Forwarded-For`.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, _ fields: [String: Any]? = nil, token: String? = nil, from address: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let address { headers[HTTPField.Name("X-Forwarded-For")!] = address }
        return try await execute(uri: uri, method: method, headers: headers, body: fields.map(body))
    }

    func login(_ username: String, password: String, from address: String) async throws -> TestResponse {
        try await send(.post, "/api/v1/sessions", ["username": username, "password": password], from: address)
    }
}

/// A fast policy for tests: the same rules, with turns of 10 ms and waits of at most 50 ms.
func quickGuesses(_ policy: GuessPolicy) -> GuessPolicy {
    var policy = policy
    policy.targetSpacing = 0.01
    policy.maxTargetWait = 0.05
    return policy
}

struct JurisdictionTests {
    /// Each action's targets are checked, not only its subject: before, a station's dispatcher merged an item into
    /// another station's item that the same officer could not read.
    @Test(arguments: TestDatabase.dialects)
    func aMergeTargetOutsideTheJurisdictionIsUnknown(dialect: DatabaseDialect) async throws {
        try await withConfiguredApp(dialect: dialect) { client, world, _ in
            _ = try await world.organisation.addOfficer(
                id: "o-dispatcher1", username: "dispatcher1", name: "所调度", unit: "S01", roles: [.dispatcher], passwordHash: testPasswordHash,
                at: world.t0)
            let own = try json(try await client.submit(noiseFields))["number"] as! String
            let ownToo = try json(try await client.submit(noiseFields))["number"] as! String
            var elsewhere = noiseFields
            elsewhere["place"] = "S02-C1"
            let other = try json(try await client.submit(elsewhere))["number"] as! String
            let token = try await client.login("dispatcher1")
            #expect(try await client.get("/api/v1/items/\(other)", token: token).status == .notFound)

            let refused = try await client.command("merge", own, token: token, ["into": other])
            #expect(refused.status == .unprocessableContent)
            #expect(try errorField(refused) == "into")
            let after = try await client.get("/api/v1/items/\(own)", token: token)
            #expect((try json(after)["summary"] as? [String: Any])?["status"] as? String == "registered")

            #expect(try await client.command("merge", own, token: token, ["into": ownToo]).status == .ok)

            // The place of an item a station's clerk registers is the clerk's to serve too.
            let clerk = try await client.login("clerk_a")
            var phoned = elsewhere
            phoned["channel"] = "phone"
            let outside = try await client.submit(phoned, token: clerk)
            #expect(outside.status == .unprocessableContent)
            #expect(try errorField(outside) == "place")
            phoned["place"] = "S01-C1"
            #expect(try await client.submit(phoned, token: clerk).status == .created)
        }
    }

    /// A station's administrator administers the station: bureau-wide settings, another station's business records
    /// and the rest of the bureau's audit log are beyond them.
    @Test(arguments: TestDatabase.dialects)
    func aStationAdministratorActsOnlyWithinTheStation(dialect: DatabaseDialect) async throws {
        try await withConfiguredApp(dialect: dialect) { client, world, _ in
            _ = try await world.organisation.addOfficer(
                id: "o-admin1", username: "admin1", name: "所管理员", unit: "S01", roles: [.admin], passwordHash: testPasswordHash, at: world.t0)
            let station = try await client.login("admin1")
            let bureau = try await client.login("admin")
            let deadlines: [String: Any] = ["response_hours": 3, "handling_days": 4]
            #expect(try await client.send(.post, "/api/v1/categories/noise/deadlines", deadlines, token: station).status == .forbidden)
            #expect(try await client.send(.post, "/api/v1/categories/noise/deadlines", deadlines, token: bureau).status == .ok)
            let types = try JSONSerialization.jsonObject(
                with: Data(try await client.get("/api/v1/business-types", token: bureau).body.readableBytesView))
            let type = try #require(((types as? [[String: Any]])?.first)?["code"] as? String)
            #expect(
                try await client.send(.post, "/api/v1/business-types/\(type)/callback-days", ["callback_days": 2], token: station).status
                    == .forbidden)
            #expect(try await client.send(.post, "/api/v1/business-types/\(type)/callback-days", ["callback_days": 2], token: bureau).status == .ok)

            func record(_ id: String, unit: String) -> [String: Any] {
                ["record_id": id, "business_type": type, "unit": unit, "officer": "民警", "name": "居民", "phone": "13912345678", "date": "2026-09-20"]
            }
            let imported = try json(
                try await client.send(
                    .post, "/api/v1/business-records", ["records": [record("R-1", unit: "S01"), record("R-2", unit: "S02")]], token: station))
            #expect(imported["imported"] as? Int == 1)
            let rejected = try #require(imported["rejected"] as? [[String: Any]])
            #expect(rejected.count == 1 && rejected.first?["index"] as? Int == 1 && rejected.first?["field"] as? String == "unit")

            // Audit: the station's administrator reads the entries of the station's officers only.
            _ = try await client.login("clerk_a")
            _ = try await client.login("handler_b")
            func actors(_ token: String) async throws -> Set<String> {
                let list = try JSONSerialization.jsonObject(
                    with: Data(try await client.get("/api/v1/audit?action=login", token: token).body.readableBytesView))
                return Set(((list as? [[String: Any]]) ?? []).compactMap { $0["actor_id"] as? String })
            }
            #expect(try await actors(station) == ["o-admin1", "o-clerk_a"])
            #expect(try await actors(bureau).isSuperset(of: ["o-admin1", "o-clerk_a", "o-handler_b", "o-admin"]))
        }
    }
}

struct ThrottleTests {
    /// Wrong passwords slow the address they come from; the owner, from elsewhere, still logs in. Before, five wrong
    /// passwords from anywhere locked the account for 15 minutes.
    @Test func aGuesserIsSlowedAndTheOwnerStillLogsIn() async throws {
        try await withConfiguredApp(
            live: true,
            configure: {
                $0.trustedProxies = ["127.0.0.1", "::1"]
                $0.loginGuesses = quickGuesses(.login)
            }
        ) { client, _, _ in
            for _ in 0..<5 { #expect(try await client.login("clerk_a", password: "wrong-password", from: "203.0.113.5").status == .unauthorized) }
            let slowed = try await client.login("clerk_a", password: testPassword, from: "203.0.113.5")
            #expect(slowed.status == .tooManyRequests)
            #expect(slowed.headers[.retryAfter] == "1")
            #expect(try await client.login("clerk_a", password: testPassword, from: "198.51.100.7").status == .created)

            // Many addresses, one wrong password each: the account is under attack and its attempts take turns, but
            // an address that has not failed on it still gets in.
            for i in 1...25 { _ = try await client.login("clerk_a", password: "wrong-\(i)", from: "192.0.2.\(i)") }
            #expect(try await client.login("clerk_a", password: testPassword, from: "198.51.100.8").status == .created)
        }
    }

    /// Ten wrong PINs from one address slow that address; the resident, from another, still reads the item. Before,
    /// the number was locked for an hour for everyone.
    @Test func wrongPinsSlowTheGuesserNotTheResident() async throws {
        try await withConfiguredApp(
            live: true,
            configure: {
                $0.trustedProxies = ["127.0.0.1", "::1"]
                $0.pinGuesses = quickGuesses(.pin)
            }
        ) { client, _, _ in
            let created = try json(try await client.send(.post, "/api/v1/items", noiseFields, from: "198.51.100.20"))
            let number = try #require(created["number"] as? String)
            let pin = try #require(created["pin"] as? String)
            let wrong = pin == "000000" ? "111111" : "000000"
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<10 { statuses.append(try await client.send(.get, "/api/v1/items/\(number)?pin=\(wrong)", from: "203.0.113.9").status) }
            #expect(statuses.prefix(5).allSatisfy { $0 == .notFound })
            #expect(statuses.contains(.tooManyRequests))
            #expect(try await client.send(.get, "/api/v1/items/\(number)?pin=\(pin)", from: "203.0.113.9").status == .tooManyRequests)
            #expect(try await client.send(.get, "/api/v1/items/\(number)?pin=\(pin)", from: "198.51.100.20").status == .ok)
        }
    }

    /// `X-Forwarded-For` is believed from trusted proxies only: behind one, residents get buckets of their own;
    /// without it, a client cannot pick a fresh bucket by sending the header.
    @Test(arguments: [true, false])
    func forwardedAddressesAreBelievedOnlyFromTrustedProxies(trusted: Bool) async throws {
        try await withConfiguredApp(
            live: true,
            configure: {
                $0.publicRequestsPerMinute = 2
                if trusted { $0.trustedProxies = ["127.0.0.1", "::1"] }
            }
        ) { client, _, _ in
            for _ in 0..<2 { #expect(try await client.send(.post, "/api/v1/items", noiseFields, from: "198.51.100.1").status == .created) }
            #expect(try await client.send(.post, "/api/v1/items", noiseFields, from: "198.51.100.1").status == .tooManyRequests)
            let other = try await client.send(.post, "/api/v1/items", noiseFields, from: "198.51.100.2")
            #expect(other.status == (trusted ? .created : .tooManyRequests))
        }
    }

    @Test func trustedProxiesAreAddressesOrIPv4Networks() throws {
        let addresses = ClientAddresses(trusted: ["10.0.0.0/8", "::1", "bogus/99"])
        #expect(addresses.trusted.count == 2)
        #expect(addresses.isTrusted("10.200.3.4") && addresses.isTrusted("::1"))
        #expect(!addresses.isTrusted("11.0.0.1") && !addresses.isTrusted("127.0.0.1"))
        #expect(throws: (any Error).self) { try AppConfig.fromEnvironment(["MINYI_TRUSTED_PROXIES": "10.0.0.1, nonsense"]) }
        #expect(try AppConfig.fromEnvironment(["MINYI_TRUSTED_PROXIES": "10.0.0.1, 172.16.0.0/12"]).trustedProxies == ["10.0.0.1", "172.16.0.0/12"])
        #expect(throws: (any Error).self) { try AppConfig.fromEnvironment(["MINYI_DUE_SOON_HOURS": "-5"]) }
        #expect(try AppConfig.fromEnvironment(["MINYI_DUE_SOON_HOURS": "48"]).dueSoon == 48 * 3600)
    }

    /// An unknown username costs a bcrypt check like a wrong password, so the answer's time does not tell which
    /// usernames exist (before: ~740 ms against ~12 ms).
    @Test func anUnknownUsernameCostsAPasswordCheck() async throws {
        try await withConfiguredApp { client, _, dependencies async throws in
            let before = dependencies.passwords.verifications
            #expect(try await client.login("nobody-here", password: "whatever1", from: "198.51.100.3").status == .unauthorized)
            #expect(dependencies.passwords.verifications == before + 1)
            #expect(try await client.login("clerk_a", password: "whatever1", from: "198.51.100.3").status == .unauthorized)
            #expect(dependencies.passwords.verifications == before + 2)
        }
    }

    /// Overlong usernames are refused naming the field, and nothing of them is stored.
    @Test func anOverlongUsernameIsRefusedAndNotStored() async throws {
        try await withConfiguredApp { client, world, _ in
            let response = try await client.login(String(repeating: "u", count: 60_000), password: "x", from: "198.51.100.4")
            #expect(response.status == .badRequest)
            #expect(try errorField(response) == "username")
            let stored = try await world.auth.guesses(
                kind: "login", target: String(repeating: "u", count: 60_000), address: "unknown", since: World.t0 - 3600)
            #expect(stored.fromAddress == 0 && stored.onTarget == 0)
        }
    }
}

struct APIKeyTests {
    @Test(arguments: TestDatabase.dialects)
    func keysExpireAndCanBeListedAndRevoked(dialect: DatabaseDialect) async throws {
        try await withConfiguredApp(dialect: dialect) { client, world, _ in
            let key = try await world.auth.createAPIKey(
                name: "12345 热线", officer: world.dispatcher.officer.id, at: World.t0, expires: World.t0 + 86400)
            let short = try await world.auth.createAPIKey(
                name: "旧接口", officer: world.dispatcher.officer.id, at: World.t0 - 90 * 86400, expires: World.t0 - 1)
            func me(_ key: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/api/v1/me", method: .get, headers: [HTTPField.Name("X-API-Key")!: key]).status
            }
            #expect(try await me(key) == .ok)
            #expect(try await me(short) == .unauthorized)  // expired
            let listed = try await world.auth.apiKeys()
            #expect(listed.map(\.name).sorted() == ["12345 热线", "旧接口"])
            #expect(listed.allSatisfy { $0.prefix.count == 11 && !$0.prefix.isEmpty && $0.prefix != key })
            #expect(listed.first { $0.name == "旧接口" }?.isLive(at: World.t0) == false)
            #expect(try await world.auth.revokeAPIKeys(String(key.prefix(11)), at: World.t0) == 1)
            #expect(try await me(key) == .unauthorized)
            #expect(try await world.auth.revokeAPIKeys(String(key.prefix(11)), at: World.t0) == 0)
        }
    }
}

struct ResidentInputTests {
    /// A key replayed with another body is refused naming the header, and never hands out the first PIN; the same
    /// body replayed gets the same answer.
    @Test(arguments: TestDatabase.dialects)
    func anIdempotencyKeyIsBoundToWhatWasSent(dialect: DatabaseDialect) async throws {
        try await withConfiguredApp(dialect: dialect) { client, _, _ in
            let first = try await client.submit(noiseFields, key: "k-1")
            #expect(first.status == .created)
            let again = try await client.submit(noiseFields, key: "k-1")
            #expect(again.status == .created && again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(try json(again)["pin"] as? String == json(first)["pin"] as? String)
            var other = noiseFields
            other["text"] = "另一个人的另一件事"
            let stolen = try await client.submit(other, key: "k-1")
            #expect(stolen.status == .unprocessableContent)
            #expect(try errorField(stolen) == "Idempotency-Key")
            #expect(!String(buffer: stolen.body).contains(try json(first)["pin"] as! String))
            // Two different bodies with one key in the same batch: one is registered, the other refused.
            async let a = client.submit(noiseFields, key: "k-2")
            async let b = client.submit(other, key: "k-2")
            let statuses = [try await a.status, try await b.status]
            #expect(statuses.sorted { $0.code < $1.code } == [.created, .unprocessableContent])
        }
    }

    /// Control characters are refused naming the field, never stored to be cut by readers.
    @Test func controlCharactersAreRefusedNamingTheField() async throws {
        try await withConfiguredApp { client, _, _ in
            var fields = noiseFields
            fields["text"] = "半截\u{0}后半截"
            let response = try await client.submit(fields)
            #expect(response.status == .unprocessableContent)
            #expect(try errorField(response) == "text")
            fields["text"] = "正常\n第二行\t制表"
            fields["address"] = "门牌\u{1B}[31m"
            #expect(try errorField(try await client.submit(fields)) == "address")
            fields["address"] = nil
            fields["contact"] = ["name": "张\u{7}三"]
            #expect(try errorField(try await client.submit(fields)) == "contact.name")
        }
    }

    /// The look-up gives the resident back what they wrote, line breaks and all.
    @Test func theLookUpShowsTheSubmittedText() async throws {
        try await withConfiguredApp { client, _, _ in
            var fields = noiseFields
            fields["text"] = "第一行\r\n第二行 \"引号\" <b>"
            let created = try json(try await client.submit(fields))
            let view = try json(try await client.get("/api/v1/items/\(created["number"] as! String)?pin=\(created["pin"] as! String)"))
            #expect(view["text"] as? String == "第一行\r\n第二行 \"引号\" <b>")
        }
    }

    /// JSON bodies must say they are JSON.
    @Test func aBodyThatIsNotJSONIsA415() async throws {
        try await withConfiguredApp { client, _, _ in
            let plain = try await client.execute(
                uri: "/api/v1/items", method: .post, headers: [.contentType: "text/plain"], body: body(noiseFields))
            #expect(plain.status == .unsupportedMediaType)
            #expect(try errorField(plain) == "Content-Type")
            let none = try await client.execute(uri: "/api/v1/items", method: .post, body: body(noiseFields))
            #expect(none.status == .unsupportedMediaType)
            let form = try await client.execute(
                uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "username=a"))
            #expect(form.status == .unsupportedMediaType)
            let charset = try await client.execute(
                uri: "/api/v1/items", method: .post, headers: [.contentType: "application/json; charset=utf-8"], body: body(noiseFields))
            #expect(charset.status == .created)
        }
    }

    /// The language switch returns only to paths on this site, however the path is disguised.
    @Test(arguments: [
        ("/%09/evil.example/", "/"), ("//evil.example/", "/"), ("/%5Cevil.example", "/"), ("https://evil.example/", "/"),
        ("/%0A/evil.example", "/"), ("/%20/evil.example", "/"), ("/staff/queue?view=new", "/staff/queue?view=new"),
    ])
    func theLanguageSwitchRedirectsOnlyWithinTheSite(back: String, location: String) async throws {
        try await withConfiguredApp { client, _, _ in
            let response = try await client.execute(uri: "/lang?to=en&back=" + back, method: .get)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == location)
        }
    }

    /// A form with broken percent-encoding comes back with the field named and the text as it came, not a bare 400.
    @Test func brokenFormEncodingNamesTheFieldAndKeepsTheText() async throws {
        try await withConfiguredApp { client, _, _ in
            let browser = Browser(client)
            try await browser.get("/submit")
            var headers = HTTPFields()
            headers[.cookie] = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            headers[.contentType] = "application/x-www-form-urlencoded"
            let form = "_csrf=\(browser.token)&kind=complaint&category=noise&place=S01-C1&text=%FF%FE%E5%99%AA%ZZ"
            let response = try await client.execute(uri: "/submit", method: .post, headers: headers, body: ByteBuffer(string: form))
            #expect(response.status == .unprocessableContent)
            #expect(response.html.contains("id=\"text-error\""))
            #expect(response.html.contains("%FF%FE%E5%99%AA%ZZ"))
        }
    }
}

struct DemoTests {
    /// `--demo-items 0` means no items: before, a dissatisfied business callback of the demo opened one.
    @Test func aDemoAskedForNoItemsHasNone() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let dependencies = AppDependencies(
                database: database, keys: ServerKeys(pin: "test-secret", csrf: "test-csrf"), passwords: PasswordHasher(cost: 4), now: { World.t0 },
                logger: TestDatabase.logger)
            #expect(try await Demo(dependencies: dependencies).seed(itemCount: 0, now: World.t0) != nil)
            let count = try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM items").first() }
            #expect(try count?.decode(column: "n", as: Int.self) == 0)
        }
    }
}

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
                let list = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]] ?? []
                seen += list.compactMap { $0["target"] as? String }
                next = response.headers[HTTPField.Name("Link")!].flatMap { link in
                    link.split(separator: ";").first.map { String($0.dropFirst().dropLast()) }
                }
                pages += 1
            }
            #expect(pages == 3)
            #expect(seen == (0..<7).reversed().map { "KFQ-2026-00000\($0)" })
            let old = try await client.get("/api/v1/audit?to=2026-09-19", token: auditor)
            let oldList = try JSONSerialization.jsonObject(with: Data(old.body.readableBytesView)) as? [[String: Any]] ?? []
            #expect(oldList.map { $0["action"] as? String } == ["category.deadlines"])
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
            #expect(soon.html.contains(number) && soon.html.contains("class=\"due-soon\""))
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
