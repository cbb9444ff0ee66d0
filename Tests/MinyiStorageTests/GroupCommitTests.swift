import Foundation
import MinyiStorageTesting
import SQLKit
import SQLiteNIO
import Testing

@testable import MinyiStorage

/// A write kind for testing the writer: stores a word, which must be unique. On SQLite it runs on the writer's own
/// connection, like intake.
private struct Note: SQLiteBatchableWrite {
    static func execute(_ inputs: [String], on db: any SQLDatabase) async throws -> [Result<String, any Error>] {
        for word in inputs { try await db.raw("INSERT INTO test_notes (word) VALUES (\(bind: word))").run() }
        return inputs.map { .success($0) }
    }

    static func execute(_ inputs: [String], on connection: SQLiteWriteConnection) throws -> [Result<String, any Error>] {
        for word in inputs { try connection.run("INSERT INTO test_notes (word) VALUES (?)", [.text(word)]) }
        return inputs.map { .success($0) }
    }
}

struct GroupCommitTests {
    /// Duplicates make whole batches fail inside the database; every other write must still land, each caller must
    /// hear its own outcome, and nothing is written twice.
    @Test(arguments: TestDatabase.dialects)
    func aBatchThatFailsInTheDatabaseIsRetriedOneByOne(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            try await database.write { db in try await db.raw("CREATE TABLE test_notes (word TEXT NOT NULL UNIQUE)").run() }
            let words = (0..<120).map { "w\($0 % 100)" }  // w0…w19 twice
            let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
                for word in words {
                    group.addTask { (word, (try? await database.write(Note.self, word)) != nil) }
                }
                return await group.reduce(into: [(String, Bool)]()) { $0.append($1) }
            }
            #expect(outcomes.filter(\.1).count == 100)
            for word in Set(words) { #expect(outcomes.filter { $0.0 == word && $0.1 }.count == 1, "\(word)") }
            let stored = try await database.read { db in try await db.raw("SELECT word FROM test_notes").all().map { try $0.decode(column: "word", as: String.self) } }
            #expect(Set(stored) == Set(words) && stored.count == 100)
        }
    }

    /// Both of the SQLite writer's connections commit durably (synchronous=FULL) to the write-ahead log.
    @Test func bothWriterConnectionsCommitDurably() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let sqlite = try #require(database as? SQLiteBackend)
            let settings = try await sqlite.writerSettings()
            #expect(settings.count == 2)
            for setting in settings { #expect(setting.synchronous == 2 && setting.journalMode == "wal") }
        }
    }
}
