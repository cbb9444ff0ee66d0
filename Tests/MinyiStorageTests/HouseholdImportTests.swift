import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

/// The household register's CSV import, on both databases.
struct HouseholdImportTests {
    static let csv = """
        户号,社区编号,地址,姓名,电话,身份证号,与户主关系,走访类别
        H001,S01-C1,幸福路1号,张三,13900000101,,户主,独居老人
        H002,S01-C1,幸福路2号,李四,13900000102,11010519491231002X,户主,困难家庭
        H002,S01-C1,幸福路2号,李小四,,,子女,
        H003,S01-C1,幸福路3号,王五,12345,,户主,
        H004,S01-C1,幸福路4号,赵六,13900000104,,户主,
        H004,S01-C1,幸福路4号,"赵,小六",1390000,,子女,
        H005,S99-C1,某路,钱七,,,户主,
        H006,S01-C1,幸福路6号,孙八,,,户主,外星人
        ,S01-C1,幸福路7号,周九,,,户主,

        """

    static func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("households-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test(arguments: TestDatabase.dialects)
    func goodHouseholdsAreImportedAndBadRowsRejectedWithLineAndReason(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let community = world.stores.community
            let url = try Self.file(Self.csv)
            defer { try? FileManager.default.removeItem(at: url) }
            let report = try await community.importHouseholds(at: url, by: world.admin, at: world.t0)
            #expect(report.rows == 9 && report.imported == 2 && report.skipped == 0)
            #expect(report.rejected.map(\.line) == [5, 6, 7, 8, 9, 10])
            let reasons = Dictionary(uniqueKeysWithValues: report.rejected.map { ($0.line, $0.reason) })
            #expect(reasons[5]?.contains("member.phone") == true)
            #expect(reasons[6]?.contains("整户未导入") == true && reasons[7]?.contains("member.phone") == true)
            #expect(reasons[8]?.contains("S99-C1") == true && reasons[9]?.contains("外星人") == true && reasons[10]?.contains("register_key") == true)

            let households = try await community.households(.init(), for: world.admin)
            #expect(households.count == 2)
            let two = try #require(households.first { $0.household.address == "幸福路2号" })
            #expect(two.household.members.map(\.name) == ["李*", "李*四"] && two.household.tags == [.hardship])

            // The same file again: nothing twice.
            let again = try await community.importHouseholds(at: url, by: world.admin, at: world.t0)
            #expect(again.imported == 0 && again.skipped == 2)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func aFileThatIsNotUTF8OrLacksAColumnIsRefusedWhole(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let community = world.stores.community
            var gbk = Data("户号,社区编号,地址,姓名\nH1,S01-C1,幸福路1号,张三\n".utf8)
            gbk.append(contentsOf: [0x48, 0x32, 0x2C, 0x53, 0x30, 0x31, 0x2D, 0x43, 0x31, 0x2C, 0xD0, 0xD2, 0x2C, 0xD5, 0xC5, 0x0A])
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("gbk-\(UUID().uuidString).csv")
            try gbk.write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            await #expect(throws: BusinessRecordCSV.FileError.notUTF8(line: 3)) {
                _ = try await community.importHouseholds(at: url, by: nil, at: world.t0)
            }
            #expect(try await community.households(.init(), for: world.admin).isEmpty, "nothing of the file was written")
            let noName = try Self.file("户号,社区编号,地址\nH1,S01-C1,幸福路1号\n")
            defer { try? FileManager.default.removeItem(at: noName) }
            await #expect(throws: BusinessRecordCSV.FileError.missingColumns(["name"])) {
                _ = try await community.importHouseholds(at: noName, by: nil, at: world.t0)
            }
        }
    }
}
