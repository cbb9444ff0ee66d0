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

    /// The SHA-256 hash, hex, that tokens and receipts are stored as (for tests that look at the rows).
    public static func hashForTests(_ text: String) -> String { hash(text) }

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

    /// An integration key as listed: its name, whom it acts as, and its first characters (never the whole key).
    public struct APIKeyInfo: Sendable, Hashable {
        public var prefix: String
        public var name: String
        public var officer: Officer.ID
        public var createdAt: Date
        public var expiresAt: Date?
        public var revokedAt: Date?

        /// Whether the key is accepted at `now`.
        public func isLive(at now: Date) -> Bool { revokedAt == nil && (expiresAt.map { $0 > now } ?? true) }
    }

    /// How long a new key lasts unless said otherwise.
    public static let defaultAPIKeyLifetime: TimeInterval = 365 * 86400

    /// Creates an integration key acting as `officer`, valid until `expires`; the key is shown once.
    public func createAPIKey(name: String, officer: Officer.ID, at now: Date, expires: Date? = nil) async throws -> String {
        let key = "mk_" + Self.newToken()
        let expires = expires ?? now.addingTimeInterval(Self.defaultAPIKeyLifetime)
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO api_keys (key_hash, key_prefix, name, officer_id, created_at, expires_at)
                VALUES (\(bind: Self.hash(key)), \(bind: String(key.prefix(11))), \(bind: name), \(bind: officer.rawValue),
                    \(bind: now.epochSeconds), \(bind: expires.epochSeconds))
                """
            ).run()
        }
        return key
    }

    /// The officer a live key acts as: not revoked, not expired.
    public func officer(forAPIKey key: String, at now: Date) async throws -> Officer.ID? {
        try await database.read { db in
            try await db.raw(
                """
                SELECT officer_id FROM api_keys WHERE key_hash = \(bind: Self.hash(key)) AND revoked_at IS NULL
                    AND (expires_at IS NULL OR expires_at > \(bind: now.epochSeconds))
                """
            ).first().map { .init(try $0.string("officer_id")) }
        }
    }

    /// Every key, newest first.
    public func apiKeys() async throws -> [APIKeyInfo] {
        try await database.read { db in
            try await db.raw("SELECT * FROM api_keys ORDER BY created_at DESC").all().map { row in
                APIKeyInfo(
                    prefix: try row.string("key_prefix"), name: try row.string("name"), officer: .init(try row.string("officer_id")),
                    createdAt: try row.date("created_at"), expiresAt: try row.optionalDate("expires_at"),
                    revokedAt: try row.optionalDate("revoked_at"))
            }
        }
    }

    /// Revokes the live keys whose prefix (as listed) or name is `which`; returns how many.
    @discardableResult
    public func revokeAPIKeys(_ which: String, at now: Date) async throws -> Int {
        try await database.write { db in
            try await db.raw(
                """
                UPDATE api_keys SET revoked_at = \(bind: now.epochSeconds)
                WHERE revoked_at IS NULL AND ((key_prefix = \(bind: which) AND key_prefix <> '') OR name = \(bind: which)) RETURNING key_hash
                """
            ).all().count
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
        let target = String(target.prefix(Self.maxGuessFieldLength))
        let address = String(address.prefix(Self.maxGuessFieldLength))
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO auth_failures (kind, target, address, at) VALUES (\(bind: kind), \(bind: target), \(bind: address),
                \(bind: now.epochSeconds))
                """
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
