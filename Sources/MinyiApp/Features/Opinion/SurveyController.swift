import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Survey campaigns and their scores over the API.
struct SurveyController: Sendable {
    let pages: OpinionPages
    let maxBodyBytes: Int

    var surveys: SQLSurveyStore { pages.surveys }

    struct CampaignView: Codable {
        var id: String
        var title: String
        var startsAt: Date
        var endsAt: Date
        var unit: String
        var targetPerUnit: Int

        init(_ campaign: SurveyCampaign) {
            id = campaign.id.rawValue
            title = campaign.title
            startsAt = campaign.startsAt
            endsAt = campaign.endsAt
            unit = campaign.unitID.rawValue
            targetPerUnit = campaign.targetPerUnit
        }
    }

    /// `GET /api/v1/surveys`
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(try await surveys.campaigns().map(CampaignView.init))
    }

    struct CampaignRequest: Decodable {
        var title: String?
        var startsAt: Date?
        var endsAt: Date?
        var unit: String?
        var targetPerUnit: Int?
    }

    /// `POST /api/v1/surveys`
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let body = try await JSON.decode(CampaignRequest.self, from: request, limit: maxBodyBytes)
        let campaign = try SurveyCampaign.validated(
            id: .init("S" + RowID.make(at: pages.now()).suffix(8)), title: body.title, startsAt: body.startsAt, endsAt: body.endsAt,
            unitID: body.unit.map { PoliceUnit.ID($0) } ?? actor.jurisdiction.id, targetPerUnit: body.targetPerUnit)
        try await surveys.createCampaign(campaign, by: actor, at: pages.now())
        return try JSON.response(CampaignView(campaign), status: .created)
    }

    struct ResponseRequest: Decodable {
        var unit: String?
        var officer: String?
        var channel: String?
        var at: Date?
        var sawPolice: Bool?
        var knowsOfficer: Bool?
        var attitude: Int?
        var safety: Int?
        var satisfaction: String?
        var comment: String?
    }

    /// `POST /api/v1/surveys/{campaign}/responses`
    @Sendable func record(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        guard let raw = context.parameters.get("campaign") else { throw AppError.notFound("调查不存在") }
        let body = try await JSON.decode(ResponseRequest.self, from: request, limit: maxBodyBytes)
        let answers = SurveyAnswers(
            sawPolice: body.sawPolice, knowsOfficer: body.knowsOfficer, attitude: body.attitude, safety: body.safety,
            satisfaction: try body.satisfaction.map { try parse($0, CallbackResult.self, field: "satisfaction") }, comment: body.comment)
        try await surveys.record(
            .init(
                unitID: .init(body.unit ?? ""), officerID: body.officer.map { Officer.ID($0) },
                channel: try parse(body.channel ?? "phone", SurveyChannel.self, field: "channel"), surveyor: actor.officer.name,
                at: body.at ?? pages.now(), answers: answers), in: .init(raw), by: actor, at: pages.now())
        return Response(status: .created)
    }

    struct ScoreView: Codable {
        struct Indicator: Codable {
            var value: Double?
            var low: Double?
            var high: Double?
            var n: Int
            var tooSmall: Bool
        }
        var key: String
        var n: Int
        var indicators: [String: Indicator]
    }

    /// `GET /api/v1/surveys/{campaign}/scores?unit=&by=unit|officer|month`
    @Sendable func scores(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        guard let raw = context.parameters.get("campaign") else { throw AppError.notFound("调查不存在") }
        let catalogue = try await pages.web.catalogue()
        var unit = actor.jurisdiction
        if let asked = request.uri.queryParameters["unit"] {
            guard let chosen = catalogue.byID[.init(String(asked))], actor.jurisdiction.contains(chosen) else {
                throw AppError.notFound("单位不存在或不在您的辖区")
            }
            unit = chosen
        }
        let grouping: SQLSurveyStore.Grouping
        switch request.uri.queryParameters["by"].map(String.init) ?? "unit" {
        case "officer": grouping = .officer
        case "month": grouping = .month
        case "unit": grouping = .units(catalogue.units.filter { $0.parentID == unit.id })
        default: throw ValidationError.invalid(field: "by", message: "应为 unit、officer 或 month (unit, officer or month)")
        }
        let views = try await surveys.tallies(of: .init(raw), under: unit, by: grouping).map { tallies in
            ScoreView(
                key: tallies.key, n: tallies.n,
                indicators: Dictionary(
                    uniqueKeysWithValues: SurveyIndicator.allCases.map { indicator in
                        let score = IndicatorScore(indicator: indicator, tally: tallies.tallies[indicator] ?? .init(), minimumN: pages.minimumN)
                        let estimate = score.estimate
                        return (
                            indicator.rawValue,
                            ScoreView.Indicator(
                                value: estimate?.value, low: estimate?.low, high: estimate?.high, n: score.tally.n, tooSmall: score.tooSmall)
                        )
                    }))
        }
        return try JSON.response(views)
    }
}
