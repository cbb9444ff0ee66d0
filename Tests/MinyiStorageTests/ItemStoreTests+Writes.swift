import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Synchronization
import Testing

/// Measures, concurrent writes and what residents typed.
extension ItemStoreTests {
    @Test(arguments: TestDatabase.dialects)
    func measuresComeFromTheStoredItems(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let items = world.items
            func submit() async throws -> String {
                try await items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: world.t0).item.number
            }
            // 1: closed, satisfied, accepted in time.
            let a = try await submit()
            _ = try await items.apply(.dispatch(unit: "S01"), to: a, by: world.dispatcher, at: world.t0)
            _ = try await items.apply(.accept, to: a, by: world.handlerA, at: world.t0 + 60)
            _ = try await items.apply(.reply(outcome: .resolved, text: "好", publicReason: nil), to: a, by: world.handlerA, at: world.t0 + 120)
            _ = try await items.apply(.callback(result: .satisfied, comment: nil), to: a, by: world.callbackAgent, at: world.t0 + 86400)
            // 2: accepted late (after 2 h), replied, dissatisfied.
            let b = try await submit()
            _ = try await items.apply(.dispatch(unit: "S01"), to: b, by: world.dispatcher, at: world.t0)
            _ = try await items.apply(.accept, to: b, by: world.handlerA, at: world.t0 + 3 * 3600)
            _ = try await items.apply(
                .reply(outcome: .explained, text: "解释", publicReason: nil), to: b, by: world.handlerA,
                at: world.t0 + 4 * 3600)
            _ = try await items.apply(.callback(result: .dissatisfied, comment: "不行"), to: b, by: world.callbackAgent, at: world.t0 + 86400)
            // 3: dispatched, never accepted; 4: registered only (not assigned, so not counted for S01).
            let c = try await submit()
            _ = try await items.apply(.dispatch(unit: "S01"), to: c, by: world.dispatcher, at: world.t0)
            _ = try await submit()
            // 5: dispatched to S02: not S01's.
            let e = try await submit()
            _ = try await items.apply(.dispatch(unit: "S02"), to: e, by: world.dispatcher, at: world.t0)
            _ = try await items.scanDeadlines(at: world.t0 + 86400)

            let s01 = try #require(try await world.organisation.unit("S01"))
            let m = Measures(facts: try await items.facts(under: s01, from: world.t0 - 1, to: world.t0 + 10 * 86400))
            #expect(m.received == 3)
            #expect(m.replyRate == Rate(2, of: 3))
            #expect(m.responseRate == Rate(1, of: 3))
            #expect(m.closureRate == Rate(1, of: 3))
            #expect(m.satisfactionRate == Rate(1, of: 2))
            #expect(m.overdue == 1)
            #expect(m.open == 2)
            let bureau = try #require(try await world.organisation.unit("KFQ"))
            #expect(Measures(facts: try await items.facts(under: bureau, from: world.t0 - 1, to: world.t0 + 1)).received == 4)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func concurrentSubmissionsAllLandWithDistinctNumbers(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let numbers = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<200 {
                    group.addTask {
                        try await world.items.submit(
                            try World.noiseSubmission("第\(i)条"), idempotencyKey: "k\(i)", by: nil,
                            at: world.t0
                        ).item.number
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(numbers.count == 200)
            let queue = try await world.items.queue(QueueFilter(limit: 500), for: world.dispatcher, at: world.t0)
            #expect(queue.total == 200)
            if let sqlite = database as? SQLiteBackend {
                let stats = sqlite.commitStatistics
                #expect(stats.commits < stats.writes, "concurrent writes share commits: \(stats)")
            }
        }
    }

    /// PostgreSQL numbers a batch inside its one statement; the numbers must be the ones `TrackingNumber` gives, past a
    /// million too, and empty fields must stay empty beside filled ones in the same batch.
    @Test(arguments: TestDatabase.dialects)
    func aBatchNumberedPastAMillionReadsBackAsSubmitted(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let year = Deadlines.year(of: world.t0)
            try await database.write { db in
                // PostgreSQL keeps the numbers' counters apart, by epoch (`OutlastLongSnapshots`).
                if dialect == .postgres {
                    try await db.raw("INSERT INTO number_serials (scope, epoch, value) VALUES (\(bind: "number:KFQ:\(year)"), 0, 999998)").run()
                } else {
                    try await db.raw("INSERT INTO counters (scope, value) VALUES (\(bind: "number:KFQ:\(year)"), 999998)").run()
                }
            }
            let submitted = try await withThrowingTaskGroup(of: Submitted.self) { group in
                for i in 0..<6 {
                    group.addTask {
                        let full = i % 2 == 0
                        let submission = try Submission(
                            kind: .help, category: "noise", channel: .web, text: "第\(i)条 \"引号\" \\ 反斜杠", placeID: "S01-C1",
                            address: full ? "幸福路 \(i) 号" : nil, latitude: full ? 35.25 + Double(i) / 1000 : nil,
                            longitude: full ? 115.125 : nil,
                            contact: full ? Contact(name: "居民\(i)", phone: "1391234567\(i)", idNumber: nil) : nil)
                        return try await world.items.submit(submission, idempotencyKey: nil, by: nil, at: world.t0)
                    }
                }
                return try await group.reduce(into: [Submitted]()) { $0.append($1) }
            }
            #expect(
                Set(submitted.map(\.item.number))
                    == Set((999_999...1_000_004).map { TrackingNumber.make(bureau: "KFQ", year: year, serial: $0) }))
            for result in submitted {
                let stored = try #require(try await world.items.item(number: result.item.number))
                #expect(stored.item == result.item)
                #expect((stored.item.address == nil) == (stored.item.contact == nil))
                #expect((stored.item.latitude == nil) == (stored.item.contact == nil))
            }
            try await TallyFoldTests.foldAll(world)
            let received = try await database.read { db in
                try await db.raw("SELECT CAST(SUM(received) AS BIGINT) AS n FROM item_tallies WHERE grain = 'm'").first()?.decode(
                    column: "n", as: Int.self)
            }
            #expect(received == 6)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func oneFailingWriteInABatchDoesNotSpoilTheOthers(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let results = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<50 {
                    group.addTask {
                        let category: MinyiCore.Category.Code = i % 5 == 0 ? "nonexistent" : "noise"
                        let submission = try? Submission(kind: .help, category: category, channel: .web, text: "求助\(i)", placeID: "S01-C1")
                        return (try? await world.items.submit(submission!, idempotencyKey: nil, by: nil, at: world.t0)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 40)
            #expect(try await world.items.queue(QueueFilter(), for: world.dispatcher, at: world.t0).total == 40)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func whatResidentsWriteIsStoredExactly(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let texts = [
                #"他说："别管了"，还有反斜杠 \ 和 \n 字样"#, "第一行\n第二行\t制表\r回车",
                "<script>alert('x')</script> & \u{1F6A8} 警灯",
                "Ünïcödé — 全角，标点。", String(repeating: "长", count: 5000),
            ]
            // Control characters (NUL, the C0 codes but tab and line breaks, DEL, C1) are refused, never stored, since
            // readers cut the text at them.
            for text in ["控制字符\u{01}\u{1F}结束", "空字符\u{0}之后", "删除\u{7F}", "C1\u{85}"] {
                #expect(
                    throws: ValidationError.invalid(
                        field: "text",
                        message: "text 含有不可见的控制字符，请删除后重试 (contains control characters)")
                ) {
                    try Submission(kind: .opinion, category: "noise", channel: .web, text: text, placeID: "S01-C1")
                }
            }
            let contact = Contact(name: "O'Brien \"张\"", phone: "13912345678", idNumber: "11010519491231002X")
            // Submitted concurrently so that they share a batch.
            let submitted = try await withThrowingTaskGroup(of: (String, Submitted).self) { group in
                for text in texts {
                    group.addTask {
                        let submission = try Submission(
                            kind: .opinion, category: "noise", channel: .web, text: text, placeID: "S01-C1", address: "幸福路 1 号 \"东门\"",
                            latitude: 35.2331, longitude: 115.4412, contact: contact)
                        return (text, try await world.items.submit(submission, idempotencyKey: nil, by: nil, at: world.t0))
                    }
                }
                return try await group.reduce(into: [(String, Submitted)]()) { $0.append($1) }
            }
            for (text, result) in submitted {
                let stored = try #require(try await world.items.item(number: result.item.number))
                #expect(stored.item == result.item)
                #expect(stored.item.text == text.trimmingCharacters(in: .whitespacesAndNewlines))
                #expect(stored.item.contact == contact)
                #expect(stored.item.address == "幸福路 1 号 \"东门\"")
                #expect(stored.item.latitude == 35.2331 && stored.item.longitude == 115.4412)
                let events = try await world.items.events(of: stored.item.id)
                #expect(events.count == 1 && events[0].detail == ["channel": "web"])
            }
        }
    }

    @Test(arguments: ["S_1", "S%", "a/b", "", "单位"])
    func unitIDsThatWouldActAsWildcardsAreRefused(id: String) async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let organisation = Stores(database: database, pinKey: "test-secret", voterKey: "test-voter").organisation
            await #expect(throws: ValidationError.self) {
                try await organisation.addUnit(id: .init(id), name: "x", kind: .bureau, parent: nil)
            }
        }
    }
}
