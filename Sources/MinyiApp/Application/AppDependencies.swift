import Foundation
import HummingbirdBcrypt
import Logging
import MinyiCore
import MinyiStorage
import NIOPosix
import Synchronization

/// The process-wide dependencies: the stores over the database (`dependencies.items` and the like read them), the
/// keys, the clock and the password hasher.
@dynamicMemberLookup
public struct AppDependencies: Sendable {
    /// Every store, built in one place (`Stores`).
    public let stores: Stores
    /// The server's keys (kept outside the database): the PIN key went to `items`, the CSRF key is the web's.
    public let keys: ServerKeys
    public let passwords: PasswordHasher
    public let now: @Sendable () -> Date
    public let logger: Logger
    /// Sends verification codes to residents' phones (the ballot); by default, to the log.
    public let codes: any CodeSender
    /// This instance's claims of the periodic services' periods (each period's work done once, by one instance).
    public let claims: PeriodClaims

    public init(
        database: any DatabaseBackend, keys: ServerKeys, passwords: PasswordHasher, now: @escaping @Sendable () -> Date, logger: Logger,
        codes: (any CodeSender)? = nil, newID: @escaping @Sendable () -> String = { RowID.make() }
    ) {
        stores = Stores(database: database, pinKey: keys.pin, voterKey: keys.voter, newID: newID)
        self.keys = keys
        self.passwords = passwords
        self.now = now
        self.logger = logger
        self.codes = codes ?? LogCodeSender(logger: logger)
        claims = PeriodClaims(database: database, instance: Self.instanceName(), now: now)
    }

    /// This process, as the periodic claims name it: host, process and a random part.
    static func instanceName() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt16.random(in: 0...UInt16.max))"
    }

    public subscript<Value>(dynamicMember path: KeyPath<Stores, Value>) -> Value { stores[keyPath: path] }

    /// Opens and migrates the configured database and loads the server's keys (see `ServerKeys`).
    public static func live(config: AppConfig, logger: Logger) async throws -> AppDependencies {
        let database = try await openDatabase(config.database, logger: logger)
        try await Migrator(database: database, logger: logger).migrate()
        let keys = try await ServerKeys.load(file: config.keyFile, database: database)
        return AppDependencies(
            database: database, keys: keys, passwords: PasswordHasher(cost: config.bcryptCost), now: { Date() }, logger: logger)
    }
}

/// Hashes passwords with bcrypt, off the event loops.
public struct PasswordHasher: Sendable {
    public let cost: UInt8
    private let state: State

    /// A hash of no one's password at the same cost, checked when the username is unknown so that an unknown user
    /// takes the same work as a wrong password; and how many checks were made.
    private final class State: Sendable {
        let decoy: String
        let verifications = Atomic<Int>(0)
        init(cost: UInt8) { decoy = Bcrypt.hash(SQLAuthStore.newToken(), cost: cost) }
    }

    public init(cost: UInt8 = 12) {
        self.cost = cost
        self.state = State(cost: cost)
    }

    /// How many passwords have been checked (for tests and metrics).
    public var verifications: Int { state.verifications.load(ordering: .relaxed) }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks a password against a hash; with no hash (an unknown user), checks it against the decoy and says no.
    public func verify(_ password: String, hash: String?) async throws -> Bool {
        let target = hash ?? state.decoy
        state.verifications.add(1, ordering: .relaxed)
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }
        return matches && hash != nil
    }

    /// Checks a new password: at least 8 characters.
    public static func validate(_ password: String) throws(ValidationError) {
        guard password.count >= 8 else { throw .invalid(field: "password", message: "密码至少 8 位 (at least 8 characters)") }
    }
}
