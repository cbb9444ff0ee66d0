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

/// The staff console's pages.
extension WebTests {
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
            #expect(queue.html.contains("仅显示前 100 件，共 1000+ 件"))
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
            let number = try number(try await client.submit(noiseFields.merging(["contact": ["phone": "13800138000"]]) { $1 }))

            let dispatcher = Browser(client)
            try await dispatcher.login("dispatcher")
            let page = try await dispatcher.get("/staff/items/\(number)")
            #expect(page.html.contains("138****8000") && !page.html.contains("13800138000"))
            #expect(page.html.contains("<option value=\"S01\" selected>"))  // proposed by the dispatch catalogue
            let dispatched = try await dispatcher.post("/staff/items/\(number)/dispatch", [("unit", "S01")])
            #expect(dispatched.status == .seeOther)
            let twice = try await dispatcher.post("/staff/items/\(number)/dispatch", [("unit", "S01")])
            #expect(twice.status == .conflict)
            #expect(twice.html.contains("不能再派发"))
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
            let audit = try decode([AuditRow].self, try await client.get("/api/v1/audit?target=\(number)", token: auditor))
            #expect(audit.contains { $0.action == "contact.read" && $0.detail == "回访" })
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
            let number = try number(try await client.submit(fields))
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
            // On the page, both bad dates are named beside their fields, with what was typed kept.
            let filter = try await leader.get("/staff/ledger?from=yesterday&to=tomorrow")
            #expect(filter.status == .badRequest && filter.html.contains("id=\"f-from-error\"") && filter.html.contains("id=\"f-to-error\""))
            #expect(filter.html.contains("value=\"yesterday\"") && filter.html.contains("class=\"staff"))
        }
    }

    @Test func pagesSpeakEnglishWhenAsked() async throws {
        try await withApp { client, _, _ in
            let browser = Browser(client)
            let switched = try await browser.get("/lang?to=en&back=%2Fsubmit")
            #expect(switched.status == .seeOther && switched.headers[.location] == "/submit")
            let page = try await browser.get("/submit")
            #expect(page.html.contains("<html lang=\"en\">") && page.html.contains("What is it about?"))
            #expect(try await browser.get("/lang?to=zh&back=//evil.example").headers[.location] == "/")
            let missing = try await browser.get("/no-such-page")
            #expect(missing.status == .notFound && missing.headers[.contentType] == "text/html; charset=utf-8")
        }
    }
}
