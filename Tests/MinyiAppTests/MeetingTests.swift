import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

/// A meeting where officers report to the people, held through the pages: planned, opened, rated with codes from the
/// door, a concern registered, closed and published.
struct MeetingTests {
    @Test func aMeetingIsHeldRatedAnonymouslyAndPublished() async throws {
        try await withApp { client, world, _ in
            _ = try await world.organisation.addOfficer(
                id: "o-lead_a", username: "lead_a", name: "王所长", unit: "S01", roles: [.unitLead], passwordHash: testPasswordHash, at: World.t0)
            let lead = Browser(client)
            try await lead.login("lead_a")
            #expect(try await lead.get("/staff/meetings").status == .ok)
            // A meeting without a time comes back with the form kept.
            var fields = [
                ("title", "幸福社区向人民报告会"), ("kind", "report"), ("unit", "S01"), ("place", "居委会会议室"), ("reporters", "o-handler_a"),
                ("reporters", "o-lead_a"), ("invited_deputies", "3"), ("invited_residents", "40"),
            ]
            let bad = try await lead.post("/staff/meetings", fields)
            #expect(bad.status == .unprocessableContent && bad.html.contains("幸福社区向人民报告会") && bad.html.contains("field-error"))
            // No time, no place and no officer: all three named at once.
            let three = try await lead.post("/staff/meetings", [("title", "恳谈会"), ("kind", "dialogue"), ("unit", "S01")])
            #expect(["starts_at", "place", "reporters"].allSatisfy { three.html.contains("id=\"err-\($0)\"") })
            fields.append(("starts_at", "2026-09-21T19:30"))
            let planned = try await lead.post("/staff/meetings", fields)
            let path = try #require(planned.headers[.location])
            let id = String(path.split(separator: "/").last ?? "")
            try await lead.get(path)
            _ = try await lead.post("\(path)/status", [("to", "open")])
            try await lead.get(path)
            let sheet = try await lead.post("\(path)/codes", [("count", "3")])
            let codes = sheet.html.components(separatedBy: "<p class=\"serial\">").dropFirst().map { String($0.prefix(9)) }
            #expect(codes.count == 3)

            // An attendee rates both officers with a code from the door; the same code again is refused.
            let attendee = Browser(client)
            let form = try await attendee.get("/meetings/\(id)/rate")
            #expect(form.status == .ok && form.html.contains("评议码"))
            let ratings = [
                ("result-o-handler_a", "satisfied"), ("attitude-o-handler_a", "5"), ("result-o-lead_a", "basically_satisfied"),
                ("safety-o-lead_a", "4"),
            ]
            // No code and a rating that is none of the three: both named, nothing spent.
            let both = try await attendee.post("/meetings/\(id)/rate", [("result-o-handler_a", "great"), ("attitude-o-lead_a", "4")])
            #expect(both.html.contains("id=\"err-code\"") && both.html.contains("id=\"err-rating-o-handler_a\""))
            try await attendee.get("/meetings/\(id)/rate")
            let rated = try await attendee.post("/meetings/\(id)/rate", [("code", codes[0])] + ratings)
            #expect(rated.status == .seeOther)
            let thanks = try await attendee.get(try #require(rated.headers[.location]))
            #expect(thanks.status == .ok && thanks.html.contains("评议已记录"))
            try await attendee.get("/meetings/\(id)/rate")
            let again = try await attendee.post("/meetings/\(id)/rate", [("code", codes[0])] + ratings)
            #expect(again.status == .unprocessableContent && again.html.contains("已经用过"))
            try await attendee.get("/meetings/\(id)/rate")
            let half = try await attendee.post("/meetings/\(id)/rate", [("code", codes[1]), ("result-o-handler_a", "dissatisfied")])
            #expect(half.status == .unprocessableContent && half.html.contains("value=\"dissatisfied\" checked"))

            // A concern raised at the meeting becomes an item of the meeting channel, linked both ways.
            try await lead.get(path)
            // No text and a phone that is not one: both named at once.
            let unsaid = try await lead.post("\(path)/concerns", [("category", "noise"), ("place", "S01-C1"), ("phone", "12345")])
            #expect(unsaid.html.contains("id=\"err-text\"") && unsaid.html.contains("id=\"err-phone\""))
            let raised = try await lead.post(
                "\(path)/concerns", [("text", "夜市油烟大，影响休息"), ("category", "noise"), ("place", "S01-C1"), ("phone", "")])
            let number = try #require(raised.headers[.location]?.components(separatedBy: "raised=").last)
            #expect(try await world.items.item(number: number)?.item.channel == .meeting)
            #expect(try await lead.get("/staff/items/\(number)").html.contains("href=\"\(path)\""))

            // Before it closes the public sees no results; after, the results and the item.
            #expect(!(try await attendee.get("/meetings/\(id)").html.contains("id=\"results\"")))
            try await lead.get(path)
            _ = try await lead.post("\(path)/status", [("to", "closed")])
            let published = try await attendee.get("/meetings/\(id)")
            #expect(published.html.contains("id=\"results\"") && published.html.contains(number) && published.html.contains("100.0%"))
            #expect(try await attendee.get("/meetings").html.contains("幸福社区向人民报告会"))
            let token = try await client.login("lead_a")
            let view = try decode(CommunityController.MeetingView.self, try await client.get("/api/v1/meetings/\(id)", token: token))
            #expect(view.attended == 1 && view.codesIssued == 3 && view.results.first?.satisfied == 1 && view.items == [number])
            // Another station's officer does not find it.
            let other = try await client.login("handler_b")
            #expect(try await client.get("/api/v1/meetings/\(id)", token: other).status != .ok)
        }
    }

    @Test func guessingRatingCodesIsLimitedPerAddress() async throws {
        try await withApp(rateLimit: 2) { client, world, clock in
            let meeting = try await world.stores.community.planMeeting(
                try .init(
                    title: "报告会", kind: .report, unitID: "S01", place: "会议室", startsAt: clock.now, reporters: ["o-handler_a"],
                    invitedDeputies: 0, invitedResidents: 10), by: world.handlerA, at: clock.now)
            try await world.stores.community.setMeetingStatus(.open, of: meeting.id, by: world.handlerA, at: clock.now)
            let guesser = Browser(client)
            var statuses: [HTTPResponse.Status] = []
            for guess in ["AAAAAAAA", "BBBBBBBB", "CCCCCCCC"] {
                try await guesser.get("/meetings/\(meeting.id.rawValue)/rate")
                let answer = try await guesser.post(
                    "/meetings/\(meeting.id.rawValue)/rate", [("code", guess), ("result-o-handler_a", "satisfied")])
                statuses.append(answer.status)
            }
            #expect(statuses == [.unprocessableContent, .unprocessableContent, .tooManyRequests])
        }
    }
}
