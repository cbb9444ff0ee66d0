import Foundation
import MinyiCore
import MinyiStorage

/// Everything the server reads from its environment, once, with defaults in code.
public struct AppConfig: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var database: DatabaseLocation = .sqlite(path: "./data/minyi.sqlite")
    /// How long a staff session lasts.
    public var sessionLifetime: TimeInterval = 12 * 3600
    /// How often the deadline scanner runs.
    public var deadlineScanInterval: Duration = .seconds(60)
    /// Public requests (submissions, lookups) allowed per client address per minute; 0 turns the limit off.
    public var publicRequestsPerMinute: Int = 60
    /// bcrypt's cost factor (2^cost rounds).
    public var bcryptCost: UInt8 = 12
    /// The largest JSON body accepted.
    public var maxBodyBytes: Int = 64 * 1024
    /// Whether to log each request.
    public var logRequests: Bool = false
    /// Whether cookies carry `Secure` (set when the server sits behind HTTPS).
    public var secureCookies: Bool = false
    /// How far ahead a deadline shows as due soon (预警) in queues, the inbox and the dashboard.
    public var dueSoon: TimeInterval = 24 * 3600
    /// Below this many answers a survey score says "sample too small" instead of a value to rank by.
    public var surveyMinimumN: Int = 30
    /// Reverse proxies whose `X-Forwarded-For` is believed (addresses, or IPv4 networks as `10.0.0.0/8`).
    public var trustedProxies: [String] = []
    /// The address residents reach the square at (`MINYI_PUBLIC_URL`, e.g. https://jw.example.gov.cn), for what is
    /// printed on paper; without it, the address the request came to.
    public var publicURL: String?
    /// The token `/metrics` asks for (`Authorization: Bearer …`, MINYI_METRICS_TOKEN); without one, only requests from
    /// this machine (loopback, not forwarded by a proxy) may read it.
    public var metricsToken: String?
    /// How guesses at staff passwords and at look-up PINs are slowed.
    public var loginGuesses: GuessPolicy = .login
    public var pinGuesses: GuessPolicy = .pin

    /// Where the server's keys live when not set in the environment (see `ServerKeys`); by default `minyi.keys`
    /// beside the SQLite file (or in `./data/` with PostgreSQL).
    public var keyFile: String {
        get {
            if let explicitKeyFile { return explicitKeyFile }
            if case .sqlite(let path) = database {
                return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("minyi.keys").path
            }
            return "./data/minyi.keys"
        }
        set { explicitKeyFile = newValue }
    }
    var explicitKeyFile: String?

    public init() {}

    /// Reads `MINYI_*` variables over the defaults: MINYI_HOST, MINYI_PORT, MINYI_DATABASE_URL (postgres://…),
    /// MINYI_SQLITE_PATH, MINYI_RATE_LIMIT, MINYI_SESSION_HOURS, MINYI_DEADLINE_SCAN_SECONDS, MINYI_BCRYPT_COST,
    /// MINYI_SECURE_COOKIES (1 behind HTTPS).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        var config = AppConfig()
        func int(_ key: String) throws -> Int? {
            guard let raw = environment[key], !raw.isEmpty else { return nil }
            guard let value = Int(raw) else { throw StorageError.invalidConfiguration("\(key) 应为整数 (must be an integer), got \(raw)") }
            return value
        }
        if let host = environment["MINYI_HOST"], !host.isEmpty { config.host = host }
        if let port = try int("MINYI_PORT") { config.port = port }
        if let url = environment["MINYI_DATABASE_URL"], !url.isEmpty {
            config.database = .postgres(url: url)
        } else if let path = environment["MINYI_SQLITE_PATH"], !path.isEmpty {
            config.database = .sqlite(path: path)
        }
        if let limit = try int("MINYI_RATE_LIMIT") { config.publicRequestsPerMinute = limit }
        if let hours = try int("MINYI_SESSION_HOURS") { config.sessionLifetime = TimeInterval(hours) * 3600 }
        if let seconds = try int("MINYI_DEADLINE_SCAN_SECONDS") { config.deadlineScanInterval = .seconds(seconds) }
        if let cost = try int("MINYI_BCRYPT_COST") { config.bcryptCost = UInt8(clamping: cost) }
        if let secure = try int("MINYI_SECURE_COOKIES") { config.secureCookies = secure != 0 }
        if let hours = try int("MINYI_DUE_SOON_HOURS") {
            guard (0...720).contains(hours) else {
                throw StorageError.invalidConfiguration("MINYI_DUE_SOON_HOURS 应为 0–720 (must be 0 to 720 hours), got \(hours)")
            }
            config.dueSoon = TimeInterval(hours) * 3600
        }
        if let n = try int("MINYI_SURVEY_MIN_N") {
            guard (1...10_000).contains(n) else {
                throw StorageError.invalidConfiguration("MINYI_SURVEY_MIN_N 应为 1–10000 (must be 1 to 10,000), got \(n)")
            }
            config.surveyMinimumN = n
        }
        if let file = environment["MINYI_KEY_FILE"], !file.isEmpty { config.keyFile = file }
        if let token = environment["MINYI_METRICS_TOKEN"], !token.isEmpty {
            guard token.count >= 16 else { throw StorageError.invalidConfiguration("MINYI_METRICS_TOKEN 至少 16 个字符 (at least 16 characters)") }
            config.metricsToken = token
        }
        if let url = environment["MINYI_PUBLIC_URL"], !url.isEmpty {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil, parsed.query == nil else {
                throw StorageError.invalidConfiguration("MINYI_PUBLIC_URL 应为 http(s):// 开头的网址 (must be an http or https address), got \(url)")
            }
            config.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        if let proxies = environment["MINYI_TRUSTED_PROXIES"], !proxies.isEmpty {
            config.trustedProxies = proxies.split(separator: ",").map { $0.trimmed }.filter { !$0.isEmpty }
            if let bad = config.trustedProxies.first(where: { ClientAddresses.Proxy($0) == nil }) {
                throw StorageError.invalidConfiguration("MINYI_TRUSTED_PROXIES: 不是地址或 IPv4 网段 (not an address or IPv4 network): \(bad)")
            }
        }
        return config
    }
}
