import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

/// Echo cards and the ledger's filters, on both databases.
struct EchoCardAndLedgerTests {
    @Test(arguments: TestDatabase.dialects)
    func echoCardsAreIssuedInSequenceAndEachComesBackOnce(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let cards = world.stores.echoCards
            let admin = world.leader
            let first = try await cards.issue(count: 3, to: "S01", by: admin, at: world.t0)
            let second = try await cards.issue(count: 2, to: "S02", by: admin, at: world.t0 + 60)
            #expect(first.firstSerial == "KFQ-H000001" && first.lastSerial == "KFQ-H000003")
            #expect(second.firstSerial == "KFQ-H000004" && second.lastSerial == "KFQ-H000005")

            func fromCard(_ serial: String) throws -> Submission {
                try Submission(kind: .opinion, category: "noise", channel: .echoCard, text: "回音卡：晚上太吵", placeID: "S01-C1", echoCard: serial)
            }
            let item = try await world.items.submit(try fromCard("KFQ-H000002"), idempotencyKey: nil, by: world.clerkA, at: world.t0 + 120)
            #expect(item.item.echoCard == "KFQ-H000002")
            await #expect(throws: ValidationError.self) {
                _ = try await world.items.submit(try fromCard("KFQ-H000002"), idempotencyKey: nil, by: world.clerkA, at: world.t0 + 180)
            }
            await #expect(throws: ValidationError.self) {
                _ = try await world.items.submit(try fromCard("KFQ-H999999"), idempotencyKey: nil, by: world.clerkA, at: world.t0 + 180)
            }

            let bureau = try #require(try await world.organisation.unit("KFQ"))
            let batches = try await cards.batches(within: bureau)
            #expect(batches.map(\.count) == [2, 3])
            #expect(batches.first(where: { $0.id == first.id })?.used == 1)
            let sheet = try #require(try await cards.cards(batch: first.id, within: bureau))
            #expect(sheet.map(\.serial) == ["KFQ-H000001", "KFQ-H000002", "KFQ-H000003"])
            #expect(sheet[1].itemNumber == item.item.number)

            // Another station sees neither the batch nor its cards.
            let s02 = try #require(try await world.organisation.unit("S02"))
            #expect(try await cards.cards(batch: first.id, within: s02) == nil)
            #expect(try await cards.batches(within: s02).map(\.id) == [second.id])
            await #expect(throws: AccessError.self) { _ = try await cards.issue(count: 1, to: "S01", by: world.handlerB, at: world.t0) }
            await #expect(throws: ValidationError.self) { _ = try await cards.issue(count: 0, to: "S01", by: admin, at: world.t0) }
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func ledgerFiltersByPeriodCategoryChannelAndStatus(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let day: TimeInterval = 86400
            let web = try await world.items.submit(try World.noiseSubmission("第一天"), idempotencyKey: nil, by: nil, at: world.t0)
            let phone = try Submission(kind: .help, category: "traffic", channel: .phone, text: "第二天来电", placeID: "S01-C1")
            _ = try await world.items.submit(phone, idempotencyKey: nil, by: world.clerkA, at: world.t0 + day)
            _ = try await world.items.submit(try World.noiseSubmission("第三天"), idempotencyKey: nil, by: nil, at: world.t0 + 2 * day)
            _ = try await world.items.apply(.reject(reason: "无实际内容"), to: web.item.number, by: world.dispatcher, at: world.t0 + 10)

            func count(_ filter: QueueFilter) async throws -> Int {
                try await world.items.queue(filter, for: world.leader, at: world.t0 + 3 * day).total
            }
            #expect(try await count(QueueFilter()) == 3)
            #expect(try await count(QueueFilter(category: "noise")) == 2)
            #expect(try await count(QueueFilter(channel: .phone)) == 1)
            #expect(try await count(QueueFilter(from: world.t0 + day - 1)) == 2)
            #expect(try await count(QueueFilter(from: world.t0 + day - 1, to: world.t0 + 2 * day - 1)) == 1)
            #expect(try await count(QueueFilter(statuses: [.rejected, .closed])) == 1)
            #expect(try await count(QueueFilter(statuses: [.registered], category: "noise", channel: .web)) == 1)

            let s01 = try #require(try await world.organisation.unit("S01"))
            let counts = try await world.items.categoryCounts(under: s01, from: world.t0, to: world.t0 + 3 * day)
            #expect(counts == [CategoryCount(category: "noise", count: 1), CategoryCount(category: "traffic", count: 1)])
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func aPersonCorrectsTheCategoryAndItBecomesATrainingDecision(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let number = try await world.items.submit(
                try World.noiseSubmission("小区门口天天乱停车"), idempotencyKey: nil, by: nil,
                at: world.t0
            ).item.number
            let moved = try await world.items.apply(
                .recategorize(category: "traffic", reason: "实为停车问题"), to: number, by: world.dispatcher, at: world.t0 + 60)
            #expect(moved.item.category == "traffic")
            #expect(moved.event.kind == .recategorized && moved.event.detail.fromCategory == "noise" && moved.event.detail.toCategory == "traffic")
            #expect(try await world.items.item(number: number)?.item.category == "traffic")
            await #expect(throws: ValidationError.self) {
                _ = try await world.items.apply(.recategorize(category: "nonsense", reason: nil), to: number, by: world.dispatcher, at: world.t0 + 61)
            }
            await #expect(throws: AccessError.self) {
                _ = try await world.items.apply(.recategorize(category: "conduct", reason: nil), to: number, by: world.handlerA, at: world.t0 + 62)
            }
            #expect(try await world.items.categoryDecisions().isEmpty)  // not triaged yet
            _ = try await world.items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: world.t0 + 120)
            #expect(try await world.items.categoryDecisions() == [CategorySuggester.Example(text: "小区门口天天乱停车", category: "traffic")])
        }
    }
}
