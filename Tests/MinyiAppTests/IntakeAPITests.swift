import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import MinyiApp
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

struct IntakeAPITests {
    @Test func residentSubmitsAndLooksUpWithThePin() async throws {
        try await withApp { client, world, _ in
            let response = try await client.submit(noiseFields)
            #expect(response.status == .created)
            let created = try decode(Created.self, response)
            let number = created.number
            let pin = created.pin
            #expect(number == "KFQ-2026-000001" && pin.count == 6)
            #expect(created.emergency == false)

            let view = try decode(PublicItemView.self, try await client.get("/api/v1/items/\(number)?pin=\(pin)"))
            #expect(view.status == "registered")
            #expect(view.timeline.map(\.step) == ["registered"])

            let wrong = try await client.get("/api/v1/items/\(number)?pin=\(pin == "000000" ? "111111" : "000000")")
            #expect(wrong.status == .notFound)
            #expect(try errorMessage(wrong)?.contains("查询密码") == true)
            #expect(try await client.get("/api/v1/items/not-a-number?pin=1").status == .notFound)
        }
    }

    @Test(
        arguments: [
            (["kind": "complaint", "category": "noise", "text": "   ", "place": "S01-C1"], 422, "text"),
            (["kind": "complaint", "category": "noise", "text": String(repeating: "吵", count: 20_000), "place": "S01-C1"], 422, "text"),
            (["kind": "complaint", "category": "nope", "text": "噪音", "place": "S01-C1"], 422, "category"),
            (["kind": "complaint", "category": "noise", "text": "噪音", "place": "NOWHERE"], 422, "place"),
            (["kind": "shouting", "category": "noise", "text": "噪音", "place": "S01-C1"], 422, "kind"),
            (["category": "noise", "text": "噪音", "place": "S01-C1"], 400, "kind"),
            (["kind": "complaint", "category": "noise", "text": 42, "place": "S01-C1"], 400, "text"),
            (
                ["kind": "complaint", "category": "noise", "text": "噪音", "place": "S01-C1", "contact": ["id_number": "110105194912310021"]], 422,
                "contact.id_number"
            ),
            (["kind": "complaint", "category": "noise", "text": "噪音", "place": "S01-C1", "contact": ["phone": "12345"]], 422, "contact.phone"),
        ] as [([String: any Sendable], Int, String)])
    func badInputIsRefusedNamingTheField(fields: [String: any Sendable], status: Int, field: String) async throws {
        try await withApp { client, _, _ in
            let response = try await client.submit(fields)
            #expect(response.status.code == status, "\(String(buffer: response.body))")
            #expect(try errorField(response) == field)
        }
    }

    @Test func malformedJSONIsA400NamingTheBody() async throws {
        try await withApp { client, _, _ in
            let response = try await client.execute(
                uri: "/api/v1/items", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{\"kind\": "))
            #expect(response.status == .badRequest)
            #expect(try errorField(response) == "body")
        }
    }

    @Test func oversizedBodyIsRefused() async throws {
        try await withApp { client, _, _ in
            let response = try await client.execute(
                uri: "/api/v1/items", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{\"text\": \"" + String(repeating: "a", count: 100_000) + "\"}"))
            #expect(response.status == .contentTooLarge)
        }
    }

    @Test func emergencyTextGetsCall110AndIsFlaggedToTheCommandCentre() async throws {
        try await withApp { client, _, _ in
            var fields = noiseFields
            fields["text"] = "有人持刀在小区门口追人，救命"
            let created = try decode(Created.self, try await client.submit(fields))
            #expect(created.emergency == true)
            #expect(created.advice?.contains("110") == true)
            let token = try await client.login("dispatcher")
            let queue = try decode(ItemList.self, try await client.get("/api/v1/items?emergency=true", token: token))
            #expect(queue.total == 1 && queue.totalExact == true)
            let first = try #require(queue.items.first)
            #expect(first.number == created.number)
        }
    }

    @Test func retryWithTheSameIdempotencyKeyReturnsTheFirstResult() async throws {
        try await withApp { client, world, _ in
            let first = try await client.submit(noiseFields, key: "retry-1")
            let second = try await client.submit(noiseFields, key: "retry-1")
            #expect(first.status == .created && second.status == .created)
            #expect(try decode(Created.self, first).number == decode(Created.self, second).number)
            #expect(try decode(Created.self, first).pin == decode(Created.self, second).pin)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(try await world.items.queue(QueueFilter(), for: world.dispatcher, at: world.t0).total == 1)
        }
    }

    @Test func otherChannelsNeedAnIntakeRole() async throws {
        try await withApp { client, world, _ in
            var fields = noiseFields
            fields["channel"] = "phone"
            #expect(try await client.submit(fields).status == .unauthorized)
            let handler = try await client.login("handler_a")
            #expect(try await client.submit(fields, token: handler).status == .forbidden)
            let clerk = try await client.login("clerk_a")
            let created = try await client.submit(fields, token: clerk)
            #expect(created.status == .created)
            let number = try number(created)
            let stored = try #require(try await world.items.item(number: number))
            #expect(stored.item.channel == .phone)
        }
    }

    @Test func publicSubmissionsAreRateLimited() async throws {
        try await withApp(rateLimit: 3) { client, _, _ in
            for _ in 0..<3 { #expect(try await client.submit(noiseFields).status == .created) }
            let limited = try await client.submit(noiseFields)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "60")
        }
    }
}

struct AuthAPITests {
    @Test func aSessionIdentifiesTheOfficerUntilLogout() async throws {
        try await withApp { client, _, _ in
            #expect(try await client.get("/api/v1/me").status == .unauthorized)
            #expect(try await client.get("/api/v1/me", token: "forged").status == .unauthorized)
            let token = try await client.login("handler_a")
            let me = try decode(Officer.self, try await client.get("/api/v1/me", token: token))
            #expect(me.unit == "S01" && me.roles == ["handler"])
            let logout = try await client.execute(uri: "/api/v1/sessions", method: .delete, headers: [.authorization: "Bearer \(token)"])
            #expect(logout.status == .noContent)
            #expect(try await client.get("/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test func sessionsExpire() async throws {
        try await withApp { client, _, clock in
            let token = try await client.login("leader")
            clock.advance(13 * 3600)
            #expect(try await client.get("/api/v1/me", token: token).status == .unauthorized)
        }
    }
}
