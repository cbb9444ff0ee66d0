import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import SQLKit
import Testing

/// Survey campaigns on both databases: responses recorded and imported from a third party's CSV, scores read from the
/// tallies, and no resident's identity anywhere in a response.
struct SurveyStoreTests {
    static func campaign(_ world: World) async throws -> SurveyCampaign {
        let campaign = SurveyCampaign(
            id: "S2026Q3", title: "2026 年第三季度民意评警", startsAt: world.t0.addingTimeInterval(-30 * 86400),
            endsAt: world.t0.addingTimeInterval(30 * 86400), unitID: "KFQ", targetPerUnit: 40)
        try await world.stores.surveys.createCampaign(campaign, by: world.admin, at: world.t0)
        return campaign
    }

    @Test(arguments: TestDatabase.dialects)
    func responsesAndAThirdPartysFileMakeScoresWithTheirSamples(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let surveys = world.stores.surveys
            let campaign = try await Self.campaign(world)
            // 30 phone answers in S01-C1 rating handler_a: 27 satisfied or basically, 3 not.
            for i in 0..<30 {
                let answers = SurveyAnswers(
                    sawPolice: i % 3 != 0, knowsOfficer: i < 24, attitude: 4 + i % 2, safety: 5,
                    satisfaction: i < 20 ? .satisfied : i < 27 ? .basicallySatisfied : .dissatisfied)
                try await surveys.record(
                    .init(unitID: "S01-C1", officerID: "o-handler_a", channel: .phone, surveyor: "孙回访", at: world.t0, answers: answers),
                    in: campaign.id, by: world.callbackAgent, at: world.t0)
            }
            // Outside the period, outside the campaign's communities, no answer at all: refused.
            await #expect(throws: ValidationError.self) {
                try await surveys.record(
                    .init(
                        unitID: "S01-C1", officerID: nil, channel: .phone, surveyor: "x", at: campaign.endsAt, answers: .init(safety: 3)),
                    in: campaign.id, by: world.callbackAgent, at: world.t0)
            }
            await #expect(throws: ValidationError.self) {
                try await surveys.record(
                    .init(unitID: "S01", officerID: nil, channel: .phone, surveyor: "x", at: world.t0, answers: .init(safety: 3)),
                    in: campaign.id, by: world.callbackAgent, at: world.t0)
            }
            await #expect(throws: ValidationError.self) {
                try await surveys.record(
                    .init(unitID: "S01-C1", officerID: nil, channel: .phone, surveyor: "x", at: world.t0, answers: .init()),
                    in: campaign.id, by: world.callbackAgent, at: world.t0)
            }

            // A third party's file: two good rows, a bad score, an unknown community; imported twice, the second adds nothing.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minyi-survey-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("third-party.csv")
            let day = "2026-09-21"  // World.t0, in Beijing
            try """
            问卷编号,社区编号,社区民警,调查日期,见警率,熟悉率,服务态度,安全感,满意度,意见建议,调查机构
            T-1,S02-C1,,\(day),是,否,5,4,满意,"路灯多装几盏,谢谢",民调中心
            T-2,S02-C1,handler_b,\(day),否,是,3,3,基本满意,,民调中心
            T-3,S02-C1,,\(day),是,是,7,4,满意,,民调中心
            T-4,S09-C9,,\(day),是,是,5,5,满意,,民调中心
            """.write(to: file, atomically: true, encoding: .utf8)
            let report = try await surveys.importCSV(at: file, into: campaign.id, by: nil, at: world.t0)
            #expect(report.rows == 4 && report.imported == 2 && report.rejected.map(\.line) == [4, 5])
            #expect(report.rejected.first?.reason.contains("attitude") == true)
            let again = try await surveys.importCSV(at: file, into: campaign.id, by: nil, at: world.t0)
            #expect(again.imported == 0 && again.skipped == 2)
            let gbk = folder.appendingPathComponent("gbk.csv")
            try Data([0x73, 0x75, 0x72, 0x76, 0x65, 0x79, 0x0A, 0xC9, 0xE7, 0xC7, 0xF8, 0x0A]).write(to: gbk)
            await #expect(throws: BusinessRecordCSV.FileError.self) { try await surveys.importCSV(at: gbk, into: campaign.id, by: nil, at: world.t0) }

            // Scores: S01's community has 27 of 30 satisfied, 74.4%–96.5%; S02's has 2 answers, too few to rank.
            let units = try await world.organisation.units().filter { $0.kind == .community }
            let bureau = try #require(try await world.organisation.units().first { $0.kind == .bureau })
            let byUnit = try await surveys.tallies(of: campaign.id, under: bureau, by: .units(units))
            let s01 = try #require(byUnit.first { $0.key == "S01-C1" })
            let satisfaction = IndicatorScore(indicator: .satisfaction, tally: s01.tallies[.satisfaction] ?? .init(), minimumN: 30)
            let estimate = try #require(satisfaction.estimate)
            #expect(s01.n == 30 && !satisfaction.tooSmall)
            #expect((estimate.low * 1000).rounded() == 744 && (estimate.high * 1000).rounded() == 965)
            let s02 = try #require(byUnit.first { $0.key == "S02-C1" })
            #expect(s02.n == 2 && IndicatorScore(indicator: .attitude, tally: s02.tallies[.attitude] ?? .init(), minimumN: 30).tooSmall)
            #expect(s02.tallies[.attitude]?.sum == 8)
            let byOfficer = try await surveys.tallies(of: campaign.id, under: bureau, by: .officer)
            #expect(byOfficer.first { $0.key == "o-handler_a" }?.n == 30 && byOfficer.first { $0.key == "o-handler_b" }?.n == 1)

            // A response holds no resident: no name, phone, ID number or household among its columns.
            let columns = try await database.read { db in
                dialect == .sqlite
                    ? try await db.raw("SELECT name FROM pragma_table_info('survey_responses')").all()
                    : try await db.raw(
                        """
                        SELECT column_name AS name FROM information_schema.columns \
                        WHERE table_name = 'survey_responses' AND table_schema = current_schema()
                        """
                    ).all()
            }.map { try $0.decode(column: "name", as: String.self) }
            #expect(!columns.contains { ["name", "phone", "id_number", "household_id", "contact"].contains($0) })
        }
    }
}
