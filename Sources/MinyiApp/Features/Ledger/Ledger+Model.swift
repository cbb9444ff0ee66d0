import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// One page of the ledger: its filter as typed, the units to choose from and where the page stands.
struct LedgerModel: Sendable {
    var query: WebController.LedgerQuery
    var result: SQLItemStore.QueuePage
    var page: Int
    var units: [PoliceUnit]
    var jurisdictionName: String
    var catalogue: WebController.Catalogue
    var table: ItemTableModel

    var pages: Int { max(1, (result.total + 99) / 100) }
    /// Past the counted total the number of pages is unknown; a full page means there may be another.
    var hasNext: Bool { result.totalIsExact ? page < pages : result.items.count == 100 }
}

/// The ledger (台账): every item of the jurisdiction with filters, and its CSV export for Excel.
extension WebController {
    struct LedgerQuery {
        var filter: QueueFilter
        var values: [String: String]
        var query: String
        /// What could not be read in the filter, by field, in the page's language.
        var errors: [String: String] = [:]
    }

    func ledgerQuery(_ request: Request, web: WebRequest, limit: Int) throws -> LedgerQuery {
        var values: [String: String] = [:]
        for name in ["unit", "from", "to", "category", "channel", "status"] {
            if let value = request.uri.queryParameters[Substring(name)], !value.isEmpty { values[name] = String(value) }
        }
        var filter = QueueFilter(limit: limit)
        if let unit = values["unit"] { filter.unit = .init(unit) }
        if let category = values["category"] { filter.category = .init(category) }
        // Every part of the filter read; each one that cannot be is named (the page shows them all beside their fields).
        var errors: [String: String] = [:]
        if let raw = values["channel"] {
            if let channel = Channel(rawValue: raw) { filter.channel = channel } else { errors["channel"] = web.t("未知的渠道", "Unknown channel") }
        }
        if let raw = values["status"] {
            if let status = ItemStatus(rawValue: raw) { filter.status = status } else { errors["status"] = web.t("未知的状态", "Unknown status") }
        }
        if let raw = values["from"] {
            if let from = Format.parseDay(raw) {
                filter.from = from
            } else {
                errors["from"] = web.t("起始日期应如 2026-11-01", "From should look like 2026-11-01")
            }
        }
        if let raw = values["to"] {
            if let to = Format.parseDay(raw) {
                filter.to = to.addingTimeInterval(86400)
            } else {
                errors["to"] = web.t("截止日期应如 2026-11-30", "To should look like 2026-11-30")
            }
        }
        let query = values.sorted { $0.key < $1.key }.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }
        .joined(separator: "&")
        return LedgerQuery(filter: filter, values: values, query: query, errors: errors)
    }

    func ledgerModel(_ request: Request, web: WebRequest, actor: Actor) async throws -> LedgerModel {
        let catalogue = try await catalogue()
        var query = try ledgerQuery(request, web: web, limit: 100)
        let page = max(1, request.uri.queryParameters["page"].flatMap { Int($0) } ?? 1)
        query.filter.offset = (page - 1) * 100
        let at = now()
        // A filter that cannot be read lists nothing: the form comes back with what was typed and what is wrong.
        let result =
            query.errors.isEmpty
            ? try await items.queue(query.filter, for: actor, at: at) : SQLItemStore.QueuePage(items: [], total: 0, totalIsExact: true)
        let units = catalogue.units.filter { actor.jurisdiction.contains($0) || actor.unit.contains($0) }.filter { $0.kind != .community }
        return LedgerModel(
            query: query, result: result, page: page, units: units, jurisdictionName: actor.jurisdiction.name, catalogue: catalogue,
            table: itemTableModel(result.items, catalogue: catalogue, at: at))
    }
}
