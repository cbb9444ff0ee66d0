import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

/// Survey scores through the pages and the API: answers recorded by the callback centre, a score too thin to rank
/// said so, officers' scores for staff only.
struct OpinionWebTests {
    @Test func answersBecomeScoresThatSayHowSureTheyAre() async throws {
        try await withApp { client, world, _ in
            let admin = Browser(client)
            try await admin.login("admin")
            #expect(try await admin.get("/staff/opinion").html.contains("尚无调查"))
            // No title, no start and a target of zero: all named at once, what was typed kept.
            let refused = try await admin.post("/staff/opinion", [("ends_at", "2026-09-30"), ("target_per_unit", "0")])
            #expect(refused.status == .unprocessableContent && refused.html.contains("value=\"2026-09-30\""))
            #expect(["title", "starts_at", "target_per_unit"].allSatisfy { refused.html.contains("id=\"f-c-\($0)-error\"") })
            let created = try await admin.post(
                "/staff/opinion", [("title", "三季度民意评警"), ("starts_at", "2026-09-01"), ("ends_at", "2026-09-30"), ("target_per_unit", "20")])
            let location = try #require(created.headers[.location])
            let id = String(location.split(separator: "=").last ?? "")
            // The callback centre records answers; a bad score comes back with the comment kept.
            let agent = Browser(client)
            try await agent.login("callback")
            #expect(try await agent.get(location).status == .forbidden)
            let recordPage = "/staff/opinion/\(id)/record"
            try await agent.get(recordPage)
            let bad = try await agent.post(
                "/staff/opinion/\(id)/responses", [("unit", "S01-C1"), ("channel", "phone"), ("attitude", "9"), ("comment", "夜里巡逻少")])
            #expect(bad.status == .unprocessableContent && bad.html.contains("夜里巡逻少") && bad.html.contains("field-error"))
            let both = try await agent.post("/staff/opinion/\(id)/responses", [("channel", "phone"), ("attitude", "9"), ("satisfaction", "maybe")])
            #expect(both.html.contains("id=\"err-unit\"") && both.html.contains("id=\"err-attitude\""))
            #expect(both.html.contains("id=\"err-satisfaction\""))
            for i in 0..<3 {
                try await agent.get(recordPage)
                let ok = try await agent.post(
                    "/staff/opinion/\(id)/responses",
                    [("unit", "S01-C1"), ("channel", "phone"), ("saw_police", i == 0 ? "no" : "yes"), ("satisfaction", "satisfied")])
                #expect(ok.status == .seeOther || ok.status == .found)
            }
            // 30 more for handler_a through the API: enough to rank; the three above alone would not be.
            let token = try await client.login("callback")
            for i in 0..<30 {
                let answer = try await client.send(
                    .post, "/api/v1/surveys/\(id)/responses",
                    ["unit": "S01-C1", "officer": "o-handler_a", "channel": "face_to_face", "satisfaction": i < 27 ? "satisfied" : "dissatisfied"],
                    token: token)
                #expect(answer.status == .created)
            }
            let leader = Browser(client)
            try await leader.login("leader")
            let page = try await leader.get("/staff/opinion?campaign=\(id)")
            #expect(page.html.contains("74.4–96.5%") && page.html.contains("id=\"by-officer\""))
            #expect(page.html.contains("样本不足 (3)"))
            // The public page: stations, no officer.
            let resident = Browser(client)
            let open = try await resident.get("/opinion?campaign=\(id)")
            #expect(open.status == .ok && open.html.contains("丹阳路派出所") && !open.html.contains("by-officer"))
            let leaderToken = try await client.login("leader")
            let scores = try decode(
                [SurveyController.ScoreView].self, try await client.get("/api/v1/surveys/\(id)/scores?by=officer", token: leaderToken))
            let handler = try #require(scores.first { $0.key == "o-handler_a" })
            #expect(handler.n == 30 && handler.indicators["satisfaction"]?.tooSmall == false)
            #expect(handler.indicators["visibility"]?.n == 0)
            _ = world
        }
    }

    @Test func aSampledHouseholdAnswersOnceByTheWebLinkWithACodeFromItsSlip() async throws {
        try await withApp { client, world, _ in
            let campaign = SurveyCampaign(
                id: "S2026", title: "民意评警", startsAt: World.t0.addingTimeInterval(-86400), endsAt: World.t0.addingTimeInterval(86400),
                unitID: "KFQ", targetPerUnit: 30)
            try await world.stores.surveys.createCampaign(campaign, by: world.admin, at: World.t0)
            let agent = Browser(client)
            try await agent.login("callback")
            try await agent.get("/staff/opinion/S2026/record")
            let sheet = try await agent.post("/staff/opinion/S2026/codes", [("unit", "S01-C1"), ("count", "2")])
            let codes = sheet.html.components(separatedBy: "<p class=\"serial\">").dropFirst().map { String($0.prefix(9)) }
            #expect(codes.count == 2)
            let resident = Browser(client)
            try await resident.get("/survey/S2026")
            let empty = try await resident.post("/survey/S2026", [("code", codes[0])])
            #expect(empty.status == .unprocessableContent && empty.html.contains(codes[0]))
            // No code and a score out of range: both named at once, nothing spent.
            let both = try await resident.post("/survey/S2026", [("attitude", "9"), ("comment", "夜里巡逻少")])
            #expect(both.html.contains("id=\"err-code\"") && both.html.contains("id=\"err-attitude\"") && both.html.contains("夜里巡逻少"))
            let answers = [("saw_police", "yes"), ("knows_officer", "no"), ("attitude", "5"), ("satisfaction", "satisfied")]
            let sent = try await resident.post("/survey/S2026", [("code", codes[0].lowercased())] + answers)
            #expect(sent.status == .seeOther)
            let done = try await resident.get(try #require(sent.headers[.location]))
            #expect(done.status == .ok && done.html.contains("survey-done"))
            try await resident.get("/survey/S2026")
            let again = try await resident.post("/survey/S2026", [("code", codes[0])] + answers)
            #expect(again.status == .unprocessableContent && again.html.contains("已经用过"))
            let bureau = try #require(try await world.organisation.units().first { $0.kind == .bureau })
            let whole = try await world.stores.surveys.tallies(of: "S2026", under: bureau, by: .whole)
            #expect(whole.first?.n == 1 && whole.first?.tallies[.familiarity]?.yes == 0)
        }
    }

    @Test func theCallbackCentreCallsADrawnSampleAndTheAnswersStayApartFromTheHousehold() async throws {
        try await withApp { client, world, clock in
            let campaign = SurveyCampaign(
                id: "S2026", title: "民意评警", startsAt: World.t0.addingTimeInterval(-86400), endsAt: World.t0.addingTimeInterval(86400),
                unitID: "KFQ", targetPerUnit: 30)
            try await world.stores.surveys.createCampaign(campaign, by: world.admin, at: World.t0)
            for n in 1...3 {
                let input = try SQLCommunityStore.HouseholdInput(
                    unitID: "S01-C1", address: "幸福路 \(n) 号", members: [HouseholdMember(name: "住户\(n)", phone: "1390000000\(n)")], tags: [],
                    officerID: "o-handler_a")
                _ = try await world.stores.community.addHousehold(input, by: nil, reason: "入户登记", at: World.t0)
            }
            let agent = Browser(client)
            try await agent.login("callback")
            try await agent.get("/staff/opinion/S2026/record")
            _ = try await agent.post("/staff/opinion/S2026/sample", [("per_community", "2")])
            try await agent.get("/staff/opinion/S2026/record")
            _ = try await agent.post("/staff/opinion/S2026/claim", [])
            let queue = try await agent.get("/staff/opinion/S2026/record")
            let calls = queue.html.components(separatedBy: "href=\"/staff/opinion/S2026/calls/").dropFirst().map { String($0.prefix(32)) }
            #expect(calls.count == 2)
            // The call page shows the phone in full; the look is audited.
            let page = try await agent.get("/staff/opinion/S2026/calls/\(calls[0])")
            #expect(page.html.contains("13900000") && !page.html.contains("****"))
            let audited = try await world.stores.audit.entries(limit: 50)
            #expect(audited.contains { $0.action == "household.read" && $0.detail?.contains("民意评警电话调查") == true })
            // Answered without an outcome: refused, the answers kept.
            let missing = try await agent.post("/staff/opinion/S2026/calls/\(calls[0])", [("attitude", "4")])
            #expect(missing.status == .unprocessableContent && missing.html.contains("value=\"4\" selected"))
            try await agent.get("/staff/opinion/S2026/calls/\(calls[0])")
            let answered = try await agent.post(
                "/staff/opinion/S2026/calls/\(calls[0])", [("outcome", "answered"), ("attitude", "4"), ("satisfaction", "satisfied")])
            #expect(answered.status == .seeOther || answered.status == .found)
            try await agent.get("/staff/opinion/S2026/calls/\(calls[1])")
            _ = try await agent.post("/staff/opinion/S2026/calls/\(calls[1])", [("outcome", "unreachable")])
            let after = try await agent.get("/staff/opinion/S2026/record")
            #expect(after.html.contains("已拨 1 次") && !after.html.contains(calls[0]))
            // The answer counts for the community and the household's officer, timed to the day, and names no household.
            let bureau = try #require(try await world.organisation.units().first { $0.kind == .bureau })
            let byOfficer = try await world.stores.surveys.tallies(of: "S2026", under: bureau, by: .officer)
            #expect(byOfficer.first { $0.key == "o-handler_a" }?.n == 1)
            let responses = try await world.database.read { db in
                try await db.raw("SELECT * FROM survey_responses").all()
            }
            #expect(responses.count == 1)
            let at = try responses[0].decode(column: "at", as: Int.self)
            #expect(at == Int(Deadlines.dayStart(of: World.t0).timeIntervalSince1970))
            _ = clock
        }
    }
}
