import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

/// The policing community through the pages and the API: members registered within the jurisdiction, their points on a
/// hand example, a task shared and closed, and an informant no one without the need ever sees.
struct PartnerWebTests {
    @Test(arguments: TestDatabase.dialects)
    func volunteersEarnPointsForTasksAndAnInformantStaysHidden(dialect: DatabaseDialect) async throws {
        try await withApp(dialect: dialect) { client, world, clock in
            let organisation = world.organisation
            _ = try await organisation.addOfficer(
                id: "o-community_a", username: "community_a", name: "社区民警甲", unit: "S01-O1", roles: [.communityOfficer],
                passwordHash: testPasswordHash, at: World.t0)
            _ = try await organisation.addOfficer(
                id: "o-lead_a", username: "lead_a", name: "王所长", unit: "S01", roles: [.unitLead], passwordHash: testPasswordHash, at: World.t0)
            let officer = Browser(client)
            try await officer.login("community_a")
            #expect(try await officer.get("/staff/partners").html.contains("id=\"register-partner\""))

            // Registration: every fault at once, what was typed kept; another station's community refused.
            let empty = try await officer.post("/staff/partners", [("name", " "), ("phone", "12345"), ("note", "周末可巡逻")])
            #expect(empty.status == .unprocessableContent)
            for field in ["kind", "name", "phone", "area"] { #expect(empty.html.contains("id=\"f-\(field)-error\""), "\(field)") }
            #expect(empty.html.contains("周末可巡逻") && empty.html.contains("12345"))
            let volunteer: [(String, String)] = [
                ("kind", "volunteer"), ("name", "张桂英"), ("phone", "13900001111"), ("skills", "patrol"), ("skills", "mediation"),
                ("availability", "weekend"),
            ]
            #expect(try await officer.post("/staff/partners", volunteer + [("area", "S02-C1")]).status == .forbidden)
            #expect(try await officer.post("/staff/partners", [("kind", "informant"), ("name", "线人乙"), ("area", "S01-C1")]).status == .forbidden)
            let registered = try await officer.post("/staff/partners", volunteer + [("area", "S01-C1")])
            #expect(registered.status == .seeOther)
            let memberPath = try #require(registered.headers[.location])

            // The hand example: patrol 2 h (20), mediation 1.5 h (22.5 → 23), then a task of 3 h (36): 79 points.
            _ = try await officer.get(memberPath)
            let badHours = try await officer.post("\(memberPath)/activities", [("kind", "patrol"), ("hours", "1.25")])
            #expect(badHours.status == .unprocessableContent && badHours.html.contains("id=\"f-hours-error\"") && badHours.html.contains("1.25"))
            clock.advance(3600)
            #expect(try await officer.post("\(memberPath)/activities", [("kind", "patrol"), ("hours", "2")]).status == .seeOther)
            #expect(
                try await officer.post("\(memberPath)/activities", [("kind", "mediation"), ("hours", "1.5"), ("note", "调解邻里纠纷")]).status
                    == .seeOther)
            #expect(try await officer.get(memberPath).html.contains("累计 3.5 小时，43 积分"))

            let noTask = try await officer.post("/staff/tasks", [("title", "夜间巡逻"), ("needed", "0")])
            #expect(noTask.status == .unprocessableContent)
            for field in ["area", "kind", "starts_at", "needed"] { #expect(noTask.html.contains("id=\"f-\(field)-error\""), "\(field)") }
            let shared = try await officer.post(
                "/staff/tasks",
                [
                    ("area", "S01-C1"), ("kind", "patrol"), ("title", "周末夜间巡逻"), ("text", "背街小巷"),
                    ("starts_at", Format.localTime(clock.now.addingTimeInterval(86400))), ("needed", "3"),
                ])
            #expect(shared.status == .seeOther)
            let taskPath = try #require(shared.headers[.location])
            let taskPage = try await officer.get(taskPath)
            #expect(taskPage.html.contains("张桂英"))
            let memberID = String(memberPath.split(separator: "/").last ?? "")
            #expect(try await officer.post("\(taskPath)/takers", [("partner", memberID)]).status == .seeOther)
            #expect(try await officer.post("\(taskPath)/takers", [("partner", memberID)]).status == .conflict)
            let noOutcome = try await officer.post("\(taskPath)/close", [("result", "done"), ("hours", "三")])
            #expect(
                noOutcome.status == .unprocessableContent && noOutcome.html.contains("id=\"f-outcome-error\"")
                    && noOutcome.html.contains("id=\"f-hours-error\""))
            let closed = try await officer.post("\(taskPath)/close", [("result", "done"), ("outcome", "劝离聚集人员 1 起"), ("hours", "3")])
            #expect(closed.status == .seeOther)
            #expect(try await officer.get(taskPath).html.contains("劝离聚集人员 1 起"))
            #expect(try await officer.get(memberPath).html.contains("累计 6.5 小时，79 积分"))

            // The station's lead registers an informant and records a useful tip.
            let lead = Browser(client)
            try await lead.login("lead_a")
            _ = try await lead.get("/staff/informants")
            let informant = try await lead.post(
                "/staff/partners", [("kind", "informant"), ("name", "线人甲"), ("phone", "13700009999"), ("area", "S01-C1")])
            #expect(informant.status == .seeOther)
            let informantPath = try #require(informant.headers[.location])
            let informantID = String(informantPath.split(separator: "/").last ?? "")
            _ = try await lead.get(informantPath)
            #expect(try await lead.post("\(informantPath)/activities", [("kind", "tip"), ("useful", "1")]).status == .seeOther)
            #expect(try await lead.get(informantPath).html.contains("50 积分"))
            #expect(try await lead.get("/staff/informants").html.contains("线人甲"))

            // Without the need, it is nowhere: not in the list, its page, the tasks, the export, the API.
            let secrets = ["线人甲", "13700009999", informantID]
            let token = try await client.login("community_a")
            let leadToken = try await client.login("lead_a")
            for (who, browser) in [("community_a", officer), ("lead_a", lead)] {
                for path in ["/staff/partners", "/staff/partners.csv", "/staff/tasks", taskPath] {
                    let page = try await browser.get(path)
                    for secret in secrets { #expect(!page.html.contains(secret), "\(secret) in \(path) for \(who)") }
                }
            }
            for token in [token, leadToken] {
                let api = try await client.get("/api/v1/partners", token: token)
                #expect(api.status == .ok && api.html.contains("张桂英") && api.html.contains("139****1111"))
                for secret in secrets { #expect(!api.html.contains(secret)) }
            }
            #expect(try await officer.get(informantPath).status == .notFound)
            #expect(try await officer.get("/staff/informants").status == .forbidden)
            #expect(try await officer.post("\(informantPath)/activities", [("kind", "tip")]).status == .notFound)
            // An informant never takes a task: naming one is refused like a stranger.
            let second = try await officer.post(
                "/staff/tasks",
                [
                    ("area", "S01-C1"), ("kind", "anti_fraud"), ("title", "反诈入户"),
                    ("starts_at", Format.localTime(clock.now.addingTimeInterval(86400))),
                    ("needed", "2"),
                ])
            let secondPath = try #require(second.headers[.location])
            _ = try await officer.get(secondPath)
            #expect(try await officer.post("\(secondPath)/takers", [("partner", informantID)]).status == .unprocessableContent)
            // Another station's officer without the role sees nothing of it either.
            let handler = Browser(client)
            try await handler.login("handler_b")
            #expect(try await handler.get("/staff/partners").status == .forbidden)

            // Every look at the informant was audited: the list twice, the page twice.
            let looks = try await world.audit.entries(target: informantID).filter { $0.action == "informant.view" }
            #expect(looks.count == 2 && looks.allSatisfy { $0.actorID == "o-lead_a" })
            let lists = try await world.audit.entries(limit: 500).filter { $0.action == "informants.list" }
            #expect(lists.count == 2)
            // The volunteer's full phone number was shown to the officer who manages members, and that too is on record.
            #expect(try await world.audit.entries(target: memberID).contains { $0.action == "partner.phone" && $0.actorID == "o-community_a" })
        }
    }
}
