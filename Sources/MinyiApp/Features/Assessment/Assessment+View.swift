import Foundation
import MinyiCore
import MinyiStorage

extension AssessmentModel {
    func render(_ web: WebRequest) -> HTML {
        let zh = web.lang == .zh
        let tabs: [HTML] = [year + 1, year, year - 1].map { y in
            "<a href=\"/staff/assessment?year=\(y)\"\(HTML.trusted(y == year ? " aria-current=\"page\"" : ""))>\(y)</a>"
        }
        let preview = web.t("预览：按当前数据计算，尚未发布。", "Preview: computed from today's data, not issued yet.")
        let status: HTML =
            issued.map { issued in
                let by = names[issued.issuedBy.rawValue] ?? issued.issuedBy.rawValue
                return "<p class=\"alert ok\" id=\"issued\">\(web.t("已发布", "Issued")) \(Format.dateTime(issued.issuedAt)) · \(by)</p>"
            } ?? "<p class=\"muted\" id=\"preview\">\(preview)</p>"
        let issueForm: HTML =
            mayManage && issued == nil && scheme != nil
            ? """
            <form method="post" action="/staff/assessment/\(year)/issue" class="no-print">\(web.csrfField)\
            <button type="submit">\(web.t("发布 \(year) 年度考评", "Issue the \(year) assessment"))</button></form>
            """ : .empty
        return Layout.page(
            web, title: web.t("\(year) 年度考评", "\(year) assessment"), staff: true, wide: true,
            """
            <h1>\(web.t("\(year) 年度考评", "The \(year) assessment"))</h1>
            <nav class="tabs no-print">\(tabs)</nav>
            \(Layout.noticeBox(notice))
            \(status)
            \(schemeCard(web))
            \(scheme == nil ? .empty : """
                <h2>\(web.t("各单位", "Units"))</h2>\(table(units, id: "assessment-units", web, zh: zh))
                <p class="no-print"><a href="/staff/assessment.csv?year=\(year)&amp;kind=unit">\(web.t("导出 CSV", "Export CSV"))</a></p>
                <h2>\(web.t("各民警", "Officers"))</h2>\(table(officers, id: "assessment-officers", web, zh: zh))
                <p class="no-print"><a href="/staff/assessment.csv?year=\(year)&amp;kind=officer">\(web.t("导出 CSV", "Export CSV"))</a> · \
                \(Layout.printLink(web))</p>
                """)
            \(issueForm)
            \(mayManage && issued == nil ? forms(web) : .empty)
            """)
    }

    func schemeCard(_ web: WebRequest) -> HTML {
        guard let scheme else {
            return "<p class=\"card\">\(web.t("本年度尚未配置考评方案。", "No scheme for this year yet."))</p>"
        }
        let share = String(format: "%.0f%%", scheme.publicWeight * 100)
        let rows: [HTML] = scheme.components.map { c in
            """
            <tr><td>\(web.lang == .zh ? c.nameZh : c.nameEn)</td><td>\(c.source.isPublic ? web.t("群众评价", "The public") : web.t("其他", "Other"))\
            </td>\
            <td class="num">\(String(format: "%.0f%%", c.weight * 100))</td></tr>
            """
        }
        return """
            <div class="card"><h2>\(web.t("考评方案", "The scheme"))</h2><div class="table-wrap"><table id="scheme"><thead><tr>\
            <th>\(web.t("项目", "Component"))</th><th>\(web.t("来源", "Source"))</th><th class="num">\(web.t("权重", "Weight"))</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            <p id="public-share">\(web.t("群众评价合计 \(share)（不低于 51%）；样本少于 \(scheme.minimumN) 的项目记为缺失，不重新分配权重。",
                "The public's share: \(share) (at least 51%). A component with fewer than \(scheme.minimumN) answers is missing, "
                    + "never re-weighted."))</p></div>
            """
    }

    func table(_ lines: [AssessmentLine], id: String, _ web: WebRequest, zh: Bool) -> HTML {
        guard let scheme else { return .empty }
        guard !lines.isEmpty else { return "<p class=\"muted\">\(web.t("暂无数据。", "No data yet."))</p>" }
        let heads: [HTML] = scheme.components.map { "<th class=\"num\">\(zh ? $0.nameZh : $0.nameEn)</th>" }
        var rank = 0
        let rows: [HTML] = lines.map { line in
            let cells: [HTML] = scheme.components.map { c in
                let shown = cell(line.values[c.key], zh: zh)
                return "<td class=\"num\(shown.missing ? " muted" : "")\">\(shown.text)</td>"
            }
            let total: HTML
            if let value = line.total {
                rank += 1
                total = "<td class=\"num\"><strong>\(String(format: "%.1f", value))</strong></td>"
            } else {
                total = "<td class=\"num muted\">\(web.t("不完整", "incomplete")) (\(String(format: "%.1f", line.partial)))</td>"
            }
            return """
                <tr><td class="num">\(line.total == nil ? "—" : String(rank))</td><td>\(names[line.subject] ?? line.subject)</td>\(cells)\(total)</tr>
                """
        }
        return """
            <div class="table-wrap"><table id="\(id)"><thead><tr><th class="num">\(web.t("名次", "Rank"))</th><th>\(web.t("对象", "Who"))</th>\
            \(heads)<th class="num">\(web.t("总分", "Total"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    func forms(_ web: WebRequest) -> HTML {
        let text =
            schemeForm?.raw("components") ?? scheme?.text
            ?? "surveys 民意评警 surveys 0.40\ncallbacks 回访满意率 callbacks 0.15\nmeetings 述职评议 meetings 0.05\n"
            + "workload 工作量 entered 0.25\ndiscipline 队伍纪律 entered 0.15"
        return """
            <form method="post" action="/staff/assessment/\(year)/scheme" class="card no-print" id="scheme-form">\(web.csrfField)
            <h2>\(web.t("配置方案", "Configure the scheme"))</h2>
            \(["components", "reason", "minimum_n"].contains(error?.field ?? "") ? Layout.errorBox(error?.message) : .empty)\
            \(FormSheet(web, errors: errors).summary)
            <div class="\(fieldClass("components"))"><label for="f-components">\(web.t(
                "每行一项：代码 名称 来源 权重（来源：surveys 民意评警、callbacks 回访、meetings 述职评议、entered 录入）",
                "A component a line: key, name, source (surveys, callbacks, meetings, entered), weight"))</label>\
            <textarea id="f-components" name="components" rows="6">\(text)</textarea>\(schemeMessage("components"))</div>
            <div class="\(fieldClass("minimum_n"))"><label for="f-min">\(web.t("最小样本", "Minimum sample"))</label>\
            <input type="number" id="f-min" name="minimum_n" value="\(schemeForm?.raw("minimum_n") ?? String(scheme?.minimumN ?? 30))">\
            \(schemeMessage("minimum_n"))</div>
            <div class="\(fieldClass("reason"))"><label for="f-reason">\(web.t("调整原因", "Why"))</label>\
            <input type="text" id="f-reason" name="reason" value="\(schemeForm?.raw("reason") ?? "")">\(schemeMessage("reason"))</div>
            <button type="submit">\(web.t("保存方案", "Save the scheme"))</button></form>
            <form method="post" action="/staff/assessment/\(year)/entries" class="card no-print" id="entries-form">\(web.csrfField)
            <h2>\(web.t("录入其他项目得分", "Enter the other components' scores"))</h2>
            \(["entries", "score", "subject", "component"].contains(error?.field ?? "") ? Layout.errorBox(error?.message) : .empty)
            <label for="f-entries">\(web.t("每行：officer 用户名 或 unit 单位编号，项目代码，分数（0–100），如 officer handler1 workload 85",
                "A line each: officer USERNAME or unit ID, component, score (0–100), e.g. officer handler1 workload 85"))</label>
            <textarea id="f-entries" name="entries" rows="5">\(entriesForm?.raw("entries") ?? "")</textarea>
            <button type="submit" class="secondary">\(web.t("录入", "Enter"))</button></form>
            """
    }
}
