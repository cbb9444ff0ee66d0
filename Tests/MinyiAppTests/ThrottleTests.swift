import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

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
            let created = try decode(Created.self, try await client.send(.post, "/api/v1/items", noiseFields, from: "198.51.100.20"))
            let number = created.number
            let pin = created.pin
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
