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

/// Codes "sent" to phones, kept for the test to type in.
final class CapturedCodes: CodeSender {
    private let sent = Mutex<[(phone: String, code: String)]>([])

    func send(code: String, to phone: String, idNumber: String, purpose: String) async throws {
        sent.withLock { $0.append((phone, code)) }
    }

    func last(to phone: String) -> String? { sent.withLock { $0.last { $0.phone == phone }?.code } }
}

/// The project ballot through the pages and the API: set up by the bureau, voted by residents with a code to their
/// phone, paper batches entered by a clerk, the counts hidden until the close.
struct BallotWebTests {
    static func idNumber(_ i: Int) -> String {
        let first17 = "32010219850612" + String(format: "%03d", i)
        return first17 + String(Contact.idCheckCharacter(first17) ?? "0")
    }

    @Test func aBallotIsSetUpVotedOnlineAndOnPaperAndPublishedWhenItCloses() async throws {
        let codes = CapturedCodes()
        try await withApp(codes: codes) { client, world, clock in
            let admin = Browser(client)
            try await admin.login("admin")
            #expect(try await admin.get("/staff/ballots").status == .ok)
            // A ballot without its window comes back with the title kept.
            var fields = [("title", "2027 年惠民十件实事"), ("year", "2027"), ("max_choices", "2")]
            let bad = try await admin.post("/staff/ballots", fields)
            #expect(bad.status == .unprocessableContent && bad.html.contains("2027 年惠民十件实事") && bad.html.contains("field-error"))
            // Both times missing and a choice count out of range: all named at once.
            #expect(["opens_at", "closes_at"].allSatisfy { bad.html.contains("id=\"err-\($0)\"") })
            let more = try await admin.post("/staff/ballots", [("year", "2027"), ("max_choices", "99")])
            #expect(["title", "opens_at", "closes_at", "max_choices"].allSatisfy { more.html.contains("id=\"err-\($0)\"") })
            fields += [("opens_at", "2026-09-22T08:00"), ("closes_at", "2026-10-12T20:00")]
            let created = try await admin.post("/staff/ballots", fields)
            let path = try #require(created.headers[.location])
            let id = String(path.split(separator: "/").last ?? "")
            // No name and an over-long summary: both named at once.
            let unnamed = try await admin.post("\(path)/candidates", [("summary", String(repeating: "长", count: 2001)), ("unit", "S01")])
            #expect(unnamed.html.contains("id=\"err-title\"") && unnamed.html.contains("id=\"err-summary\""))
            for title in ["学校护学岗", "夜间巡逻延长", "反诈宣讲进社区"] {
                try await admin.get(path)
                let added = try await admin.post("\(path)/candidates", [("title", title), ("summary", ""), ("unit", "S01"), ("category", "")])
                #expect(added.status == .seeOther || added.status == .found, "\(String(buffer: added.body))")
            }
            let candidates = try await world.stores.ballots.candidates(of: .init(id))
            #expect(candidates.map(\.number) == [1, 2, 3])

            // Before it opens, residents see the projects and no form.
            let resident = Browser(client)
            let early = try await resident.get("/ballots/\(id)")
            #expect(early.status == .ok && early.html.contains("投票尚未开始") && !early.html.contains("id=\"verify\""))
            clock.advance(86400)

            // A mistyped ID number is named, with what was typed kept.
            try await resident.get("/ballots/\(id)")
            // A bad ID number and a bad phone: both named at once.
            let both = try await resident.post("/ballots/\(id)/verify", [("id_number", "320102198506120011"), ("phone", "12345")])
            #expect(both.status == .unprocessableContent && both.html.contains("id=\"err-id_number\"") && both.html.contains("id=\"err-phone\""))
            let wrong = try await resident.post("/ballots/\(id)/verify", [("id_number", "320102198506120011"), ("phone", "13912345678")])
            #expect(wrong.status == .unprocessableContent && wrong.html.contains("身份证号不正确") && wrong.html.contains("320102198506120011"))
            let verified = try await resident.post("/ballots/\(id)/verify", [("id_number", Self.idNumber(1)), ("phone", "13912345678")])
            #expect(verified.status == .ok && verified.html.contains("id=\"vote\""))
            let token = try #require(verified.html.range(of: "name=\"token\" value=\"").map { String(verified.html[$0.upperBound...].prefix(64)) })
            let code = try #require(codes.last(to: "13912345678"))
            // Three of "up to 2" are refused, the choices kept.
            let tooMany = try await resident.post(
                "/ballots/\(id)/vote", [("token", token), ("code", code)] + candidates.map { ("choices", $0.id.rawValue) })
            #expect(tooMany.status == .unprocessableContent && tooMany.html.contains("最多选择 2 个项目"))
            #expect(tooMany.html.contains("value=\"\(candidates[2].id.rawValue)\" checked"))
            let sent = try await resident.post(
                "/ballots/\(id)/vote",
                [("token", token), ("code", code), ("choices", candidates[0].id.rawValue), ("choices", candidates[2].id.rawValue)])
            // Post, redirect, get: the receipt has its own page, for this browser only.
            #expect(sent.status == .seeOther && sent.headers[.location] == "/ballots/\(id)/voted")
            let cast = try await resident.get("/ballots/\(id)/voted")
            #expect(cast.status == .ok)
            #expect(try await Browser(client).get("/ballots/\(id)/voted").status == .seeOther, "another browser is sent to the ballot")
            let receipt = try #require(
                cast.html.range(of: "id=\"receipt\">").map { String(cast.html[$0.upperBound...].prefix(while: { $0 != "<" })) })
            #expect(receipt.count == 15)
            // The receipt shows the ballot was counted, and nothing of what it chose.
            try await resident.get("/ballots/receipt")
            let checked = try await resident.post("/ballots/receipt", [("receipt", receipt.lowercased())])
            #expect(checked.status == .ok && checked.html.contains("已计入") && !checked.html.contains("学校护学岗"))
            // The same ID number cannot verify again.
            try await resident.get("/ballots/\(id)")
            let again = try await resident.post("/ballots/\(id)/verify", [("id_number", Self.idNumber(1)), ("phone", "13800000000")])
            #expect(again.status == .conflict && again.html.contains("已经投过票"))

            // A clerk enters a paper batch; a bad line names itself and keeps the text.
            let clerk = Browser(client)
            try await clerk.login("clerk_a")
            try await clerk.get(path)
            let sheets = "P-1 1 2\nP-2 2 3"
            let refused = try await clerk.post(
                "\(path)/paper", [("number", "1"), ("voters", "\(Self.idNumber(2))\n\(Self.idNumber(1))"), ("sheets", sheets)])
            #expect(refused.status == .unprocessableContent && refused.html.contains("选民第 2 行") && refused.html.contains("P-2 2 3"))
            try await clerk.get(path)
            let entered = try await clerk.post(
                "\(path)/paper", [("number", "1"), ("voters", "\(Self.idNumber(2))\n\(Self.idNumber(3))"), ("sheets", sheets)])
            #expect(entered.status == .seeOther || entered.status == .found)

            // The counts stay hidden, on the page and in the API, until the close.
            let during = try await client.get("/api/v1/ballots/\(id)/results")
            #expect(during.status == .conflict)
            let page = try await resident.get("/ballots/\(id)")
            #expect(!page.html.contains("id=\"results\""))
            clock.advance(21 * 86400)
            let after = try await resident.get("/ballots/\(id)")
            #expect(after.html.contains("id=\"results\"") && after.html.contains("参与投票 3 人（网上 1，纸质 2）"))
            let result = try decode(BallotController.ResultView.self, try await client.get("/api/v1/ballots/\(id)/results"))
            #expect(result.counts.map(\.votes) == [2, 2, 2] && result.participants == 3)
        }
    }

    @Test func aResidentsAppVotesThroughTheAPI() async throws {
        let codes = CapturedCodes()
        try await withApp(codes: codes) { client, world, clock in
            let admin = try await client.login("admin")
            let created = try await client.send(
                .post, "/api/v1/ballots",
                ["year": 2027, "title": "十件实事", "opens_at": "2026-09-22T00:00:00Z", "closes_at": "2026-10-01T00:00:00Z", "max_choices": 1],
                token: admin)
            #expect(created.status == .created)
            let campaign = try decode(BallotController.CampaignView.self, created)
            let project = try decode(
                BallotController.CandidateView.self,
                try await client.send(.post, "/api/v1/ballots/\(campaign.id)/candidates", ["title": "护学岗", "unit": "S01"], token: admin))
            // A clerk may not set up a ballot.
            let clerk = try await client.login("clerk_a")
            #expect(try await client.send(.post, "/api/v1/ballots", ["year": 2027], token: clerk).status == .forbidden)
            clock.advance(86400)
            let started = try await client.send(
                .post, "/api/v1/ballots/\(campaign.id)/verifications", ["id_number": Self.idNumber(9), "phone": "13700000000"])
            #expect(started.status == .created)
            let token = try decode(BallotController.VerificationView.self, started).token
            let code = try #require(codes.last(to: "13700000000"))
            let wrongCode = try await client.send(
                .post, "/api/v1/ballots/\(campaign.id)/votes", ["token": token, "code": "000000x", "choices": [project.id]])
            #expect(wrongCode.status == .unprocessableContent)
            #expect(try errorField(wrongCode) == "code")
            let voted = try await client.send(.post, "/api/v1/ballots/\(campaign.id)/votes", ["token": token, "code": code, "choices": [project.id]])
            #expect(voted.status == .created)
            let receipt = try decode(BallotController.ReceiptView.self, voted).receipt
            let check = try decode(
                BallotController.ReceiptCheckView.self, try await client.send(.post, "/api/v1/ballot-receipts", ["receipt": receipt]))
            #expect(check.counted && check.ballot == campaign.id)
            let shown = try decode(BallotController.CampaignView.self, try await client.get("/api/v1/ballots/\(campaign.id)"))
            #expect(shown.participants == 1 && shown.result == nil && shown.phase == "open")
            // Paper through the API: a voter who voted online is refused by line.
            let clerkNow = try await client.login("clerk_a")
            let paper = try await client.send(
                .post, "/api/v1/ballots/\(campaign.id)/paper-batches",
                ["number": "A", "voters": [Self.idNumber(9)], "sheets": [["serial": "X1", "projects": [1]]]], token: clerkNow)
            #expect(paper.status == .unprocessableContent)
            #expect(try errorMessage(paper)?.contains("voter line 1") == true)
            _ = world
        }
    }
}
