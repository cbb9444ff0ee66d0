import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The ledger (台账): every item of the jurisdiction with filters, and its CSV export for Excel.
extension WebController {
    struct LedgerQuery {
        var filter: QueueFilter
        var values: [String: String]
        var query: String
    }

    func ledgerQuery(_ request: Request, web: WebRequest, limit: Int) throws -> LedgerQuery {
        var values: [String: String] = [:]
        for name in ["unit", "from", "to", "category", "channel", "status"] {
            if let value = request.uri.queryParameters[Substring(name)], !value.isEmpty { values[name] = String(value) }
        }
        var filter = QueueFilter(limit: limit)
        if let unit = values["unit"] { filter.unit = .init(unit) }
        if let category = values["category"] { filter.category = .init(category) }
        if let raw = values["channel"] {
            guard let channel = Channel(rawValue: raw) else {
                throw AppError.badRequest(field: "channel", message: web.t("未知的渠道", "Unknown channel"))
            }
            filter.channel = channel
        }
        if let raw = values["status"] {
            guard let status = ItemStatus(rawValue: raw) else {
                throw AppError.badRequest(field: "status", message: web.t("未知的状态", "Unknown status"))
            }
            filter.status = status
        }
        if let raw = values["from"] {
            guard let from = Format.parseDay(raw) else {
                throw AppError.badRequest(field: "from", message: web.t("起始日期应如 2026-11-01", "From should look like 2026-11-01"))
            }
            filter.from = from
        }
        if let raw = values["to"] {
            guard let to = Format.parseDay(raw) else {
                throw AppError.badRequest(field: "to", message: web.t("截止日期应如 2026-11-30", "To should look like 2026-11-30"))
            }
            filter.to = to.addingTimeInterval(86400)
        }
        let query = values.sorted { $0.key < $1.key }.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }
        .joined(separator: "&")
        return LedgerQuery(filter: filter, values: values, query: query)
    }

    /// `GET /staff/ledger?unit=&from=&to=&category=&channel=&status=&page=`
    @Sendable func ledger(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let catalogue = try await catalogue()
        var query = try ledgerQuery(request, web: web, limit: 100)
        let page = max(1, request.uri.queryParameters["page"].flatMap { Int($0) } ?? 1)
        query.filter.offset = (page - 1) * 100
        let at = now()
        let result = try await items.queue(query.filter, for: actor, at: at)
        func select(_ name: String, _ label: String, _ options: [(String, String)]) -> HTML {
            let rendered: [HTML] = options.map { "<option value=\"\($0.0)\"\(attr: "selected", when: query.values[name] == $0.0)>\($0.1)</option>" }
            return
                """
                    <div><label for=\"f-\(name)\">\(label)</label><select id=\"f-\(name)\" name=\"\(name)\"><option \
                    value=\"\">\(web.t("全部", "All"))</option>\(rendered)</select></div>
                    """
        }
        let units = catalogue.units.filter { actor.jurisdiction.contains($0) || actor.unit.contains($0) }.filter { $0.kind != .community }
        let pages = max(1, (result.total + 99) / 100)
        let base = "/staff/ledger?" + query.query + (query.query.isEmpty ? "" : "&")
        // Past the counted total the number of pages is unknown; a full page means there may be another.
        let position: String =
            result.totalIsExact
            ? web.t("第 \(page) / \(pages) 页，共 \(result.total) 件", "Page \(page) of \(pages), \(result.total) items")
            : web.t("第 \(page) 页，共 \(result.totalText) 件", "Page \(page), \(result.totalText) items")
        let hasNext = result.totalIsExact ? page < pages : result.items.count == 100
        let pager: HTML = """
            <div class="pager no-print">\(page > 1 ? "<a href=\"\(base)page=\(page - 1)\">← \(web.t("上一页", "Previous"))</a>" as HTML : .empty)
            <span>\(position)</span>
            \(hasNext ? "<a href=\"\(base)page=\(page + 1)\">\(web.t("下一页", "Next")) →</a>" as HTML : .empty)</div>
            """
        let html = Layout.page(
            web, title: web.t("台账", "Ledger"), staff: true,
            """
            <h1>\(web.t("台账", "Ledger")) · \(actor.jurisdiction.name)</h1>
            <form method="get" action="/staff/ledger" class="card filters no-print">
            \(select("unit", web.t("承办单位", "Unit"), units.map { ($0.id.rawValue, $0.name) }))
            <div><label for="f-from">\(web.t("登记自", "From"))</label><input type="date" id="f-from" name="from" value="\(query.values["from"] ?? "")">\
            </div>
            <div><label for="f-to">\(web.t("登记至", "To"))</label><input type="date" id="f-to" name="to" value="\(query.values["to"] ?? "")"></div>
            \(select("category", web.t("类别", "Category"), catalogue.categories.map { ($0.code.rawValue, web.lang == .zh ? $0.nameZh : $0.nameEn) }))
            \(select("channel", web.t("渠道", "Channel"), Channel.allCases.map { ($0.rawValue, web.lang == .zh ? $0.nameZh : $0.nameEn) }))
            \(select("status", web.t("状态", "Status"), ItemStatus.allCases.map { ($0.rawValue, web.lang == .zh ? $0.nameZh : $0.nameEn) }))
            <div class="actions wide"><button type="submit">\(web.t("筛选", "Filter"))</button> \
            <a class="button secondary" id="export-csv" href="/staff/ledger.csv?\(query.query)">\(web.t("导出 CSV（Excel）", "Export CSV (Excel)"))\
            </a>
            <span class="hint">\(web.t("导出包含全部符合筛选的事项，按登记时间从新到旧排列。", "The export holds every item that matches the filter, newest first."))</span>\
            </div>
            </form>
            \(pager)
            \(itemTable(result.items, web, catalogue: catalogue, at: at))
            \(pager)
            """)
        return WebSupport.page(html, web)
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
