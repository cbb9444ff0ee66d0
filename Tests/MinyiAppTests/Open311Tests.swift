import Foundation
import FoundationXML
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

/// Open311 GeoReport v2 through the application: services, their definitions, posting with and without a key,
/// reading back by ID, by filters and by token, errors as the specification lists them, JSON and XML alike.
struct Open311Tests {
    static func post(_ client: any TestClientProtocol, _ path: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let body = fields.map { "\(Browser.encode($0.0))=\(Browser.encode($0.1))" }.joined(separator: "&")
        return try await client.execute(
            uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    static func array(_ response: TestResponse) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
    }

    /// The text of every `member` element's child `field` in an XML answer.
    static func xmlValues(_ response: TestResponse, _ path: String) throws -> [String] {
        let document = try XMLDocument(data: Data(buffer: response.body))
        return try document.nodes(forXPath: path).map { $0.stringValue ?? "" }
    }

    @Test(arguments: TestDatabase.dialects)
    func anotherSystemFilesAndFollowsARequestAndLearnsNothingPersonal(dialect: DatabaseDialect) async throws {
        try await withApp(dialect: dialect) { client, world, clock in
            // Services: the categories, the same in JSON and XML.
            let servicesJSON = try await client.execute(uri: "/open311/v2/services.json", method: .get)
            #expect(servicesJSON.status == .ok && servicesJSON.headers[.contentType]?.hasPrefix("application/json") == true)
            let services = try Self.array(servicesJSON)
            let servicesXML = try await client.execute(uri: "/open311/v2/services.xml", method: .get)
            #expect(services.compactMap { $0["service_code"] as? String } == (try Self.xmlValues(servicesXML, "/services/service/service_code")))
            #expect(services.compactMap { $0["service_name"] as? String } == (try Self.xmlValues(servicesXML, "/services/service/service_name")))
            #expect(services.first?["metadata"] as? Bool == true)

            // A definition names the communities to choose from.
            let definition = try await client.execute(uri: "/open311/v2/services/noise.json", method: .get)
            let attributes = try #require(try JSONSerialization.jsonObject(with: Data(buffer: definition.body)) as? [String: Any])["attributes"]
            let community = try #require((attributes as? [[String: Any]])?.first)
            #expect(community["code"] as? String == "community" && community["required"] as? Bool == true)
            #expect((community["values"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["S01-C1", "S02-C1"])
            #expect(
                try Self.xmlValues(
                    try await client.execute(uri: "/open311/v2/services/noise.xml", method: .get),
                    "/service_definition/attributes/attribute[1]/values/value/key") == ["S01-C1", "S02-C1"])
            let unknown = try await client.execute(uri: "/open311/v2/services/aliens.json", method: .get)
            #expect(try unknown.status == .notFound && (Self.array(unknown)).first?["code"] as? Int == 404)

            // Posting: without a key, with a wrong one, then bad input named field by field, all as the error list.
            let request: [(String, String)] = [
                ("service_code", "noise"), ("attribute[community]", "S01-C1"), ("address_string", "幸福社区 3 号楼"), ("lat", "35.41"),
                ("long", "116.59"), ("description", "楼下烧烤店每晚 11 点后仍很吵。\n已持续一周。"), ("first_name", "小明"), ("last_name", "王"),
                ("phone", "13800138000"), ("email", "wang@example.org"),
            ]
            let noKey = try await Self.post(client, "/open311/v2/requests.json", request)
            #expect(try noKey.status == .forbidden && (Self.array(noKey)).first?["code"] as? Int == 403)
            let badKeyXML = try await Self.post(client, "/open311/v2/requests.xml", request + [("api_key", "nope")])
            #expect(try badKeyXML.status == .forbidden && (Self.xmlValues(badKeyXML, "/errors/error/code")) == ["403"])
            let key = try await world.auth.createAPIKey(name: "市 12345 平台", officer: world.clerkA.officer.id, at: World.t0)
            let bad = try await Self.post(
                client, "/open311/v2/requests.json",
                [("api_key", key), ("service_code", "aliens"), ("description", String(repeating: "吵", count: 4001)), ("lat", "north")])
            #expect(bad.status == .badRequest)
            let problems = try Self.array(bad).compactMap { $0["description"] as? String }
            for part in ["service_code aliens", "lat:", "lat and long", "description: at most 4000", "attribute[community] is required"] {
                #expect(problems.contains { $0.contains(part) }, "\(part) in \(problems)")
            }
            #expect(try await world.items.search(text: "吵", for: world.leader, at: clock.now, limit: 5).isEmpty)
            #expect(
                try await Self.post(client, "/open311/v2/requests.json", request + [("api_key", key), ("jurisdiction_id", "XX")]).status
                    == .notFound)
            // The clerk's key files only within the clerk's jurisdiction.
            let outside = try await Self.post(
                client, "/open311/v2/requests.json", request.map { $0.0 == "attribute[community]" ? ($0.0, "S02-C1") : $0 } + [("api_key", key)])
            #expect(outside.status == .badRequest)

            let posted = try await Self.post(client, "/open311/v2/requests.json", request + [("api_key", key), ("jurisdiction_id", "KFQ")])
            #expect(posted.status == .ok)
            let receipt = try #require(try Self.array(posted).first)
            let number = try #require(receipt["service_request_id"] as? String)
            let token = try #require(receipt["token"] as? String)
            #expect((receipt["service_notice"] as? String)?.contains("email") == true)
            // An item like any other, as typed, with its contact kept for the staff who may read it.
            let stored = try #require(try await world.items.item(number: number)).item
            #expect(stored.submitted.channel == .open311 && stored.submitted.text == "楼下烧烤店每晚 11 点后仍很吵。\n已持续一周。")
            #expect(stored.submitted.contact?.phone == "13800138000" && stored.submitted.contact?.name == "王小明")
            #expect(stored.submitted.address == "幸福社区 3 号楼" && stored.submitted.latitude == 35.41)

            // Read back by ID, by token, by filters; JSON and XML agree; nothing personal leaves.
            let byID = try await client.execute(uri: "/open311/v2/requests/\(number).json", method: .get)
            let view = try #require(try Self.array(byID).first)
            #expect(view["status"] as? String == "open" && view["service_code"] as? String == "noise")
            let byIDXML = try await client.execute(uri: "/open311/v2/requests/\(number).xml", method: .get)
            #expect(try Self.xmlValues(byIDXML, "/service_requests/request/status") == ["open"])
            #expect(try Self.xmlValues(byIDXML, "/service_requests/request/requested_datetime") == [view["requested_datetime"] as? String ?? "?"])
            let byToken = try Self.array(try await client.execute(uri: "/open311/v2/tokens/\(token).json", method: .get))
            #expect(byToken.first?["service_request_id"] as? String == number)
            #expect(try await client.execute(uri: "/open311/v2/tokens/nope.json", method: .get).status == .notFound)
            for query in ["", "?service_request_id=\(number)", "?service_code=noise&status=open", "?jurisdiction_id=KFQ"] {
                let listed = try await client.execute(uri: "/open311/v2/requests.json\(query)", method: .get)
                #expect(try Self.array(listed).compactMap { $0["service_request_id"] as? String } == [number], "\(query)")
                let text = String(buffer: listed.body)
                for secret in ["13800138000", "王小明", "小明", "wang@example.org", "烧烤", "幸福社区 3 号楼", "35.41"] {
                    #expect(!text.contains(secret), "\(secret) left through \(query)")
                }
            }
            #expect(try Self.array(try await client.execute(uri: "/open311/v2/requests.json?status=closed", method: .get)).isEmpty)
            #expect(try Self.array(try await client.execute(uri: "/open311/v2/requests.json?service_code=traffic", method: .get)).isEmpty)
            let badDates = try await client.execute(uri: "/open311/v2/requests.json?start_date=yesterday&status=maybe", method: .get)
            #expect(try badDates.status == .badRequest && (Self.array(badDates)).first?["code"] as? Int == 400)
            let tooLong = try await client.execute(
                uri: "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", method: .get)
            #expect(tooLong.status == .badRequest)
            // Items of other channels are not served here.
            let web = try await world.items.submit(
                try Submission(kind: .help, category: "noise", channel: .web, text: "网上反映", placeID: "S01-C1"), idempotencyKey: nil, by: nil,
                at: clock.now)
            #expect(try await client.execute(uri: "/open311/v2/requests/\(web.item.number).json", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/open311/v2/services.csv", method: .get).status == .notFound)

            // Once the unit replies and the item is closed, the request reads closed with the public reply.
            try await Open311Tests.close(number, world: world, clock: clock)
            let closed = try #require(try Self.array(try await client.execute(uri: "/open311/v2/requests/\(number).json", method: .get)).first)
            #expect(closed["status"] as? String == "closed" && closed["status_notes"] as? String == "已约谈店主，晚十点后停止营业。")
            #expect(closed["expected_datetime"] is NSNull)

            // A second bureau on the same server: jurisdiction_id is then required, and names which.
            try await world.organisation.addUnit(id: "XQ", name: "新区分局", kind: .bureau, parent: nil)
            let ambiguous = try await client.execute(uri: "/open311/v2/services.xml", method: .get)
            #expect(try ambiguous.status == .badRequest && Self.xmlValues(ambiguous, "/errors/error/code") == ["400"])
            #expect(try await client.execute(uri: "/open311/v2/services.json?jurisdiction_id=KFQ", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/open311/v2/requests/\(number).json?jurisdiction_id=KFQ", method: .get).status == .ok)
            // The other bureau does not serve this bureau's requests.
            #expect(try await client.execute(uri: "/open311/v2/requests/\(number).json?jurisdiction_id=XQ", method: .get).status == .notFound)
        }
    }

    /// An ID or code with a control character is refused in the specification's error list (400 in a query, 404 in a
    /// path), never sent to the database: PostgreSQL answered 500 for a NUL (found by the 1,000-case fuzz).
    @Test(arguments: TestDatabase.dialects)
    func controlCharactersInIDsAreRefused(dialect: DatabaseDialect) async throws {
        try await withApp(dialect: dialect) { client, _, _ in
            for uri in [
                "/open311/v2/requests.json?service_request_id=KFQ%00", "/open311/v2/requests.json?service_code=noise%1B",
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(try Self.array(response).first?["code"] as? Int == 400)
            }
            for uri in ["/open311/v2/requests/KFQ%00.json", "/open311/v2/tokens/a%00b.json", "/open311/v2/services/noise%00.json"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                #expect(try Self.array(response).first?["code"] as? Int == 404)
            }
        }
    }

    @Test func readsAreLimitedPerAddressButAnIntegrationWithItsKeyIsNot() async throws {
        try await withApp(rateLimit: 3) { client, world, _ in
            let key = try await world.auth.createAPIKey(name: "12345", officer: world.dispatcher.officer.id, at: World.t0)
            for _ in 0..<3 { #expect(try await client.execute(uri: "/open311/v2/services.json", method: .get).status == .ok) }
            let limited = try await client.execute(uri: "/open311/v2/services.json", method: .get)
            #expect(try limited.status == .tooManyRequests && Self.array(limited).first?["code"] as? Int == 429)
            let request: [(String, String)] = [
                ("api_key", key), ("service_code", "noise"), ("attribute[community]", "S01-C1"), ("address_string", "幸福路"), ("description", "吵"),
            ]
            for _ in 0..<5 { #expect(try await Self.post(client, "/open311/v2/requests.json", request).status == .ok) }
            #expect(try await Self.post(client, "/open311/v2/requests.json", [("api_key", "guess")]).status == .tooManyRequests)
        }
    }

    /// Dispatches, accepts, replies, calls back satisfied: the item closes.
    static func close(_ number: String, world: World, clock: TestClock) async throws {
        let items = world.items
        clock.advance(60)
        _ = try await items.apply(.dispatch(unit: "S01"), to: number, by: world.dispatcher, at: clock.now)
        _ = try await items.apply(.accept, to: number, by: world.handlerA, at: clock.now)
        _ = try await items.apply(
            .reply(outcome: .resolved, text: "已约谈店主，晚十点后停止营业。", publicReason: nil), to: number, by: world.handlerA, at: clock.now)
        _ = try await items.apply(.callback(result: .satisfied, comment: nil), to: number, by: world.callbackAgent, at: clock.now)
    }
}
