import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

/// The yearly assessment through the pages: a scheme giving the public less than 51% refused with what was typed, the
/// other scores entered, the lines ranked and issued once, a lead reading their own station only.
struct AssessmentWebTests {
    @Test func aLeaderConfiguresEntersAndIssuesTheAssessment() async throws {
        try await withApp { client, world, _ in
            let campaign = SurveyCampaign(
                id: "S2026", title: "民意评警", startsAt: World.t0.addingTimeInterval(-86400), endsAt: World.t0.addingTimeInterval(86400),
                unitID: "KFQ", targetPerUnit: 30)
            try await world.stores.surveys.createCampaign(campaign, by: world.admin, at: World.t0)
            for i in 0..<30 {
                try await world.stores.surveys.record(
                    .init(
                        unitID: "S01-C1", officerID: "o-handler_a", channel: .phone, surveyor: "孙回访", at: World.t0,
                        answers: .init(satisfaction: i < 27 ? .satisfied : .dissatisfied)),
                    in: campaign.id, by: world.callbackAgent, at: World.t0)
            }
            let leader = Browser(client)
            try await leader.login("leader")
            #expect(try await leader.get("/staff/assessment?year=2026").html.contains("本年度尚未配置考评方案"))
            let low = "surveys 民意评警 surveys 0.5\nworkload 工作量 entered 0.5"
            // A bad line, a sample that is not a number and no reason: all three named at once, what was typed kept.
            let three = try await leader.post("/staff/assessment/2026/scheme", [("components", "surveys 民意评警 gossip 0.6"), ("minimum_n", "三十")])
            #expect(["components", "minimum_n", "reason"].allSatisfy { three.html.contains("id=\"err-\($0)\"") })
            #expect(three.html.contains("surveys 民意评警 gossip 0.6</textarea>"))
            let refused = try await leader.post("/staff/assessment/2026/scheme", [("components", low), ("minimum_n", "30"), ("reason", "试行")])
            #expect(refused.status == .unprocessableContent && refused.html.contains("51%") && refused.html.contains("surveys 民意评警 surveys 0.5"))
            try await leader.get("/staff/assessment?year=2026")
            let scheme = "surveys 民意评警 surveys 0.6\nworkload 工作量 entered 0.4"
            let saved = try await leader.post("/staff/assessment/2026/scheme", [("components", scheme), ("minimum_n", "30"), ("reason",
                "按市局通知")])
            #expect(saved.status == .seeOther || saved.status == .found)
            try await leader.get("/staff/assessment?year=2026")
            let badEntries = try await leader.post(
                "/staff/assessment/2026/entries", [("entries", "officer handler_a workload 60\nofficer nobody workload 70")])
            #expect(badEntries.status == .unprocessableContent && badEntries.html.contains("第 2 行") && badEntries.html.contains("nobody"))
            try await leader.get("/staff/assessment?year=2026")
            _ = try await leader.post("/staff/assessment/2026/entries", [("entries", "officer handler_a workload 60\nunit S01 workload 90")])
            // 0.6 · 90 + 0.4 · 60 = 78.0 for handler_a; the preview says so.
            let preview = try await leader.get("/staff/assessment?year=2026")
            #expect(preview.html.contains("id=\"preview\"") && preview.html.contains("78.0"))
            _ = try await leader.post("/staff/assessment/2026/issue", [])
            let issued = try await leader.get("/staff/assessment?year=2026")
            #expect(issued.html.contains("id=\"issued\"") && issued.html.contains("78.0") && !issued.html.contains("id=\"scheme-form\""))
            let csv = try await leader.get("/staff/assessment.csv?year=2026&kind=officer")
            #expect(String(buffer: csv.body).contains("\"1\",\"handler_a\",\"90.0 (n=30)\",\"60.0\",\"78.0\",\"\",\"已发布\""))
            // A second issue is refused; the issued lines stay.
            let again = try await leader.post("/staff/assessment/2026/issue", [])
            #expect(again.status == .conflict)
            // The lead of another station reads their jurisdiction only.
            _ = try await world.organisation.addOfficer(
                id: "o-lead_b", username: "lead_b", name: "刘所长", unit: "S02", roles: [.unitLead], passwordHash: testPasswordHash, at: World.t0)
            let lead = Browser(client)
            try await lead.login("lead_b")
            let own = try await lead.get("/staff/assessment?year=2026")
            #expect(own.status == .ok && !own.html.contains("handler_a") && !own.html.contains("id=\"scheme-form\""))
            // The API: the same lines; entries refused once issued, and never by a lead.
            let token = try await client.login("leader")
            let view = try decode(AssessmentController.AssessmentView.self, try await client.get("/api/v1/assessment/2026", token: token))
            #expect(view.issued && view.officers.first?.subject == "o-handler_a" && view.officers.first?.total == 78)
            let late = try await client.send(
                .post, "/api/v1/assessment/2026/entries",
                ["entries": [["kind": "officer", "subject": "handler_a", "component": "workload", "score": 90]]],
                token: token)
            #expect(late.status == .conflict)
            let leadToken = try await client.login("lead_b")
            #expect(try await client.send(.post, "/api/v1/assessment/2026/entries", ["entries": []], token: leadToken).status == .forbidden)
        }
    }
}
