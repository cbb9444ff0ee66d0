import Foundation
import MinyiCore

/// The server's secrets, one per purpose, kept outside the database: whoever holds a copy of the database (a backup, a
/// stolen disk) can then neither produce the residents' look-up PINs nor forge a form.
///
/// They come from the environment (`MINYI_PIN_KEY`, `MINYI_CSRF_KEY`, `MINYI_VOTER_KEY`) or from a key file (by default `minyi.keys`
/// beside the SQLite file), which the first start creates readable by its owner only. An installation that kept its
/// PIN secret in the database (`settings.pin_secret`, before this file existed) has it moved into the file, so that
/// every PIN already given out still works, and removed from the database.
public struct ServerKeys: Sendable, Hashable {
    /// Derives each item's look-up PIN from its number (and each echo card's from its serial).
    public var pin: String
    /// Binds the forms' CSRF tokens to the browser; changing it only makes open forms ask for a reload.
    public var csrf: String
    /// Keys the ballot's roll (a keyed hash of each voter's ID number): a copy of the database without it cannot tell
    /// whether a given ID number voted. Changing it during a ballot would let everyone vote again.
    public var voter: String

    public init(pin: String, csrf: String, voter: String) {
        self.pin = pin
        self.csrf = csrf
        self.voter = voter
    }

    /// The purposes, as named in the key file and the environment.
    public enum Purpose: String, CaseIterable, Sendable {
        case pin, csrf, voter

        public var environmentVariable: String { "MINYI_\(rawValue.uppercased())_KEY" }
    }

    public subscript(purpose: Purpose) -> String {
        get {
            switch purpose {
            case .pin: pin
            case .csrf: csrf
            case .voter: voter
            }
        }
        set {
            switch purpose {
            case .pin: pin = newValue
            case .csrf: csrf = newValue
            case .voter: voter = newValue
            }
        }
    }

    /// A new random key: 32 bytes, hex.
    public static func newKey() -> String { SQLAuthStore.newToken() }

    /// The key file's text: one `purpose=key` line each.
    var fileText: String {
        // A key not made yet (the voter key of a file from before the ballot, rotated before the next start) is left
        // out rather than written empty; the next start adds it.
        "# Minyi server keys: keep this file out of database backups, readable by the server's user only.\n"
            + Purpose.allCases.filter { !self[$0].isEmpty }.map { "\($0.rawValue)=\(self[$0])\n" }.joined()
    }

    /// Reads a key file's text.
    static func parse(_ text: String, path: String) throws -> ServerKeys {
        var found: [Purpose: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let purpose = Purpose(rawValue: parts[0].trimmed) else { continue }
            let key = parts[1].trimmed
            guard key.utf8.count >= 32 else {
                throw StorageError.invalidConfiguration("\(path): the \(purpose.rawValue) key is shorter than 32 characters")
            }
            found[purpose] = key
        }
        guard let pin = found[.pin], let csrf = found[.csrf] else {
            throw StorageError.invalidConfiguration("\(path) lacks a key: it needs the lines pin=… and csrf=…")
        }
        // Files written before the ballot existed have no voter key: `load` adds one.
        return ServerKeys(pin: pin, csrf: csrf, voter: found[.voter] ?? "")
    }

    /// The keys from the environment where set, else from the key file, which is created (from the database's legacy
    /// PIN secret, if any, and new random keys) when missing.
    public static func load(
        file path: String, environment: [String: String] = ProcessInfo.processInfo.environment, database: any DatabaseBackend
    ) async throws -> ServerKeys {
        var keys: ServerKeys
        if FileManager.default.fileExists(atPath: path) {
            keys = try parse(try String(contentsOfFile: path, encoding: .utf8), path: path)
        } else {
            let legacy = try await SQLOrganisationStore(database: database).legacySetting("pin_secret")
            let fromEnvironment = environment[Purpose.pin.environmentVariable].map { !$0.isEmpty } ?? false
            if legacy == nil, !fromEnvironment, try await database.read({ try await $0.raw("SELECT 1 AS one FROM items LIMIT 1").first() }) != nil {
                // Items exist, so a PIN key exists somewhere (another instance's file, a backup): a new one would give
                // every resident a wrong PIN. Refuse to start rather than guess.
                throw StorageError.invalidConfiguration(
                    "\(path) 不存在，而数据库中已有事项：请复制原有的密钥文件，或设置 \(Purpose.pin.environmentVariable)"
                        + " (no key file, but the database holds items: copy the existing key file here or set the key in the environment)")
            }
            keys = ServerKeys(pin: legacy ?? newKey(), csrf: newKey(), voter: newKey())
            try write(keys, to: path)
        }
        if keys.voter.isEmpty {
            // A key file from before the ballot: a voter key is added, unless someone has voted already (then the key
            // that marked them is somewhere else, and a new one would let them vote again).
            let voted = try await database.read { try await $0.raw("SELECT 1 AS one FROM ballot_roll LIMIT 1").first() }
            guard voted == nil || !(environment[Purpose.voter.environmentVariable] ?? "").isEmpty else {
                throw StorageError.invalidConfiguration(
                    "\(path) 缺少 voter 密钥，而数据库中已有投票记录：请使用原有的密钥文件 (the key file lacks the voter key, but votes exist)")
            }
            keys.voter = newKey()
            try write(keys, to: path, replacing: true)
        }
        for purpose in Purpose.allCases {
            if let value = environment[purpose.environmentVariable], !value.isEmpty {
                guard value.utf8.count >= 32 else {
                    throw StorageError.invalidConfiguration("\(purpose.environmentVariable) is shorter than 32 characters")
                }
                keys[purpose] = value
            }
        }
        // Once the file holds it, the secret leaves the database.
        try await SQLOrganisationStore(database: database).removeSetting("pin_secret")
        return keys
    }

    /// Replaces one key in the file with a new random one and returns the keys now in force.
    public static func rotate(_ purpose: Purpose, file path: String) throws -> ServerKeys {
        var keys = try parse(try String(contentsOfFile: path, encoding: .utf8), path: path)
        keys[purpose] = newKey()
        try write(keys, to: path, replacing: true)
        return keys
    }

    /// Writes the file readable and writable by its owner only, synced before it replaces anything.
    static func write(_ keys: ServerKeys, to path: String, replacing: Bool = false) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = path + ".new"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw StorageError.invalidConfiguration("cannot create \(temporary): errno \(errno)") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        let written = (try? handle.write(contentsOf: Data(keys.fileText.utf8))) != nil
        let synced = fsync(fd) == 0
        try? handle.close()
        guard written, synced else {
            unlink(temporary)
            throw StorageError.invalidConfiguration("cannot write \(temporary)")
        }
        if !replacing, FileManager.default.fileExists(atPath: path) {
            unlink(temporary)
            throw StorageError.invalidConfiguration("\(path) appeared while it was being created")
        }
        guard rename(temporary, path) == 0 else { throw StorageError.invalidConfiguration("cannot move \(temporary) to \(path): errno \(errno)") }
    }
}
