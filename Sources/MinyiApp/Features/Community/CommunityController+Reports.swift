import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Coverage, pairs, meetings, areas and the visit rules over the API.
extension CommunityController {
    // MARK: Coverage

    struct CountsView: Codable {
        var households: Int
        var visitedHouseholds: Int
        var coverage: OrganisationController.MeasuresView.RateView
        var visits: Int
        var met: Int
        var night: Int
        var due: Int
        var dueOnTime: Int
        var dueLate: Int
        var onTime: OrganisationController.MeasuresView.RateView

        init(_ c: VisitCounts) {
            households = c.households
            visitedHouseholds = c.visitedHouseholds
            coverage = .init(c.coverage)
            visits = c.visits
            met = c.met
            night = c.night
            due = c.due
            dueOnTime = c.dueOnTime
            dueLate = c.dueLate
            onTime = .init(c.onTime)
        }
    }

    struct CoverageView: Codable {
        var unit: String
        var grain: String
        var from: Date
        var to: Date
        var total: CountsView
        var communities: [String: CountsView]
        var officers: [String: CountsView]
    }

    /// `GET /api/v1/coverage?unit=&grain=month|year&month=2026-11`: visit coverage under a unit of the caller's jurisdiction.
    @Sendable func coverage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let query = request.uri.queryParameters
        let units = try await organisation.units()
        var unit = actor.jurisdiction
        if let raw = query["unit"] {
            guard let chosen = units.first(where: { $0.id.rawValue == raw }), actor.jurisdiction.contains(chosen) else {
                throw ValidationError.invalid(field: "unit", message: "单位 \(raw) 不在您的辖区 (not in your jurisdiction)")
            }
            unit = chosen
        }
        let grain = try query["grain"].map { try parse(String($0), VisitTallies.Grain.self, field: "grain") } ?? .month
        var date = now()
        if let raw = query["month"] {
            guard let month = Deadlines.month(named: String(raw)) else {
                throw ValidationError.invalid(field: "month", message: "月份格式应为 2026-11 (a month like 2026-11)")
            }
            date = month.start
        }
        let coverage = try await community.coverage(under: unit, grain: grain, containing: date)
        return try JSON.response(
            CoverageView(
                unit: unit.id.rawValue, grain: grain.rawValue, from: grain.start(of: date), to: grain.end(of: date),
                total: CountsView(coverage.total(under: unit, units: units)),
                communities: Dictionary(uniqueKeysWithValues: coverage.communities.map { ($0.key.rawValue, CountsView($0.value)) }),
                officers: Dictionary(uniqueKeysWithValues: coverage.officers.map { ($0.key.rawValue, CountsView($0.value)) })))
    }

    // MARK: Pairs

    struct PairView: Codable {
        var id: String
        var officer: String
        var household: String
        var address: String
        var since: Date
        var contact: String
        var visit: String
        var deeds: String
        var contactsThisWeek: Int
        var visitsThisMonth: Int
        var deedsThisYear: Int
        var behind: Bool

        init(_ row: PairRow) {
            id = row.pairing.id.rawValue
            officer = row.pairing.officerID.rawValue
            household = row.pairing.householdID.rawValue
            address = row.address
            since = row.pairing.since
            contact = row.standing.contact.rawValue
            visit = row.standing.visit.rawValue
            deeds = row.standing.deeds.rawValue
            contactsThisWeek = row.standing.counts.contactsThisWeek + row.standing.counts.visitsThisWeek
            visitsThisMonth = row.standing.counts.visitsThisMonth
            deedsThisYear = row.standing.counts.deedsThisYear
            behind = row.standing.isBehind
        }
    }

    struct PairRequest: Decodable {
        var officer: String?
        var household: String?
    }

    struct ActivityRequest: Decodable {
        var kind: String?
        var at: Date?
        var note: String?
    }

    struct ActivityView: Codable {
        var id: String
        var pairing: String
        var kind: String
        var at: Date
        var note: String?
    }

    /// `GET /api/v1/pairs[?behind=true]`: the pairs of the caller's jurisdiction, judged now.
    @Sendable func pairs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let rows = try await community.pairs(for: actor, behindOnly: request.uri.queryParameters["behind"] == "true", at: now())
        return try JSON.response(rows.map(PairView.init))
    }

    /// `POST /api/v1/pairs`: pairs a cadre with a household.
    @Sendable func createPair(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let body = try await JSON.decode(PairRequest.self, from: request, limit: maxBodyBytes)
        guard let officer = body.officer, !officer.isEmpty else {
            throw ValidationError.invalid(
                field: "officer",
                message: "缺少必填字段 (required)")
        }
        guard let household = body.household, !household.isEmpty else {
            throw ValidationError.invalid(field: "household", message: "缺少必填字段 (required)")
        }
        let pairing = try await community.pair(officer: .init(officer), with: .init(household), by: actor, at: now())
        let row = try await community.pairs(for: actor, at: now()).first { $0.pairing.id == pairing.id }
        guard let row else { throw AppError.notFound("结对不存在") }
        return try JSON.response(PairView(row), status: .created)
    }

    /// `POST /api/v1/pairs/{pairing}/activities`: a contact or a deed (`Idempotency-Key` records it once).
    @Sendable func recordActivity(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        guard let raw = context.parameters.get("pairing") else { throw AppError.notFound("结对不存在") }
        let body = try await JSON.decode(ActivityRequest.self, from: request, limit: maxBodyBytes)
        let at = now()
        let activity = try await community.recordPairActivity(
            try parse(body.kind, PairActivityKind.self, field: "kind"), for: .init(raw), at: body.at ?? at, note: body.note,
            requestKey: request.headers[.idempotencyKey], by: actor, now: at)
        return try JSON.response(
            ActivityView(id: activity.id, pairing: raw, kind: activity.kind.rawValue, at: activity.at, note: activity.note), status: .created)
    }

    // MARK: Meetings

    struct MeetingView: Codable {
        struct Result: Codable {
            var officer: String
            var ratings: Int
            var satisfied: Int
            var basicallySatisfied: Int
            var dissatisfied: Int
            var satisfaction: OrganisationController.MeasuresView.RateView
            var averages: [String: Double]
        }
        var id: String
        var title: String
        var kind: String
        var unit: String
        var place: String
        var startsAt: Date
        var status: String
        var codesIssued: Int
        var attended: Int
        var results: [Result]
        var items: [String]
    }

    /// `GET /api/v1/meetings/{meeting}`: a meeting with its ratings added up and the items raised.
    @Sendable func meeting(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        guard let raw = context.parameters.get("meeting"), let record = try await community.meetingRecord(.init(raw), for: actor) else {
            throw AppError.notFound("会议不存在")
        }
        let m = record.meeting
        let results = m.reporters.map { officer -> MeetingView.Result in
            let r = record.results[officer] ?? MeetingResult()
            var averages: [String: Double] = [:]
            for indicator in CallbackScores.Indicator.allCases { averages[indicator.rawValue] = r.average(indicator) }
            return .init(
                officer: officer.rawValue, ratings: r.ratings, satisfied: r.satisfied, basicallySatisfied: r.basicallySatisfied,
                dissatisfied: r.dissatisfied, satisfaction: .init(r.satisfaction), averages: averages)
        }
        return try JSON.response(
            MeetingView(
                id: m.id.rawValue, title: m.title, kind: m.kind.rawValue, unit: m.unitID.rawValue, place: m.place, startsAt: m.startsAt,
                status: m.status.rawValue, codesIssued: record.codesIssued, attended: record.attended, results: results, items: record.items))
    }

    // MARK: Areas

    struct AreaView: Codable {
        var officer: String
        var unit: String
        var assignedAt: Date
    }

    struct AreaRequest: Decodable {
        var officer: String?
        var unit: String?
    }

    /// `GET /api/v1/areas`: the layered assignment of the caller's jurisdiction.
    @Sendable func areas(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(
            try await community.areas(for: try context.staff()).map {
                AreaView(officer: $0.officerID.rawValue, unit: $0.unitID.rawValue, assignedAt: $0.assignedAt)
            })
    }

    /// `POST /api/v1/areas`: assigns an officer an area (a leader a town or community, a cadre a village).
    @Sendable func assignArea(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSON.decode(AreaRequest.self, from: request, limit: maxBodyBytes)
        guard let officer = body.officer, !officer.isEmpty else {
            throw ValidationError.invalid(
                field: "officer",
                message: "缺少必填字段 (required)")
        }
        guard let unit = body.unit, !unit.isEmpty else { throw ValidationError.invalid(field: "unit", message: "缺少必填字段 (required)") }
        let area = try await community.assign(.init(officer), area: .init(unit), by: try context.staff(), at: now())
        return try JSON.response(AreaView(officer: officer, unit: area.unitID.rawValue, assignedAt: area.assignedAt), status: .created)
    }

    // MARK: Rules

    /// `GET /api/v1/visit-rules`
    @Sendable func rules(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(try await community.rules().map(RuleView.init))
    }

    /// `POST /api/v1/visit-rules`: adds or changes a rule (bureau administrators).
    @Sendable func saveRule(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSON.decode(RuleRequest.self, from: request, limit: maxBodyBytes)
        guard let kind = body.kind, let subject = body.subject?.trimmed, !subject.isEmpty else {
            throw ValidationError.invalid(field: body.kind == nil ? "kind" : "subject", message: "缺少必填字段 (required)")
        }
        guard let trigger = VisitRule.Trigger(kind: kind, subject: subject, months: body.months) else {
            throw ValidationError.invalid(
                field: kind == "every" ? "months" : "kind",
                message:
                    "规则应为 every（标签+每 1–12 个月）、business_record 或 item_category "
                    + "(every with a tag and 1–12 months, business_record or item_category)")
        }
        var rule = try VisitRule.validated(
            id: body.id ?? "", trigger: trigger, windowDays: body.windowDays ?? 0, priority: body.priority ?? 2, name: body.name ?? "")
        rule.active = body.active ?? true
        try await community.saveRule(rule)
        return try JSON.response(RuleView(rule), status: .created)
    }

    // MARK: Settings

    struct SettingsView: Codable {
        var nightVisits: String
        var pairingCadence: String
    }

    struct SettingsRequest: Decodable {
        var nightVisits: String?
        var pairingCadence: String?
    }

    /// `GET /api/v1/community-settings`: the night-visit hours (`1,3,5 20:00-21:00`) and the pairing cadence (contacts a
    /// week, visits a month, deeds a year: `1,1,2`).
    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(
            SettingsView(nightVisits: try await community.nightSchedule().text, pairingCadence: try await community.pairingCadence().text))
    }

    /// `POST /api/v1/community-settings`: changes them (bureau administrators).
    @Sendable func saveSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSON.decode(SettingsRequest.self, from: request, limit: maxBodyBytes)
        var night: NightSchedule?
        var cadence: PairingCadence?
        if let text = body.nightVisits {
            guard let schedule = NightSchedule(text: text) else {
                throw ValidationError.invalid(field: "night_visits", message: "应为“星期几 起-止”，如 1,3,5 20:00-21:00 (weekdays and hours)")
            }
            night = schedule
        }
        if let text = body.pairingCadence {
            guard let value = PairingCadence(text: text) else {
                throw ValidationError.invalid(field: "pairing_cadence", message: "应为“每周联系,每月走访,每年实事”，如 1,1,2 (three numbers)")
            }
            cadence = value
        }
        if let night { try await community.setNightSchedule(night) }
        if let cadence { try await community.setPairingCadence(cadence) }
        return try await settings(request, context: context)
    }
}
