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
            database: database, keys: ServerKeys(pin: "test-secret", csrf: "test-csrf", voter: "test-voter"), passwords: PasswordHasher(cost: 4),
            now: { World.t0 },
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
