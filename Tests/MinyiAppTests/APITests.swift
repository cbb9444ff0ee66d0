import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiApp
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

struct IntakeAPITests {
    @Test func residentSubmitsAndLooksUpWithThePin() async throws {
        try await withApp { client, world, _ in
            let response = try await client.submit(noiseFields)
            #expect(response.status == .created)
            let created = try json(response)
            let number = try #require(created["number"] as? String)
            let pin = try #require(created["pin"] as? String)
            #expect(number == "KFQ-2026-000001" && pin.count == 6)
            #expect(created["emergency"] as? Bool == false)

            let view = try json(try await client.get("/api/v1/items/\(number)?pin=\(pin)"))
            #expect(view["status"] as? String == "registered")
            let timeline = try #require(view["timeline"] as? [[String: Any]])
            #expect(timeline.map { $0["step"] as? String } == ["registered"])

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
            let created = try json(try await client.submit(fields))
            #expect(created["emergency"] as? Bool == true)
            #expect((created["advice"] as? String)?.contains("110") == true)
            let token = try await client.login("dispatcher")
            let queue = try json(try await client.get("/api/v1/items?emergency=true", token: token))
            #expect(queue["total"] as? Int == 1 && queue["total_exact"] as? Bool == true)
            let first = try #require((queue["items"] as? [[String: Any]])?.first)
            #expect(first["number"] as? String == created["number"] as? String)
        }
    }

    @Test func retryWithTheSameIdempotencyKeyReturnsTheFirstResult() async throws {
        try await withApp { client, world, _ in
            let first = try await client.submit(noiseFields, key: "retry-1")
            let second = try await client.submit(noiseFields, key: "retry-1")
            #expect(first.status == .created && second.status == .created)
            #expect(try json(first)["number"] as? String == json(second)["number"] as? String)
            #expect(try json(first)["pin"] as? String == json(second)["pin"] as? String)
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
            let number = try json(created)["number"] as? String ?? ""
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
            let me = try json(try await client.get("/api/v1/me", token: token))
            #expect(me["unit"] as? String == "S01" && me["roles"] as? [String] == ["handler"])
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

struct LifecycleAPITests {
    @Test func theWholeLoopThroughTheAPI() async throws {
        try await withApp { client, _, clock in
            // Setup: a resident submits.
            let created = try json(try await client.submit(noiseFields))
            let number = try #require(created["number"] as? String)
            let pin = try #require(created["pin"] as? String)
            let dispatcher = try await client.login("dispatcher")
            let handler = try await client.login("handler_a")

            // Action: dispatch to the proposed unit, accept, reply, call back.
            let staffView = try json(try await client.get("/api/v1/items/\(number)", token: dispatcher))
            #expect(staffView["proposed_unit"] as? String == "S01")
            let dispatched = try await client.command("dispatch", number, token: dispatcher)
            #expect(dispatched.status == .ok)
            #expect((try json(dispatched)["summary"] as? [String: Any])?["assigned_unit"] as? String == "S01")
            clock.advance(600)
            #expect(try await client.command("accept", number, token: handler).status == .ok)
            clock.advance(3600)
            let replied = try await client.command("reply", number, token: handler, ["outcome": "resolved", "text": "已约谈店主，今后22点停止营业"])
            #expect(replied.status == .ok)
            clock.advance(86400)
            let callback = try await client.login("callback")  // a new day, a new session
            let due = try json(try await client.get("/api/v1/items?callback_due=true", token: callback))
            #expect(due["total"] as? Int == 1)
            #expect(try await client.command("callback", number, token: callback, ["result": "satisfied"]).status == .ok)

            // Checks: the resident sees it closed, with every public step and the reply.
            let view = try json(try await client.get("/api/v1/items/\(number)?pin=\(pin)"))
            #expect(view["status"] as? String == "closed")
            let steps = (view["timeline"] as? [[String: Any]])?.compactMap { $0["step"] as? String }
            #expect(steps == ["registered", "dispatched", "accepted", "replied", "callback"])
            #expect((view["reply"] as? [String: Any])?["text"] as? String == "已约谈店主，今后22点停止营业")
            let timeline = try #require(view["timeline"] as? [[String: Any]])
            #expect(timeline[2]["unit"] as? String == "丹阳路派出所")
            #expect(!String(describing: view).contains("handler_a"), "residents never see staff names")
        }
    }

    @Test func illegalTransitionsAre409AndRolesAre403() async throws {
        try await withApp { client, _, _ in
            let number = try json(try await client.submit(noiseFields))["number"] as? String ?? ""
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
            let number = try json(try await client.submit(fields))["number"] as? String ?? ""
            let dispatcher = try await client.login("dispatcher")
            #expect(try await client.command("dispatch", number, token: dispatcher).status == .ok)
            let handlerA = try await client.login("handler_a")
            #expect(try await client.get("/api/v1/items/\(number)", token: handlerA).status == .notFound)
            #expect(try await client.command("accept", number, token: handlerA).status == .forbidden)
            let queue = try json(try await client.get("/api/v1/items", token: handlerA))
            #expect(queue["total"] as? Int == 0)
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
            let number = try json(try await client.submit(noiseFields))["number"] as? String ?? ""
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
            let list = try JSONSerialization.jsonObject(with: Data(orders.body.readableBytesView)) as? [[String: Any]] ?? []
            #expect(list.count == 1 && list[0]["number"] as? String == number && list[0]["cause"] as? String == "dissatisfied")
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
            let number = try json(try await client.submit(fields))["number"] as? String ?? ""
            let callback = try await client.login("callback")
            let masked = try json(try await client.get("/api/v1/items/\(number)", token: callback))["contact"] as? [String: Any]
            #expect(masked?["phone"] as? String == "138****5678" && masked?["masked"] as? Bool == true)
            #expect(masked?["id_number"] as? String == "110105********002X")
            let revealed =
                try json(try await client.get("/api/v1/items/\(number)?reveal=contact&purpose=回访", token: callback))["contact"] as? [String: Any]
            #expect(revealed?["phone"] as? String == "13812345678" && revealed?["masked"] as? Bool == false)
            let dispatcher = try await client.login("dispatcher")
            #expect(try await client.get("/api/v1/items/\(number)?reveal=contact", token: dispatcher).status == .forbidden)

            let auditor = try await client.login("auditor")
            let entries = try await client.get("/api/v1/audit?target=\(number)", token: auditor)
            let list = try JSONSerialization.jsonObject(with: Data(entries.body.readableBytesView)) as? [[String: Any]] ?? []
            #expect(list.count == 1)
            #expect(list.first?["action"] as? String == "contact.read" && list.first?["actor_id"] as? String == "o-callback")
            #expect(try await client.get("/api/v1/audit", token: dispatcher).status == .forbidden)
            // The public view never carries the contact.
            let pinView = try await client.get("/api/v1/items/\(number)?pin=000000")
            #expect(!String(buffer: pinView.body).contains("138"))
        }
    }
}

struct MeasuresAPITests {
    @Test func measuresOnAHandComputedExample() async throws {
        try await withApp { client, _, clock in
            let dispatcher = try await client.login("dispatcher")
            let handler = try await client.login("handler_a")
            var numbers: [String] = []
            for _ in 0..<4 { numbers.append(try json(try await client.submit(noiseFields))["number"] as? String ?? "") }
            for number in numbers.prefix(3) { _ = try await client.command("dispatch", number, token: dispatcher) }
            _ = try await client.command("accept", numbers[0], token: handler)
            _ = try await client.command("accept", numbers[1], token: handler)
            _ = try await client.command("reply", numbers[0], token: handler, ["outcome": "resolved", "text": "好"])
            _ = try await client.command("reply", numbers[1], token: handler, ["outcome": "resolved", "text": "好"])
            clock.advance(86400)
            let callback = try await client.login("callback")
            let leader = try await client.login("leader")
            _ = try await client.command("callback", numbers[0], token: callback, ["result": "satisfied"])
            _ = try await client.command("callback", numbers[1], token: callback, ["result": "dissatisfied", "comment": "不行"])
            let m = try json(try await client.get("/api/v1/measures?unit=S01&from=2026-09-01&to=2026-09-30", token: leader))
            #expect(m["received"] as? Int == 3)
            #expect((m["reply_rate"] as? [String: Any])?["percent"] as? String == "66.7%")
            #expect((m["response_rate"] as? [String: Any])?["numerator"] as? Int == 2)
            #expect((m["closure_rate"] as? [String: Any])?["numerator"] as? Int == 1)
            #expect((m["satisfaction_rate"] as? [String: Any])?["percent"] as? String == "50.00%")
            #expect((m["first_satisfaction_rate"] as? [String: Any])?["percent"] as? String == "50.00%")
            #expect(m["open"] as? Int == 2)

            // Supervised, answered again, and this time satisfied: the final rate rises to 100%, the first-time rate
            // stays at the first answers' 50% (before, only the final figure existed, and it hid the first "no").
            let handlerAgain = try await client.login("handler_a")
            #expect(try await client.command("reply", numbers[1], token: handlerAgain, ["outcome": "resolved", "text": "已再次处理"]).status == .ok)
            clock.advance(86400)
            let callbackAgain = try await client.login("callback")
            let leaderAgain = try await client.login("leader")
            #expect(try await client.command("callback", numbers[1], token: callbackAgain, ["result": "satisfied"]).status == .ok)
            let after = try json(try await client.get("/api/v1/measures?unit=S01&from=2026-09-01&to=2026-09-30", token: leaderAgain))
            #expect((after["satisfaction_rate"] as? [String: Any])?["percent"] as? String == "100.00%")
            #expect((after["first_satisfaction_rate"] as? [String: Any])?["percent"] as? String == "50.00%")
            #expect((after["first_satisfaction_rate"] as? [String: Any])?["denominator"] as? Int == 2)
            let bad = try await client.get("/api/v1/measures?from=yesterday", token: leaderAgain)
            #expect(bad.status == .unprocessableContent)
            #expect(try errorField(bad) == "from")
        }
    }
}

struct CatalogueAPITests {
    @Test func administratorsSetDeadlinesAndNewDispatchesUseThem() async throws {
        try await withApp { client, world, _ in
            let dispatcher = try await client.login("dispatcher")
            let denied = try await client.execute(
                uri: "/api/v1/categories/noise/deadlines", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer \(dispatcher)"],
                body: body(["response_hours": 1, "handling_days": 2]))
            #expect(denied.status == .forbidden)
            let admin = try await client.login("admin")
            let bad = try await client.execute(
                uri: "/api/v1/categories/noise/deadlines", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer \(admin)"], body: body(["response_hours": 0, "handling_days": 2]))
            #expect(bad.status == .unprocessableContent)
            #expect(try errorField(bad) == "response_hours")
            let ok = try await client.execute(
                uri: "/api/v1/categories/noise/deadlines", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer \(admin)"], body: body(["response_hours": 1, "handling_days": 2]))
            #expect(ok.status == .ok)
            let number = try json(try await client.submit(noiseFields))["number"] as? String ?? ""
            let dispatched = try json(try await client.command("dispatch", number, token: dispatcher))
            let summary = try #require(dispatched["summary"] as? [String: Any])
            #expect(summary["response_due"] as? String == "2026-09-21T15:13:20Z")  // t0 + 1 h
            #expect(summary["handling_due"] as? String == "2026-09-23T14:13:20Z")  // t0 + 2 days
            let entries = try await world.audit.entries(target: "noise")
            #expect(entries.first?.detail == "2h/5d → 1h/2d")
        }
    }
}

struct OpenAPITests {
    @Test func theDocumentDescribesExactlyTheRegisteredRoutes() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let dependencies = AppDependencies(
                database: database, keys: ServerKeys(pin: "s", csrf: "c"), passwords: PasswordHasher(cost: 4), now: { World.t0 },
                logger: TestDatabase.logger)
            let table = RouteTable()
            let router = buildRouter(dependencies: dependencies, config: AppConfig(), routes: table)
            let app = Application(router: router, logger: TestDatabase.logger)
            try await app.test(.router) { client in
                let response = try await client.get("/api/v1/openapi.json")
                #expect(response.status == .ok)
                let document = try json(response)
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
                let registered = Set(table.routes.map { "\($0.method) \($0.path)" })
                #expect(
                    documented == registered,
                    "only documented: \(documented.subtracting(registered)); only registered: \(registered.subtracting(documented))")
            }
        }
    }

    @Test func unknownRoutesAnswerInTheErrorShape() async throws {
        try await withApp { client, _, _ in
            let response = try await client.get("/api/v1/nothing-here")
            #expect(response.status == .notFound)
            #expect(try errorMessage(response) != nil)
        }
    }
}
