import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

/// PostgreSQL's phone table (`IndexPostgresPhonesUnlogged`): filled by the statement that registers the items, read by
/// lookups only while it is complete, and filled again after the server has emptied it, as it does after a crash (the
/// tests empty it as the server would: both tables, with nothing else touched). One test at a time: filling the table
/// again takes an advisory lock, which is the server's, not the test schema's, and a test that finds it taken is told
/// "nothing to do".
@Suite(.serialized)
struct PhoneTableTests {
    static func indexed(_ database: any DatabaseBackend) async throws -> Int {
        try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM item_phones").first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    static func empty(_ database: any DatabaseBackend) async throws {
        try await database.write { try await $0.raw("TRUNCATE item_phones, item_phones_complete").run() }
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func itemsAreFoundByPhoneThroughTheTableAndWithoutItAfterACrash() async throws {
        try await TestDatabase.withFresh(.postgres) { database in
            let world = try await World.make(on: database)
            func found(_ phone: String) async throws -> Set<String> { try await PhoneIndexTests.found(world, phone) }
            let (a1, a2, b1) = try await PhoneIndexTests.submitThree(world)
            #expect(try await Self.indexed(database) == 3, "each registration indexes its phone")
            #expect(try await world.items.restorePhoneTable() == nil, "complete: nothing to do")
            #expect(try await found("13800000001") == [a1, a2])
            #expect(try await found("13800000002") == [b1])
            #expect(try await world.items.items(phone: "13800000001", for: world.handlerB, at: world.t0 + 60).isEmpty, "another station's")

            try await Self.empty(database)
            #expect(try await found("13800000001") == [a1, a2], "emptied: read from the items")
            let a3 = try await PhoneIndexTests.submit(world, phone: "13800000001", at: world.t0 + 3)
            #expect(try await Self.indexed(database) == 1)
            #expect(try await found("13800000001") == [a1, a2, a3])

            #expect(try await world.items.restorePhoneTable() == 3, "the three from before; the fourth indexed itself")
            #expect(try await Self.indexed(database) == 4)
            #expect(try await world.items.restorePhoneTable() == nil)
            #expect(try await found("13800000001") == [a1, a2, a3])
            // Complete again, lookups go through the table: a phone it lacks is not found.
            try await database.write { try await $0.raw("DELETE FROM item_phones WHERE phone = '13800000002'").run() }
            #expect(try await found("13800000002").isEmpty)
        }
    }

    /// The visit rules' scan starts from the households' phones when the window holds more items than there are phones:
    /// through the table when it is complete, from the window's items while it is empty.
    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func anEventRuleFindsTheHouseholdsItemsWithAndWithoutTheTable() async throws {
        try await TestDatabase.withFresh(.postgres) { database in
            let setting = try await CommunityStoreTests.setting(database)
            let t0 = setting.world.t0
            _ = try await CommunityStoreTests.household(setting, phone: "13900003333")
            for n in 0..<4 {
                _ = try await PhoneIndexTests.submit(setting.world, phone: "1370000000\(n)", category: "dispute", at: t0 + TimeInterval(n))
            }
            _ = try await PhoneIndexTests.submit(setting.world, phone: "13900003333", category: "dispute", at: t0 + 10)
            try await Self.empty(database)
            #expect(try await setting.community.scanRules(at: t0 + 60) == 1, "emptied: from the window's items")

            #expect(try await setting.world.items.restorePhoneTable() == 5)
            _ = try await PhoneIndexTests.submit(setting.world, phone: "13900003333", category: "dispute", at: t0 + 20)
            #expect(try await setting.community.scanRules(at: t0 + 120) == 1, "through the table")
            #expect(try await setting.community.scanRules(at: t0 + 180) == 0, "each item once")
        }
    }
}
