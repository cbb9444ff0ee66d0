import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
@testable import MinyiApp
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Synchronization
import Testing

/// A clock tests can move.
final class TestClock: Sendable {
    private let value: Mutex<Date>
    init(_ start: Date) { value = Mutex(start) }
    var now: Date { value.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { value.withLock { $0 += seconds } }
}

let testPassword = "correct-horse"
let testPasswordHash = Bcrypt.hash(testPassword, cost: 4)

/// The real app on a fresh database with the test world, driven through the router test client.
func withApp(
    dialect: DatabaseDialect = .sqlite, rateLimit: Int = 0, codes: (any CodeSender)? = nil,
    _ body: @escaping @Sendable (any TestClientProtocol, World, TestClock) async throws -> Void
) async throws {
    try await TestDatabase.withFresh(dialect) { database in
        let world = try await World.make(on: database, passwordHash: testPasswordHash)
        let clock = TestClock(World.t0)
        let dependencies = AppDependencies(
            database: database, keys: ServerKeys(pin: "test-secret", csrf: "test-csrf", voter: "test-voter"), passwords: PasswordHasher(cost: 4),
            now: { clock.now }, logger: TestDatabase.logger, codes: codes)
        var config = AppConfig()
        config.publicRequestsPerMinute = rateLimit
        config.deadlineScanInterval = .seconds(3600)  // once at start; tests scan when their clock says
        // The whole application as `main` builds it, its background work included (the deadline scan, the Monday
        // bulletin, pruning), which the tests' clock drives.
        let app = buildApplication(config: config, dependencies: dependencies)
        try await app.test(.router) { client in try await body(client, world, clock) }
    }
}

/// Decodes a JSON body as an untyped object (the OpenAPI document), failing the test on anything else.
func json(_ response: TestResponse) throws -> [String: Any] {
    let data = Data(response.body.readableBytesView)
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        Issue.record("not a JSON object: \(String(decoding: data, as: UTF8.self))")
        return [:]
    }
    return object
}

/// Decodes a JSON body as the API's own response type reads it (snake_case keys, ISO 8601 dates).
func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(T.self, from: Data(response.body.readableBytesView))
}

/// The body of every error answer.
struct ErrorResponse: Decodable {
    struct Detail: Decodable {
        var field: String?
        var message: String
        var requestId: String?
    }
    var error: Detail
}

/// The answers of the API, by the names the tests use.
typealias Created = ItemController.CreateResponse
typealias ItemList = ItemController.ListResponse
typealias Officer = SessionController.OfficerView
typealias Measures = OrganisationController.MeasuresView

/// An entry of the audit log as the API writes it (`actor_id`).
struct AuditRow: Decodable {
    var action: String
    var actorId: String?
    var target: String?
    var detail: String?
}

func errorField(_ response: TestResponse) throws -> String? { try decode(ErrorResponse.self, response).error.field }

func errorMessage(_ response: TestResponse) throws -> String? { try decode(ErrorResponse.self, response).error.message }

/// The tracking number of a submission's answer.
func number(_ response: TestResponse) throws -> String { try decode(Created.self, response).number }

func body(_ object: [String: Any]) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
}

extension TestClientProtocol {
    /// `POST /api/v1/items`
    func submit(_ fields: [String: Any], token: String? = nil, key: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
        return try await execute(uri: "/api/v1/items", method: .post, headers: headers, body: body(fields))
    }

    /// `POST /api/v1/sessions`, returning the token.
    func login(_ username: String, password: String = testPassword) async throws -> String {
        let response = try await execute(
            uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/json"],
            body: body(["username": username, "password": password]))
        #expect(response.status == .created, "login \(username): \(String(buffer: response.body))")
        return try decode(SessionController.CreateResponse.self, response).token
    }

    /// `POST /api/v1/items/{number}/{command}`
    func command(_ name: String, _ number: String, token: String, _ fields: [String: Any] = [:]) async throws -> TestResponse {
        try await execute(
            uri: "/api/v1/items/\(number)/\(name)", method: .post, headers: [.contentType: "application/json", .authorization: "Bearer \(token)"],
            body: body(fields))
    }

    func get(_ uri: String, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: .get, headers: headers)
    }
}

var noiseFields: [String: Any] { ["kind": "complaint", "category": "noise", "text": "楼下烧烤店每天营业到凌晨两点，噪音很大", "place": "S01-C1"] }
