import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The ledger's pages: the list and its CSV export.
extension WebController {
    /// `GET /staff/ledger?unit=&from=&to=&category=&channel=&status=&page=` (the model in `Ledger+Model.swift`, the markup in
    /// `Ledger+View.swift`)
    @Sendable func ledger(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let model = try await ledgerModel(request, web: web, actor: try context.staff())
        return WebSupport.page(model.render(web), web, status: model.query.errors.isEmpty ? .ok : .badRequest)
    }

    /// `GET /staff/ledger.csv`: every item of the ledger's filter, newest registration first, as UTF-8 with a
    /// byte-order mark and Chinese headers, so Excel opens it with the Chinese intact. Cells that a spreadsheet would
    /// read as a formula are prefixed with an apostrophe. The rows are read and sent a page at a time, so an export of
    /// a whole year holds one page in memory; the first page is read before the answer starts, so that a bad filter is
    /// still answered with its error.
    @Sendable func ledgerCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let catalogue = try await catalogue()
        let query = try ledgerQuery(request, web: web, limit: 100)
        if let (field, message) = query.errors.sorted(by: { $0.key < $1.key }).first {
            throw AppError.badRequest(field: field, message: message)
        }
        var export = items.export(query.filter, for: actor, at: now())
        let first = try await export.next() ?? []
        let (audit, at) = (audit, now())
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] =
            "attachment; filename=\"minyi-ledger-\(Format.date(at)).csv\"; filename*=UTF-8''%E5%8F%B0%E8%B4%A6-\(Format.date(at)).csv"
        headers[.cacheControl] = "no-store"
        let body = ResponseBody { [export] writer in
            var export = export
            var rows = 0
            var csv =
                "\u{FEFF}"
                + CSV.row([
                    "查询号", "登记时间", "类型", "类别", "渠道", "地点", "承办单位", "状态", "答复结果", "回访结果", "内容",
                    "公开原因",
                ])
            var page: [StoredItem]? = first
            do {
                while let items = page {
                    for stored in items {
                        let item = stored.item
                        csv += CSV.row([
                            item.number, Format.dateTime(item.createdAt), item.kind.nameZh, catalogue.categoryName(item.category, lang: .zh),
                            item.channel.nameZh, catalogue.placeName(item.placeID), catalogue.unitName(item.assignedUnitID), item.status.nameZh,
                            item.replyOutcome?.nameZh ?? "", item.callbackResult?.nameZh ?? "", item.text, item.publicReason ?? "",
                        ])
                    }
                    rows += items.count
                    try await writer.write(ByteBuffer(string: csv))
                    csv = ""
                    page = try await export.next()
                }
            } catch {
                try? await audit.record(
                    actor: actor.officer.id, action: "export_ledger", target: actor.jurisdiction.id.rawValue,
                    detail: "\(rows) rows, then stopped: \(error); \(query.query)", at: at)
                throw error
            }
            try await audit.record(
                actor: actor.officer.id, action: "export_ledger", target: actor.jurisdiction.id.rawValue, detail: "\(rows) rows; \(query.query)",
                at: at)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
