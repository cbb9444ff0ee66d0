import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The mandatory visits of the week in the weekly bulletin, and supervision orders for the overdue ones.
struct VisitBulletin: Sendable {
    let web: WebController
    let community: SQLCommunityStore
    let now: @Sendable () -> Date

    /// The bulletin's section: each police office's mandatory visits due in the week, and the overdue ones still open.
    func section(week: (start: Date, end: Date), actor: Actor, page: WebRequest) async throws -> HTML {
        let (units, overdue) = try await community.visitsOfWeek(week, for: actor, at: now())
        guard !units.isEmpty || !overdue.isEmpty else { return .empty }
        let catalogue = try await web.catalogue()
        let rows: [HTML] = units.sorted { $0.key.rawValue < $1.key.rawValue }.map { unit, c in
            """
            <tr\(HTML.trusted(c.open > 0 ? " class=\"overdue\"" : ""))><td>\(catalogue.placeName(unit))</td><td class="num">\(c.due)</td>\
            <td class="num">\(c.onTime)</td><td class="num">\(c.late)</td><td class="num">\(c.open)</td><td class="num">\(c.supervised)</td></tr>
            """
        }
        let mayOrder = Permission.superviseVisits.isHeld(by: actor)
        let back = "/staff/bulletins/\(Format.date(week.start))"
        let overdueItems: [HTML] = overdue.map { row in
            let form: HTML =
                mayOrder && row.due.supervision == nil
                ? """
                <form method="post" action="/staff/visits/due/\(row.due.id.rawValue)/supervise" class="no-print">\(page.csrfField)\
                <input type="hidden" name="back" value="\(back)"><label for="f-r-\(row.due.id.rawValue)" class="hint">\(page.t("督办事由", "Reason"))\
                </label>\
                <input type="text" id="f-r-\(row.due.id.rawValue)" name="reason" value="\(page.t("五必访逾期未走访，请限期落实",
                    "Overdue mandatory visit: make it now"))">\
                <button type="submit" class="secondary">\(page.t("督办", "Send an order"))</button></form>
                """ : .empty
            return """
                <li><a href="/staff/households/\(row.due.householdID.rawValue)">\(row.address)</a> · \(row.due.reason) · \
                <span class="overdue">\(page.t("应于 \(Format.date(row.due.due)) 前", "due \(Format.date(row.due.due))"))</span>\
                \(row.due.supervision.map { " · <span class=\"flag\">\(page.t("已督办", "Ordered"))</span> \($0)" as HTML } ?? .empty)\(form)</li>
                """
        }
        return """
            <h2 id="bulletin-visits">\(page.t("五必访落实情况", "Mandatory visits"))</h2>
            <div class="table-wrap"><table id="bulletin-visit-table"><thead><tr><th>\(page.t("警务室", "Police office"))</th>\
            <th class="num">\(page.t("本周应访", "Due this week"))</th><th class="num">\(page.t("按期", "On time"))</th>\
            <th class="num">\(page.t("逾期完成", "Late"))</th><th class="num">\(page.t("逾期未访", "Still open"))</th>\
            <th class="num">\(page.t("已督办", "Ordered"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
            \(overdueItems.isEmpty ? .empty
                : "<h3>\(page.t("逾期未走访", "Overdue, not yet visited"))</h3><ul id=\"overdue-visits\">\(overdueItems)</ul>" as HTML)
            """
    }

    /// `POST /staff/visits/due/{due}/supervise`: a supervision order for an overdue mandatory visit.
    @Sendable func supervise(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let form = try await web.support.form(request, page)
        guard let raw = context.parameters.get("due") else { throw AppError.notFound("走访任务不存在") }
        try await community.supervise(.init(raw), reason: form.raw("reason"), by: try context.staff(), at: now())
        return WebSupport.redirect((WebSupport.localPath(form["back"]) ?? "/staff/visits") + "#bulletin-visits")
    }
}
