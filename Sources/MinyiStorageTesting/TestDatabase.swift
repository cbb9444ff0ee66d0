import Foundation
import Logging
import MinyiCore
import MinyiStorage

/// Fresh databases for tests: an SQLite file in a temporary folder, or a new schema on the PostgreSQL server named by
/// `MINYI_TEST_POSTGRES_URL` (the test script starts one on 127.0.0.1 and sets it).
public enum TestDatabase {
    public static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["MINYI_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    /// The databases the suite runs on here: SQLite always, PostgreSQL when its URL is set.
    public static var dialects: [DatabaseDialect] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    public static let logger: Logger = {
        var logger = Logger(label: "minyi.test")
        logger.logLevel = .warning
        return logger
    }()

    /// Opens a fresh, migrated database, runs `body` on it, and throws it away.
    public static func withFresh<T: Sendable>(
        _ dialect: DatabaseDialect, _ body: @Sendable (any DatabaseBackend) async throws -> T
    ) async throws -> T {
        switch dialect {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minyi-test-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let database = try await SQLiteBackend.open(path: folder.appendingPathComponent("minyi.sqlite").path, logger: logger)
            return try await run(database, body)
        case .postgres:
            guard let url = postgresURL else { throw StorageError.invalidConfiguration("MINYI_TEST_POSTGRES_URL is not set") }
            let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let admin = try await PostgresBackend.open(url: url, logger: logger)
            try await admin.write { try await $0.raw("CREATE SCHEMA \(unsafeRaw: String(schema))").run() }
            let database = try await PostgresBackend.open(url: url, searchPath: String(schema), logger: logger)
            do {
                let value = try await run(database, body)
                try await admin.write { try await $0.raw("DROP SCHEMA \(unsafeRaw: String(schema)) CASCADE").run() }
                await admin.shutdown()
                return value
            } catch {
                try? await admin.write { try await $0.raw("DROP SCHEMA \(unsafeRaw: String(schema)) CASCADE").run() }
                await admin.shutdown()
                throw error
            }
        }
    }

    private static func run<T: Sendable>(
        _ database: any DatabaseBackend, _ body: @Sendable (any DatabaseBackend) async throws -> T
    ) async throws -> T {
        do {
            try await Migrator(database: database, logger: logger).migrate()
            let value = try await body(database)
            await database.shutdown()
            return value
        } catch {
            await database.shutdown()
            throw error
        }
    }
}
