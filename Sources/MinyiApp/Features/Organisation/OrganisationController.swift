import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The organisation and catalogue (public: the submission form needs them), measures, supervision orders and the audit log.
struct OrganisationController: Sendable {
    let organisation: SQLOrganisationStore
    let items: SQLItemStore
    let audit: SQLAuditLog
    let now: @Sendable () -> Date

    struct UnitView: Codable {
        var id: String
        var name: String
        var kind: String
        var parent: String?
        var population: Int?
    }

    /// `GET /api/v1/units`
    @Sendable func units(_ request: Request, context: AppRequestContext) async throws -> Response {
        let units = try await organisation.units()
        return try JSON.response(
            units.map {
                UnitView(id: $0.id.rawValue, name: $0.name, kind: $0.kind.rawValue, parent: $0.parentID?.rawValue, population: $0.population)
            })
    }

    struct CategoryView: Codable {
        var code: String
        var nameZh: String
        var nameEn: String
        var group: String
        var responseHours: Int
        var handlingDays: Int
    }

    /// `GET /api/v1/categories`
    @Sendable func categories(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(
            try await organisation.categories().map {
                CategoryView(
                    code: $0.code.rawValue, nameZh: $0.nameZh, nameEn: $0.nameEn, group: $0.group, responseHours: $0.responseHours,
                    handlingDays: $0.handlingDays)
            })
    }

    struct DeadlinesRequest: Decodable {
        var responseHours: Int?
        var handlingDays: Int?
    }

    /// `POST /api/v1/categories/{code}/deadlines`: an administrator changes a category's deadlines; items already
    /// dispatched keep theirs. The change is written to the audit log.
    @Sendable func setDeadlines(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let code = MinyiCore.Category.Code(context.parameters.get("code") ?? "")
        let body = try await JSON.decode(DeadlinesRequest.self, from: request, limit: 4096)
        guard let hours = body.responseHours, (1...720).contains(hours) else {
            throw ValidationError.invalid(field: "response_hours", message: "签收时限应为 1–720 小时 (1–720 hours)")
        }
        guard let days = body.handlingDays, (1...365).contains(days) else {
            throw ValidationError.invalid(field: "handling_days", message: "办理时限应为 1–365 天 (1–365 days)")
        }
        guard let before = try await organisation.categories().first(where: { $0.code == code }) else {
            throw AppError.notFound("类别 \(code) 不存在 (unknown category)")
        }
        try await organisation.setDeadlines(of: code, responseHours: hours, handlingDays: days)
        try await audit.record(
            actor: actor.officer.id, action: "category.deadlines", target: code.rawValue,
            detail: "\(before.responseHours)h/\(before.handlingDays)d → \(hours)h/\(days)d", at: now())
        return try await categories(request, context: context)
    }

    struct MeasuresView: Codable {
        struct RateView: Codable {
            var numerator: Int
            var denominator: Int
            var value: Double?
            var percent: String
            /// Satisfaction rates sit near 100%, where one decimal hides the difference: they carry two.
            init(_ rate: Rate, precise: Bool = false) {
                numerator = rate.numerator
                denominator = rate.denominator
                value = rate.value
                percent = precise ? rate.precisePercent : rate.percent
            }
        }
        var unit: String
        var unitName: String
        var from: Date
        var to: Date
        var received: Int
        var replyRate: RateView
        var responseRate: RateView
        var closureRate: RateView
        /// Final satisfaction: each item's latest answered callback.
        var satisfactionRate: RateView
        /// First-time satisfaction (一次满意率): each item's first answered callback.
        var firstSatisfactionRate: RateView
        var overdue: Int
        var open: Int
    }

    /// `GET /api/v1/measures?unit=&from=&to=`: the unit (default: the caller's jurisdiction) with its subtree; the
    /// period defaults to the current month. Dates are `YYYY-MM-DD` (Beijing time) or ISO 8601.
    @Sendable func measures(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let query = request.uri.queryParameters
        let unit: PoliceUnit
        if let id = query["unit"] {
            guard let found = try await organisation.unit(PoliceUnit.ID(String(id))) else {
                throw ValidationError.invalid(field: "unit", message: "未知的单位 \(id) (unknown unit)")
            }
            guard actor.jurisdiction.contains(found) || actor.unit.contains(found) else {
                throw AccessError.outsideJurisdiction("单位 \(found.name)")
            }
            unit = found
        } else {
            unit = actor.jurisdiction
        }
        let month = Deadlines.month(containing: now())
        let from = try query["from"].map { try Self.date(String($0), field: "from") } ?? month.start
        let to = try query["to"].map { try Self.date(String($0), field: "to", endOfDay: true) } ?? month.end
        guard from < to else { throw ValidationError.invalid(field: "to", message: "结束日期应晚于开始日期 (to must be after from)") }
        let measures = Measures(tally: try await items.tally(under: unit, from: from, to: to))
        return try JSON.response(
            MeasuresView(
                unit: unit.id.rawValue, unitName: unit.name, from: from, to: to, received: measures.received,
                replyRate: .init(measures.replyRate), responseRate: .init(measures.responseRate), closureRate: .init(measures.closureRate),
                satisfactionRate: .init(measures.satisfactionRate, precise: true),
                firstSatisfactionRate: .init(measures.firstSatisfactionRate, precise: true), overdue: measures.overdue, open: measures.open))
    }

    static func date(_ raw: String, field: String, endOfDay: Bool = false) throws -> Date {
        if raw.count == 10 {
            var components = DateComponents()
            let parts = raw.split(separator: "-").compactMap { Int($0) }
            if parts.count == 3 {
                components.year = parts[0]
                components.month = parts[1]
                components.day = parts[2]
                if let day = Deadlines.calendar.date(from: components), (1...12).contains(parts[1]), (1...31).contains(parts[2]) {
                    return endOfDay ? day.addingTimeInterval(86400) : day
                }
            }
        }
        if let date = ISO8601DateFormatter().date(from: raw) { return date }
        throw ValidationError.invalid(field: field, message: "\(field) 应为 YYYY-MM-DD 日期 (expected a date like 2026-11-01)")
    }

    /// `GET /api/v1/supervision-orders?open=true`
    @Sendable func supervisionOrders(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let openOnly = request.uri.queryParameters["open"].map { $0 != "false" } ?? true
        let at = now()
        return try JSON.response(try await items.supervisionOrders(for: actor, openOnly: openOnly).map { SupervisionOrderView($0, now: at) })
    }

    /// `GET /api/v1/audit?actor=&target=&action=&from=&to=&limit=&before=`: the audit log, for auditors and
    /// administrators, newest first, a page at a time (at most 1,000 entries; the `Link` header's `rel="next"` gives
    /// the next page). Officers outside the bureau level read only the entries of officers in their own subtree.
    @Sendable func auditLog(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let query = request.uri.queryParameters
        func text(_ name: String) throws -> String? {
            guard let raw = query[Substring(name)].map(String.init), !raw.isEmpty else { return nil }
            guard raw.count <= 200 else { throw AppError.badRequest(field: name, message: "\(name) 过长 (at most 200 characters)") }
            return raw
        }
        var filter = AuditQuery(within: actor.isBureauWide ? nil : actor.jurisdiction)
        if let name = try text("actor") {
            // An officer by username or ID.
            var found = try await organisation.officer(username: name)?.officer
            if found == nil { found = try await organisation.officer(Officer.ID(name)) }
            guard let officer = found else {
                throw ValidationError.invalid(field: "actor", message: "未知的民警 \(name) (unknown officer)")
            }
            filter.actor = officer.id
        }
        filter.target = try text("target")
        filter.action = try text("action")
        filter.from = try text("from").map { try Self.date($0, field: "from") }
        filter.to = try text("to").map { try Self.date($0, field: "to", endOfDay: true) }
        if let raw = try text("limit") {
            guard let limit = Int(raw), (1...AuditQuery.maxLimit).contains(limit) else {
                throw AppError.badRequest(field: "limit", message: "limit 应为 1–\(AuditQuery.maxLimit) (1–\(AuditQuery.maxLimit))")
            }
            filter.limit = limit
        }
        if let raw = try text("before") {
            guard let cursor = AuditQuery.Cursor(raw) else { throw AppError.badRequest(field: "before", message: "before 无效 (invalid cursor)") }
            filter.before = cursor
        }
        let page = try await audit.entries(filter)
        var headers = HTTPFields()
        if let next = page.next {
            var components = URLComponents()
            components.path = "/api/v1/audit"
            components.queryItems =
                query.filter { $0.key != "before" }.map { URLQueryItem(name: String($0.key), value: String($0.value)) }
                + [URLQueryItem(name: "before", value: next.description)]
            headers[.link] = "<\(components.string ?? "/api/v1/audit")>; rel=\"next\""
        }
        return try JSON.response(page.entries, headers: headers)
    }
}
