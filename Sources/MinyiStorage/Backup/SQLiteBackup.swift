import Foundation
import Logging
import NIOPosix
import SQLKit
import SQLiteNIO

/// Backing up and restoring the embedded store. A backup is `VACUUM INTO` on a reading connection: one read
/// transaction, so the copy is the database as of one moment however many writes go on beside it, taken while the
/// server runs. A restore refuses while any process has the file open (a running server), checks the backup first, and
/// puts it in place by renaming, so the file is never half written. The server's keys are not in the database and so
/// not in a backup: they are backed up apart (the PINs and the ballot roll need them).
public enum SQLiteBackup {
    /// What a backup or a restore holds: its rows by table, for the summary.
    public struct Summary: Sendable {
        public var path: String
        public var bytes: Int
        public var items: Int
        public var events: Int
        public var auditEntries: Int
        public var schemaVersion: Int
    }

    static func withConnection<T: Sendable>(
        _ path: String, logger: Logger, _ body: @escaping @Sendable (SQLiteConnection) async throws -> T
    ) async throws -> T {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: pool, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        do {
            let value = try await body(connection)
            try await connection.close()
            try await pool.shutdownGracefully()
            return value
        } catch {
            try? await connection.close()
            try? await pool.shutdownGracefully()
            throw error
        }
    }

    /// Copies the live database at `source` to `destination` (which must not exist yet), consistently, while others
    /// keep writing; then checks the copy.
    public static func backup(from source: String, to destination: String, logger: Logger) async throws -> Summary {
        guard FileManager.default.fileExists(atPath: source) else {
            throw StorageError.invalidConfiguration("数据库文件不存在 (no database at) \(source)")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StorageError.invalidConfiguration(
                "备份文件已存在，不会覆盖 (the backup file exists already; it is never overwritten): \(destination)")
        }
        let folder = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try await withConnection(source, logger: logger) { connection in
            let sql = connection.sql(queryLogLevel: nil)
            try await sql.raw("PRAGMA busy_timeout = 10000").run()
            try await sql.raw("VACUUM INTO \(bind: destination)").run()
        }
        return try await check(destination, logger: logger)
    }

    /// Checks a database file (`PRAGMA integrity_check`) and counts what it holds.
    public static func check(_ path: String, logger: Logger) async throws -> Summary {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return try await withConnection(path, logger: logger) { connection in
            let sql = connection.sql(queryLogLevel: nil)
            let integrity = try await sql.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
            guard integrity == ["ok"] else {
                throw StorageError.corrupt("备份文件损坏 (the file fails its integrity check): \(integrity.prefix(3).joined(separator: "; "))")
            }
            func count(_ table: String) async throws -> Int {
                try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
            }
            guard try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").first() != nil else {
                throw StorageError.corrupt("不是 Minyi 的数据库 (not a Minyi database): \(path)")
            }
            let version =
                try await sql.raw("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations").first()?.decode(column: "v", as: Int.self) ?? 0
            return Summary(
                path: path, bytes: bytes, items: try await count("items"), events: try await count("item_events"),
                auditEntries: try await count("audit_log"), schemaVersion: version)
        }
    }

    /// Puts the backup at `backup` in place of the database at `target`. Refused while the target is open in another
    /// process; an existing target is replaced only with `replace`, and kept beside as `<target>.before-restore-<time>`.
    public static func restore(
        from backup: String, to target: String, replace: Bool, knownVersion: Int, now: Date, logger: Logger
    ) async throws -> (summary: Summary, keptAs: String?) {
        let summary = try await check(backup, logger: logger)
        guard summary.schemaVersion <= knownVersion else {
            throw StorageError.invalidConfiguration(
                "备份来自更新的版本（迁移 \(summary.schemaVersion) > \(knownVersion)），请先升级 (the backup is from a newer version)")
        }
        let manager = FileManager.default
        var keptAs: String?
        if manager.fileExists(atPath: target) {
            guard replace else {
                throw StorageError.invalidConfiguration("目标数据库已存在；确认替换请加 --replace (the database exists; add --replace): \(target)")
            }
            // No other process may have it open: with exclusive locking, taking the lock fails while any connection
            // (a running server's) is open. The checkpoint folds the WAL into the file before it is moved.
            try await withConnection(target, logger: logger) { connection in
                let sql = connection.sql(queryLogLevel: nil)
                try await sql.raw("PRAGMA busy_timeout = 0").run()
                try await sql.raw("PRAGMA locking_mode = EXCLUSIVE").run()
                do {
                    try await sql.raw("BEGIN EXCLUSIVE").run()
                    try await sql.raw("COMMIT").run()
                } catch {
                    throw StorageError.conflict("数据库正在使用，请先停止服务 (the database is open in another process: stop the server first)")
                }
                try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
            }
            let stamp = Int(now.timeIntervalSince1970)
            keptAs = "\(target).before-restore-\(stamp)"
            try manager.moveItem(atPath: target, toPath: keptAs!)
            for suffix in ["-wal", "-shm"] where manager.fileExists(atPath: target + suffix) {
                try manager.moveItem(atPath: target + suffix, toPath: keptAs! + suffix)
            }
        }
        // The phone index is worked out from the items; the restored file's own is made again when the server starts.
        let phones = PhoneIndex.path(for: target)
        for suffix in ["", "-wal", "-shm"] where manager.fileExists(atPath: phones + suffix) {
            try manager.removeItem(atPath: phones + suffix)
        }
        let folder = URL(fileURLWithPath: target).deletingLastPathComponent().path
        if !folder.isEmpty { try manager.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let temporary = "\(target).restoring-\(UUID().uuidString)"
        try manager.copyItem(atPath: backup, toPath: temporary)
        try synchronise(temporary)
        try manager.moveItem(atPath: temporary, toPath: target)
        return (try await check(target, logger: logger), keptAs)
    }

    /// Forces a file's bytes to disk before it is renamed into place.
    static func synchronise(_ path: String) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.synchronize()
        try handle.close()
    }
}
