import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// A survey campaign's scores under a unit: a row per unit one level down (and, for staff, per officer), each
/// indicator with its 95% interval and n, the response rate against the target, and the months' trend.
struct ScoresModel: Sendable {
    struct Row: Sendable {
        var key: String
        var name: String
        var tallies: SurveyTallies
        /// The answers aimed for (target × communities), nil for an officer.
        var target: Int?
    }

    var campaigns: [SurveyCampaign]
    var campaign: SurveyCampaign?
    var unit: PoliceUnit
    var rows: [Row]
    var officers: [Row]
    var whole: SurveyTallies
    var months: [SurveyTallies]
    var minimumN: Int
    var staff: Bool
    var mayManage = false
    var mayRecord = false
    var communities: [PoliceUnit] = []
    var form: Form?
    var error: (field: String, message: String)?
    /// What is wrong with the answers form that came back, by field, in the page's language.
    var errors: [String: String] = [:]
    /// The new-campaign form as it came back, with what is wrong with it.
    var campaignSheet: FormSheet?
    var notice: String?
    /// The agent's phone-survey queue (on the record page).
    var phoneQueue: PhoneQueueModel?

    /// The scores of `?campaign=` (the newest by default) under `?unit=` (the actor's jurisdiction, or the bureau on the
    /// public page, whose rows are stations and which shows no officer).
    static func load(_ request: Request, actor: Actor?, pages: OpinionPages) async throws -> ScoresModel {
        let catalogue = try await pages.web.catalogue()
        let campaigns = try await pages.surveys.campaigns()
        let asked = request.uri.queryParameters["campaign"].map(String.init)
        let campaign = campaigns.first { $0.id.rawValue == asked } ?? campaigns.first
        guard let bureau = catalogue.units.first(where: { $0.kind == .bureau }) else { throw AppError.notFound("尚无单位") }
        var unit = actor?.jurisdiction ?? bureau
        if let actor, let raw = request.uri.queryParameters["unit"], let chosen = catalogue.byID[.init(String(raw))],
            actor.jurisdiction.contains(chosen)
        {
            unit = chosen
        }
        let children = catalogue.units.filter { $0.parentID == unit.id && $0.kind != .department }
        let communities = catalogue.units.filter { $0.kind == .community && unit.contains($0) }
        var rows: [Row] = []
        var officers: [Row] = []
        var whole = SurveyTallies(key: "", tallies: [:])
        var months: [SurveyTallies] = []
        if let campaign {
            let byUnit = try await pages.surveys.tallies(of: campaign.id, under: unit, by: .units(children))
            rows = children.map { child in
                let count = catalogue.units.filter { $0.kind == .community && child.contains($0) }.count
                return Row(
                    key: child.id.rawValue, name: child.name,
                    tallies: byUnit.first { $0.key == child.id.rawValue } ?? .init(key: child.id.rawValue, tallies: [:]),
                    target: campaign.targetPerUnit * max(1, count))
            }
            whole = try await pages.surveys.tallies(of: campaign.id, under: unit, by: .whole).first ?? whole
            months = try await pages.surveys.tallies(of: campaign.id, under: unit, by: .month)
            if actor != nil {
                for tallies in try await pages.surveys.tallies(of: campaign.id, under: unit, by: .officer) where !tallies.key.isEmpty {
                    let name = try await pages.web.organisation.officer(.init(tallies.key))?.name ?? tallies.key
                    officers.append(Row(key: tallies.key, name: name, tallies: tallies, target: nil))
                }
            }
        }
        return ScoresModel(
            campaigns: campaigns, campaign: campaign, unit: unit, rows: rows, officers: officers.sorted { $0.name < $1.name }, whole: whole,
            months: months, minimumN: pages.minimumN, staff: actor != nil, communities: communities)
    }

    func score(_ indicator: SurveyIndicator, _ tallies: SurveyTallies) -> IndicatorScore {
        IndicatorScore(indicator: indicator, tally: tallies.tallies[indicator] ?? .init(), minimumN: minimumN)
    }
}
