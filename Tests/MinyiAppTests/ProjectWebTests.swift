import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

/// The year's projects through the pages, the API and the feed: adopted from a closed ballot, reported on by the
/// responsible unit only, followed in public.
struct ProjectWebTests {
    @Test func aClosedBallotsProjectsAreReportedOnAndFollowedInPublic() async throws {
        try await withApp { client, world, clock in
            let ballots = world.stores.ballots
            let campaign = BallotCampaign(
                id: "B2026", year: 2026, title: "十件实事", opensAt: World.t0, closesAt: World.t0.addingTimeInterval(86400), maxChoices: 1)
            try await ballots.createCampaign(campaign, by: world.admin, at: World.t0)
            let candidate = try await ballots.addCandidate(
                to: campaign.id, title: "学校护学岗", summary: "上下学时段民警在岗", unitID: "S01", category: nil, by: world.admin,
                at: World.t0.addingTimeInterval(-1))
            _ = try await ballots.cast(idNumber: BallotWebTests.idNumber(1), choices: [candidate.id], for: campaign.id, at: World.t0)
            clock.advance(2 * 86400)
            _ = try await world.organisation.addOfficer(
                id: "o-lead_a", username: "lead_a", name: "王所长", unit: "S01", roles: [.unitLead], passwordHash: testPasswordHash, at: World.t0)
            _ = try await world.organisation.addOfficer(
                id: "o-lead_b", username: "lead_b", name: "刘所长", unit: "S02", roles: [.unitLead], passwordHash: testPasswordHash, at: World.t0)

            let leader = Browser(client)
            try await leader.login("leader")
            let list = try await leader.get("/staff/projects")
            #expect(list.html.contains("确定项目"))
            _ = try await leader.post("/staff/projects/adopt", [("campaign", "B2026")])
            let project = try #require(try await world.stores.projects.projects(year: 2026).first)

            // The station's lead reports; a bad progress comes back with the text kept.
            let lead = Browser(client)
            try await lead.login("lead_a")
            let path = "/staff/projects/\(project.id.rawValue)"
            #expect(try await lead.get(path).html.contains("id=\"project-update\""))
            // A milestone without a name or a day: both named at once.
            let milestone = try await lead.post("\(path)/milestones", [("due", "下个月")])
            #expect(milestone.html.contains("id=\"err-title\"") && milestone.html.contains("id=\"err-due\"") && milestone.html.contains("下个月"))
            // No text and a progress that is not a number: both named at once, nothing saved.
            let both = try await lead.post("\(path)/updates", [("progress", "百分之三十"), ("photo_caption", "实验小学门口")])
            #expect(both.status == .unprocessableContent && both.html.contains("id=\"err-text\"") && both.html.contains("id=\"err-progress\""))
            #expect(both.html.contains("实验小学门口"))
            let bad = try await lead.post("\(path)/updates", [("text", "首批 12 所学校护学岗上岗"), ("progress", "百分之三十")])
            #expect(bad.status == .unprocessableContent && bad.html.contains("首批 12 所学校护学岗上岗"))
            try await lead.get(path)
            let posted = try await lead.post(
                "\(path)/updates", [("text", "首批 12 所学校护学岗上岗"), ("progress", "30"), ("photo_caption", "实验小学门口")])
            #expect(posted.status == .seeOther || posted.status == .found)
            // Another station's lead sees the page without the forms and cannot post.
            let other = Browser(client)
            try await other.login("lead_b")
            #expect(!(try await other.get(path).html.contains("id=\"project-update\"")))
            #expect(try await other.post("\(path)/updates", [("text", "x"), ("progress", "40")]).status == .notFound)

            // The public page and the feeds.
            let resident = Browser(client)
            let page = try await resident.get("/projects/\(project.id.rawValue)")
            #expect(page.html.contains("value=\"30\"") && page.html.contains("实验小学门口") && page.html.contains("经群众投票选定"))
            let feed = try await client.get("/projects/feed.atom")
            #expect(feed.headers[.contentType] == "application/atom+xml; charset=utf-8")
            #expect(String(buffer: feed.body).contains("<content type=\"text\">首批 12 所学校护学岗上岗"))
            let view = try decode(ProjectController.ProjectView.self, try await client.get("/api/v1/projects/\(project.id.rawValue)"))
            #expect(view.progress == 30 && view.status == "underway" && view.updates?.count == 2 && !view.late)
        }
    }
}
