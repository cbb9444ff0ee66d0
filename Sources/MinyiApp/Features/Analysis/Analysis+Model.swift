import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// What the monthly analysis (研判) of a unit's subtree shows, all read before any markup is written
/// (`Analysis+View.swift` writes it): the month's counts against the month before and a year before, the hot places,
/// and the clusters of items about one problem.
struct AnalysisModel: Sendable {
    var unit: PoliceUnit
    var month: (start: Date, end: Date)
    var analysis: MonthlyAnalysis
    var catalogue: WebController.Catalogue
    /// Items that may be about one problem, grouped, with each item's status.
    var clusters: [[ClusterFinder.Candidate]]
    var statuses: [String: ItemStatus]
    /// Whether the month had more items than were compared.
    var comparedAll: Bool
    var mayMerge: Bool
    var unitChoices: [HTML]
    var now: Date
}

extension WebController {
    /// Reads the analysis of `?unit=` (the officer's jurisdiction by default) for `?month=` (this month by default).
    func analysisModel(_ request: Request, actor: Actor, web: WebRequest) async throws -> AnalysisModel {
        let catalogue = try await catalogue()
        let unit = try chosenUnit(request, actor: actor, catalogue: catalogue, web: web)
        let at = now()
        let month = request.uri.queryParameters["month"].flatMap { Deadlines.month(named: String($0)) } ?? Deadlines.month(containing: at)
        let previous = Deadlines.month(containing: month.start, offsetBy: -1)
        let lastYear = Deadlines.month(containing: month.start, offsetBy: -12)
        let current = try await items.monthCounts(under: unit, from: month.start, to: month.end)
        let before = try await items.monthCounts(under: unit, from: previous.start, to: previous.end)
        let yearAgo = try await items.monthCounts(under: unit, from: lastYear.start, to: lastYear.end)
        let populations = Dictionary(uniqueKeysWithValues: catalogue.units.compactMap { u in u.population.map { (u.id, $0) } })
        let analysis = MonthlyAnalysis(
            categories: (current.categories, before.categories, yearAgo.categories), kinds: (current.kinds, before.kinds, yearAgo.kinds),
            places: current.places, populations: populations)
        // Clusters: one problem raised many times.
        let candidates = try await items.clusterCandidates(under: unit, from: month.start, to: month.end)
        return AnalysisModel(
            unit: unit, month: month, analysis: analysis, catalogue: catalogue,
            clusters: Array(ClusterFinder.clusters(candidates.map(\.candidate)).prefix(20)),
            statuses: Dictionary(candidates.map { ($0.candidate.number, $0.status) }, uniquingKeysWith: { a, _ in a }),
            comparedAll: candidates.count < SQLItemStore.clusterCandidateLimit, mayMerge: actor.officer.has(.dispatcher),
            unitChoices: unitChoices(actor, catalogue: catalogue, selected: unit), now: at)
    }

    /// `GET /staff/analysis?unit=&month=2026-11`
    @Sendable func analysis(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let model = try await analysisModel(request, actor: try context.staff(), web: web)
        return WebSupport.page(model.render(web), web)
    }
}
