import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// What the coverage page shows: under a unit, for a month or a year, each community's and each officer's counts, and
/// households not visited this year.
struct CoverageModel: Sendable {
    var unit: PoliceUnit
    var grain: VisitTallies.Grain
    var period: (start: Date, end: Date)
    var coverage: Coverage
    var catalogue: WebController.Catalogue
    var officerNames: [Officer.ID: String]
    var neverVisited: [StoredHousehold]
    /// Households of the unit not met this year (from the year's counters).
    var neverVisitedCount: Int
    var unitChoices: [HTML]

    static func load(_ request: Request, actor: Actor, pages: CommunityPages, web: WebRequest, now: Date) async throws -> CoverageModel {
        let catalogue = try await pages.web.catalogue()
        let unit = try pages.web.chosenUnit(request, actor: actor, catalogue: catalogue, web: web)
        let query = request.uri.queryParameters
        let grain: VisitTallies.Grain = query["grain"] == "year" ? .year : .month
        let month = query["month"].flatMap { Deadlines.month(named: String($0)) }?.start ?? now
        let coverage = try await pages.community.coverage(under: unit, grain: grain, containing: month)
        let year = grain == .year ? coverage : try await pages.community.coverage(under: unit, grain: .year, containing: month)
        let yearTotal = year.total(under: unit, units: catalogue.units)
        var names: [Officer.ID: String] = [:]
        for id in coverage.officers.keys { names[id] = try await pages.web.organisation.officer(id)?.name }
        let yearStart = VisitTallies.Grain.year.start(of: month)
        let never = try await pages.community.households(
            .init(unit: unit.id == actor.jurisdiction.id ? nil : unit.id, notVisitedSince: yearStart, limit: 20), for: actor)
        return CoverageModel(
            unit: unit, grain: grain, period: (grain.start(of: month), grain.end(of: month)), coverage: coverage, catalogue: catalogue,
            officerNames: names, neverVisited: never, neverVisitedCount: yearTotal.households - yearTotal.visitedHouseholds,
            unitChoices: pages.web.unitChoices(actor, catalogue: catalogue, selected: unit))
    }

    /// The communities under the unit, in tree order.
    var communities: [PoliceUnit] { catalogue.units.filter { $0.kind == .community && unit.contains($0) } }

    var total: VisitCounts { coverage.total(under: unit, units: catalogue.units) }

    var periodLabel: String { grain == .year ? String(Deadlines.year(of: period.start)) : Deadlines.monthLabel(period.start) }
}
