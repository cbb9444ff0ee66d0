import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// What the pairs page shows: each pair of the jurisdiction (or the officer's own) with its standing this week, month
/// and year, the forms to record a contact or a deed, and the pairs falling behind first.
struct PairsModel: Sendable {
    var rows: [PairRow]
    var officerNames: [Officer.ID: String]
    var catalogue: WebController.Catalogue
    var cadence: PairingCadence
    var behindOnly: Bool
    var actor: Actor
    var notice: String?
    var error: String?
    var now: Date

    static func load(
        _ request: Request, actor: Actor, pages: CommunityPages, now: Date, notice: String? = nil, error: String? = nil
    ) async throws -> PairsModel {
        let behindOnly = request.uri.queryParameters["behind"] == "1"
        // A cadre sees their own pairs; leads and leaders see the jurisdiction's.
        let own = !actor.officer.hasAny([.unitLead, .leader, .admin, .inspector])
        let rows = try await pages.community.pairs(for: actor, officer: own ? actor.officer.id : nil, behindOnly: behindOnly, at: now)
        var names: [Officer.ID: String] = [:]
        for id in Set(rows.map(\.pairing.officerID)) { names[id] = try await pages.web.organisation.officer(id)?.name }
        return PairsModel(
            rows: rows.sorted { ($0.standing.isBehind ? 0 : 1, $0.address) < ($1.standing.isBehind ? 0 : 1, $1.address) },
            officerNames: names, catalogue: try await pages.web.catalogue(), cadence: try await pages.community.pairingCadence(),
            behindOnly: behindOnly, actor: actor, notice: notice, error: error, now: now)
    }

    /// Whether the page offers the actor the forms of the pair: to its cadre (a lead may log for a cadre through the
    /// API; the overview stays a list).
    func mayRecord(_ row: PairRow) -> Bool { row.pairing.officerID == actor.officer.id }
}
