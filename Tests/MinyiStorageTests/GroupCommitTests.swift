import Foundation
import Logging
import MinyiStorageTesting
import SQLKit
import SQLiteNIO
import Synchronization
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
        for word in inputs { try connection.run(insert, [.text(word)]) }
        return inputs.map { .success($0) }
    }

    private static let insert = SQLiteWriteConnection.Statement("INSERT INTO test_notes (word) VALUES (?)")
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
            let stored = try await database.read { db in
                try await db.raw("SELECT word FROM test_notes").all().map { try $0.decode(column: "word", as: String.self) }
            }
            #expect(Set(stored) == Set(words) && stored.count == 100)
        }
    }

    /// PostgreSQL's group commit keeps one batch in flight: while it runs, requests queue, and the next batch takes all
    /// of them. Every request hears its own answer.
    @Test func postgresGroupCommitKeepsOneBatchInFlight() async throws {
        let track = Mutex((running: 0, most: 0, batches: [[String]]()))
        let (released, release) = AsyncStream<Void>.makeStream()
        let commit = PostgresGroupCommit<Note>(
            run: { inputs in
                let first = track.withLock {
                    $0.running += 1
                    $0.most = max($0.most, $0.running)
                    $0.batches.append(inputs)
                    return $0.batches.count == 1
                }
                if first { for await _ in released { break } }  // held in flight until the rest have queued
                track.withLock { $0.running -= 1 }
                return inputs.map { .success("stored \($0)") }
            },
            runAlone: { _ in throw StorageError.corrupt("no batch fails here") })
        let answers = try await withThrowingTaskGroup(of: (String, String).self) { group in
            group.addTask { ("first", try await commit.submit("first")) }
            while track.withLock({ $0.batches.isEmpty }) { await Task.yield() }
            for n in 0..<40 { group.addTask { ("w\(n)", try await commit.submit("w\(n)")) } }
            // Until all 40 wait in the queue, or a second batch took some of them while the first was in flight.
            while commit.queued < 40, track.withLock({ $0.batches.count }) == 1 { await Task.yield() }
            release.yield()
            return try await group.reduce(into: [(String, String)]()) { $0.append($1) }
        }
        #expect(answers.count == 41)
        for (word, answer) in answers { #expect(answer == "stored \(word)") }
        let seen = track.withLock { $0 }
        #expect(seen.most == 1)
        #expect(seen.batches.map(\.count) == [1, 40])
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

    /// The write-ahead log reaches the database file without any commit copying it: far below the writer's own limit
    /// (`checkpointPages`), the file grows within moments of the writes, by the background checkpointer's hand.
    @Test func theLogIsCopiedIntoTheFileInTheBackground() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let sqlite = try #require(database as? SQLiteBackend)
            try await database.write { db in try await db.raw("CREATE TABLE test_notes (word TEXT NOT NULL UNIQUE)").run() }
            func fileSize() throws -> Int { (try FileManager.default.attributesOfItem(atPath: sqlite.path)[.size] as? Int) ?? 0 }
            try await Task.sleep(for: .milliseconds(300))
            let before = try fileSize()
            let padding = String(repeating: "字", count: 300)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<400 { group.addTask { _ = try await database.write(Note.self, "\(index) \(padding)") } }
                try await group.waitForAll()
            }
            // 400 rows of ~900 bytes: ~100 pages of table and ~100 of index, far fewer than the writer's limit.
            // Checkpoints come every 20 ms and may copy part of the log each: wait (5 s at most) for all of it.
            var grown = try fileSize()
            for _ in 0..<50 where grown < before + 100 * 4096 {
                try await Task.sleep(for: .milliseconds(100))
                grown = try fileSize()
            }
            #expect(grown >= before + 100 * 4096, "the file grew from \(before) to \(grown) bytes")
        }
    }

    /// While another process holds the file's write lock past the busy timeout, writes fail at once as unavailable
    /// (nothing written, try again), on both of the writer's connections; once the lock is gone they succeed.
    @Test func writesFailAsUnavailableWhileAnotherProcessHoldsTheLock() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minyi-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lock.sqlite").path
        let database = try await SQLiteBackend.open(path: path, busyTimeout: .milliseconds(50), logger: Logger(label: "test"))
        try await database.write { db in try await db.raw("CREATE TABLE test_notes (word TEXT NOT NULL UNIQUE)").run() }

        let other = try SQLiteWriteConnection(path: path)  // another process's import, say
        try other.execute("BEGIN IMMEDIATE")
        let outcomes = await withTaskGroup(of: (any Error)?.self) { group in
            for index in 0..<20 {
                group.addTask {
                    do {
                        if index % 2 == 0 {
                            _ = try await database.write(Note.self, "held\(index)")
                        } else {
                            try await database.write { db in try await db.raw("INSERT INTO test_notes (word) VALUES (\(bind: "held\(index)"))").run()
                            }
                        }
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            return await group.reduce(into: [(any Error)?]()) { $0.append($1) }
        }
        for error in outcomes {
            guard case StorageError.unavailable? = error as? StorageError else {
                Issue.record("expected unavailable, got \(String(describing: error))")
                continue
            }
        }
        try other.execute("ROLLBACK")
        other.close()

        #expect(try await database.write(Note.self, "after") == "after")
        let stored = try await database.read { db in
            try await db.raw("SELECT word FROM test_notes").all().map { try $0.decode(column: "word", as: String.self) }
        }
        #expect(stored == ["after"])
        await database.shutdown()
    }
}
