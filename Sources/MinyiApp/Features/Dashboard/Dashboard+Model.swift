import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// What the dashboard shows for a unit and its subtree: twelve months of measures and categories from the rollups,
/// what is open, late and due soon now, and how well the category suggester does. All read before any markup.
struct DashboardModel: Sendable {
    var catalogue: WebController.Catalogue
    var unit: PoliceUnit
    var labels: [String]
    var monthly: [Measures]
    var byCategory: [[CategoryCount]]
    var year: Measures
    var current: Measures
    var open: Int
    /// Counted no further than `countLimit` (shown as "1000+").
    var overdueNow: Int
    var dueSoon: Int
    var countLimit: Int
    var evaluation: CategorySuggester.Evaluation
    /// The stations (or the units just below) over the last twelve months, side by side.
    var comparison: [(unit: PoliceUnit, measures: Measures)]
}

extension WebController {
    /// Reads the dashboard of the unit the request asks for (within the officer's jurisdiction).
    func dashboardModel(_ request: Request, actor: Actor, web: WebRequest) async throws -> DashboardModel {
        let catalogue = try await catalogue()
        let unit = try chosenUnit(request, actor: actor, catalogue: catalogue, web: web)
        let at = now()
        let months = Deadlines.months(endingWith: at, count: 12)
        let labels = months.map { Deadlines.monthLabel($0.start) }
        let rows = try await items.monthTallies(under: unit, months: months)
        var perMonth = [[MonthTally]](repeating: [], count: months.count)
        for row in rows where (0..<months.count).contains(row.period) { perMonth[row.period].append(row) }
        func measures(_ rows: [MonthTally]) -> Measures {
            Measures(tally: rows.filter(\.assigned).reduce(into: ItemTally()) { $0 += $1.tally })
        }
        let monthly = perMonth.map(measures)
        let byCategory: [[CategoryCount]] = perMonth.map { rows in
            var counts: [MinyiCore.Category.Code: Int] = [:]
            for row in rows { counts[row.category, default: 0] += row.tally.received }
            return counts.filter { $0.value > 0 }.map { CategoryCount(category: $0.key, count: $0.value) }
        }
        let year = measures(rows)
        let current = monthly[monthly.count - 1]
        let open = try await items.openCount(under: unit)
        let overdueLimit = 1000
        let overdueNow = try await items.count(
            QueueFilter(unit: unit == actor.jurisdiction ? nil : unit.id, overdueOnly: true), for: actor, at: at, upTo: overdueLimit)
        let dueSoon = try await items.count(
            QueueFilter(unit: unit == actor.jurisdiction ? nil : unit.id, dueWithin: support.dueSoon), for: actor, at: at, upTo: overdueLimit)

        let evaluation = try await categoryModel.current(at: at).evaluation
        // Stations side by side (from the bureau), else the units just below that received items.
        let below = catalogue.children(of: unit).filter { unit.kind == .bureau ? $0.kind == .station : $0.kind != .community }
        var comparison: [(unit: PoliceUnit, measures: Measures)] = []
        for child in below {
            let measures = Measures(tally: try await items.tally(under: child, from: months[0].start, to: months[months.count - 1].end))
            if measures.received > 0 { comparison.append((child, measures)) }
        }
        return DashboardModel(
            catalogue: catalogue, unit: unit, labels: labels, monthly: monthly, byCategory: byCategory, year: year, current: current, open: open,
            overdueNow: overdueNow, dueSoon: dueSoon, countLimit: overdueLimit, evaluation: evaluation, comparison: comparison)
    }
}
