import ArgumentParser
import Foundation
import Logging
import MinyiApp
import MinyiCore
import MinyiStorage

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
