import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import SQLKit
import Testing

/// The server's keys live outside the database, one per purpose.
struct ServerKeysTests {
    /// An installation that kept its PIN secret in the database has it moved into a key file readable by its owner
    /// only, so that every PIN already given out still works and a copy of the database no longer opens any item.
    @Test(arguments: TestDatabase.dialects)
    func theLegacySecretMovesOutOfTheDatabase(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minyi-keys-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("minyi.keys").path
            let legacy = "legacy-secret-0123456789abcdef0123456789abcdef"
            try await database.write { db in try await db.raw("INSERT INTO settings (key, value) VALUES ('pin_secret', \(bind: legacy))").run() }
            let world = try await World.make(on: database)
            let before = Stores(database: database, pinKey: legacy, voterKey: "v").items.pin(for: "KFQ-2026-000001")

            let keys = try await ServerKeys.load(file: path, environment: [:], database: database)
            #expect(keys.pin == legacy && keys.csrf != legacy && keys.csrf.count == 64)
            #expect(Stores(database: database, pinKey: keys.pin, voterKey: keys.voter).items.pin(for: "KFQ-2026-000001") == before)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let left = try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM settings WHERE key = 'pin_secret'").first() }
            #expect(try left?.decode(column: "n", as: Int.self) == 0)
            _ = world

            // Read again: the same keys. The environment wins over the file; a rotation changes only its key.
            #expect(try await ServerKeys.load(file: path, environment: [:], database: database) == keys)
            let fromEnvironment = try await ServerKeys.load(
                file: path, environment: ["MINYI_CSRF_KEY": String(repeating: "e", count: 40)], database: database)
            #expect(fromEnvironment.pin == keys.pin && fromEnvironment.csrf == String(repeating: "e", count: 40))
            let rotated = try ServerKeys.rotate(.csrf, file: path)
            #expect(rotated.pin == keys.pin && rotated.csrf != keys.csrf)
            #expect(try await ServerKeys.load(file: path, environment: [:], database: database) == rotated)
        }
    }

    /// A key file from before the ballot has no voter key: the next start adds one (unless votes exist, which a key
    /// from elsewhere marked), and a rotation before that start does not write it empty.
    @Test func aKeyFileFromBeforeTheBallotGainsAVoterKey() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minyi-keys-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("old.keys").path
            let pin = String(repeating: "p", count: 40)
            try "pin=\(pin)\ncsrf=\(String(repeating: "c", count: 40))\n".write(toFile: path, atomically: true, encoding: .utf8)
            let rotated = try ServerKeys.rotate(.csrf, file: path)
            let written = try String(contentsOfFile: path, encoding: .utf8)
            #expect(rotated.voter.isEmpty && !written.contains("voter="))
            let keys = try await ServerKeys.load(file: path, environment: [:], database: database)
            #expect(keys.pin == pin && keys.voter.count == 64)
            #expect(try await ServerKeys.load(file: path, environment: [:], database: database) == keys)
        }
    }

    /// A new installation gets new random keys; a short key is refused rather than used.
    @Test func aNewInstallationGetsRandomKeysAndShortOnesAreRefused() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minyi-keys-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let keys = try await ServerKeys.load(file: folder.appendingPathComponent("a.keys").path, environment: [:], database: database)
            let other = try await ServerKeys.load(file: folder.appendingPathComponent("b.keys").path, environment: [:], database: database)
            #expect(keys.pin != other.pin && keys.csrf != other.csrf && keys.pin != keys.csrf)
            await #expect(throws: StorageError.self) {
                try await ServerKeys.load(
                    file: folder.appendingPathComponent("a.keys").path, environment: ["MINYI_PIN_KEY": "short"], database: database)
            }
        }
    }

    /// A database that holds items but whose PIN key is nowhere to be found (a second instance without the key file)
    /// is refused rather than given a new key that would make every PIN wrong.
    @Test func aDatabaseWithItemsButNoKeyIsRefused() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let world = try await World.make(on: database)
            _ = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: world.t0)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minyi-keys-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("minyi.keys").path
            await #expect(throws: StorageError.self) { try await ServerKeys.load(file: path, environment: [:], database: database) }
            #expect(!FileManager.default.fileExists(atPath: path))
            let key = String(repeating: "k", count: 40)
            #expect(try await ServerKeys.load(file: path, environment: ["MINYI_PIN_KEY": key], database: database).pin == key)
        }
    }
}
