import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// What the household list shows: the jurisdiction's households, filtered, a page at a time.
struct HouseholdListModel: Sendable {
    var households: [StoredHousehold]
    var catalogue: WebController.Catalogue
    var communities: [PoliceUnit]
    var filter: SQLCommunityStore.HouseholdFilter
    var notThisYear: Bool
    var now: Date

    static let pageSize = 50

    static func load(_ request: Request, actor: Actor, pages: CommunityPages, web: WebRequest, now: Date) async throws -> HouseholdListModel {
        let query = request.uri.queryParameters
        let catalogue = try await pages.web.catalogue()
        var filter = SQLCommunityStore.HouseholdFilter(limit: pageSize)
        if let unit = query["unit"], !unit.isEmpty {
            guard let chosen = catalogue.byID[.init(String(unit))], actor.jurisdiction.contains(chosen) else {
                throw AppError.notFound(web.t("该社区不存在或不在您的辖区。", "No such community in your jurisdiction."))
            }
            filter.unit = chosen.id
        }
        filter.tag = query["tag"].flatMap { HouseholdTag(rawValue: String($0)) }
        let notThisYear = query["unvisited"] == "1"
        if notThisYear { filter.notVisitedSince = Deadlines.start(year: Deadlines.year(of: now), month: 1) }
        filter.offset = max(0, Int(query["offset"] ?? "0") ?? 0)
        return HouseholdListModel(
            households: try await pages.community.households(filter, for: actor), catalogue: catalogue,
            communities: catalogue.units.filter { $0.kind == .community && actor.jurisdiction.contains($0) }, filter: filter,
            notThisYear: notThisYear, now: now)
    }

    /// The query of this list with another offset.
    func query(offset: Int) -> String {
        var parts: [String] = []
        if let unit = filter.unit { parts.append("unit=" + unit.rawValue) }
        if let tag = filter.tag { parts.append("tag=" + tag.rawValue) }
        if notThisYear { parts.append("unvisited=1") }
        parts.append("offset=\(offset)")
        return "?" + parts.joined(separator: "&")
    }
}
