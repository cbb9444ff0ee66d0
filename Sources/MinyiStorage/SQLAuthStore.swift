import Crypto
import Foundation
import MinyiCore
import SQLKit

/// Staff sessions and integration keys, stored as SHA-256 hashes so a copy of the database holds no usable token.
public struct SQLAuthStore: Sendable {
    let database: any DatabaseBackend

    public init(database: any DatabaseBackend) { self.database = database }

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

    // MARK: Failed guesses

    /// What the failed guesses of a window say about one attempt.
    public struct GuessRecord: Sendable, Hashable {
        /// Failures from the attempt's address, on any target.
        public var fromAddress: Int
        /// When the address last failed.
        public var addressLatest: Date?
        /// Failures on the attempt's target, from any address.
        public var onTarget: Int
        /// Failures on the target from the attempt's address.
        public var fromAddressOnTarget: Int

        public init(fromAddress: Int, addressLatest: Date?, onTarget: Int, fromAddressOnTarget: Int) {
            self.fromAddress = fromAddress
            self.addressLatest = addressLatest
            self.onTarget = onTarget
            self.fromAddressOnTarget = fromAddressOnTarget
        }
    }

    /// How long failed guesses are kept.
    public static let guessRetention: TimeInterval = 86400

    /// The longest target or address stored; longer ones are refused before they get here.
    public static let maxGuessFieldLength = 200

    /// The failures since `since` that bear on an attempt of `kind` on `target` from `address`.
    public func guesses(kind: String, target: String, address: String, since: Date) async throws -> GuessRecord {
        let since = since.epochSeconds
        return try await database.read { db in
            let byAddress = try await db.raw(
                "SELECT COUNT(*) AS n, MAX(at) AS latest FROM auth_failures WHERE address = \(bind: address) AND at >= \(bind: since)"
            ).first()
            let byTarget = try await db.raw(
                """
                SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN address = \(bind: address) THEN 1 ELSE 0 END), 0) AS mine FROM auth_failures
                WHERE kind = \(bind: kind) AND target = \(bind: target) AND at >= \(bind: since)
                """
            ).first()
            return GuessRecord(
                fromAddress: try byAddress?.int("n") ?? 0, addressLatest: try byAddress?.optionalDate("latest"),
                onTarget: try byTarget?.int("n") ?? 0, fromAddressOnTarget: try byTarget?.int("mine") ?? 0)
        }
    }

    /// Records a failed guess.
    public func recordGuess(kind: String, target: String, address: String, at now: Date) async throws {
        let target = String(target.prefix(Self.maxGuessFieldLength)), address = String(address.prefix(Self.maxGuessFieldLength))
        try await database.write { db in
            try await db.raw(
                "INSERT INTO auth_failures (kind, target, address, at) VALUES (\(bind: kind), \(bind: target), \(bind: address), \(bind: now.epochSeconds))"
            ).run()
        }
    }

    /// Forgets an address's failures on a target, once it has proved it knows the secret.
    public func clearGuesses(kind: String, target: String, address: String) async throws {
        try await database.write { db in
            try await db.raw(
                "DELETE FROM auth_failures WHERE kind = \(bind: kind) AND target = \(bind: target) AND address = \(bind: address)"
            ).run()
        }
    }

    /// Deletes failures older than `before`, and expired sessions; returns how many failures went.
    @discardableResult
    public func prune(before: Date, at now: Date) async throws -> Int {
        try await database.write { db in
            try await db.raw("DELETE FROM sessions WHERE expires_at < \(bind: now.epochSeconds)").run()
            return try await db.raw("DELETE FROM auth_failures WHERE at < \(bind: before.epochSeconds) RETURNING at").all().count
        }
    }
}
