import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Items: submission, public lookup, the staff work queue and the lifecycle commands.
struct ItemController: Sendable {
    let items: SQLItemStore
    let organisation: SQLOrganisationStore
    let authenticator: Authenticator
    let rateLimiter: RateLimiter
    let throttle: GuessThrottle
    let dueSoon: TimeInterval
    let maxBodyBytes: Int
    let now: @Sendable () -> Date

    // MARK: Submit

    /// The submission as sent: `kind`, `category`, `text`, `place`, `address`, `latitude`, `longitude`,
    /// `contact` {`name`, `phone`, `id_number`}, `channel`, `echo_card`. Read with `JSONReader`: this is the busiest
    /// request there is.
    struct CreateRequest {
        var kind, category, text, place, address, channel, echoCard: String?
        var latitude, longitude: Double?
        var contactName, contactPhone, contactIDNumber: String?

        init(_ body: JSONFields) throws {
            kind = try body.string("kind")
            category = try body.string("category")
            text = try body.string("text")
            place = try body.string("place")
            address = try body.string("address")
            channel = try body.string("channel")
            echoCard = try body.string("echo_card")
            latitude = try body.double("latitude")
            longitude = try body.double("longitude")
            if let contact = try body.object("contact") {
                contactName = try contact.string("name")
                contactPhone = try contact.string("phone")
                contactIDNumber = try contact.string("id_number")
            }
        }
    }

    /// The answer to a submission, written by hand in the same shape as `JSON.response` writes (snake_case keys,
    /// sorted, absent values left out).
    struct CreateResponse: Decodable {
        var number: String
        var pin: String
        var status: String
        var statusName: String
        var emergency: Bool
        var message: String
        var advice: String?
        var adviceEn: String?
        var lookup: String

        var json: ByteBuffer {
            var object = JSONObjectWriter()
            object.add("advice", advice)
            object.add("advice_en", adviceEn)
            object.add("emergency", emergency)
            object.add("lookup", lookup)
            object.add("message", message)
            object.add("number", number)
            object.add("pin", pin)
            object.add("status", status)
            object.add("status_name", statusName)
            return object.finished
        }
    }

    /// `POST /api/v1/items`: anyone submits on the web; staff register other channels.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try await authenticator.actor(for: request)
        if actor == nil { try rateLimiter.check(request, context, at: now()) }
        let body = try CreateRequest(try JSONFields.body(try await JSON.collect(request, limit: maxBodyBytes)))
        let channel = body.channel == nil ? Channel.web : try parse(body.channel, Channel.self, field: "channel")
        if channel != .web {
            guard let actor else {
                throw AppError.unauthorized("登记非网上渠道的事项需要登录 (staff login required for channel \(channel.rawValue))")
            }
            try Access.require(.registerItems, of: actor)
        }
        let contact = try Contact.validated(name: body.contactName, phone: body.contactPhone, idNumber: body.contactIDNumber)
        guard let place = body.place, !place.isEmpty else {
            throw ValidationError.invalid(field: "place", message: "请选择地点（社区/村）(place is required)")
        }
        guard let category = body.category, !category.isEmpty else {
            throw ValidationError.invalid(field: "category", message: "请选择类别 (category is required)")
        }
        let submission = try Submission(
            kind: try parse(body.kind, ItemKind.self, field: "kind"), category: .init(category), channel: channel, text: body.text ?? "",
            placeID: .init(place), address: body.address, latitude: body.latitude, longitude: body.longitude, contact: contact,
            echoCard: body.echoCard)
        let key = request.headers[.idempotencyKey]
        if let key, key.count > 200 || key.isEmpty {
            throw AppError.badRequest(field: "Idempotency-Key", message: "Idempotency-Key 长度应为 1–200 (length 1–200)")
        }
        let submitted = try await items.submit(submission, idempotencyKey: key, by: actor, at: now())
        let item = submitted.item
        let response = CreateResponse(
            number: item.number, pin: submitted.pin, status: item.status.rawValue, statusName: item.status.nameZh, emergency: item.emergency,
            message: "已受理。请记下查询号 \(item.number) 和查询密码 \(submitted.pin)，凭此查询办理进度与答复。",
            advice: item.emergency ? Emergency.adviceZh : nil, adviceEn: item.emergency ? Emergency.adviceEn : nil,
            lookup: "/api/v1/items/\(item.number)?pin=\(submitted.pin)")
        var headers: HTTPFields = [.location: "/api/v1/items/\(item.number)"]
        if !submitted.created { headers[.idempotentReplayed] = "true" }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .created, headers: headers, body: .init(byteBuffer: response.json))
    }

    // MARK: Read

    /// `GET /api/v1/items/{number}`: with `pin`, the resident's public view; with staff credentials, the full view
    /// (`reveal=contact` shows the contact unmasked to roles that need it, and the read is audited).
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let number = try Self.number(context)
        if let pin = request.uri.queryParameters["pin"].map(String.init) {
            try rateLimiter.check(request, context, at: now())
            guard
                let stored = try await throttle.lookUp(
                    number: number, pin: pin, in: items, address: rateLimiter.address(of: request, context), at: now())
            else { throw AppError.notFound("查询号或查询密码不正确 (unknown number or wrong PIN)") }
            let events = try await items.events(of: stored.item.id)
            let names = Dictionary(uniqueKeysWithValues: try await organisation.units().map { ($0.id, $0.name) })
            let categoryName =
                try await organisation.categories().first(where: { $0.code == stored.item.category })?.nameZh ?? stored.item.category.rawValue
            return try JSON.response(PublicItemView(item: stored.item, events: events, unitNames: names, categoryName: categoryName))
        }
        guard let actor = try await authenticator.actor(for: request) else {
            throw AppError.badRequest(field: "pin", message: "请提供查询密码 pin (pin is required)")
        }
        guard let stored = try await items.item(number: number), actor.sees(placePath: stored.placePath, assignedPath: stored.assignedPath)
        else { throw AppError.notFound("事项 \(number) 不存在或不在您的辖区 (not found)") }
        let reveal = request.uri.queryParameters["reveal"] == "contact"
        var contact = stored.item.contact
        if reveal, contact != nil {
            let purpose = request.uri.queryParameters["purpose"].map(String.init) ?? "查看"
            contact = try await items.revealContact(of: number, by: actor, purpose: purpose, at: now())
        }
        let events = try await items.events(of: stored.item.id)
        let orders = try await items.supervisionOrders(of: stored.item.id)
        let proposed = try await organisation.proposeUnit(category: stored.item.category, place: stored.item.placeID)
        return try JSON.response(
            StaffItemView(
                stored: stored, events: events, orders: orders, contact: contact, revealed: reveal, proposedUnit: proposed, actor: actor, now: now()))
    }

    struct ListResponse: Codable {
        /// How many items match, counted up to `SQLItemStore.exactCountLimit`.
        var total: Int
        /// False when more match than were counted (`total` is then a lower bound).
        var totalExact: Bool
        var items: [ItemSummaryView]
    }

    /// `GET /api/v1/items?status=&unit=&overdue=&due_soon=&emergency=&callback_due=&limit=&offset=`: the work queue, own
    /// jurisdiction only. `overdue` lists what is late now; `due_soon` what falls due within the warning window.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let query = request.uri.queryParameters
        func flag(_ name: String) -> Bool { ["1", "true", "yes"].contains(query[Substring(name)].map(String.init) ?? "") }
        func int(_ name: String, default value: Int) throws -> Int {
            guard let raw = query[Substring(name)] else { return value }
            guard let number = Int(raw), number >= 0 else {
                throw AppError.badRequest(
                    field: name,
                    message: "\(name) 应为非负整数 (non-negative integer)")
            }
            return number
        }
        let filter = QueueFilter(
            status: try query["status"].map { try parse(String($0), ItemStatus.self, field: "status") },
            unit: query["unit"].map { PoliceUnit.ID(String($0)) }, overdueOnly: flag("overdue"), emergencyOnly: flag("emergency"),
            callbackDue: flag("callback_due"), dueWithin: flag("due_soon") ? dueSoon : nil, limit: min(500, try int("limit", default: 50)),
            offset: try int("offset", default: 0))
        let at = now()
        let result = try await items.queue(filter, for: actor, at: at)
        return try JSON.response(
            ListResponse(
                total: result.total, totalExact: result.totalIsExact, items: result.items.map { ItemSummaryView($0, now: at, dueSoonWindow: dueSoon) }
            ))
    }

    // MARK: Commands

    struct CommandRequest: Decodable {
        var outcome: String?
        var text: String?
        var publicReason: String?
        var unit: String?
        var reason: String?
        var into: String?
        var result: String?
        var comment: String?
        var scores: [String: Int]?
        var category: String?
    }

    /// `POST /api/v1/items/{number}/{command}`: one lifecycle step, by role.
    func command(_ name: ItemCommand.Name) -> @Sendable (Request, AppRequestContext) async throws -> Response {
        { request, context in
            let actor = try await authenticator.require(request)
            let number = try Self.number(context)
            let body = try await JSON.decode(CommandRequest.self, from: request, limit: maxBodyBytes)
            let command = try await makeCommand(name, body: body, number: number)
            let transition = try await items.apply(command, to: number, by: actor, at: now())
            let events = try await items.events(of: transition.item.id)
            let orders = try await items.supervisionOrders(of: transition.item.id)
            guard let stored = try await items.item(number: number) else { throw AppError.notFound("事项 \(number) 不存在") }
            return try JSON.response(
                StaffItemView(
                    stored: stored, events: events, orders: orders, contact: stored.item.contact, revealed: false, proposedUnit: nil, actor: actor,
                    now: now()))
        }
    }

    private func makeCommand(_ name: ItemCommand.Name, body: CommandRequest, number: String) async throws -> ItemCommand {
        func required(_ value: String?, _ field: String) throws -> String {
            guard let value, !value.trimmed.isEmpty else {
                throw ValidationError.invalid(field: field, message: "\(field) 不能为空 (required)")
            }
            return value
        }
        switch name {
        case .answer:
            return .answer(
                outcome: try parse(body.outcome, ReplyOutcome.self, field: "outcome"), text: try required(body.text, "text"),
                publicReason: body.publicReason)
        case .dispatch:
            if let unit = body.unit, !unit.isEmpty { return .dispatch(unit: .init(unit)) }
            guard let stored = try await items.item(number: number),
                let proposed = try await organisation.proposeUnit(category: stored.item.category, place: stored.item.placeID)
            else {
                throw ValidationError.invalid(
                    field: "unit",
                    message: "请指定承办单位：派发目录中没有匹配的规则 (unit required: no dispatch rule matches)")
            }
            return .dispatch(unit: proposed)
        case .accept:
            return .accept
        case .reply:
            return .reply(
                outcome: try parse(body.outcome, ReplyOutcome.self, field: "outcome"), text: try required(body.text, "text"),
                publicReason: body.publicReason)
        case .return:
            return .returnToCommand(reason: try required(body.reason, "reason"))
        case .merge:
            return .merge(into: TrackingNumber.normalise(try required(body.into, "into")), reason: body.reason)
        case .reject:
            return .reject(reason: try required(body.reason, "reason"))
        case .callback:
            var scores: [CallbackScores.Indicator: Int] = [:]
            for (key, value) in body.scores ?? [:] {
                guard let indicator = CallbackScores.Indicator(rawValue: key) else {
                    throw ValidationError.invalid(field: "scores.\(key)", message: "未知的指标 \(key) (unknown indicator)")
                }
                scores[indicator] = value
            }
            return .callback(
                result: try parse(body.result, CallbackResult.self, field: "result"), comment: body.comment, scores: try CallbackScores(scores))
        case .supervise:
            return .supervise(reason: try required(body.reason, "reason"))
        case .close:
            return .close(reason: try required(body.reason, "reason"))
        case .recategorize:
            return .recategorize(category: .init(try required(body.category, "category")), reason: body.reason)
        case .overdue:
            throw AppError.forbidden("超期由系统记录 (recorded by the system only)")
        }
    }

    static func number(_ context: AppRequestContext) throws -> String {
        let raw = TrackingNumber.normalise(context.parameters.get("number") ?? "")
        guard TrackingNumber.isWellFormed(raw) else {
            throw AppError.notFound("查询号格式不正确，应如 KFQ-2026-004213 (malformed tracking number)")
        }
        return raw
    }
}
