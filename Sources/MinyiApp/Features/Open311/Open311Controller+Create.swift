import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

extension Open311Controller {
    /// `POST requests.{format}`: files an item with the integration key's officer as its registrar. Every fault in the
    /// form comes back at once, one error each; nothing is cut: a description over 4,000 characters is refused.
    func create(_ request: Request, limit: () throws -> Void) async throws -> Node {
        let form = try await Form.read(request, limit: maxBodyBytes)
        guard let key = form["api_key"] else {
            try limit()
            throw Failure(403, "api_key is required to post a request")
        }
        guard let officerID = try await auth.officer(forAPIKey: key, at: now()), let officer = try await organisation.officer(officerID) else {
            try limit()
            throw Failure(403, "api_key is unknown, expired or revoked")
        }
        let actor = try await organisation.actor(for: officer)
        guard Permission.registerItems.isHeld(by: actor) else { throw Failure(403, "this api_key may not file requests") }
        let bureau = try await bureau(request, form: form)

        var problems: [Failure] = form.malformed.map { Failure(400, "\($0): broken percent-encoding") }
        func fail(_ description: String) { problems.append(Failure(400, description)) }
        let categories = try await organisation.categories()
        let code = form["service_code"]
        if code == nil {
            fail("service_code is required")
        } else if let code, !categories.contains(where: { $0.code.rawValue == code }) {
            fail("service_code \(code) not found")
        }
        func number(_ name: String) -> Double? {
            guard let raw = form[name] else { return nil }
            guard let value = Double(raw), value.isFinite else {
                fail("\(name): \(raw) is not a number")
                return nil
            }
            return value
        }
        let lat = number("lat")
        let long = number("long")
        if (form["lat"] == nil) != (form["long"] == nil) { fail("lat and long are given together") }
        if form["lat"] == nil, form["address_string"] == nil, form["address_id"] == nil {
            fail("a location is required: lat and long, address_string or address_id")
        }
        let description = form.raw("description")
        if description.count > GeoReport.maxDescription { fail("description: at most \(GeoReport.maxDescription) characters") }
        let units = try await organisation.units()
        let community = form["attribute[community]"]
        if community == nil {
            fail("attribute[community] is required: see services/{code} for the communities")
        } else if let community, units.first(where: { $0.id.rawValue == community && $0.kind == .community && bureau.contains($0) }) == nil {
            fail("attribute[community] \(community) is not a community of this jurisdiction")
        }
        var kind = ItemKind.help
        if let raw = form["attribute[kind]"] {
            if let chosen = ItemKind(rawValue: raw) { kind = chosen } else { fail("attribute[kind] \(raw) is not one of the listed values") }
        }
        let name = [form["last_name"], form["first_name"]].compactMap { $0 }.joined()
        var contact: Contact?
        do {
            contact = try Contact.validated(name: name.isEmpty ? nil : name, phone: form["phone"], idNumber: nil)
        } catch {
            fail("\(error.field == "name" ? "first_name/last_name" : error.field): \(error.message)")
        }
        var submission: Submission?
        if let code, let community {
            do {
                submission = try Submission(
                    kind: kind, category: .init(code), channel: .open311, text: description, placeID: .init(community),
                    address: form["address_string"] ?? form["address_id"], latitude: lat, longitude: long, contact: contact)
            } catch {
                fail("\(error.field == "text" ? "description" : error.field): \(error.message)")
            }
        } else if description.trimmed.isEmpty {
            fail("description is required")
        }
        guard problems.isEmpty, let submission else { throw Failures(list: problems) }

        let token = SQLAuthStore.newToken()
        let submitted = try await items.submit(submission, idempotencyKey: SQLOpen311Store.key(token: token), by: actor, at: now())
        var notice = "已受理，查询号 \(submitted.item.number)，凭 token 可查。 (Received: request \(submitted.item.number).)"
        let dropped = ["email", "media_url", "device_id", "account_id"].filter { form[$0] != nil }
        if !dropped.isEmpty { notice += " 未保存 (not kept): \(dropped.joined(separator: ", "))." }
        return .list(
            member: "request",
            [
                .object([
                    ("service_request_id", .text(submitted.item.number)), ("token", .text(token)), ("service_notice", .text(notice)),
                    ("account_id", .text(nil)),
                ])
            ])
    }
}
