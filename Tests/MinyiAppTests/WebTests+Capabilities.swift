import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Synchronization
import Testing

@testable import MinyiApp

/// Escaping, CSV, suggestions, business callbacks, bulletins and analysis.
extension WebTests {
    @Test func htmlInterpolationEscapesTextButNotMarkup() {
        let text = "<b onclick='x'>\"Tom & Jerry\"</b>"
        let inner: HTML = "<i>\(text)</i>"
        let outer: HTML = "<p>\(inner)</p>"
        #expect(outer.markup == "<p><i>&lt;b onclick=&#39;x&#39;&gt;&quot;Tom &amp; Jerry&quot;&lt;/b&gt;</i></p>")
        #expect(HTML.escape("民意 plain") == "民意 plain")
    }

    /// Every cell is quoted, whatever it holds: CR LF (one `Character` in Swift) was once missed and split a row.
    @Test func csvCellsAreQuotedAndFormulasDefused() {
        #expect(CSV.cell("plain") == "\"plain\"")
        #expect(CSV.cell("a,b") == "\"a,b\"")
        #expect(CSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.cell("=1+2") == "\"'=1+2\"")
        #expect(CSV.cell("-5") == "\"'-5\"")
        #expect(CSV.cell("＝1") == "\"'＝1\"")
        #expect(CSV.cell("a\r\n+1+cmd|' /C calc'!A0") == "\"a\r\n+1+cmd|' /C calc'!A0\"")
        #expect(CSV.cell("\r\n=1") == "\"'\r\n=1\"")
        #expect(CSV.row(["查询号", "x\ny", "a\rb", "c\r\nd"]) == "\"查询号\",\"x\ny\",\"a\rb\",\"c\r\nd\"\r\n")
    }

    @Test func categorySuggestionsAreShownButNeverApplied() async throws {
        try await withApp { client, _, _ in
            // Past decisions: dispatched items of two categories.
            let dispatcherToken = try await client.login("dispatcher")
            for (category, text) in [
                ("noise", "烧烤店夜里太吵"), ("noise", "广场舞音响太吵"), ("traffic", "学校门口乱停车"),
                (
                    "traffic",
                    "路口乱停车堵路"
                ),
            ] {
                var fields = noiseFields
                fields["category"] = category
                fields["text"] = text
                let number = try number(try await client.submit(fields))
                #expect(try await client.command("dispatch", number, token: dispatcherToken, ["unit": "S01"]).status == .ok)
            }
            var fields = noiseFields
            fields["text"] = "小区门口乱停车"
            let number = try number(try await client.submit(fields))

            let dispatcher = Browser(client)
            try await dispatcher.login("dispatcher")
            let page = try await dispatcher.get("/staff/items/\(number)")
            #expect(page.html.contains("id=\"category-suggestion\""))
            #expect(page.html.contains("<option value=\"traffic\" selected>"))
            #expect(page.html.contains("噪音扰民"))  // unchanged until a person confirms
            let moved = try await dispatcher.post("/staff/items/\(number)/recategorize", [("category", "traffic")])
            #expect(moved.status == .seeOther)
            #expect(try await dispatcher.get("/staff/items/\(number)").html.contains("调整类别"))

            try await dispatcher.get("/staff/register")
            let suggested = try await dispatcher.post(
                "/staff/register", [("channel", "phone"), ("kind", "help"), ("place", "S01-C1"), ("text", "门口乱停车"), ("_suggest", "1")])
            #expect(suggested.status == .ok && suggested.html.contains("id=\"category-suggestion\""))
            #expect(suggested.html.contains(">门口乱停车</textarea>"))
            let queue = try decode(ItemList.self, try await client.get("/api/v1/items?channel=phone", token: dispatcherToken))
            #expect(!queue.items.contains { $0.channel == "phone" })

            // How well the suggester does is for administrators, not on the leader's dashboard.
            let leader = Browser(client)
            try await leader.login("leader")
            #expect(!(try await leader.get("/staff/dashboard").html.contains("id=\"suggester-accuracy\"")))
            let admin = Browser(client)
            try await admin.login("admin")
            #expect(try await admin.get("/staff/dashboard").html.contains("id=\"suggester-accuracy\""))
        }
    }

    @Test func businessRecordsComeInOverTheAPIAndAreCalledBackFromTheConsole() async throws {
        try await withApp { client, world, clock in
            let key = try await world.auth.createAPIKey(name: "户籍系统", officer: world.admin.officer.id, at: clock.now)
            func post(_ records: [[String: Any]], key: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/business-records", method: .post, headers: [.contentType: "application/json", HTTPField.Name("X-API-Key")!: key],
                    body: body(["records": records]))
            }
            let day = "2026-09-20"
            let records: [[String: Any]] = [
                [
                    "record_id": "HJ-1", "business_type": "household", "unit": "S01", "officer": "张警官", "name": "王女士", "phone": "13800001111",
                    "date": day,
                ],
                ["record_id": "HJ-2", "business_type": "household", "unit": "S01", "phone": "13800002222", "date": day, "sensitive": true],
                ["record_id": "HJ-3", "business_type": "household", "unit": "S01", "phone": "123", "date": day],
                ["record_id": "HJ-1", "business_type": "household", "unit": "S01", "phone": "13800001111", "date": day],
            ]
            let first = try decode(BusinessController.ImportResponse.self, try await post(records, key: key))
            #expect(first.imported == 2 && first.skipped == 1)
            #expect(first.rejected.first?.index == 2)
            let again = try decode(BusinessController.ImportResponse.self, try await post(Array(records.prefix(2)), key: key))
            #expect(again.imported == 0 && again.skipped == 2)
            let setDays = try await client.execute(
                uri: "/api/v1/business-types/household/callback-days", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("X-API-Key")!: key], body: body(["callback_days": 2]))
            #expect(setDays.status == .ok)
            let newer = try decode(
                BusinessController.ImportResponse.self,
                try await post([["record_id": "HJ-9", "business_type": "household", "unit": "S01", "phone": "13800009999", "date": day]], key: key))
            #expect(newer.imported == 1)
            #expect(
                try await world.database.read { db in
                    try await db.raw("SELECT callback_due FROM business_records WHERE record_id = 'HJ-9'").first()?.decode(
                        column: "callback_due", as: Int.self)
                } == Int(BusinessRecordCSV.parseDate("2026-09-22")!.timeIntervalSince1970))
            let tooLong = try await client.execute(
                uri: "/api/v1/business-types/household/callback-days", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("X-API-Key")!: key], body: body(["callback_days": 99]))
            #expect(tooLong.status == .unprocessableContent)
            let clerkKey = try await world.auth.createAPIKey(name: "x", officer: world.clerkA.officer.id, at: clock.now)
            #expect(try await post(records, key: clerkKey).status == .forbidden)

            clock.advance(86400 * 3)
            let agent = Browser(client)
            try await agent.login("callback")
            let queue = try await agent.get("/staff/business-callbacks")
            #expect(queue.html.contains("HJ-1") && !queue.html.contains("HJ-2"))
            #expect(try await agent.post("/staff/business-callbacks/claim", [("count", "10")]).status == .seeOther)
            let page = try await agent.get("/staff/business-callbacks/HJ-1")
            #expect(page.html.contains("13800001111"))
            let missing = try await agent.post("/staff/business-callbacks/HJ-1/attempt", [("outcome", "answered"), ("satisfaction", "dissatisfied")])
            #expect(missing.status == .unprocessableContent)
            // Dissatisfied without saying why: refused, everything chosen kept, the comment named.
            let refused = try await agent.post(
                "/staff/business-callbacks/HJ-1/attempt", [("outcome", "answered"), ("satisfaction", "dissatisfied"), ("score.attitude", "2")])
            #expect(refused.status == .unprocessableContent && refused.html.contains("id=\"f-comment-error\""))
            #expect(refused.html.contains("<option value=\"dissatisfied\" selected>") && refused.html.contains("<option value=\"2\" selected>"))
            let recorded = try await agent.post(
                "/staff/business-callbacks/HJ-1/attempt",
                [("outcome", "answered"), ("satisfaction", "dissatisfied"), ("comment", "材料要求说不清楚"), ("score.attitude", "2")])
            #expect(recorded.status == .seeOther)
            let stored = try #require(try await world.items.queue(QueueFilter(channel: .callback), for: world.leader, at: clock.now).items.first)
            #expect(stored.item.status == .dispatched && stored.item.text.contains("材料要求说不清楚"))
            let sensitive = try await agent.get("/staff/business-callbacks/HJ-2")
            #expect(!sensitive.html.contains("13800002222") && !sensitive.html.contains("attempt-form"))
        }
    }

    @Test func theWeeklyBulletinIsIssuedPrintedAndExported() async throws {
        try await withApp { client, _, clock in
            // Five items, the fewest a unit is ranked on.
            let dispatcher = try await client.login("dispatcher")
            for _ in 0..<5 {
                let number = try number(try await client.submit(noiseFields))
                _ = try await client.command("dispatch", number, token: dispatcher, ["unit": "S01"])
            }
            clock.advance(7 * 86400)
            let leader = Browser(client)
            try await leader.login("leader")
            #expect(try await leader.get("/staff/bulletins").html.contains("生成上周通报"))
            let issued = try await leader.post("/staff/bulletins", [])
            let location = try #require(issued.headers[.location])
            let page = try await leader.get(location)
            #expect(page.status == .ok && page.html.contains("id=\"bulletin\"") && page.html.contains("丹阳路派出所"))
            #expect(page.html.contains("id=\"bulletin-below\""))  // S01 replied to nothing that week
            let csv = try await leader.get(location + ".csv")
            #expect(Array(csv.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(String(buffer: csv.body).contains("\"排名\",\"单位\",\"综合得分\""))
            #expect(try await leader.get("/staff/supervision").html.contains("id=\"unit-orders\""))
            let handler = Browser(client)
            try await handler.login("handler_a")
            #expect(try await handler.get(location).status == .forbidden)
        }
    }

    @Test func theMonthlyAnalysisShowsClustersThatCanBeMerged() async throws {
        try await withApp { client, _, clock in
            var numbers: [String] = []
            for (offset, text) in ["楼下烧烤店营业到凌晨，噪音很大", "烧烤店凌晨还在营业，噪音太大了", "学校门口乱停车"].enumerated() {
                var fields = noiseFields
                fields["text"] = text
                numbers.append(try number(try await client.submit(fields)))
                clock.advance(3600 + Double(offset))
            }
            let dispatcher = Browser(client)
            try await dispatcher.login("dispatcher")
            let page = try await dispatcher.get("/staff/analysis")
            #expect(page.status == .ok)
            #expect(page.html.contains("id=\"top-concerns\"") && page.html.contains("噪音扰民"))
            #expect(page.html.contains("2 件相似"))
            #expect(page.html.contains("action=\"/staff/items/\(numbers[1])/merge\""))
            #expect(!page.html.contains("action=\"/staff/items/\(numbers[2])/merge\""))
            let back = try #require(page.html.firstMatch(of: /name="back" value="([^"]+)"/)).output.1
            let merged = try await dispatcher.post(
                "/staff/items/\(numbers[1])/merge",
                [("into", numbers[0]), ("reason", "研判：同一问题"), ("back", String(back).replacingOccurrences(of: "&amp;", with: "&"))])
            #expect(merged.status == .seeOther && merged.headers[.location]?.hasPrefix("/staff/analysis") == true)
            #expect(!(try await dispatcher.get("/staff/analysis")).html.contains("件相似"))
        }
    }
}
