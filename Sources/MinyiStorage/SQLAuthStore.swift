import Crypto
import Foundation
import MinyiCore
import SQLKit

/// Staff sessions and integration keys, stored as SHA-256 hashes so a copy of the database holds no usable token.
public struct SQLAuthStore: Sendable {
    let database: any DatabaseBackend

    public init(database: any DatabaseBackend) { self.database = database }

    /// Failed logins per username allowed in `failureWindow` before logins are refused.
    public static let maxFailures = 5
    public static let failureWindow: TimeInterval = 15 * 60

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A new random token: 32 bytes, hex.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    public func createSession(for officer: Officer.ID, at now: Date, lifetime: TimeInterval) async throws -> (token: String, expires: Date) {
        let token = Self.newToken()
        let expires = now.addingTimeInterval(lifetime)
        try await database.write { db in
            try await db.raw("DELETE FROM sessions WHERE expires_at < \(bind: now.epochSeconds)").run()
            try await db.raw(
                """
                INSERT INTO sessions (token_hash, officer_id, created_at, expires_at)
                VALUES (\(bind: Self.hash(token)), \(bind: officer.rawValue), \(bind: now.epochSeconds), \(bind: expires.epochSeconds))
                """
            ).run()
        }
        return (token, expires)
    }

    /// The officer a live session token belongs to.
    public func officer(forSession token: String, at now: Date) async throws -> Officer.ID? {
        try await database.read { db in
            try await db.raw(
                "SELECT officer_id FROM sessions WHERE token_hash = \(bind: Self.hash(token)) AND expires_at > \(bind: now.epochSeconds)"
            ).first().map { .init(try $0.string("officer_id")) }
        }
    }

    public func endSession(_ token: String) async throws {
        try await database.write { db in
            try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: Self.hash(token))").run()
        }
    }

    /// Creates an integration key acting as `officer`; the key is shown once.
    public func createAPIKey(name: String, officer: Officer.ID, at now: Date) async throws -> String {
        let key = "mk_" + Self.newToken()
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO api_keys (key_hash, name, officer_id, created_at)
                VALUES (\(bind: Self.hash(key)), \(bind: name), \(bind: officer.rawValue), \(bind: now.epochSeconds))
                """
            ).run()
        }
        return key
    }

    public func officer(forAPIKey key: String) async throws -> Officer.ID? {
        try await database.read { db in
            try await db.raw("SELECT officer_id FROM api_keys WHERE key_hash = \(bind: Self.hash(key))").first()
                .map { .init(try $0.string("officer_id")) }
        }
    }

    /// Whether logins for the username are blocked by recent failures.
    public func isLocked(username: String, at now: Date) async throws -> Bool {
        let since = now.addingTimeInterval(-Self.failureWindow).epochSeconds
        return try await database.read { db in
            let count = try await db.raw(
                "SELECT COUNT(*) AS n FROM login_failures WHERE username = \(bind: username) AND at >= \(bind: since)"
            ).first().map { try $0.int("n") } ?? 0
            return count >= Self.maxFailures
        }
    }

    public func recordFailure(username: String, at now: Date) async throws {
        try await database.write { db in
            try await db.raw("INSERT INTO login_failures (username, at) VALUES (\(bind: username), \(bind: now.epochSeconds))").run()
        }
    }

    public func clearFailures(username: String) async throws {
        try await database.write { db in
            try await db.raw("DELETE FROM login_failures WHERE username = \(bind: username)").run()
        }
    }
}
