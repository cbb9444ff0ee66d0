import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// What the public results page shows, read first (`Results+View.swift` writes it): per station this month and the
/// month before, the categories raised most, and the public reasons of unsolved items.
struct ResultsModel: Sendable {
    var month: (start: Date, end: Date)
    var previous: (start: Date, end: Date)
    var stations: [(station: PoliceUnit, now: Measures, before: Measures)]
    var top: [(category: MinyiCore.Category.Code, count: Int)]
    var reasons: [PublicReason]
    var catalogue: WebController.Catalogue
    var at: Date
}

extension WebController {
    /// Reads the results of `?month=` (this month by default); nil before the bureau exists.
    func resultsModel(_ request: Request) async throws -> ResultsModel? {
        let catalogue = try await catalogue()
        let at = now()
        let month = request.uri.queryParameters["month"].flatMap { Deadlines.month(named: String($0)) } ?? Deadlines.month(containing: at)
        let previous = Deadlines.month(containing: month.start, offsetBy: -1)
        guard let bureau = catalogue.units.first(where: { $0.kind == .bureau }) else { return nil }
        var stations: [(station: PoliceUnit, now: Measures, before: Measures)] = []
        for station in catalogue.stations {
            stations.append(
                (
                    station, Measures(tally: try await items.tally(under: station, from: month.start, to: month.end)),
                    Measures(tally: try await items.tally(under: station, from: previous.start, to: previous.end))
                ))
        }
        let top = try await items.categoryCounts(under: bureau, from: month.start, to: month.end).prefix(5).map { ($0.category, $0.count) }
        return ResultsModel(
            month: month, previous: previous, stations: stations, top: top, reasons: try await items.publicReasons(under: bureau, limit: 10),
            catalogue: catalogue, at: at)
    }

    /// `GET /results?month=2026-11`: per station, this month and the month before: received, reply, closure and
    /// satisfaction rates; the most raised categories; the public reasons of unsolved items.
    @Sendable func results(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        guard let model = try await resultsModel(request) else {
            return WebSupport.page(Layout.page(web, title: web.t("办理公开", "Results"), "<p>\(web.t("尚无数据。", "No data yet."))</p>"), web)
        }
        return WebSupport.page(model.render(web), web)
    }
}
