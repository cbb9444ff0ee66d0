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
            let sent = try await browser.post("/submit", submitFields + [("text", text), ("_key", "k1")])
            // Post, redirect, get: the receipt is a page Back and Reload can show again without sending the form.
            #expect(sent.status == .seeOther && sent.headers[.location] == "/submitted")
            let created = try await browser.get("/submitted")
            #expect(created.status == .ok)
            let number = try #require(created.html.firstMatch(of: /KFQ-\d{4}-\d{6}/)).output
            let pin = try #require(created.html.firstMatch(of: /id="tracking-pin">(\d{6})</)).output.1
            #expect(!created.html.contains("<script>alert(1)"))

            // The same form posted again (a double click, a reload) creates nothing new.
            try await browser.post("/submit", submitFields + [("text", text), ("_key", "k1")])
            let again = try await browser.get("/submitted")
            #expect(again.html.contains(String(number)))
            #expect(try await browser.get("/submitted").html.contains(String(pin)), "a reload shows the receipt again")
            // Another browser cannot read it.
            let other = try await Browser(client).get("/submitted")
            #expect(other.status == .seeOther && !other.html.contains(String(pin)))

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
            #expect(response.html.contains("请选择是关于什么的"))
            #expect(response.html.contains("希望增设 &quot;路灯&quot; &amp; 监控</textarea>"))
            #expect(response.html.contains("<option value=\"S01-C1\" selected>"))
            let phone = try await browser.post(
                "/submit", [("kind", "opinion"), ("category", "noise"), ("place", "S01-C1"), ("text", "x"), ("phone", "12345")])
            #expect(phone.status == .unprocessableContent)
            #expect(phone.html.contains("id=\"f-phone-error\""))
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
            #expect(try decode(ItemList.self, try await client.get("/api/v1/items", token: leader)).total == 0)
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
}
