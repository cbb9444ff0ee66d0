import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

/// Households, visits and the due list through the API and the pages, as the app is built.
struct CommunityAPITests {
    typealias HouseholdView = CommunityController.HouseholdView
    typealias VisitView = CommunityController.VisitView
    typealias DueView = CommunityController.DueView

    /// A community officer at each station's office.
    static func officers(_ world: World) async throws {
        for (name, unit) in [("community_a", "S01-O1"), ("community_b", "S02-O1")] {
            _ = try await world.organisation.addOfficer(
                id: .init("o-" + name), username: name, name: name, unit: .init(unit), roles: [.communityOfficer], passwordHash: testPasswordHash,
                at: World.t0)
        }
    }

    static var household: [String: Any] {
        [
            "unit": "S01-C1", "address": "幸福路 8 号", "tags": ["lone_elderly"],
            "members": [["name": "刘奶奶", "phone": "13900008888", "id_number": "11010519491231002X", "relation": "户主"]],
        ]
    }

    @Test func anOfficerRecordsAVisitOnceAndItsConcernBecomesAnItem() async throws {
        try await withApp { client, world, clock in
            try await Self.officers(world)
            let officer = try await client.login("community_a")
            let created = try await client.send(.post, "/api/v1/households", Self.household, token: officer)
            #expect(created.status == .created)
            let id = try decode(HouseholdView.self, created).id
            try await world.stores.community.scanRules(at: clock.now)

            // The due list has the lone elderly household's visit for this month.
            let due = try decode([DueView].self, try await client.get("/api/v1/visits/due", token: officer))
            #expect(due.map(\.household) == [id] && due.first?.rule == "lone-elderly" && due.first?.overdue == false)

            // Members are masked; the reveal is audited.
            let shown = try decode(HouseholdView.self, try await client.get("/api/v1/households/\(id)", token: officer))
            #expect(shown.masked && shown.members.first?.phone == "139****8888" && shown.members.first?.idNumber == "110105********002X")
            let full = try decode(HouseholdView.self, try await client.get("/api/v1/households/\(id)?reveal=members&purpose=走访", token: officer))
            #expect(!full.masked && full.members.first?.idNumber == "11010519491231002X")

            // A visit with the same Idempotency-Key twice: one record, the second answer says it was replayed.
            var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(officer)", .idempotencyKey: "v-1"]
            let visit: [String: Any] = ["outcome": "met", "heard": "楼道灯坏了一个月", "diary": "老人身体尚好", "category": "noise"]
            let first = try await client.execute(uri: "/api/v1/households/\(id)/visits", method: .post, headers: headers, body: body(visit))
            let second = try await client.execute(uri: "/api/v1/households/\(id)/visits", method: .post, headers: headers, body: body(visit))
            #expect(first.status == .created && second.status == .ok && second.headers[.idempotentReplayed] == "true")
            let recorded = try decode(VisitView.self, first)
            #expect(try decode(VisitView.self, second).id == recorded.id)
            #expect(recorded.resolved?.values.first == "done")
            let number = try #require(recorded.itemNumber)
            #expect(try await client.get("/api/v1/visits/due", token: officer).body.readableBytes <= 2)

            // The dispatcher sees the item in the command centre's queue, from a home visit.
            let dispatcher = try await client.login("dispatcher")
            let queue = try decode(ItemList.self, try await client.get("/api/v1/items?status=registered", token: dispatcher))
            #expect(queue.items.contains { $0.number == number && $0.channel == "home_visit" })
            // The item's page links back to the visit it came from.
            let desk = Browser(client)
            try await desk.login("dispatcher")
            #expect(try await desk.get("/staff/items/\(number)").html.contains("href=\"/staff/households/\(id)#visits\""))

            // Bad input names the field; nothing is recorded.
            headers[.idempotencyKey] = nil
            let bad = try await client.execute(
                uri: "/api/v1/households/\(id)/visits", method: .post, headers: headers, body: body(["outcome": "maybe"]))
            #expect(bad.status == .unprocessableContent)
            #expect(try errorField(bad) == "outcome")
            var wrongMember = Self.household
            wrongMember["members"] = [["name": "张三", "phone": "123"]]
            let refused = try await client.send(.post, "/api/v1/households", wrongMember, token: officer)
            #expect(refused.status == .unprocessableContent)
            #expect(try errorField(refused) == "members[0].phone")
        }
    }

    @Test func anOfficerOfAnotherOfficeGetsNothingOfTheHousehold() async throws {
        try await withApp { client, world, _ in
            try await Self.officers(world)
            let a = try await client.login("community_a")
            let id = try decode(HouseholdView.self, try await client.send(.post, "/api/v1/households", Self.household, token: a)).id
            let b = try await client.login("community_b")
            #expect(try await client.get("/api/v1/households/\(id)", token: b).status == .notFound)
            #expect(try decode([HouseholdView].self, try await client.get("/api/v1/households", token: b)).isEmpty)
            let visit = try await client.send(.post, "/api/v1/households/\(id)/visits", ["outcome": "met"], token: b)
            #expect(visit.status == .notFound)
            let browser = Browser(client)
            try await browser.login("community_b")
            #expect(try await browser.get("/staff/households/\(id)").status == .notFound)
            try await browser.get("/staff/visits")  // a fresh form token
            let posted = try await browser.post("/staff/households/\(id)/visits", [("outcome", "met")])
            #expect(posted.status == .notFound, "\(posted.status) \(posted.html.prefix(300))")
            // Nor may B place a household in A's community.
            let elsewhere = try await client.send(.post, "/api/v1/households", Self.household, token: b)
            #expect(elsewhere.status == .unprocessableContent)
            #expect(try errorField(elsewhere) == "unit")
        }
    }

    @Test func theVisitFormKeepsWhatWasTypedAndARetryRecordsOnce() async throws {
        try await withApp { client, world, clock in
            try await Self.officers(world)
            let token = try await client.login("community_a")
            let id = try decode(HouseholdView.self, try await client.send(.post, "/api/v1/households", Self.household, token: token)).id
            try await world.stores.community.scanRules(at: clock.now)
            let browser = Browser(client)
            try await browser.login("community_a")
            let list = try await browser.get("/staff/visits")
            #expect(list.status == .ok && list.html.contains("幸福路 8 号") && list.html.contains("独居老人"))
            let page = try await browser.get("/staff/households/\(id)")
            #expect(page.html.contains("139****8888") && !page.html.contains("13900008888"))
            let key = try #require(
                page.html.range(of: "name=\"request_key\" value=\"").map { String(page.html[$0.upperBound...].prefix { $0 != "\"" }) })

            // A time that is not one: the form comes back with 422, the field named, what was typed kept.
            let typed = "晚上楼下\r\n烧烤店太吵 <b>"
            let bad = try await browser.post(
                "/staff/households/\(id)/visits",
                [("request_key", key), ("outcome", "met"), ("at", "昨天晚上"), ("heard", typed), ("category", "noise"), ("diary", "")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("field-error") && bad.html.contains("err-at"))
            #expect(bad.html.contains(HTML.escape(typed)) && bad.html.contains("value=\"\(key)\""))
            // No outcome and a bad time: both named at once.
            let both = try await browser.post(
                "/staff/households/\(id)/visits", [("request_key", key), ("at", "昨天晚上"), ("heard", typed), ("diary", "")])
            #expect(both.html.contains("id=\"err-outcome\"") && both.html.contains("id=\"err-at\"") && both.html.contains("有 2 处需要更正"))

            // Monday 2026-09-21 20:30 Beijing: a night visit; sent twice (a bad connection), recorded once.
            let fields = [
                ("request_key", key), ("outcome", "met"), ("at", "2026-09-21T20:30"), ("heard", typed), ("category", "noise"), ("diary", "夜访"),
            ]
            let saved = try await browser.post("/staff/households/\(id)/visits", fields)
            #expect(saved.status == .seeOther || saved.status == .found)
            let again = try await browser.post("/staff/households/\(id)/visits", fields)
            #expect(again.headers[.location] == saved.headers[.location])
            let officer = try #require(try await world.organisation.officer(username: "community_a")?.officer)
            let visits = try await world.stores.community.visits(of: .init(id), for: try await world.organisation.actor(for: officer))
            #expect(visits.count == 1 && visits.first?.night == true && visits.first?.heard == typed)
            let number = try #require(visits.first?.itemNumber)
            let shown = try await browser.get(try #require(saved.headers[.location]))
            #expect(shown.html.contains("夜访") && shown.html.contains(number))
        }
    }

    @Test func aLeadPairsACadreAndSeesThePairsFallingBehind() async throws {
        try await withApp { client, world, _ in
            try await Self.officers(world)
            _ = try await world.organisation.addOfficer(
                id: "o-lead_a", username: "lead_a", name: "lead_a", unit: "S01", roles: [.unitLead], passwordHash: testPasswordHash, at: World.t0)
            let lead = try await client.login("lead_a")
            let id = try decode(HouseholdView.self, try await client.send(.post, "/api/v1/households", Self.household, token: lead)).id
            let created = try await client.send(.post, "/api/v1/pairs", ["officer": "o-community_a", "household": id], token: lead)
            #expect(created.status == .created)
            let pair = try decode(CommunityController.PairView.self, created)
            let cadre = try await client.login("community_a")
            #expect(try await client.send(.post, "/api/v1/pairs", ["officer": "o-community_a", "household": id], token: cadre).status == .forbidden)
            let deed = try await client.send(.post, "/api/v1/pairs/\(pair.id)/activities", ["kind": "deed", "note": ""], token: cadre)
            #expect(deed.status == .unprocessableContent)
            #expect(try errorField(deed) == "note")
            #expect(try await client.send(.post, "/api/v1/pairs/\(pair.id)/activities", ["kind": "contact"], token: cadre).status == .created)
            let pairs = try decode([CommunityController.PairView].self, try await client.get("/api/v1/pairs", token: lead))
            #expect(pairs.first?.contact == "kept" && pairs.first?.contactsThisWeek == 1)
            // Another station's officer can neither see nor log for the pair.
            let other = try await client.login("community_b")
            #expect(try decode([CommunityController.PairView].self, try await client.get("/api/v1/pairs", token: other)).isEmpty)
            #expect(try await client.send(.post, "/api/v1/pairs/\(pair.id)/activities", ["kind": "contact"], token: other).status == .notFound)

            let browser = Browser(client)
            try await browser.login("lead_a")
            let page = try await browser.get("/staff/pairs")
            #expect(page.status == .ok && page.html.contains("幸福路 8 号") && page.html.contains("c-kept"))
            let logged = try await browser.post(
                "/staff/pairs/\(pair.id)/activities",
                [
                    ("kind", "deed"), ("note", "帮助申请了低保"),
                    (
                        "request_key",
                        "k1"
                    ),
                ])
            #expect(logged.headers[.location] == "/staff/pairs?done=1")
            try await browser.get("/staff/pairs")
            let empty = try await browser.post("/staff/pairs/\(pair.id)/activities", [("kind", "deed"), ("note", " ")])
            #expect(empty.status == .unprocessableContent && empty.html.contains("alert error"))
        }
    }

    @Test func theBulletinShowsTheWeeksMandatoryVisitsAndAnInspectorOrdersTheOverdueOne() async throws {
        try await withApp { client, world, clock in
            try await Self.officers(world)
            let token = try await client.login("community_a")
            _ = try await client.send(.post, "/api/v1/households", Self.household, token: token)
            try await world.stores.community.scanRules(at: clock.now)  // September's visit, due at the month's end
            clock.advance(14 * 86400)  // into October: September's visit is overdue
            let september = Bulletin.week(containing: Deadlines.start(year: 2026, month: 9, day: 30))
            try await world.stores.bulletins.issue(week: september, by: nil, at: clock.now)
            let inspector = Browser(client)
            try await inspector.login("inspector")
            let path = "/staff/bulletins/\(Format.date(september.start))"
            let page = try await inspector.get(path)
            #expect(page.html.contains("五必访落实情况") && page.html.contains("overdue-visits") && page.html.contains("幸福路 8 号"))
            let fresh = try await client.login("community_a")  // the first session expired meanwhile
            let due = try decode([DueView].self, try await client.get("/api/v1/visits/due", token: fresh))
            let order = try await inspector.post(
                "/staff/visits/due/\(try #require(due.first?.id))/supervise",
                [
                    ("reason", "逾期未访，限期落实"),
                    ("back", path),
                ])
            #expect(order.headers[.location] == path + "#bulletin-visits")
            let officer = Browser(client)
            try await officer.login("community_a")
            #expect(try await officer.get("/staff/visits").html.contains("逾期未访，限期落实"))
        }
    }

    @Test func theBureauSetsTheNightHoursAndTheCadenceAndAnOfficerPlansAVisit() async throws {
        try await withApp { client, world, _ in
            try await Self.officers(world)
            let admin = try await client.login("admin")
            let set = try await client.send(
                .post, "/api/v1/community-settings", ["night_visits": "2,4 19:30-21:00", "pairing_cadence": "2,1,4"], token: admin)
            let settings = try decode(CommunityController.SettingsView.self, set)
            #expect(settings.nightVisits == "2,4 19:30-21:00" && settings.pairingCadence == "2,1,4")
            let bad = try await client.send(.post, "/api/v1/community-settings", ["night_visits": "每天晚上"], token: admin)
            #expect(bad.status == .unprocessableContent)
            #expect(try errorField(bad) == "night_visits")
            let officer = try await client.login("community_a")
            #expect(try await client.send(.post, "/api/v1/community-settings", ["pairing_cadence": "1,1,1"], token: officer).status == .forbidden)

            let id = try decode(HouseholdView.self, try await client.send(.post, "/api/v1/households", Self.household, token: officer)).id
            let browser = Browser(client)
            try await browser.login("community_a")
            try await browser.get("/staff/households/\(id)")
            let planned = try await browser.post("/staff/households/\(id)/plans", [("on", "2026-09-23"), ("note", "送防诈资料")])
            #expect(planned.headers[.location] == "/staff/visits")
            #expect(try await browser.get("/staff/visits").html.contains("计划走访：送防诈资料"))
            try await browser.get("/staff/households/\(id)")
            let past = try await browser.post("/staff/households/\(id)/plans", [("on", "2026-01-01")])
            #expect(past.status == .unprocessableContent && past.html.contains("field-error"))
        }
    }
}
