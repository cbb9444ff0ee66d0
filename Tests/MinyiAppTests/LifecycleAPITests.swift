import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import MinyiApp
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

struct LifecycleAPITests {
    @Test func theWholeLoopThroughTheAPI() async throws {
        try await withApp { client, _, clock in
            // Setup: a resident submits.
            let created = try decode(Created.self, try await client.submit(noiseFields))
            let number = created.number
            let pin = created.pin
            let dispatcher = try await client.login("dispatcher")
            let handler = try await client.login("handler_a")

            // Action: dispatch to the proposed unit, accept, reply, call back.
            let staffView = try decode(StaffItemView.self, try await client.get("/api/v1/items/\(number)", token: dispatcher))
            #expect(staffView.proposedUnit == "S01")
            let dispatched = try await client.command("dispatch", number, token: dispatcher)
            #expect(dispatched.status == .ok)
            #expect(try decode(StaffItemView.self, dispatched).summary.assignedUnit == "S01")
            clock.advance(600)
            #expect(try await client.command("accept", number, token: handler).status == .ok)
            clock.advance(3600)
            let replied = try await client.command("reply", number, token: handler, ["outcome": "resolved", "text": "已约谈店主，今后22点停止营业"])
            #expect(replied.status == .ok)
            clock.advance(86400)
            let callback = try await client.login("callback")  // a new day, a new session
            let due = try decode(ItemList.self, try await client.get("/api/v1/items?callback_due=true", token: callback))
            #expect(due.total == 1)
            #expect(try await client.command("callback", number, token: callback, ["result": "satisfied"]).status == .ok)

            // Checks: the resident sees it closed, with every public step and the reply.
            let response = try await client.get("/api/v1/items/\(number)?pin=\(pin)")
            let view = try decode(PublicItemView.self, response)
            #expect(view.status == "closed")
            let steps = view.timeline.map(\.step)
            #expect(steps == ["registered", "dispatched", "accepted", "replied", "callback"])
            #expect(view.reply?.text == "已约谈店主，今后22点停止营业")
            #expect(view.timeline[2].unit == "丹阳路派出所")
            #expect(!String(buffer: response.body).contains("handler_a"), "residents never see staff names")
        }
    }

    @Test func illegalTransitionsAre409AndRolesAre403() async throws {
        try await withApp { client, _, _ in
            let number = try number(try await client.submit(noiseFields))
            let handler = try await client.login("handler_a")
            let callback = try await client.login("callback")
            let dispatcher = try await client.login("dispatcher")
            let early = try await client.command("callback", number, token: callback, ["result": "satisfied"])
            #expect(early.status == .conflict)
            #expect(try errorMessage(early)?.contains("已登记") == true)
            #expect(try await client.command("dispatch", number, token: handler, ["unit": "S01"]).status == .forbidden)
            #expect(try await client.command("accept", number, token: "").status == .unauthorized)
            let noReason = try await client.command("reject", number, token: dispatcher, ["reason": ""])
            #expect(noReason.status == .unprocessableContent)
            #expect(try errorField(noReason) == "reason")
            let badResult = try await client.command("reply", number, token: handler, ["outcome": "maybe", "text": "x"])
            #expect(badResult.status == .unprocessableContent)
            #expect(try errorField(badResult) == "outcome")
            #expect(try await client.command("accept", "KFQ-2026-999999", token: handler).status == .notFound)
        }
    }

    @Test func anOfficerOfStationAGetsNothingOfStationB() async throws {
        try await withApp { client, _, _ in
            var fields = noiseFields
            fields["place"] = "S02-C1"
            let number = try number(try await client.submit(fields))
            let dispatcher = try await client.login("dispatcher")
            #expect(try await client.command("dispatch", number, token: dispatcher).status == .ok)
            let handlerA = try await client.login("handler_a")
            #expect(try await client.get("/api/v1/items/\(number)", token: handlerA).status == .notFound)
            #expect(try await client.command("accept", number, token: handlerA).status == .forbidden)
            let queue = try decode(ItemList.self, try await client.get("/api/v1/items", token: handlerA))
            #expect(queue.total == 0)
            #expect(try await client.get("/api/v1/measures?unit=S02", token: handlerA).status == .forbidden)
            let handlerB = try await client.login("handler_b")
            #expect(try await client.command("accept", number, token: handlerB).status == .ok)
        }
    }

    /// Bad filters of the work queue are refused naming the parameter, not answered with an empty list.
    @Test func badQueueFiltersNameTheirParameter() async throws {
        try await withApp { client, _, _ in
            let dispatcher = try await client.login("dispatcher")
            for (query, field, status) in [
                ("unit=NO-SUCH-UNIT", "unit", HTTPResponse.Status.unprocessableContent), ("status=lost", "status", .unprocessableContent),
                ("limit=-1", "limit", .badRequest), ("offset=x", "offset", .badRequest),
            ] {
                let response = try await client.get("/api/v1/items?\(query)", token: dispatcher)
                #expect(response.status == status, "\(query)")
                #expect(try errorField(response) == field, "\(query)")
            }
        }
    }

    @Test func dissatisfiedCallbackOpensASupervisionOrder() async throws {
        try await withApp { client, _, _ in
            let number = try number(try await client.submit(noiseFields))
            let dispatcher = try await client.login("dispatcher")
            let handler = try await client.login("handler_a")
            let callback = try await client.login("callback")
            let inspector = try await client.login("inspector")
            _ = try await client.command("dispatch", number, token: dispatcher)
            _ = try await client.command("accept", number, token: handler)
            _ = try await client.command("reply", number, token: handler, ["outcome": "explained", "text": "已解释"])
            let noComment = try await client.command("callback", number, token: callback, ["result": "dissatisfied"])
            #expect(noComment.status == .unprocessableContent)
            #expect(try await client.command("callback", number, token: callback, ["result": "dissatisfied", "comment": "还是吵"]).status == .ok)
            let orders = try await client.get("/api/v1/supervision-orders", token: inspector)
            let list = try decode([SupervisionOrderView].self, orders)
            #expect(list.count == 1 && list[0].number == number && list[0].cause == "dissatisfied")
            let leader = try await client.login("leader")
            #expect(try await client.command("close", number, token: leader, ["reason": "经局领导审批，已做好解释工作"]).status == .ok)
        }
    }
}

struct PrivacyAPITests {
    @Test func contactIsMaskedUnlessRevealedAndEveryRevealIsAudited() async throws {
        try await withApp { client, _, _ in
            var fields = noiseFields
            fields["contact"] = ["name": "张三丰", "phone": "13812345678", "id_number": "11010519491231002X"]
            let number = try number(try await client.submit(fields))
            let callback = try await client.login("callback")
            let masked = try decode(StaffItemView.self, try await client.get("/api/v1/items/\(number)", token: callback)).contact
            #expect(masked?.phone == "138****5678" && masked?.masked == true)
            #expect(masked?.idNumber == "110105********002X")
            let revealed =
                try decode(StaffItemView.self, try await client.get("/api/v1/items/\(number)?reveal=contact&purpose=回访", token: callback)).contact
            #expect(revealed?.phone == "13812345678" && revealed?.masked == false)
            let dispatcher = try await client.login("dispatcher")
            #expect(try await client.get("/api/v1/items/\(number)?reveal=contact", token: dispatcher).status == .forbidden)

            let auditor = try await client.login("auditor")
            let entries = try await client.get("/api/v1/audit?target=\(number)", token: auditor)
            let list = try decode([AuditRow].self, entries)
            #expect(list.count == 1)
            #expect(list.first?.action == "contact.read" && list.first?.actorId == "o-callback")
            #expect(try await client.get("/api/v1/audit", token: dispatcher).status == .forbidden)
            // The public view never carries the contact.
            let pinView = try await client.get("/api/v1/items/\(number)?pin=000000")
            #expect(!String(buffer: pinView.body).contains("138"))
        }
    }
}
