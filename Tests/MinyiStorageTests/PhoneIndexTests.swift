import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

/// SQLite's phone index beside the file (`PhoneIndex`): lookups by phone find every item whether the index has reached
/// it or not, and an index that is missing or belongs to another database is made again. The index is driven by hand
/// here (`indexingPhones: false`), so that each path is taken for certain.
struct PhoneIndexTests {
    static func open(_ path: String) async throws -> SQLiteBackend {
        let database = try await SQLiteBackend.open(path: path, logger: TestDatabase.logger, indexingPhones: false)
        try await Migrator(database: database, logger: TestDatabase.logger).migrate()
        return database
    }

    static func withFolder<T>(_ body: (String) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minyi-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(folder.path)
    }

    static func submit(_ world: World, phone: String, category: MinyiCore.Category.Code = "noise", at date: Date) async throws -> String {
        let submission = try Submission(
            kind: .complaint, category: category, channel: .phone, text: "楼下噪音 \(UUID().uuidString.prefix(6))", placeID: "S01-C1",
            contact: Contact(name: "王女士", phone: phone))
        return try await world.items.submit(submission, idempotencyKey: nil, by: nil, at: date).item.number
    }

    /// Two items of one phone and one of another, a second apart (on either database).
    static func submitThree(_ world: World) async throws -> (a1: String, a2: String, b1: String) {
        let a1 = try await submit(world, phone: "13800000001", at: world.t0)
        let a2 = try await submit(world, phone: "13800000001", at: world.t0 + 1)
        return (a1, a2, try await submit(world, phone: "13800000002", at: world.t0 + 2))
    }

    /// The numbers of the items that the first station's handler finds by `phone`.
    static func found(_ world: World, _ phone: String) async throws -> Set<String> {
        Set(try await world.items.items(phone: phone, for: world.handlerA, at: world.t0 + 60).map(\.item.number))
    }

    static func indexed(_ database: SQLiteBackend) async throws -> Int {
        try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM phones.item_phones").first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    @Test func itemsAreFoundByPhoneWhetherTheIndexHasReachedThemOrNot() async throws {
        try await Self.withFolder { folder in
            let database = try await Self.open(folder + "/minyi.sqlite")
            let world = try await World.make(on: database)
            func found(_ phone: String) async throws -> Set<String> { try await Self.found(world, phone) }
            let (a1, a2, b1) = try await Self.submitThree(world)
            #expect(try await Self.indexed(database) == 0)
            #expect(try await found("13800000001") == [a1, a2], "not indexed yet: read from the items")

            try await database.catchUpPhoneIndex()
            #expect(try await Self.indexed(database) == 3)
            #expect(try await found("13800000001") == [a1, a2], "indexed")
            #expect(try await found("13800000002") == [b1])

            let a3 = try await Self.submit(world, phone: "13800000001", at: world.t0 + 3)
            #expect(try await found("13800000001") == [a1, a2, a3], "indexed and not yet indexed together")
            #expect(try await found("13800000003").isEmpty)
            #expect(try await world.items.items(phone: "13800000001", for: world.handlerB, at: world.t0 + 60).isEmpty, "another station's")
            await database.shutdown()
        }
    }

    @Test func aMissingIndexOrOneOfAnotherDatabaseIsMadeAgain() async throws {
        try await Self.withFolder { folder in
            // Database A, indexed.
            let a = try await Self.open(folder + "/a.sqlite")
            let worldA = try await World.make(on: a)
            for n in 0..<3 { _ = try await Self.submit(worldA, phone: "13811111111", at: worldA.t0 + TimeInterval(n)) }
            try await a.catchUpPhoneIndex()
            await a.shutdown()
            // Database B, indexed, then given A's index, as after a restore that left the old index beside it.
            let b = try await Self.open(folder + "/b.sqlite")
            let worldB = try await World.make(on: b)
            var numbers: Set<String> = []
            // (The test world numbers its rows 1, 2, 3 …; these items get IDs as the server makes them.)
            let itemsB = SQLItemStore(database: b, pinSecret: "test")
            for n in 0..<5 {
                let submission = try Submission(
                    kind: .complaint, category: "noise", channel: .phone, text: "楼下噪音 \(n)", placeID: "S01-C1",
                    contact: Contact(name: "王女士", phone: "13822222222"))
                numbers.insert(try await itemsB.submit(submission, idempotencyKey: nil, by: nil, at: worldB.t0 + TimeInterval(n)).item.number)
            }
            try await b.catchUpPhoneIndex()
            await b.shutdown()
            let manager = FileManager.default
            for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: folder + "/b.sqlite.phones" + suffix) }
            let aLog = folder + "/a.sqlite.phones-wal"
            let aLogSize = manager.fileExists(atPath: aLog) ? (try manager.attributesOfItem(atPath: aLog)[.size] as? Int) ?? -1 : 0
            #expect(aLogSize == 0, "the index's log is folded into its file at shutdown")
            try manager.copyItem(atPath: folder + "/a.sqlite.phones", toPath: folder + "/b.sqlite.phones")

            let handler = worldB.handlerA
            func found(_ phone: String, on database: SQLiteBackend) async throws -> Set<String> {
                let items = SQLItemStore(database: database, pinSecret: "test")
                return Set(try await items.items(phone: phone, for: handler, at: worldB.t0 + 60).map(\.item.number))
            }
            let reopened = try await Self.open(folder + "/b.sqlite")
            #expect(try await Self.indexed(reopened) == 0, "A's index is dropped before anything reads it")
            #expect(try await found("13822222222", on: reopened) == numbers)
            #expect(try await found("13811111111", on: reopened).isEmpty)
            try await reopened.catchUpPhoneIndex()
            #expect(try await Self.indexed(reopened) == 5)
            await reopened.shutdown()

            // No index at all: made from the items.
            for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: folder + "/b.sqlite.phones" + suffix) }
            let again = try await Self.open(folder + "/b.sqlite")
            #expect(try await found("13822222222", on: again) == numbers)
            try await again.catchUpPhoneIndex()
            #expect(try await Self.indexed(again) == 5)
            await again.shutdown()
        }
    }

    /// The visit rules' scan, when a window holds more items than there are households' phones, starts from the phones
    /// and finds their items through the index, and the newer ones by reading them.
    @Test func anEventRuleFindsTheHouseholdsItemsThroughTheIndexAndBeyondIt() async throws {
        try await Self.withFolder { folder in
            let database = try await Self.open(folder + "/minyi.sqlite")
            let setting = try await CommunityStoreTests.setting(database)
            let t0 = setting.world.t0
            _ = try await CommunityStoreTests.household(setting, phone: "13900003333")
            // More items in the window than households' phones: the scan starts from the phones.
            for n in 0..<4 { _ = try await Self.submit(setting.world, phone: "1370000000\(n)", category: "dispute", at: t0 + TimeInterval(n)) }
            _ = try await Self.submit(setting.world, phone: "13900003333", category: "dispute", at: t0 + 10)
            #expect(try await setting.community.scanRules(at: t0 + 60) == 1, "not indexed yet")

            _ = try await Self.submit(setting.world, phone: "13900003333", category: "dispute", at: t0 + 20)
            try await database.catchUpPhoneIndex()
            #expect(try await Self.indexed(database) == 6)
            #expect(try await setting.community.scanRules(at: t0 + 120) == 1, "indexed")
            #expect(try await setting.community.scanRules(at: t0 + 180) == 0, "each item once")
            await database.shutdown()
        }
    }
}
