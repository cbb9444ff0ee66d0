import Foundation
import Logging
import SQLKit

/// One step of the schema, applied once, in order, and recorded in `schema_migrations`.
public protocol Migration: Sendable {
    /// The order of the step; never reused.
    var version: Int { get }
    /// What the step does, such as `CreateItems`.
    var name: String { get }
    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws
    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws
}

/// Runs the migrations that have not run yet.
public struct Migrator: Sendable {
    /// Every capability's migrations, in order of their versions.
    public static let all: [any Migration] = [
        OrganisationSchema.migrations, AuthSchema.migrations, ItemsSchema.migrations, EchoCardsSchema.migrations, BusinessSchema.migrations,
        BulletinsSchema.migrations, CommunitySchema.migrations, BallotsSchema.migrations, ProjectsSchema.migrations,
        SurveysSchema.migrations, AssessmentSchema.migrations, AlertsSchema.migrations,
        Open311Schema.migrations, PolicingCommunitySchema.migrations, [CreatePeriodicRuns()],
    ].flatMap { $0 }.sorted { $0.version < $1.version }

    let database: any DatabaseBackend
    let migrations: [any Migration]
    let logger: Logger

    public init(database: any DatabaseBackend, migrations: [any Migration] = Migrator.all, logger: Logger) {
        self.database = database
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies every pending migration, each in its own transaction; returns the names applied.
    @discardableResult
    public func migrate() async throws -> [String] {
        let dialect = database.dialect
        try await database.write { db in
            try await db.raw(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
            ).run()
        }
        var applied: [String] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            let done = try await database.write { db -> Bool in
                try await dialect.lock(.migrations, on: db)
                let existing = try await db.raw("SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)").first()
                if existing != nil { return false }
                try await migration.apply(on: db, dialect: dialect)
                try await db.raw(
                    """
                        INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \
                        \(bind: Date().epochSeconds))
                        """
                ).run()
                return true
            }
            if done {
                logger.info("Applied migration", metadata: ["migration": "\(migration.version) \(migration.name)"])
                applied.append(migration.name)
            }
        }
        return applied
    }

    /// Reverts every applied migration, newest first (used by tests to start from an empty schema).
    public func revertAll() async throws {
        let dialect = database.dialect
        for migration in migrations.sorted(by: { $0.version > $1.version }) {
            try await database.write { db in
                let exists = try await db.raw("SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)").first()
                guard exists != nil else { return }
                try await migration.revert(on: db, dialect: dialect)
                try await db.raw("DELETE FROM schema_migrations WHERE version = \(bind: migration.version)").run()
            }
        }
    }
}

extension Migration {
    /// The step's name is its type's, such as `CreateItems`.
    public var name: String { String(describing: Self.self) }

    func run(_ statements: [String], on db: any SQLDatabase) async throws {
        for statement in statements { try await db.raw(SQLQueryString(statement)).run() }
    }
}
