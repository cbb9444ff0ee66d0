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
