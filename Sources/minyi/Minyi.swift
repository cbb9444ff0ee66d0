import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MinyiApp
import MinyiCore
import MinyiStorage

@main
struct Minyi: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minyi",
        abstract: "民意 Minyi — 民意主导警务平台 (public-opinion-led policing platform)",
        subcommands: [
            Serve.self, Migrate.self, DemoCommand.self, User.self, APIKey.self, Keys.self, Import.self, Tallies.self, Backup.self, Restore.self,
        ],
        defaultSubcommand: Serve.self)
}

/// Options shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "SQLite file (default ./data/minyi.sqlite, or MINYI_SQLITE_PATH)")
    var sqlite: String?

    @Option(name: .customLong("database-url"), help: "PostgreSQL URL postgres://user:pass@host:port/db (or MINYI_DATABASE_URL)")
    var databaseURL: String?

    func config() throws -> AppConfig {
        var config = try AppConfig.fromEnvironment()
        if let databaseURL { config.database = .postgres(url: databaseURL) } else if let sqlite { config.database = .sqlite(path: sqlite) }
        return config
    }
}

func makeLogger(_ level: Logger.Level = .info) -> Logger {
    var logger = JSONLogHandler.isRequested ? Logger(label: "minyi", factory: { JSONLogHandler(label: $0) }) : Logger(label: "minyi")
    logger.logLevel = level
    return logger
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "启动服务 Start the server (migrates first)")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on") var host: String?
    @Option(help: "Port to listen on") var port: Int?
    @Flag(help: "Create the demo bureau first if the database is empty") var demo = false
    @Option(name: .customLong("demo-items"), help: "How many items the demo bureau gets") var demoItems = 3500
    @Option(name: .customLong("rate-limit"), help: "Public requests per client per minute (0 = off)") var rateLimit: Int?
    @Flag(name: .customLong("log-requests"), help: "Log every request") var logRequests = false

    func run() async throws {
        var config = try database.config()
        if let host { config.host = host }
        if let port { config.port = port }
        if let rateLimit { config.publicRequestsPerMinute = rateLimit }
        config.logRequests = logRequests
        let logger = makeLogger()
        logger.info("Opening \(config.database)")
        let dependencies = try await AppDependencies.live(config: config, logger: logger)
        if demo { try await seedDemo(dependencies, items: demoItems) }
        let app = buildApplication(config: config, dependencies: dependencies)
        say("民意 Minyi 已启动: http://\(config.host):\(config.port)/  (API: /api/v1, OpenAPI: /api/v1/openapi.json)")
        try await app.runService()
        if let sqlite = dependencies.database as? SQLiteBackend {
            let (commits, writes) = sqlite.commitStatistics
            logger.info("Group commit: \(writes) writes in \(commits) commits")
        } else if let postgres = dependencies.database as? PostgresBackend {
            let (commits, writes) = postgres.commitStatistics
            logger.info("Group commit: \(writes) writes in \(commits) commits")
        }
        await dependencies.database.shutdown()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "执行数据库迁移 Apply pending database migrations")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let config = try database.config()
        let logger = makeLogger()
        let backend = try await openDatabase(config.database, logger: logger)
        let applied = try await Migrator(database: backend, logger: logger).migrate()
        say(applied.isEmpty ? "数据库已是最新 (up to date)" : "已执行迁移 (applied): " + applied.joined(separator: ", "))
        await backend.shutdown()
    }
}

func seedDemo(_ dependencies: AppDependencies, items: Int = 3500) async throws {
    say("正在生成演示数据 (creating the demo bureau and \(items) items)…")
    let started = Date()
    let logins = try await Demo(dependencies: dependencies).seed(itemCount: items, now: Date()) { done, total in
        showProgress("\(progressBar(Double(done) / Double(max(total, 1)))) \(done)/\(total)")
        if done == total { endProgress() }
    }
    guard let logins else {
        say("演示数据已存在，跳过 (demo data already present)")
        return
    }
    say(String(format: "演示数据已生成，用时 %.1f 秒 (done in %.1f s)", Date().timeIntervalSince(started), Date().timeIntervalSince(started)))
    say("\n演示账号 Demo logins (password 密码: \(Demo.password))")
    say("  用户名 username      单位 unit  角色 roles")
    for login in logins {
        let name = login.username.padding(toLength: 20, withPad: " ", startingAt: 0)
        let unit = login.unit.padding(toLength: 10, withPad: " ", startingAt: 0)
        say("  \(name)\(unit)\(login.roles.map(\.nameZh).joined(separator: "、"))")
    }
    say("")
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "生成演示分局与一年的事项 Create the demo bureau with a year of items")
    @OptionGroup var database: DatabaseOptions
    @Option(help: "How many items") var items: Int = 3500

    func run() async throws {
        let config = try database.config()
        let dependencies = try await AppDependencies.live(config: config, logger: makeLogger(.warning))
        try await seedDemo(dependencies, items: items)
        await dependencies.database.shutdown()
    }
}

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "管理民警账号 Manage staff accounts", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "添加民警账号 Add a staff account (password read from standard input)")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Login name") var username: String
        @Option(help: "Full name") var name: String
        @Option(help: "Unit ID, e.g. S01") var unit: String
        @Option(help: "Comma-separated roles: \(Role.allCases.map(\.rawValue).joined(separator: ","))") var roles: String

        func run() async throws {
            let parsed = try roles.split(separator: ",").map { raw -> Role in
                guard let role = Role(rawValue: raw.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("未知角色 unknown role \(raw); choose from \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return role
            }
            FileHandle.standardError.write(Data("密码 Password (at least 8 characters): ".utf8))
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("请在标准输入提供密码 (give the password on standard input)")
            }
            do { try PasswordHasher.validate(password) } catch { throw ValidationError(error.description) }
            let config = try database.config()
            let dependencies = try await AppDependencies.live(config: config, logger: makeLogger(.warning))
            defer { Task { await dependencies.database.shutdown() } }
            let hash = try await dependencies.passwords.hash(password)
            let officer = try await dependencies.organisation.addOfficer(
                id: .init(UUID().uuidString.lowercased()), username: username, name: name, unit: .init(unit), roles: Set(parsed), passwordHash: hash,
                at: Date())
            try await dependencies.audit.record(actor: nil, action: "officer.add", target: username, detail: roles, at: Date())
            say("已添加 added \(officer.username) (\(officer.name)) @ \(unit): \(parsed.map(\.nameZh).joined(separator: "、"))")
        }
    }
}

struct APIKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "管理接口密钥 Manage integration keys", subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "为某账号创建接口密钥 Create a key acting as an officer (shown once)")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "What the key is for") var name: String
        @Option(help: "The officer the key acts as") var username: String
        @Option(help: "Days until the key expires (1–1825)") var days: Int = 365

        func run() async throws {
            guard (1...1825).contains(days) else { throw ValidationError("--days 应为 1–1825 (must be 1–1825)") }
            let config = try database.config()
            let dependencies = try await AppDependencies.live(config: config, logger: makeLogger(.warning))
            guard let officer = try await dependencies.organisation.officer(username: username)?.officer else {
                throw ValidationError("未知账号 unknown username \(username)")
            }
            let now = Date()
            let expires = now.addingTimeInterval(Double(days) * 86400)
            let key = try await dependencies.auth.createAPIKey(name: name, officer: officer.id, at: now, expires: expires)
            try await dependencies.audit.record(actor: nil, action: "apikey.add", target: username, detail: "\(name), \(days) d", at: now)
            say(key)
            say(
                """
                有效期至 valid until \(ISO8601DateFormatter().string(from: expires))；列出 list: minyi apikey list；吊销 revoke: minyi apikey revoke \
                \(key.prefix(11))
                """
            )
            await dependencies.database.shutdown()
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出接口密钥 List the keys (their first characters, never the keys)")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let dependencies = try await AppDependencies.live(config: try database.config(), logger: makeLogger(.warning))
            let keys = try await dependencies.auth.apiKeys()
            let now = Date()
            let format = ISO8601DateFormatter()
            say("前缀 prefix   状态 state   账号 officer   名称 name   创建 created   到期 expires")
            for key in keys {
                let state = key.revokedAt != nil ? "revoked" : key.isLive(at: now) ? "live" : "expired"
                let expires = key.expiresAt.map(format.string(from:)) ?? "—"
                say([key.prefix, state, key.officer.rawValue, key.name, format.string(from: key.createdAt), expires].joined(separator: "  "))
            }
            if keys.isEmpty { say("（没有密钥 no keys）") }
            await dependencies.database.shutdown()
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "吊销接口密钥 Revoke keys by prefix (as listed) or by name")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The key's prefix, as `list` shows it, or its name") var key: String

        func run() async throws {
            let dependencies = try await AppDependencies.live(config: try database.config(), logger: makeLogger(.warning))
            let now = Date()
            let count = try await dependencies.auth.revokeAPIKeys(key, at: now)
            if count > 0 { try await dependencies.audit.record(actor: nil, action: "apikey.revoke", target: key, detail: "\(count)", at: now) }
            await dependencies.database.shutdown()
            guard count > 0 else { throw ValidationError("没有可吊销的密钥 no live key with prefix or name \(key)") }
            say("已吊销 revoked \(count)")
        }
    }
}

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "服务器密钥 The server's keys (kept outside the database)", subcommands: [Rotate.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "更换一把密钥 Replace one key in the key file with a new random one (csrf only: see README)")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Which key: csrf") var purpose: String

        func run() async throws {
            guard purpose == ServerKeys.Purpose.csrf.rawValue else {
                throw ValidationError(
                    "只能更换 csrf 密钥：更换 pin 密钥会让已发出的查询密码和回音卡全部失效 "
                        + "(only csrf: a new pin key would void every PIN and echo card already given out)")
            }
            let config = try database.config()
            guard FileManager.default.fileExists(atPath: config.keyFile) else {
                throw ValidationError(
                    "没有密钥文件 \(config.keyFile)：先启动一次服务，或设置 MINYI_KEY_FILE "
                        + "(no key file: start the server once, or set MINYI_KEY_FILE)")
            }
            _ = try ServerKeys.rotate(.csrf, file: config.keyFile)
            say("已更换 \(config.keyFile) 中的 csrf 密钥；重启服务后生效，已打开的表单需刷新 (restart the server; open forms need a reload)")
        }
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "从其他警务系统导入数据 Import data from other police systems", subcommands: [Business.self, Households.self, Survey.self])

    struct Business: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入业务记录 Import business records from CSV (UTF-8; header: record_id,business_type,unit,officer,name,phone,date,sensitive)")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file") var file: String
        @Option(help: "Where to write the rejected rows (default FILE.rejects.csv)") var rejects: String?

        func run() async throws {
            try await importFile(file, rejects: rejects, database: database, counted: "records") { dependencies, url, progress in
                try await dependencies.business.importCSV(at: url, by: nil, at: Date(), progress: progress)
            }
        }
    }

    struct Households: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入户籍底册 Import a household register from CSV (UTF-8, one row per person; header: "
                + "register_key,unit,address,name,phone,id_number,relation,tags)")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file") var file: String
        @Option(help: "Where to write the rejected rows (default FILE.rejects.csv)") var rejects: String?

        func run() async throws {
            try await importFile(file, rejects: rejects, database: database, counted: "households") { dependencies, url, progress in
                try await dependencies.community.importHouseholds(at: url, by: nil, at: Date(), progress: progress)
            }
        }
    }
}

extension Import {
    struct Survey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入第三方民意评警结果 Import a third party's survey results from CSV (UTF-8, one row per response; header: "
                + "response_id,unit,officer,date,saw_police,knows_officer,attitude,safety,satisfaction,comment,surveyor)")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The survey campaign's ID") var campaign: String
        @Argument(help: "The CSV file") var file: String
        @Option(help: "Where to write the rejected rows (default FILE.rejects.csv)") var rejects: String?

        func run() async throws {
            let campaign = self.campaign
            try await importFile(file, rejects: rejects, database: database, counted: "responses") { dependencies, url, progress in
                try await dependencies.surveys.importCSV(at: url, into: .init(campaign), by: nil, at: Date(), progress: progress)
            }
        }
    }
}

/// Runs an import of a CSV file with a progress bar; writes the rejected rows, with line and reason, beside the file.
func importFile(
    _ file: String, rejects: String?, database: DatabaseOptions, counted: String,
    _ run: (AppDependencies, URL, @escaping @Sendable (BusinessImportProgress) -> Void) async throws -> BusinessImportReport
) async throws {
    let config = try database.config()
    let dependencies = try await AppDependencies.live(config: config, logger: makeLogger(.warning))
    let url = URL(fileURLWithPath: file)
    guard FileManager.default.isReadableFile(atPath: url.path) else {
        await dependencies.database.shutdown()
        throw Failure("无法读取文件 cannot read \(file)")
    }
    let started = Date()
    let report: BusinessImportReport
    do {
        report = try await run(dependencies, url) { progress in
            let fraction = progress.bytesTotal == 0 ? 1 : Double(progress.bytesRead) / Double(progress.bytesTotal)
            let label = progress.phase == .checking ? "检查 checking" : "写入 writing"
            showProgress("\(label) \(progressBar(fraction)) \(Int(min(1, fraction) * 100))%  \(progress.rows) rows   ")
        }
        endProgress()
    } catch let error as BusinessRecordCSV.FileError {
        endProgress()
        await dependencies.database.shutdown()
        throw Failure("未导入任何记录 nothing imported: \(error.description)")
    }
    await dependencies.database.shutdown()
    let seconds = Date().timeIntervalSince(started)
    say(
        "共 \(report.rows) 行 rows: 导入 imported \(report.imported) \(counted), 跳过（重复）skipped as duplicates \(report.skipped), "
            + "拒绝 rejected \(report.rejected.count) rows")
    say(String(format: "用时 %.1f 秒 (%.0f rows/s)", seconds, Double(report.rows) / max(seconds, 0.001)))
    if !report.rejected.isEmpty {
        let path = rejects ?? (file + ".rejects.csv")
        var text = "\u{FEFF}" + CSV.row(["行号 line", "原因 reason", "原始内容 original"])
        for rejected in report.rejected { text += CSV.row([String(rejected.line), rejected.reason, rejected.text]) }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        say("被拒绝的行已写入 rejected rows written to \(path)")
        for rejected in report.rejected.prefix(5) { say("  第 \(rejected.line) 行 line: \(rejected.reason)") }
    }
}

struct Tallies: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "统计汇总表 The rollups behind the dashboard, measures, bulletins and analysis", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "按事项重新汇总（批量导入或恢复备份之后）Recount the rollups from the items, after a bulk load or a restore")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let config = try database.config()
            let dependencies = try await AppDependencies.live(config: config, logger: makeLogger(.warning))
            let started = Date()
            let counted = try await dependencies.items.rebuildTallies { done, total in
                showProgress("\(progressBar(Double(done) / Double(max(total, 1)))) \(done)/\(total)")
            }
            endProgress()
            await dependencies.database.shutdown()
            let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
            say("已重新汇总 \(counted) 件事项，用时 \(seconds) 秒 (recounted \(counted) items in \(seconds) s)")
        }
    }
}

/// A bar of 30 cells, filled to `fraction` (0…1).
func progressBar(_ fraction: Double) -> String {
    let width = 30
    let filled = Int(Double(width) * max(0, min(1, fraction)))
    return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
}

/// Redraws the progress line on standard error.
func showProgress(_ line: String) {
    // A progress bar is for a person at a terminal; a log shipper reading JSON lines gets none.
    guard !JSONLogHandler.isRequested else { return }
    FileHandle.standardError.write(Data("\r  \(line)".utf8))
}

/// A command that could not do its work: the message is printed, without the usage text.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Prints a line straight to standard output. `print` buffers whole blocks when standard output is a file or a pipe,
/// so what the server says at start (its address, the demo logins) would reach a log only when it exits.
func say(_ line: String) {
    if JSONLogHandler.isRequested {
        JSONLogHandler.write(level: "notice", label: "minyi", message: line)
    } else {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// Ends a progress bar's line (nothing in JSON mode, where there is no bar).
func endProgress() {
    guard !JSONLogHandler.isRequested else { return }
    FileHandle.standardError.write(Data("\n".utf8))
}
