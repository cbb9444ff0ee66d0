import Foundation
import HummingbirdBcrypt
import Logging
import MinyiCore
import MinyiStorage
import NIOPosix

/// The process-wide dependencies: the database, the stores over it, the clock and the password hasher.
public struct AppDependencies: Sendable {
    public let database: any DatabaseBackend
    public let organisation: SQLOrganisationStore
    public let items: SQLItemStore
    public let auth: SQLAuthStore
    public let audit: SQLAuditLog
    public let echoCards: SQLEchoCardStore
    public let business: SQLBusinessStore
    public let bulletins: SQLBulletinStore
    /// The secret that CSRF tokens are derived from (the bureau's own, kept in the database).
    public let webSecret: String
    public let passwords: PasswordHasher
    public let now: @Sendable () -> Date
    public let logger: Logger

    public init(
        database: any DatabaseBackend, pinSecret: String, passwords: PasswordHasher, now: @escaping @Sendable () -> Date, logger: Logger,
        newID: @escaping @Sendable () -> String = { RowID.make() }
    ) {
        self.database = database
        self.organisation = SQLOrganisationStore(database: database)
        self.items = SQLItemStore(database: database, pinSecret: pinSecret, newID: newID)
        self.auth = SQLAuthStore(database: database)
        self.audit = SQLAuditLog(database: database, newID: newID)
        self.echoCards = SQLEchoCardStore(database: database, newID: newID)
        self.business = SQLBusinessStore(database: database, items: items, newID: newID)
        self.bulletins = SQLBulletinStore(database: database, newID: newID)
        self.webSecret = pinSecret
        self.passwords = passwords
        self.now = now
        self.logger = logger
    }

    /// Opens and migrates the configured database and loads the bureau's PIN secret.
    public static func live(config: AppConfig, logger: Logger) async throws -> AppDependencies {
        let database = try await openDatabase(config.database, logger: logger)
        try await Migrator(database: database, logger: logger).migrate()
        let secret = try await SQLOrganisationStore(database: database).setting("pin_secret") { SQLAuthStore.newToken() }
        return AppDependencies(
            database: database, pinSecret: secret, passwords: PasswordHasher(cost: config.bcryptCost), now: { Date() }, logger: logger)
    }
}

/// Hashes passwords with bcrypt, off the event loops.
public struct PasswordHasher: Sendable {
    public let cost: UInt8

    public init(cost: UInt8 = 12) { self.cost = cost }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Checks a new password: at least 8 characters.
    public static func validate(_ password: String) throws(ValidationError) {
        guard password.count >= 8 else { throw .invalid(field: "password", message: "密码至少 8 位 (at least 8 characters)") }
    }
}
