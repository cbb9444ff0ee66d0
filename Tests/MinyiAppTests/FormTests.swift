import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

/// Forms that come back keep what was typed and chosen, and name every faulty field beside it at once.
struct FormTests {
    @Test func anEmptyResidentFormNamesEveryMissingFieldAtOnceInThePagesLanguage() async throws {
        try await withApp { client, _, _ in
            let browser = Browser(client)
            try await browser.get("/submit")
            let empty = try await browser.post("/submit", [("phone", "12345"), ("id_number", "110101")])
            #expect(empty.status == .unprocessableContent)
            for field in ["kind", "topic", "place", "text", "phone", "id_number"] {
                #expect(empty.html.contains("id=\"f-\(field)-error\""), "\(field) is named")
            }
            #expect(empty.html.contains("有 6 处需要更正"))
            #expect(!empty.html.contains("kind:") && !empty.html.contains("(choose"), "no codes, no English on the Chinese page")
            #expect(empty.html.contains("value=\"12345\""))
            // The ID field is shown again, open, because it had an error.
            #expect(empty.html.contains("<details class=\"extra\" open>"))

            let english = try await browser.post("/submit?lang=en", [("kind", "help"), ("text", "x")])
            #expect(english.html.contains("choose what it is about") && !english.html.contains("请选择"))
            #expect(english.html.contains("<option value=\"help\" selected>"))
        }
    }

    @Test func aResidentChoosesATopicInPlainWordsAndTheItemIsFiledUnderItsCategory() async throws {
        try await withApp { client, world, _ in
            let browser = Browser(client)
            let form = try await browser.get("/submit")
            #expect(form.html.contains("噪音吵闹") && !form.html.contains("涉法涉诉"))
            #expect(form.html.contains("<details class=\"extra\">"), "the ID number is asked only on a topic about papers")
            let sent = try await browser.post(
                "/submit", [("kind", "complaint"), ("topic", "noise"), ("place", "S01-C1"), ("text", "楼上每晚十二点后还在装修\n第二行")])
            #expect(sent.status == .seeOther)
            let receipt = try await browser.get("/submitted")
            let number = String(try #require(receipt.html.firstMatch(of: /KFQ-\d{4}-\d{6}/)).output)
            // The print control is a link to the receipt made for paper, so it works without a script.
            #expect(receipt.html.contains("href=\"/submitted?print=1\" data-print"))
            let paper = try await browser.get("/submitted?print=1")
            #expect(paper.html.contains(number) && !paper.html.contains("<header") && paper.html.contains("print-page"))
            let stored = try #require(try await world.items.item(number: number))
            #expect(stored.item.category == "noise")
            #expect(stored.item.text == "楼上每晚十二点后还在装修\n第二行")
        }
    }

    @Test func aRefusedReplyComesBackWithEverythingTypedAndEachFieldNamed() async throws {
        try await withApp { client, world, _ in
            let number = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: world.t0).item.number
            try await world.walk(number, to: .accepted, from: world.t0)
            let handler = Browser(client)
            try await handler.login("handler_a")
            try await handler.get("/staff/items/\(number)")
            let refused = try await handler.post(
                "/staff/items/\(number)/reply", [("outcome", "unsolvable"), ("text", "需要协调物业\n下周再处理"), ("public_reason", "")])
            #expect(refused.status == .unprocessableContent)
            let html = refused.html
            #expect(html.contains("<option value=\"unsolvable\" selected>"), "the outcome chosen is kept")
            #expect(html.contains("需要协调物业\n下周再处理</textarea>"), "the text typed is kept, line breaks too")
            #expect(html.contains("id=\"f-reply-public_reason-error\""), "the public reason is named beside its field")
            #expect(html.contains("请填写群众可见的公开原因"))
            #expect(!html.contains("reply 需要填写原因"))

            let nothing = try await handler.post("/staff/items/\(number)/reply", [])
            #expect(nothing.html.contains("id=\"f-reply-outcome-error\"") && nothing.html.contains("id=\"f-reply-text-error\""))
            #expect(try await world.items.item(number: number)?.item.status == .accepted)
        }
    }

    @Test func aForbiddenStaffPageShowsInTheStaffConsole() async throws {
        try await withApp { client, _, _ in
            let handler = Browser(client)
            try await handler.login("handler_a")
            let page = try await handler.get("/staff/queue")
            #expect(page.status == .forbidden)
            #expect(page.html.contains("class=\"staff") && page.html.contains("/staff/logout") && page.html.contains("此页面需要以下角色之一"))
        }
    }
}

/// Work lists that show what is urgent, and let a unit act on several items at once.
struct QueueTests {
    @Test func theInboxShowsHowSoonAndAcceptsSeveralAtOnceThenTheItemPageLinksToTheNext() async throws {
        try await withApp { client, world, clock in
            var numbers: [String] = []
            for n in 0..<3 {
                let number = try await world.items.submit(try World.noiseSubmission("第\(n)件"), idempotencyKey: nil, by: nil, at: clock.now)
                    .item.number
                _ = try await world.items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: clock.now)
                numbers.append(number)
            }
            let handler = Browser(client)
            try await handler.login("handler_a")
            let inbox = try await handler.get("/staff/inbox")
            #expect(inbox.html.contains("还剩"), "how soon each deadline falls")
            #expect(inbox.html.contains("name=\"number\" value=\"\(numbers[0])\""))
            let accepted = try await handler.post("/staff/inbox/accept", [("number", numbers[0]), ("number", numbers[1])])
            #expect(accepted.status == .seeOther)
            let after = try await handler.get(try #require(accepted.headers[.location]))
            #expect(after.html.contains("已签收 2 件"))
            #expect(try await world.items.item(number: numbers[1])?.item.status == .accepted)
            #expect(try await world.items.item(number: numbers[2])?.item.status == .dispatched)
            // Accepting the same one again is refused and named, the rest go through.
            let again = try await handler.post("/staff/inbox/accept", [("number", numbers[0]), ("number", numbers[2])])
            let page = try await handler.get(try #require(again.headers[.location]))
            #expect(page.html.contains("已签收 1 件") && page.html.contains(numbers[0]))

            // After a reply, the item page offers the next item waiting for one.
            try await handler.get("/staff/items/\(numbers[0])")
            let replied = try await handler.post("/staff/items/\(numbers[0])/reply", [("outcome", "resolved"), ("text", "已处理")])
            let done = try await handler.get(try #require(replied.headers[.location]))
            #expect(done.html.contains("已答复。") && done.html.contains("id=\"next-item\""))

            // Late items say by how much.
            clock.advance(6 * 86400)
            try await handler.login("handler_a")
            let late = try await handler.get("/staff/inbox")
            #expect(late.html.contains("已超 1天") && late.html.contains("class=\"row-overdue\""))
        }
    }
}

/// Staff find items by number, words and phone (that look audited), and the auditor reads the log on a page.
struct SearchTests {
    @Test func staffFindByNumberWordsAndPhoneWithinTheirJurisdictionAndTheAuditorSeesThePhoneLook() async throws {
        try await withApp { client, world, clock in
            let mine = try await world.items.submit(
                try World.noiseSubmission("烧烤店 100% 噪音", contact: Contact(phone: "13800138000")), idempotencyKey: nil, by: nil, at: clock.now
            ).item.number
            try await world.walk(mine, to: .dispatched, from: clock.now)
            let contact = Contact(phone: "13800138000")
            let elsewhere = try Submission(
                kind: .complaint, category: "noise", channel: .web, text: "烧烤店油烟", placeID: "S02-C1", contact: contact)
            let other = try await world.items.submit(elsewhere, idempotencyKey: nil, by: nil, at: clock.now).item.number
            try await world.walk(other, to: .dispatched, from: clock.now)

            let handler = Browser(client)
            try await handler.login("handler_a")
            try await handler.get("/staff/search")
            let byNumber = try await handler.post("/staff/search", [("q", mine.lowercased())])
            #expect(byNumber.status == .seeOther && byNumber.headers[.location] == "/staff/items/\(mine)")
            let foreign = try await handler.post("/staff/search", [("q", other)])
            #expect(foreign.status == .unprocessableContent && foreign.html.contains("不在您的辖区"))
            let words = try await handler.post("/staff/search", [("q", "烧烤店")])
            let listed = try await handler.get(try #require(words.headers[.location]))
            #expect(listed.html.contains(mine) && !listed.html.contains(other), "only the jurisdiction's items")
            let percent = try await handler.get("/staff/search?q=100%25")
            #expect(percent.html.contains(mine))
            #expect(!(try await handler.get("/staff/search?q=烧_店").html.contains(mine)), "_ is a character, not a wildcard")
            // By phone: the handler finds the items of their station only, and the look is audited.
            let phone = try await handler.post("/staff/search", [("q", "138 0013 8000"), ("purpose", "群众来电")])
            #expect(phone.status == .ok && phone.html.contains(mine) && !phone.html.contains(other))
            let looks = try await world.audit.entries(target: "138****8000")
            #expect(looks.count == 1 && looks[0].action == "contact.search" && looks[0].detail == "群众来电: 1 \(mine)")
            // A dispatcher, who may not read contacts, may not look residents up by phone.
            let dispatcher = Browser(client)
            try await dispatcher.login("dispatcher")
            try await dispatcher.get("/staff/search")
            let refused = try await dispatcher.post("/staff/search", [("q", "13800138000")])
            #expect(refused.status == .unprocessableContent && !refused.html.contains(mine))
            #expect(try await world.audit.entries(target: "138****8000").count == 1)

            let auditor = Browser(client)
            try await auditor.login("auditor")
            let page = try await auditor.get("/staff/audit?action=contact.search")
            #expect(page.status == .ok && page.html.contains("按电话查找") && page.html.contains("handler_a"))
            let bad = try await auditor.get("/staff/audit?from=yesterday&actor=nobody")
            #expect(bad.status == .unprocessableContent && bad.html.contains("id=\"f-from-error\"") && bad.html.contains("id=\"f-actor-error\""))
            #expect(bad.html.contains("value=\"yesterday\""))
            #expect(try await handler.get("/staff/audit").status == .forbidden)
        }
    }
}

/// The echo card printed as Shuyang hands it out: the PIN on the stub the resident keeps only.
struct EchoCardPrintTests {
    @Test func thePrintedCardsCarryTheOfficerAndAStubWithThePINAndTheLookUpAddressAsAQRCode() async throws {
        try await withApp { client, world, _ in
            let batch = try await world.stores.echoCards.issue(count: 5, to: "S01", by: world.admin, at: world.t0)
            let admin = Browser(client)
            try await admin.login("admin")
            let sheet = try await admin.get("/staff/echo-cards/\(batch.id)")
            #expect(sheet.html.contains("href=\"/staff/echo-cards/\(batch.id)/print?layout=6"), "a link, so it works without a script")
            let print = try await admin.get("/staff/echo-cards/\(batch.id)/print?layout=4")
            let html = print.html
            #expect(!html.contains("<header") && html.components(separatedBy: "<section class=\"a4 per4\">").count == 3, "5 cards, 4 a page")
            let serial = batch.firstSerial
            let pin = world.items.pin(for: serial)
            #expect(html.contains("<svg class=\"qr\"") && html.contains("/lookup?number=\(serial)</span>"))
            // The part handed back has no PIN; the stub has it.
            let card = try #require(html.range(of: "<div class=\"card-head\"><strong>警民联心回音卡</strong><span class=\"serial\">\(serial)"))
            let stub = try #require(html.range(of: "<div class=\"stub\">", range: card.upperBound..<html.endIndex))
            #expect(!html[card.upperBound..<stub.lowerBound].contains(pin))
            #expect(html[stub.upperBound...].prefix(400).contains(pin))
            // Wholly English when asked.
            let english = try await admin.get("/staff/echo-cards/\(batch.id)/print?lang=en")
            #expect(english.html.contains("Police–resident echo card") && !english.html.contains("回音卡存根") && !english.html.contains("请"))
        }
    }
}

/// What the system writes into the record reads in the page's language.
struct SystemTextTests {
    @Test func aMissedDeadlinesReasonReadsInEnglishOnTheEnglishPage() async throws {
        try await withApp { client, world, clock in
            let number = try await world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: clock.now).item.number
            _ = try await world.items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: clock.now)
            clock.advance(3 * 3600)
            _ = try await world.items.scanDeadlines(at: clock.now)
            let inspector = Browser(client)
            try await inspector.login("inspector")
            let english = try await inspector.get("/staff/supervision?lang=en")
            #expect(english.html.contains("Acceptance deadline missed") && !english.html.contains("超过签收时限"))
            #expect(try await inspector.get("/staff/supervision?lang=zh").html.contains("超过签收时限"))
            let bulletin = "2026-11-16 周通报综合得分 62.5%，低于 80%，请于 7 日内整改并书面报告"
            let web = WebRequest(
                lang: .en, actor: nil, sessionToken: nil, browserID: "", newBrowser: false, csrfToken: "", target: "/", secureCookies: false)
            #expect(SystemText.localized(bulletin, web).hasPrefix("Bulletin of the week of 2026-11-16: score 62.5%, below 80%"))
        }
    }
}
