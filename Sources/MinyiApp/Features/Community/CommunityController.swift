import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Households, visits and the visit rules over the API: what a community officer's phone app or another police
/// system would use. Every call is held to the caller's jurisdiction.
struct CommunityController: Sendable {
    let community: SQLCommunityStore
    let organisation: SQLOrganisationStore
    let maxBodyBytes: Int
    let now: @Sendable () -> Date

    struct MemberBody: Codable {
        var name: String?
        var phone: String?
        var idNumber: String?
        var relation: String?
    }

    struct HouseholdRequest: Decodable {
        var unit: String?
        var address: String?
        var members: [MemberBody]?
        var tags: [String]?
        var officer: String?
        var registerKey: String?
        var reason: String?
    }

    struct HouseholdView: Codable {
        var id: String
        var unit: String
        var address: String
        var members: [MemberBody]
        var masked: Bool
        var tags: [String]
        var officer: String?
        var lastVisitAt: Date?
        var version: Int

        init(_ stored: StoredHousehold, masked: Bool) {
            let household = stored.household
            id = household.id.rawValue
            unit = household.unitID.rawValue
            address = household.address
            members = household.members.map { MemberBody(name: $0.name, phone: $0.phone, idNumber: $0.idNumber, relation: $0.relation) }
            self.masked = masked
            tags = household.tags.sorted().map(\.rawValue)
            officer = household.officerID?.rawValue
            lastVisitAt = stored.lastVisitAt
            version = household.version
        }
    }

    struct VisitRequest: Decodable {
        var outcome: String?
        var at: Date?
        var heard: String?
        var diary: String?
        /// The category of an item to open from what was heard.
        var category: String?
    }

    struct VisitView: Codable {
        var id: String
        var household: String
        var officer: String
        var at: Date
        var night: Bool
        var outcome: String
        var heard: String?
        var diary: String?
        var itemNumber: String?
        /// The due visits the visit resolved, with `done` or `late`.
        var resolved: [String: String]?

        init(_ visit: Visit, resolved: [DueVisit.ID: DueVisitStatus]? = nil) {
            id = visit.id.rawValue
            household = visit.householdID.rawValue
            officer = visit.officerID.rawValue
            at = visit.at
            night = visit.night
            outcome = visit.outcome.rawValue
            heard = visit.heard
            diary = visit.diary
            itemNumber = visit.itemNumber
            self.resolved = resolved.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.key.rawValue, $0.value.rawValue) }) }
        }
    }

    struct DueView: Codable {
        var id: String
        var household: String
        var address: String
        var rule: String
        var reason: String
        var unit: String
        var officer: String?
        var earliest: Date
        var due: Date
        var priority: Int
        var overdue: Bool

        init(_ row: DueVisitRow, now: Date) {
            id = row.due.id.rawValue
            household = row.due.householdID.rawValue
            address = row.address
            rule = row.due.ruleID.rawValue
            reason = row.due.reason
            unit = row.due.unitID.rawValue
            officer = row.due.officerID?.rawValue
            earliest = row.due.earliest
            due = row.due.due
            priority = row.due.priority
            overdue = row.due.isOverdue(at: now)
        }
    }

    struct RuleView: Codable {
        var id: String
        var kind: String
        var subject: String
        var months: Int?
        var windowDays: Int
        var priority: Int
        var name: String
        var active: Bool

        init(_ rule: VisitRule) {
            id = rule.id.rawValue
            kind = rule.trigger.kind
            subject = rule.trigger.subject
            months = rule.trigger.months
            windowDays = rule.windowDays
            priority = rule.priority
            name = rule.nameZh
            active = rule.active
        }
    }

    struct RuleRequest: Decodable {
        var id: String?
        var kind: String?
        var subject: String?
        var months: Int?
        var windowDays: Int?
        var priority: Int?
        var name: String?
        var active: Bool?
    }

    // MARK: Households

    /// `GET /api/v1/households?unit=&tag=&not_visited_since=&limit=&offset=`: members masked.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let query = request.uri.queryParameters
        var filter = SQLCommunityStore.HouseholdFilter()
        filter.unit = query["unit"].map { PoliceUnit.ID(String($0)) }
        filter.tag = try query["tag"].map { try parse(String($0), HouseholdTag.self, field: "tag") }
        if let raw = query["not_visited_since"] {
            guard let day = Format.parseDay(String(raw)) else {
                throw ValidationError.invalid(field: "not_visited_since", message: "日期格式应为 2026-01-01 (a date like 2026-01-01)")
            }
            filter.notVisitedSince = day
        }
        filter.limit = try Self.int(query["limit"], "limit", default: 50, range: 1...500)
        filter.offset = try Self.int(query["offset"], "offset", default: 0, range: 0...Int.max)
        let households = try await community.households(filter, for: actor)
        return try JSON.response(households.map { HouseholdView($0, masked: true) })
    }

    /// `POST /api/v1/households`: a household in a community of the caller's jurisdiction.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let body = try await JSON.decode(HouseholdRequest.self, from: request, limit: maxBodyBytes)
        let input = try Self.input(body)
        let stored = try await community.addHousehold(input, by: actor, reason: body.reason ?? "新增住户", at: now())
        return try JSON.response(HouseholdView(stored, masked: false), status: .created)
    }

    /// `POST /api/v1/households/{household}`: changes a household; `reason` is required and kept in its history.
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let body = try await JSON.decode(HouseholdRequest.self, from: request, limit: maxBodyBytes)
        let input = try Self.input(body)
        let stored = try await community.updateHousehold(try Self.household(context), input, by: actor, reason: body.reason ?? "", at: now())
        return try JSON.response(HouseholdView(stored.masked, masked: true))
    }

    /// `GET /api/v1/households/{household}[?reveal=members&purpose=]`: members masked, or in full for a role that may
    /// read contacts (the look audited).
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let id = try Self.household(context)
        if request.uri.queryParameters["reveal"] == "members" {
            let purpose = request.uri.queryParameters["purpose"].map(String.init) ?? "查看"
            let stored = try await community.revealMembers(of: id, by: actor, purpose: purpose, at: now())
            return try JSON.response(HouseholdView(stored, masked: false))
        }
        guard let stored = try await community.household(id, for: actor) else { throw AppError.notFound("住户 \(id) 不存在") }
        return try JSON.response(HouseholdView(stored, masked: true))
    }

    // MARK: Visits

    /// `POST /api/v1/households/{household}/visits`: records a visit; `Idempotency-Key` makes a retry give back the
    /// first record. With `category`, what was heard becomes an item.
    @Sendable func recordVisit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let body = try await JSON.decode(VisitRequest.self, from: request, limit: maxBodyBytes)
        let at = now()
        let report = try VisitReport(
            outcome: try parse(body.outcome, VisitOutcome.self, field: "outcome"), at: body.at ?? at, heard: body.heard, diary: body.diary,
            itemCategory: body.category.flatMap { $0.isEmpty ? nil : MinyiCore.Category.Code($0) }, now: at)
        let key = request.headers[.idempotencyKey]
        let recorded = try await community.recordVisit(to: try Self.household(context), report, requestKey: key, by: actor, at: at)
        var headers = HTTPFields()
        if recorded.replayed { headers[.idempotentReplayed] = "true" }
        return try JSON.response(VisitView(recorded.visit, resolved: recorded.resolved), status: recorded.replayed ? .ok : .created, headers: headers)
    }

    struct PlanRequest: Decodable {
        var on: String?
        var note: String?
    }

    /// `POST /api/v1/households/{household}/plans` `{on: "2026-12-02", note}`: plans a visit on a day.
    @Sendable func planVisit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSON.decode(PlanRequest.self, from: request, limit: maxBodyBytes)
        guard let day = body.on.flatMap({ Format.parseDay($0) }) else {
            throw ValidationError.invalid(field: "on", message: "日期格式应为 2026-12-02 (a day like 2026-12-02)")
        }
        let due = try await community.planVisit(to: try Self.household(context), on: day, note: body.note, by: try context.staff(), at: now())
        let row = DueVisitRow(due: due, address: "", tags: [])
        return try JSON.response(DueView(row, now: now()), status: .created)
    }

    struct LinkRequest: Decodable {
        var number: String?
    }

    /// `POST /api/v1/households/{household}/items` `{number}`: ties the household to an item a rule covers (the other
    /// party to a dispute) → `{due_visits_made}`.
    @Sendable func linkItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSON.decode(LinkRequest.self, from: request, limit: maxBodyBytes)
        guard let number = body.number, !number.isEmpty else { throw ValidationError.invalid(field: "number", message: "缺少必填字段 (required)") }
        let made = try await community.linkItem(
            TrackingNumber.normalise(number), to: try Self.household(context), by: try context.staff(), at: now())
        return try JSON.response(["due_visits_made": made], status: .created)
    }

    /// `GET /api/v1/visits/due[?all=true]`: the caller's due list (a unit lead's `all` shows everyone's).
    @Sendable func due(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let everyone = request.uri.queryParameters["all"] == "true" && actor.officer.has(.unitLead)
        let at = now()
        return try JSON.response(try await community.dueVisits(for: actor, everyone: everyone).map { DueView($0, now: at) })
    }

    // MARK: Reading the request

    static func household(_ context: AppRequestContext) throws -> Household.ID {
        guard let raw = context.parameters.get("household"), !raw.isEmpty, raw.count <= 64 else {
            throw AppError.notFound("住户不存在")
        }
        return Household.ID(raw)
    }

    static func int(_ raw: Substring?, _ field: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw else { return value }
        guard let number = Int(raw), range.contains(number) else {
            throw ValidationError.invalid(field: field, message: "\(field) 应为 \(range.lowerBound) 以上的整数 (a whole number in range)")
        }
        return number
    }

    static func input(_ body: HouseholdRequest) throws -> SQLCommunityStore.HouseholdInput {
        let members = try (body.members ?? []).enumerated().map { index, member in
            try HouseholdMember.validated(
                name: member.name, phone: member.phone, idNumber: member.idNumber, relation: member.relation, field: "members[\(index)]")
        }
        let tags = try (body.tags ?? []).map { try parse($0, HouseholdTag.self, field: "tags") }
        return try SQLCommunityStore.HouseholdInput(
            unitID: .init(body.unit ?? ""), address: body.address ?? "", members: members, tags: Set(tags),
            officerID: body.officer.flatMap { $0.isEmpty ? nil : Officer.ID($0) }, registerKey: body.registerKey)
    }
}

extension StoredHousehold {
    /// The same household with its members masked.
    var masked: StoredHousehold {
        var copy = self
        copy.household = household.masked
        return copy
    }
}
