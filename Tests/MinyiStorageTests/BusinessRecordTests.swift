import Foundation
import MinyiCore
import MinyiStorageTesting
import Testing

@testable import MinyiStorage

/// Business records: imports and the callbacks after services, on both databases.
struct BusinessRecordTests {
    static func file(_ name: String, _ contents: String) throws -> URL {
        try file(name, Data(contents.utf8))
    }

    static func file(_ name: String, _ data: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("minyi-\(UUID().uuidString)-\(name)")
        try data.write(to: url)
        return url
    }

    static let header = "record_id,business_type,unit,officer,name,phone,date,sensitive\n"

    @Test(arguments: TestDatabase.dialects)
    func importIsIdempotentAndRejectsBadRowsWithTheirLine(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let store = world.stores.business
            let csv =
                "\u{FEFF}" + Self.header + """
                    B1,household,S01,张警官,王女士,13800001111,2026-09-20,0\r
                    B2,case_report,S02,李警官,赵先生,13900002222,2026/09/21 10:30,否\r
                    B3,household,S01,,,,2026-02-30,0\r
                    B4,household,NOWHERE,,,13800001111,2026-09-20,0\r
                    B5,household,S01,,,12345,2026-09-20,0\r
                    B6,no_such_type,S01,,,13800001111,2026-09-20,0\r

                    B1,household,S01,张警官,王女士,13800001111,2026-09-20,0\r

                    """ + #""B7","id_card","S01","林警官","孙女士, ""小孙""","13700003333","2026-09-22",是"# + "\r\n\n"
            let url = try Self.file("records.csv", csv)
            defer { try? FileManager.default.removeItem(at: url) }
            let first = try await store.importCSV(at: url, by: nil, at: world.t0)
            #expect(first.rows == 8)
            #expect(first.imported == 3)
            #expect(first.skipped == 1)
            #expect(first.rejected.map(\.line) == [4, 5, 6, 7])
            #expect(first.rejected[0].reason.contains("日期"))
            #expect(first.rejected[1].reason.contains("单位"))
            #expect(first.rejected[2].reason.contains("手机"))
            #expect(first.rejected[3].reason.contains("业务类型"))
            let quoted = try #require(try await store.record("B7"))
            #expect(quoted.record.contactName == "孙女士, \"小孙\"")
            #expect(quoted.status == .skipped)  // sensitive

            let again = try await store.importCSV(at: url, by: nil, at: world.t0 + 60)
            #expect(again.imported == 0 && again.skipped == 4 && again.rejected.count == 4)
            #expect(try await store.record("B1")?.record.occurredAt == BusinessRecordCSV.parseDate("2026-09-20"))
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func aMalformedFileImportsNothing(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let store = world.stores.business
            // GBK bytes for 你好 in the name column of the last row: the good rows before it must not land either.
            var gbk = Data((Self.header + "G1,household,S01,,,13800001111,2026-09-20,0\nG2,household,S01,,").utf8)
            gbk.append(contentsOf: [0xC4, 0xE3, 0xBA, 0xC3])
            gbk.append(contentsOf: Array(",13800001112,2026-09-20,0\n".utf8))
            let open = Self.header + "Q1,household,S01,,,13800001111,2026-09-20,0\nQ2,household,S01,\"unclosed,,13800001111,2026-09-20,0\n"
            let files = (
                gbk: try Self.file("gbk.csv", gbk), quote: try Self.file("quote.csv", open),
                columns: try Self.file("columns.csv", "record_id,business_type,date\nX,household,2026-09-20\n")
            )
            defer { for url in [files.gbk, files.quote, files.columns] { try? FileManager.default.removeItem(at: url) } }
            await #expect(throws: BusinessRecordCSV.FileError.notUTF8(line: 3)) {
                _ = try await store.importCSV(at: files.gbk, by: nil, at: world.t0)
            }
            await #expect(throws: BusinessRecordCSV.FileError.unterminatedQuote(line: 3)) {
                _ = try await store.importCSV(at: files.quote, by: nil, at: world.t0)
            }
            await #expect(throws: BusinessRecordCSV.FileError.missingColumns(["unit"])) {
                _ = try await store.importCSV(at: files.columns, by: nil, at: world.t0)
            }
            #expect(try await store.record("G1") == nil)
            #expect(try await store.record("Q1") == nil)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func sensitiveRecordsAreNeverCalledBack(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let store = world.stores.business
            let day = BusinessRecordCSV.parseDate("2026-09-20")!
            let records = [
                BusinessRecord(
                    recordID: "S1", businessType: "case_report", unitID: "S01", officer: nil, contactName: "甲", contactPhone: "13800001111",
                    occurredAt: day, sensitive: true),
                BusinessRecord(
                    recordID: "N1", businessType: "case_report", unitID: "S01", officer: nil, contactName: "乙", contactPhone: "13800002222",
                    occurredAt: day, sensitive: false),
            ]
            _ = try await store.importRecords(records, source: "test", by: nil, at: day)
            for later in [1.0, 2, 30, 400] {
                let due = try await store.dueCallbacks(for: world.callbackAgent, at: day.addingTimeInterval(later * 86400))
                #expect(!due.contains { $0.record.recordID == "S1" })
            }
            #expect(try await store.dueCallbacks(for: world.callbackAgent, at: day.addingTimeInterval(86400)).map(\.record.recordID) == ["N1"])
            #expect(try await store.dueCallbacks(for: world.callbackAgent, at: day.addingTimeInterval(3600)).isEmpty)  // not before the next day
            await #expect(throws: AccessError.self) { _ = try await store.revealPhone(of: "S1", by: world.callbackAgent, at: day) }
            await #expect(throws: StorageError.self) {
                _ = try await store.recordAttempt(
                    .answered, satisfaction: .satisfied, scores: CallbackScores(), comment: nil, of: "S1", by: world.callbackAgent, at: day)
            }
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func attemptRulesAndDissatisfactionOpensASupervisedItem(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let store = world.stores.business
            let day = BusinessRecordCSV.parseDate("2026-09-20")!
            let call = day.addingTimeInterval(86400 + 3600)
            let records = ["R1", "R2", "R3", "R4", "R5"].map {
                BusinessRecord(
                    recordID: $0, businessType: "household", unitID: "S01", officer: "张警官", contactName: "王女士", contactPhone: "13800001111",
                    occurredAt: day, sensitive: false)
            }
            _ = try await store.importRecords(records, source: "test", by: nil, at: day)
            let agent = world.callbackAgent
            func attempt(_ outcome: BusinessCallback.Outcome, _ id: String, _ satisfaction: CallbackResult? = nil, comment: String? = nil, at: Date)
                async throws
                -> StoredBusinessRecord
            {
                try await store.recordAttempt(
                    outcome, satisfaction: satisfaction, scores: CallbackScores(), comment: comment, of: id, by: agent, at: at)
            }
            // No answer: called again, and given up after the third call.
            #expect(try await attempt(.noAnswer, "R1", at: call).status == .scheduled)
            #expect(try await attempt(.noAnswer, "R1", at: call + 5 * 3600).status == .scheduled)
            let third = try await attempt(.noAnswer, "R1", at: call + 10 * 3600)
            #expect(third.status == .unreachable && third.attempts == 3)
            await #expect(throws: StorageError.self) { _ = try await attempt(.noAnswer, "R1", at: call + 20 * 3600) }
            #expect(try await attempt(.wrongNumber, "R2", at: call).status == .unreachable)
            #expect(try await attempt(.refused, "R3", at: call).status == .refused)
            // Answered needs a satisfaction; dissatisfied needs a reason.
            await #expect(throws: ValidationError.self) { _ = try await attempt(.answered, "R4", at: call) }
            await #expect(throws: ValidationError.self) { _ = try await attempt(.answered, "R4", .dissatisfied, at: call) }
            let scores = try CallbackScores([.attitude: 5, .safety: 4])
            let done = try await store.recordAttempt(.answered, satisfaction: .satisfied, scores: scores, comment: nil, of: "R4", by: agent, at: call)
            #expect(done.status == .done && done.satisfaction == .satisfied && done.itemNumber == nil)
            #expect(try await store.attempts(of: "R4").first?.scores[.attitude] == 5)

            let unhappy = try await attempt(.answered, "R5", .dissatisfied, comment: "窗口让我跑了三趟", at: call)
            #expect(unhappy.status == .done)
            let number = try #require(unhappy.itemNumber)
            let item = try #require(try await world.items.item(number: number)).item
            #expect(item.status == .dispatched && item.assignedUnitID == "S01" && item.channel == .callback)
            #expect(item.category == "conduct")  // household has no category in this bureau: the conduct category takes it
            #expect(item.text.contains("窗口让我跑了三趟") && item.text.contains("R5"))
            #expect(item.contact?.phone == "13800001111")
            // From here it is an item like any other: the unit replies, the resident is called back, and so on.
            _ = try await world.items.apply(.accept, to: number, by: world.handlerA, at: call + 60)
            _ = try await world.items.apply(
                .reply(outcome: .resolved, text: "已致歉并改进", publicReason: nil), to: number, by: world.handlerA, at: call + 120)
            #expect(try await world.items.item(number: number)?.item.status == .replied)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func agentsClaimDisjointWork(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let store = world.stores.business
            let day = BusinessRecordCSV.parseDate("2026-09-20")!
            let records = (1...30).map {
                BusinessRecord(
                    recordID: "C\($0)", businessType: "household", unitID: "S01", officer: nil, contactName: nil, contactPhone: "13800001111",
                    occurredAt: day, sensitive: false)
            }
            _ = try await store.importRecords(records, source: "test", by: nil, at: day)
            let second = Officer(id: "o-callback2", username: "callback2", name: "callback2", unitID: "HF", roles: [.callbackAgent])
            let secondAgent = Actor(officer: second, unit: world.callbackAgent.unit, jurisdiction: world.callbackAgent.jurisdiction)
            let at = day.addingTimeInterval(2 * 86400)
            async let a = store.claim(20, for: world.callbackAgent, at: at)
            async let b = store.claim(20, for: secondAgent, at: at)
            let (first, other) = try await (a, b)
            #expect(first.count + other.count == 30)
            #expect(Set(first).isDisjoint(with: other))
            #expect(try await store.dueCallbacks(for: world.callbackAgent, at: at).allSatisfy { $0.agentID == world.callbackAgent.officer.id })
        }
    }

    /// A 100 MB file goes through the reader in chunks: the process's memory grows by far less than the file.
    @Test func aHundredMegabyteFileIsStreamed() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("minyi-\(UUID().uuidString)-big.csv")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: Data(Self.header.utf8))
        var block = ""
        for i in 0..<10_000 { block += "X\(i),household,S01,张警官,王女士,13800001111,2026-09-20,0\n" }
        let blockData = Data(block.utf8)
        var size = 0
        while size < 100_000_000 {
            try handle.write(contentsOf: blockData)
            size += blockData.count
        }
        try handle.close()
        defer { try? FileManager.default.removeItem(at: url) }
        var records = 0
        var reader = try CSVRecordReader(url: url)
        while try reader.next() != nil { records += 1 }
        #expect(records == size / blockData.count * 10_000 + 1)
        // Never more than a couple of chunks of the file in memory at once.
        #expect(reader.peakBuffer <= 2 * CSVRecordReader.chunkSize, "held \(reader.peakBuffer) bytes of a \(size)-byte file")
    }

}
