import Foundation
import FoundationXML
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

/// Safety alerts from an officer's form to the residents' square, the Atom feeds and CAP, the groups they were pasted
/// into, and their withdrawal.
struct AlertWebTests {
    static func addOfficers(_ world: World) async throws {
        _ = try await world.organisation.addOfficer(
            id: "o-community_a", username: "community_a", name: "社区民警甲", unit: "S01-O1", roles: [.communityOfficer],
            passwordHash: testPasswordHash, at: World.t0)
    }

    /// The elements named `name` anywhere under `node`, whatever their namespace.
    static func elements(_ name: String, in document: XMLDocument) throws -> [XMLElement] {
        try document.nodes(forXPath: "//*[local-name()='\(name)']").compactMap { $0 as? XMLElement }
    }

    @Test(arguments: TestDatabase.dialects)
    func anOfficerPublishesForTheirCommunityAndResidentsFollowItUntilItIsWithdrawn(dialect: DatabaseDialect) async throws {
        try await withApp(dialect: dialect) { client, world, clock in
            try await Self.addOfficers(world)
            let officer = Browser(client)
            try await officer.login("community_a")
            let page = try await officer.get("/staff/alerts")
            #expect(page.html.contains("id=\"publish-alert\"") && page.html.contains("value=\"S01-C1\"") && !page.html.contains("value=\"S02-C1\""))

            // Nothing chosen and an end before the start: every fault named at once, what was typed kept.
            let empty = try await officer.post("/staff/alerts", [("text", "请勿向陌生账户转账"), ("valid_until", "明天")])
            #expect(empty.status == .unprocessableContent)
            for field in ["communities", "topic", "urgency", "severity", "title", "valid_until"] {
                #expect(empty.html.contains("id=\"f-\(field)-error\""), "\(field) named")
            }
            #expect(empty.html.contains("请勿向陌生账户转账") && empty.html.contains("明天"))

            // Another station's community is outside the officer's jurisdiction.
            let fields: [(String, String)] = [
                ("topic", "fraud"), ("urgency", "Immediate"), ("severity", "Severe"), ("title", "冒充客服退款诈骗"),
                ("text", "接到自称客服的退款电话，请立即挂断。\n不要共享屏幕 <b>也不要转账</b>。"),
                ("valid_until", Format.localTime(World.t0.addingTimeInterval(3 * 86400))),
            ]
            let outside = try await officer.post("/staff/alerts", [("communities", "S02-C1")] + fields)
            #expect(outside.status == .forbidden || outside.status == .notFound)
            #expect(try await world.stores.alerts.alerts(at: clock.now).isEmpty)

            let published = try await officer.post("/staff/alerts", [("communities", "S01-C1")] + fields)
            #expect(published.status == .seeOther)
            let location = try #require(published.headers[.location])
            let id = String(location.split(separator: "/").last ?? "")
            let staffPage = try await officer.get(location)
            // The message for the group: the topic, the title, the text and the link to the alert's page.
            #expect(staffPage.html.contains("【电信诈骗·严重】冒充客服退款诈骗") && staffPage.html.contains("/alerts/\(id)"))
            #expect(staffPage.html.contains("标记已发到群"))

            // Residents: the community's list and the topic's show it, escaped; another community's and topic's do not.
            let resident = Browser(client)
            let mine = try await resident.get("/alerts?community=S01-C1")
            #expect(mine.html.contains("冒充客服退款诈骗") && mine.html.contains("&lt;b&gt;也不要转账&lt;/b&gt;"))
            #expect(try await resident.get("/alerts?community=S01-C1&topic=fraud").html.contains("冒充客服退款诈骗"))
            #expect(!(try await resident.get("/alerts?community=S02-C1").html.contains("冒充客服退款诈骗")))
            #expect(!(try await resident.get("/alerts?topic=traffic").html.contains("冒充客服退款诈骗")))
            #expect(try await resident.get("/alerts?community=S99").status == .notFound)
            #expect(try await resident.get("/alerts?topic=aliens").status == .notFound)

            // The feeds: per community, per topic, both; each entry's text as typed.
            for (query, count) in [
                ("community=S01-C1", 1), ("topic=fraud", 1), ("community=S01-C1&topic=fraud", 1), ("community=S02-C1", 0),
                ("community=S01-C1&topic=fire", 0),
            ] {
                let feed = try await resident.get("/alerts/feed.atom?\(query)")
                #expect(feed.headers[.contentType]?.hasPrefix("application/atom+xml") == true)
                let document = try XMLDocument(data: Data(buffer: feed.body))
                #expect(document.rootElement()?.name == "feed" && document.rootElement()?.uri == "http://www.w3.org/2005/Atom")
                let entries = try Self.elements("entry", in: document)
                #expect(entries.count == count, "\(query)")
                if count == 1 {
                    let content = try #require(entries[0].elements(forName: "content").first?.stringValue)
                    #expect(content.hasPrefix("接到自称客服的退款电话，请立即挂断。\n不要共享屏幕 <b>也不要转账</b>。"))
                }
            }

            // CAP 1.2: alert → info → area, the values the standard allows.
            let cap = try XMLDocument(data: Data(buffer: try await resident.get("/alerts/\(id)/cap.xml").body))
            #expect(cap.rootElement()?.name == "alert" && cap.rootElement()?.uri == "urn:oasis:names:tc:emergency:cap:1.2")
            #expect(try Self.elements("msgType", in: cap).first?.stringValue == "Alert")
            #expect(try Self.elements("urgency", in: cap).first?.stringValue == "Immediate")
            #expect(try Self.elements("category", in: cap).first?.stringValue == "Security")
            #expect(try Self.elements("areaDesc", in: cap).map(\.stringValue) == ["幸福警务室 · 幸福社区"])
            #expect(try Self.elements("sent", in: cap).first?.stringValue?.hasSuffix("+08:00") == true)

            // The group: marked once, a second mark refused; the leader sees what went out where.
            _ = try await officer.get(location)
            #expect(try await officer.post("\(location)/sent", [("community", "S01-C1")]).status == .seeOther)
            #expect(try await officer.post("\(location)/sent", [("community", "S01-C1")]).status == .conflict)
            #expect(try await officer.post("\(location)/sent", [("community", "S02-C1")]).status == .notFound)
            let leader = Browser(client)
            try await leader.login("leader")
            let overview = try await leader.get("/staff/alerts")
            #expect(overview.html.contains("冒充客服退款诈骗") && overview.html.contains("1 / 1"))
            #expect(overview.html.contains("id=\"alert-reach\"") && overview.html.contains("幸福警务室 · 幸福社区"))
            // An officer of another station does not see it; one without the permission cannot act on it.
            let other = Browser(client)
            try await other.login("handler_b")
            #expect(try await other.get(location).status == .notFound)
            let handler = Browser(client)
            try await handler.login("handler_a")
            _ = try await handler.get(location)
            #expect(try await handler.post("\(location)/withdraw", [("reason", "x")]).status == .forbidden)

            // Withdrawn: a reason is needed; then residents read why, the square's list of alerts in force drops it,
            // the feed marks it and CAP sends a Cancel that references the alert.
            _ = try await officer.get(location)
            let noReason = try await officer.post("\(location)/withdraw", [("reason", " ")])
            #expect(noReason.status == .unprocessableContent && noReason.html.contains("id=\"f-reason-error\""))
            clock.advance(3600)
            #expect(try await officer.post("\(location)/withdraw", [("reason", "已核实为误报")]).status == .seeOther)
            #expect(try await resident.get("/alerts/\(id)").html.contains("已核实为误报"))
            #expect(!(try await resident.get("/alerts?community=S01-C1").html.contains("冒充客服退款诈骗")))
            #expect(try await resident.get("/alerts?community=S01-C1&all=1").html.contains("冒充客服退款诈骗"))
            let feed = try XMLDocument(data: Data(buffer: try await resident.get("/alerts/feed.atom?community=S01-C1").body))
            #expect(try Self.elements("title", in: feed).contains { $0.stringValue?.hasPrefix("【已撤回】") == true })
            let cancel = try XMLDocument(data: Data(buffer: try await resident.get("/alerts/\(id)/cap.xml").body))
            #expect(try Self.elements("msgType", in: cancel).first?.stringValue == "Cancel")
            #expect(try Self.elements("references", in: cancel).first?.stringValue?.contains("urn:minyi:alert:\(id)") == true)
            // The record: published, sent, withdrawn, in that order.
            #expect(try await world.stores.alerts.events(of: .init(id)).map(\.kind) == [.published, .sent, .withdrawn])
        }
    }
}
