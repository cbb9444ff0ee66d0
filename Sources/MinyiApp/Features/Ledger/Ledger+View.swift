import Foundation
import MinyiCore
import MinyiStorage

extension LedgerModel {
    func render(_ web: WebRequest) -> HTML {
        let values = query.values
        let sheet = FormSheet(web, values: Form(fields: values.mapValues { [$0] }), errors: query.errors)
        func select(_ name: String, _ label: String, _ options: [(String, String)]) -> HTML {
            let rendered: [HTML] = options.map { "<option value=\"\($0.0)\"\(attr: "selected", when: values[name] == $0.0)>\($0.1)</option>" }
            return """
                <div><label for="f-\(name)">\(label)</label><select id="f-\(name)" name="\(name)"><option \
                value="">\(web.t("全部", "All"))</option>\(rendered)</select></div>
                """
        }
        let base = "/staff/ledger?" + query.query + (query.query.isEmpty ? "" : "&")
        let position: String =
            result.totalIsExact
            ? web.t("第 \(page) / \(pages) 页，共 \(result.total) 件", "Page \(page) of \(pages), \(result.total) items")
            : web.t("第 \(page) 页，共 \(result.totalText) 件", "Page \(page), \(result.totalText) items")
        let pager: HTML = """
            <div class="pager no-print">\(page > 1 ? "<a href=\"\(base)page=\(page - 1)\">← \(web.t("上一页", "Previous"))</a>" as HTML : .empty)
            <span>\(position)</span>
            \(hasNext ? "<a href=\"\(base)page=\(page + 1)\">\(web.t("下一页", "Next")) →</a>" as HTML : .empty)</div>
            """
        return Layout.page(
            web, title: web.t("台账", "Ledger"), staff: true,
            """
            <h1>\(web.t("台账", "Ledger")) · \(jurisdictionName)</h1>
            <form method="get" action="/staff/ledger" class="card filters no-print">\(sheet.summary)
            \(select("unit", web.t("承办单位", "Unit"), units.map { ($0.id.rawValue, $0.name) }))
            \(sheet.field("from", label: web.t("登记自", "From"), sheet.text("from", type: "date")))
            \(sheet.field("to", label: web.t("登记至", "To"), sheet.text("to", type: "date")))
            \(select("category", web.t("类别", "Category"), catalogue.categories.map { ($0.code.rawValue, web.lang == .zh ? $0.nameZh : $0.nameEn) }))
            \(select("channel", web.t("渠道", "Channel"), Channel.allCases.map { ($0.rawValue, web.lang == .zh ? $0.nameZh : $0.nameEn) }))
            \(select("status", web.t("状态", "Status"), ItemStatus.allCases.map { ($0.rawValue, web.lang == .zh ? $0.nameZh : $0.nameEn) }))
            <div class="actions wide"><button type="submit">\(web.t("筛选", "Filter"))</button> \
            <a class="button secondary" id="export-csv" href="/staff/ledger.csv?\(query.query)">\(web.t("导出 CSV（Excel）", "Export CSV (Excel)"))\
            </a>
            <span class="hint">\(web.t("导出包含全部符合筛选的事项，按登记时间从新到旧排列。",
                "The export holds every item that matches the filter, newest first."))</span>\
            </div>
            </form>
            \(pager)
            \(table.render(web))
            \(pager)
            """)
    }
}
