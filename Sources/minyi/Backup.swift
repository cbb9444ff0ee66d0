import ArgumentParser
import Foundation
import MinyiApp
import MinyiStorage

/// `minyi backup PATH`: an online, consistent copy of the SQLite database, taken while the server runs.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "备份数据库（服务运行时也可） Back up the database, consistently, while the server runs")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Where to write the backup (a new file)") var path: String

    func run() async throws {
        let config = try database.config()
        switch config.database {
        case .postgres:
            say(
                """
                PostgreSQL 的备份请用 pg_dump，恢复用 pg_restore（README 的“备份与恢复”一节）：
                  pg_dump -Fc -f minyi.dump "$MINYI_DATABASE_URL"      # consistent while the servers run
                  pg_restore --clean --if-exists -d "$MINYI_DATABASE_URL" minyi.dump
                With PostgreSQL, back up with pg_dump and restore with pg_restore; this command copies SQLite files only.
                """)
            throw ExitCode(2)
        case .sqlite(let source):
            let summary = try await SQLiteBackup.backup(from: source, to: path, logger: makeLogger(.warning))
            say("已备份 \(source) → \(summary.path)（\(summary.bytes / 1024) KB，完整性检查通过）")
            say("backed up: \(summary.items) items, \(summary.events) events, \(summary.auditEntries) audit entries, schema \(summary.schemaVersion)")
            say("密钥文件 \(config.keyFile) 不在备份中，请另行妥善保管 (the keys file is not in the backup: keep a copy of it apart)")
        }
    }
}

/// `minyi restore PATH`: puts a backup in place of the SQLite database; the server must be stopped.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "从备份恢复数据库（须先停止服务） Restore the database from a backup (stop the server first)")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The backup file") var path: String
    @Flag(help: "Replace an existing database (kept beside as <file>.before-restore-<time>)") var replace = false

    func run() async throws {
        let config = try database.config()
        guard case .sqlite(let target) = config.database else {
            say("PostgreSQL 请用 pg_restore (use pg_restore for PostgreSQL; see README)")
            throw ExitCode(2)
        }
        let known = Migrator.all.map(\.version).max() ?? 0
        let (summary, keptAs) = try await SQLiteBackup.restore(
            from: path, to: target, replace: replace, knownVersion: known, now: Date(), logger: makeLogger(.warning))
        if let keptAs { say("原数据库已保留为 (the previous database is kept as) \(keptAs)") }
        say("已恢复 \(path) → \(target): \(summary.items) items, \(summary.events) events, \(summary.auditEntries) audit entries")
        if summary.schemaVersion < known {
            say("启动服务时将执行迁移 (the server migrates it when it starts: schema \(summary.schemaVersion) → \(known))")
        }
    }
}
