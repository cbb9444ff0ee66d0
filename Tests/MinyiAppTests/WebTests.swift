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

/// A browser as far as the server can tell: it keeps cookies and posts forms with the page's CSRF token.
final class Browser: Sendable {
    let client: any TestClientProtocol
    private let state = Mutex<(cookies: [String: String], token: String)>(([:], ""))

    /// The cookies the server has set, by name.
    var cookies: [String: String] { state.withLock { $0.cookies } }
    /// The CSRF token of the last page with a form (a test may forge one).
    var token: String {
        get { state.withLock { $0.token } }
        set { state.withLock { $0.token = newValue } }
    }

    init(_ client: any TestClientProtocol) { self.client = client }

    private var cookieHeader: HTTPFields {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        return headers
    }

    private func remember(_ response: TestResponse) {
        let html = String(buffer: response.body)
        let token = html.range(of: "name=\"_csrf\" value=\"").map { String(html[$0.upperBound...].prefix(while: { $0 != "\"" })) }
        state.withLock { state in
            for field in response.headers[values: .setCookie] {
                let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                let name = String(pair[0])
                let value = pair.count > 1 ? String(pair[1]) : ""
                if field.contains("Max-Age=0") { state.cookies[name] = nil } else { state.cookies[name] = value }
            }
            if let token { state.token = token }
        }
    }

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: cookieHeader)
        remember(response)
        return response
    }

    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)], csrf: Bool = true) async throws -> TestResponse {
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        let all = (csrf ? [("_csrf", token)] : []) + fields
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    func login(_ username: String) async throws {
        try await get("/staff/login")
        let response = try await post("/staff/login", [("username", username), ("password", testPassword)])
        #expect(response.status == .seeOther, "login \(username): \(String(buffer: response.body))")
    }
}

extension TestResponse {
    var html: String { String(buffer: body) }
}

struct WebTests {
    let submitFields: [(String, String)] = [("kind", "complaint"), ("category", "noise"), ("place", "S01-C1"), ("phone", "13800138000")]

    @Test func residentSubmitsWithTheFormAndLooksUpTheEscapedText() async throws {
        try await withApp { client, _, _ in
            let browser = Browser(client)
            let form = try await browser.get("/submit")
            #expect(form.status == .ok)
            #expect(form.headers[.contentType] == "text/html; charset=utf-8")
            #expect(form.html.contains("<option value=\"S01-C1\">幸福警务室 · 幸福社区</option>"))
            let text = "<script>alert(1)</script>楼下太吵"
            let created = try await browser.post("/submit", submitFields + [("text", text), ("_key", "k1")])
            #expect(created.status == .created)
            let number = try #require(created.html.firstMatch(of: /KFQ-\d{4}-\d{6}/)).output
            let pin = try #require(created.html.firstMatch(of: /id="tracking-pin">(\d{6})</)).output.1
            #expect(!created.html.contains("<script>alert(1)"))

            // The same form posted again (a double click, a reload) creates nothing new.
            let again = try await browser.post("/submit", submitFields + [("text", text), ("_key", "k1")])
            #expect(again.html.contains(String(number)))

            let found = try await browser.post("/lookup", [("number", String(number).lowercased()), ("pin", String(pin))])
            #expect(found.status == .ok)
            #expect(found.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;楼下太吵"))
            #expect(!found.html.contains("<script>alert(1)"))
            #expect(found.html.contains("已登记"))

            let wrong = try await browser.post("/lookup", [("number", String(number)), ("pin", pin == "000000" ? "111111" : "000000")])
            #expect(wrong.status == .notFound)
            #expect(wrong.html.contains("查询号或查询密码不正确"))
        }
    }

    @Test func aFieldErrorComesBackWithWhatWasTyped() async throws {
        try await withApp { client, _, _ in
            let browser = Browser(client)
            try await browser.get("/submit")
            let response = try await browser.post("/submit", [("kind", "opinion"), ("place", "S01-C1"), ("text", "希望增设 \"路灯\" & 监控")])
            #expect(response.status == .unprocessableContent)
            #expect(response.html.contains("请选择类别"))
            #expect(response.html.contains("希望增设 &quot;路灯&quot; &amp; 监控</textarea>"))
            #expect(response.html.contains("<option value=\"S01-C1\" selected>"))
            let phone = try await browser.post(
                "/submit", [("kind", "opinion"), ("category", "noise"), ("place", "S01-C1"), ("text", "x"), ("phone", "12345")])
            #expect(phone.status == .unprocessableContent)
            #expect(phone.html.contains("id=\"phone-error\""))
            #expect(phone.html.contains("value=\"12345\""))
        }
    }

    @Test func formsWithoutAValidTokenAreRefusedAndChangeNothing() async throws {
        try await withApp { client, _, _ in
            let stranger = Browser(client)
            let refused = try await stranger.post("/submit", submitFields + [("text", "跨站提交")], csrf: false)
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.contentType] == "text/html; charset=utf-8")
            let browser = Browser(client)
            try await browser.get("/submit")
            browser.token = String(browser.token.reversed())
            #expect(try await browser.post("/submit", submitFields + [("text", "伪造令牌")]).status == .forbidden)
            let leader = try await client.login("leader")
            let queue = try json(try await client.get("/api/v1/items", token: leader))
            #expect(queue["total"] as? Int == 0)
        }
    }

    @Test func sessionCookieIsHttpOnlyAndSameSiteAndLogoutEndsIt() async throws {
        try await withApp { client, _, _ in
            let browser = Browser(client)
            #expect(try await browser.get("/staff/queue").headers[.location]?.hasPrefix("/staff/login") == true)
            try await browser.get("/staff/login")
            let wrong = try await browser.post("/staff/login", [("username", "dispatcher"), ("password", "nope")])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.html.contains("用户名或密码错误"))
            let response = try await browser.post("/staff/login", [("username", "dispatcher"), ("password", testPassword)])
            #expect(response.status == .seeOther)
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("minyi_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
            let queue = try await browser.get("/staff/queue")
            #expect(queue.status == .ok)
            #expect(queue.html.contains("dispatcher"))  // who is logged in
            #expect(queue.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            #expect(try await browser.post("/staff/logout", []).status == .seeOther)
            #expect(try await browser.get("/staff/queue").status == .seeOther)
        }
    }

    /// Work lists count up to a thousand and say "1000+" beyond; the ledger counts further and pages through all.
    @Test func longListsShowWhereTheyStopCounting() async throws {
        try await withApp { client, world, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<1_001 {
                    group.addTask {
                        _ = try await world.items.submit(
                            try World.noiseSubmission("楼下很吵，第 \(index) 件"), idempotencyKey: nil, by: nil, at: world.t0 + Double(index))
                    }
                }
                try await group.waitForAll()
            }
            let dispatcher = Browser(client)
            try await dispatcher.login("dispatcher")
            let queue = try await dispatcher.get("/staff/queue")
            #expect(queue.html.contains("<span class=\"count\">1000+</span>"))
            #expect(queue.html.contains("仅显示最新 100 件，共 1000+ 件"))
            #expect(queue.html.contains("第 1000 件") && !queue.html.contains("第 899 件"))  // the newest hundred
            let leader = Browser(client)
            try await leader.login("leader")
            let ledger = try await leader.get("/staff/ledger")
            #expect(ledger.html.contains("第 1 / 11 页，共 1001 件"))
            #expect(ledger.html.contains("导出包含全部符合筛选的事项"))
            let last = try await leader.get("/staff/ledger?page=11")
            #expect(last.html.contains("第 0 件") && !last.html.contains("下一页"))
            // The export holds every item, read in pages of a thousand, newest first.
            let csv = try await leader.get("/staff/ledger.csv")
            let lines = String(decoding: csv.body.readableBytesView, as: UTF8.self).split(separator: "\r\n")
            #expect(lines.count == 1 + 1_001)
            #expect(lines[1].contains("第 1000 件") && lines[1_001].contains("第 0 件"))
            let exports = try await world.audit.entries(target: "KFQ").filter { $0.action == "export_ledger" }
            #expect(exports.count == 1 && exports.first?.detail?.hasPrefix("1001 rows") == true)
        }
    }

    @Test func theLoopThroughTheConsole() async throws {
        try await withApp { client, _, _ in
            let created = try json(try await client.submit(noiseFields.merging(["contact": ["phone": "13800138000"]]) { $1 }))
            let number = try #require(created["number"] as? String)

            let dispatcher = Browser(client)
            try await dispatcher.login("dispatcher")
            let page = try await dispatcher.get("/staff/items/\(number)")
            #expect(page.html.contains("138****8000") && !page.html.contains("13800138000"))
            #expect(page.html.contains("<option value=\"S01\" selected>"))  // proposed by the dispatch catalogue
            let dispatched = try await dispatcher.post("/staff/items/\(number)/dispatch", [("unit", "S01")])
            #expect(dispatched.status == .seeOther)
            let twice = try await dispatcher.post("/staff/items/\(number)/dispatch", [("unit", "S01")])
            #expect(twice.status == .conflict)
            #expect(twice.html.contains("不能执行 dispatch"))
            #expect(try await dispatcher.post("/staff/items/\(number)/accept", []).status == .forbidden)

            let handler = Browser(client)
            try await handler.login("handler_a")
            #expect(try await handler.get("/staff/inbox").html.contains(number))
            #expect(try await handler.post("/staff/items/\(number)/accept", []).status == .seeOther)
            let noText = try await handler.post("/staff/items/\(number)/reply", [("outcome", "resolved")])
            #expect(noText.status == .unprocessableContent)
            #expect(try await handler.post("/staff/items/\(number)/reply", [("outcome", "resolved"), ("text", "已处理")]).status == .seeOther)

            let agent = Browser(client)
            try await agent.login("callback")
            let callbackPage = try await agent.get("/staff/callbacks/\(number)")
            #expect(callbackPage.html.contains("13800138000"))
            let auditor = try await client.login("auditor")
            let auditBody = try await client.get("/api/v1/audit?target=\(number)", token: auditor).body
            let audit = try JSONSerialization.jsonObject(with: Data(auditBody.readableBytesView)) as? [[String: Any]]
            #expect(audit?.contains { ($0["action"] as? String) == "contact.read" && ($0["detail"] as? String) == "回访" } == true)
            let recorded = try await agent.post(
                "/staff/items/\(number)/callback", [("result", "dissatisfied"), ("comment", "还是吵"), ("back", "callbacks")])
            #expect(recorded.headers[.location]?.hasPrefix("/staff/callbacks") == true)

            let inspector = Browser(client)
            try await inspector.login("inspector")
            let orders = try await inspector.get("/staff/supervision")
            #expect(orders.html.contains(number) && orders.html.contains("还是吵"))
        }
    }

    @Test func anOfficerOfStationACannotOpenStationBsItem() async throws {
        try await withApp { client, _, _ in
            var fields = noiseFields
            fields["place"] = "S02-C1"
            fields["text"] = "和平村门口乱停车"
            let number = try #require(try json(try await client.submit(fields))["number"] as? String)
            let handler = Browser(client)
            try await handler.login("handler_a")
            let page = try await handler.get("/staff/items/\(number)")
            #expect(page.status == .notFound)
            #expect(!page.html.contains("和平村门口乱停车"))
            #expect(!(try await handler.get("/staff/ledger")).html.contains(number))
            #expect(try await handler.post("/staff/items/\(number)/accept", []).status == .notFound)
        }
    }

    @Test func ledgerCSVOpensInExcelWithChineseIntact() async throws {
        try await withApp { client, _, _ in
            _ = try await client.submit(noiseFields.merging(["text": "=HYPERLINK(\"http://x\")，噪音"]) { $1 })
            let leader = Browser(client)
            try await leader.login("leader")
            let csv = try await leader.get("/staff/ledger.csv?category=noise")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let bytes = Array(csv.body.readableBytesView)
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let text = try #require(String(bytes: bytes.dropFirst(3), encoding: .utf8))
            #expect(text.hasPrefix("\"查询号\",\"登记时间\",\"类型\",\"类别\",\"渠道\",\"地点\",\"承办单位\",\"状态\""))
            #expect(text.contains("噪音扰民"))
            #expect(text.contains("\"'=HYPERLINK(\"\"http://x\"\")，噪音\""))
            #expect(text.hasSuffix("\r\n"))
            #expect(try await leader.get("/staff/ledger.csv?from=yesterday").status == .badRequest)
        }
    }

    @Test func pagesSpeakEnglishWhenAsked() async throws {
        try await withApp { client, _, _ in
            let browser = Browser(client)
            let switched = try await browser.get("/lang?to=en&back=%2Fsubmit")
            #expect(switched.status == .seeOther && switched.headers[.location] == "/submit")
            let page = try await browser.get("/submit")
            #expect(page.html.contains("<html lang=\"en\">") && page.html.contains("Choose a category"))
            #expect(try await browser.get("/lang?to=zh&back=//evil.example").headers[.location] == "/")
            let missing = try await browser.get("/no-such-page")
            #expect(missing.status == .notFound && missing.headers[.contentType] == "text/html; charset=utf-8")
        }
    }

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
            for (category, text) in [("noise", "烧烤店夜里太吵"), ("noise", "广场舞音响太吵"), ("traffic", "学校门口乱停车"), ("traffic", "路口乱停车堵路")] {
                var fields = noiseFields
                fields["category"] = category
                fields["text"] = text
                let number = try #require(try json(try await client.submit(fields))["number"] as? String)
                #expect(try await client.command("dispatch", number, token: dispatcherToken, ["unit": "S01"]).status == .ok)
            }
            var fields = noiseFields
            fields["text"] = "小区门口乱停车"
            let number = try #require(try json(try await client.submit(fields))["number"] as? String)

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
            let queue = try json(try await client.get("/api/v1/items?channel=phone", token: dispatcherToken))
            #expect((queue["items"] as? [[String: Any]])?.contains { ($0["channel"] as? String) == "phone" } != true)

            let leader = Browser(client)
            try await leader.login("leader")
            #expect(try await leader.get("/staff/dashboard").html.contains("id=\"suggester-accuracy\""))
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
            let first = try json(try await post(records, key: key))
            #expect(first["imported"] as? Int == 2 && first["skipped"] as? Int == 1)
            #expect((first["rejected"] as? [[String: Any]])?.first?["index"] as? Int == 2)
            let again = try json(try await post(Array(records.prefix(2)), key: key))
            #expect(again["imported"] as? Int == 0 && again["skipped"] as? Int == 2)
            let setDays = try await client.execute(
                uri: "/api/v1/business-types/household/callback-days", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("X-API-Key")!: key], body: body(["callback_days": 2]))
            #expect(setDays.status == .ok)
            let newer = try json(
                try await post([["record_id": "HJ-9", "business_type": "household", "unit": "S01", "phone": "13800009999", "date": day]], key: key))
            #expect(newer["imported"] as? Int == 1)
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
            let number = try #require(try json(try await client.submit(noiseFields))["number"] as? String)
            let dispatcher = try await client.login("dispatcher")
            _ = try await client.command("dispatch", number, token: dispatcher, ["unit": "S01"])
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
                numbers.append(try #require(try json(try await client.submit(fields))["number"] as? String))
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
