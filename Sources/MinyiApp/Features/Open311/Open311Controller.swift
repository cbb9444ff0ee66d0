import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Open311 GeoReport v2 at `/open311/v2/`, in JSON and XML: the categories as services, requests filed with an
/// integration key, read back by ID, by filters and by token. A request is an item like any other (channel
/// `open311`). What leaves is the public side only: no name, phone or e-mail, no description or address.
struct Open311Controller: Sendable {
    let items: SQLItemStore
    let open311: SQLOpen311Store
    let organisation: SQLOrganisationStore
    let auth: SQLAuthStore
    let rateLimiter: RateLimiter
    let maxBodyBytes: Int
    let publicBase: @Sendable (Request) -> String
    let now: @Sendable () -> Date

    typealias Failure = GeoReport.Failure
    typealias Node = GeoReportNode

    // MARK: Routing

    /// Splits `services.json` into the resource and the format; an unknown format is the specification's 404.
    static func split(_ file: String) throws(Failure) -> (name: String, format: Node.Format) {
        guard let dot = file.lastIndex(of: "."), let format = Node.Format(rawValue: String(file[file.index(after: dot)...]).lowercased()) else {
            throw Failure(404, "unknown format: use .json or .xml")
        }
        return (String(file[..<dot]), format)
    }

    /// Runs a handler, answering any refusal as the specification's list of errors in the request's format.
    func answer(_ request: Request, _ format: Node.Format, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let failures as Failures {
            return Self.errors(failures.list, format: format)
        } catch let failure as Failure {
            return Self.errors([failure], format: format)
        } catch {
            let report = ErrorReport(error)
            guard !report.unexpected else { throw error }
            let code = report.status == .unprocessableContent || report.status == .conflict ? 400 : Int(report.status.code)
            return Self.errors([Failure(code, report.message)], format: format)
        }
    }

    /// Several errors at once, each as the specification lists them.
    struct Failures: Error {
        var list: [Failure]
    }

    static func errors(_ failures: [Failure], format: Node.Format) -> Response {
        let list = Node.list(member: "error", failures.map { .object([("code", .number($0.code)), ("description", .text($0.description))]) })
        let status = HTTPResponse.Status(code: failures.first?.code ?? 400)
        return list.response(format, root: "errors", status: status)
    }

    /// `GET /open311/v2/{resource}` (`services.json`, `requests.xml`, `discovery.json`) and `POST …/requests.{format}`.
    @Sendable func resource(_ request: Request, context: AppRequestContext) async throws -> Response {
        let file = context.parameters.get("resource") ?? ""
        let format = (try? Self.split(file).format) ?? .json
        return try await answer(request, format) {
            let (name, format) = try Self.split(file)
            // Reads are limited per address like the square; a post is, until it shows a live key (an integration
            // files in volume from one address).
            let limit = { () throws in try rateLimiter.check(request, context, at: now()) }
            if request.method != .post { try limit() }
            switch (request.method, name) {
            case (.get, "discovery"): return discovery(request).response(format, root: "discovery")
            case (.get, "services"): return try await services(request).response(format, root: "services")
            case (.get, "requests"): return try await list(request).response(format, root: "service_requests")
            case (.post, "requests"): return try await create(request, limit: limit).response(format, root: "service_requests")
            default: throw Failure(404, "no such resource: \(name)")
            }
        }
    }

    /// `GET /open311/v2/{resource}/{file}`: `services/{code}.{format}`, `requests/{id}.{format}`, `tokens/{token}.{format}`.
    @Sendable func member(_ request: Request, context: AppRequestContext) async throws -> Response {
        let collection = context.parameters.get("resource") ?? ""
        let file = context.parameters.get("file") ?? ""
        let format = (try? Self.split(file).format) ?? .json
        return try await answer(request, format) {
            let (id, format) = try Self.split(file)
            try rateLimiter.check(request, context, at: now())
            // No code, number or token holds a control character (and PostgreSQL cannot compare a text holding NUL).
            guard !id.hasControlCharacters else { throw Failure(404, "\(collection): no such ID") }
            let bureau = try await bureau(request)
            switch collection {
            case "services": return try await definition(id, in: bureau).response(format, root: "service_definition")
            case "requests":
                guard let item = try await open311.item(number: id, in: bureau) else { throw Failure(404, "service_request_id \(id) not found") }
                return Node.list(member: "request", [try await view(item)]).response(format, root: "service_requests")
            case "tokens":
                guard let item = try await open311.item(token: id, in: bureau) else { throw Failure(404, "token \(id) not found") }
                return Node.list(member: "request", [.object([("service_request_id", .text(item.number)), ("token", .text(id))])])
                    .response(format, root: "service_requests")
            default: throw Failure(404, "no such resource: \(collection)")
            }
        }
    }

    // MARK: Jurisdiction

    /// The bureau a call is for: `jurisdiction_id` names one; it may be left out where the server serves only one.
    func bureau(_ request: Request, form: Form? = nil) async throws -> PoliceUnit {
        let bureaus = try await organisation.units().filter { $0.parentID == nil }
        let named = form?["jurisdiction_id"] ?? request.uri.queryParameters["jurisdiction_id"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        if let named {
            guard let bureau = bureaus.first(where: { $0.id.rawValue == named }) else { throw Failure(404, "jurisdiction_id \(named) not found") }
            return bureau
        }
        guard bureaus.count == 1, let only = bureaus.first else {
            throw Failure(400, "jurisdiction_id is required: this server serves \(bureaus.map(\.id.rawValue).joined(separator: ", "))")
        }
        return only
    }

    // MARK: Services

    func discovery(_ request: Request) -> Node {
        let base = publicBase(request)
        return .object([
            ("changeset", .text(XMLWriting.timestamp(Date(timeIntervalSince1970: 1_795_000_000)))),
            ("contact", .text("民意警务 Minyi")),
            ("key_service", .text("minyi apikey add（由管理员签发） (keys are issued by the bureau's administrator)")),
            (
                "endpoints",
                .list(
                    member: "endpoint",
                    [
                        .object([
                            ("specification", .text("http://wiki.open311.org/GeoReport_v2")), ("url", .text(base + "/open311/v2")),
                            ("changeset", .text(XMLWriting.timestamp(Date(timeIntervalSince1970: 1_795_000_000)))), ("type", .text("production")),
                            ("formats", .list(member: "format", [.text("application/json"), .text("text/xml")])),
                        ])
                    ])
            ),
        ])
    }

    func services(_ request: Request) async throws -> Node {
        _ = try await bureau(request)
        let categories = try await organisation.categories()
        return .list(
            member: "service",
            categories.map { category in
                .object([
                    ("service_code", .text(category.code.rawValue)), ("service_name", .text(category.nameZh)),
                    ("description", .text("\(category.nameZh) (\(category.nameEn))：\(category.handlingDays) 天内答复")),
                    // Every service asks where: the community the request is about.
                    ("metadata", .bool(true)), ("type", .text("realtime")), ("keywords", .text(category.nameEn)), ("group", .text(category.group)),
                ])
            })
    }

    /// A service's attributes: the community (required: the item lands with the unit that serves it) and the kind.
    func definition(_ code: String, in bureau: PoliceUnit) async throws -> Node {
        guard try await organisation.categories().contains(where: { $0.code.rawValue == code }) else {
            throw Failure(404, "service_code \(code) not found")
        }
        let units = try await organisation.units()
        let byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) })
        let communities = units.filter { $0.kind == .community && bureau.contains($0) }
        func placeName(_ unit: PoliceUnit) -> String {
            unit.parentID.flatMap { byID[$0] }.map { $0.kind == .office ? $0.name + " · " + unit.name : unit.name } ?? unit.name
        }
        func attribute(_ code: String, order: Int, required: Bool, description: String, values: [(String, String)]) -> Node {
            .object([
                ("variable", .bool(true)), ("code", .text(code)), ("datatype", .text("singlevaluelist")), ("required", .bool(required)),
                ("datatype_description", .text(nil)), ("order", .number(order)), ("description", .text(description)),
                ("values", .list(member: "value", values.map { .object([("key", .text($0.0)), ("name", .text($0.1))]) })),
            ])
        }
        return .object([
            ("service_code", .text(code)),
            (
                "attributes",
                .list(
                    member: "attribute",
                    [
                        attribute(
                            "community", order: 1, required: true, description: "所在社区/村 (the community it is about)",
                            values: communities.map { ($0.id.rawValue, placeName($0)) }),
                        attribute(
                            "kind", order: 2, required: false, description: "类型，默认求助 (the kind; help when left out)",
                            values: ItemKind.allCases.map { ($0.rawValue, $0.nameZh) }),
                    ])
            ),
        ])
    }

    // MARK: Requests

    /// The public side of a request: status, service, the public reply, the unit, the dates.
    func view(_ item: Item) async throws -> Node {
        view(
            item, names: Dictionary(uniqueKeysWithValues: try await organisation.units().map { ($0.id, $0.name) }),
            categories: try await organisation.categories())
    }

    func view(_ item: Item, names: [PoliceUnit.ID: String], categories: [MinyiCore.Category]) -> Node {
        let status = GeoReport.Status(item.status)
        return .object([
            ("service_request_id", .text(item.number)), ("status", .text(status.rawValue)),
            ("status_notes", .text(item.publicReason ?? item.replyText)),
            ("service_name", .text(categories.first { $0.code == item.category }?.nameZh ?? item.category.rawValue)),
            ("service_code", .text(item.category.rawValue)), ("description", .text(nil)),
            ("agency_responsible", .text(item.assignedUnitID.flatMap { names[$0] })), ("service_notice", .text(nil)),
            ("requested_datetime", .text(XMLWriting.timestamp(item.createdAt))), ("updated_datetime", .text(XMLWriting.timestamp(item.updatedAt))),
            ("expected_datetime", .text(status == .open ? item.handlingDue.map(XMLWriting.timestamp) : nil)),
            ("address", .text(nil)), ("address_id", .text(nil)), ("zipcode", .text(nil)), ("lat", .text(nil)), ("long", .text(nil)),
            ("media_url", .text(nil)),
        ])
    }

    /// `GET requests.{format}`: by IDs, or by service codes, statuses and dates (the last 90 days by default).
    func list(_ request: Request) async throws -> Node {
        let bureau = try await bureau(request)
        let parameters = request.uri.queryParameters
        func value(_ name: Substring) -> String? { parameters[name].map(String.init) }
        let query = try GeoReport.Query.validated(
            ids: value("service_request_id"), serviceCodes: value("service_code"), statuses: value("status"), start: value("start_date"),
            end: value("end_date"), now: now())
        let found = try await open311.requests(query, in: bureau)
        let names = Dictionary(uniqueKeysWithValues: try await organisation.units().map { ($0.id, $0.name) })
        let categories = try await organisation.categories()
        return .list(member: "request", found.map { view($0, names: names, categories: categories) })
    }
}
