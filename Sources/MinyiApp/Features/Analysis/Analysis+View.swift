import Foundation
import MinyiCore
import MinyiStorage

extension AnalysisModel {
    func render(_ web: WebRequest) -> HTML {
        func change(_ value: Double?) -> HTML {
            guard let value else { return "<span class=\"muted\">—</span>" }
            let text = String(format: "%+.0f%%", value * 100)
            return value > 0.2 ? "<strong class=\"overdue\">\(text) ↑</strong>" : value < -0.2 ? "<span>\(text) ↓</span>" : "<span>\(text)</span>"
        }
        func categoryName(_ key: String) -> String { catalogue.categoryName(.init(key), web) }
        func kindName(_ key: String) -> String { ItemKind(rawValue: key).map { web.lang == .zh ? $0.nameZh : $0.nameEn } ?? key }
        func table(_ lines: [MonthlyAnalysis.Line], name: (String) -> String, id: String) -> HTML {
            let rows: [HTML] = lines.map { line in
                """
                <tr><td>\(name(line.key))</td><td class="num"><strong>\(line.count)</strong></td><td class="num">\(line.previousMonth)</td>\
                <td class="num">\(change(line.monthOnMonth))</td>
                <td class="num hide-narrow">\(line.lastYear)</td><td class="num hide-narrow">\(change(line.yearOnYear))</td></tr>
                """
            }
            return """
                <div class="table-wrap"><table id="\(id)"><thead><tr><th></th><th class="num">\(web.t("本月", "This month"))</th>\
                <th class="num">\(web.t("上月", "Last month"))</th>
                <th class="num">\(web.t("环比", "vs last month"))</th><th class="num hide-narrow">\(web.t("去年同月", "A year ago"))</th>\
                <th class="num hide-narrow">\(web.t("同比", "vs a year ago"))</th></tr></thead>
                <tbody>\(rows)</tbody></table></div>
                """
        }
        let top = analysis.topConcerns(8)
        let chart = Charts.compareBars(
            labels: top.map { categoryName($0.key) },
            series: [
                .init(name: web.t("本月", "This month"), values: top.map { Double($0.count) }),
                .init(name: web.t("上月", "Last month"), values: top.map { Double($0.previousMonth) }),
                .init(name: web.t("去年同月", "A year ago"), values: top.map { Double($0.lastYear) }),
            ], title: web.t("主要问题对比", "Top concerns compared"))
        let concerns: [HTML] = analysis.topConcerns(5).enumerated().map { index, line in
            "<li><strong>\(categoryName(line.key))</strong> \(line.count) \(web.t("件", "items")) \(change(line.monthOnMonth))</li>"
        }
        let hot: [HTML] = analysis.hotPlaces.prefix(10).map { place in
            """
            <tr><td>\(catalogue.placeName(place.place))</td><td class="num">\(place.count)</td><td class="num hide-narrow">\(place.population)</td>
            <td class="num"><strong>\(String(format: "%.2f", place.perThousand))</strong></td></tr>
            """
        }
        let back = "/staff/analysis?unit=\(unit.id.rawValue)&month=\(Deadlines.monthLabel(month.start))"
        let clusterCards: [HTML] = clusters.map { cluster in
            let first = cluster[0]
            let shown = 12
            var rows: [HTML] = cluster.prefix(shown).map { item in
                let status = statuses[item.number] ?? .registered
                var merge: HTML = .empty
                if mayMerge, item.number != first.number, Lifecycle.canApply(.merge, to: status) {
                    merge = """
                        <form method="post" action="/staff/items/\(item.number)/merge" class="inline">\(web.csrfField)
                        <input type="hidden" name="into" value="\(first.number)">\
                        <input type="hidden" name="reason" value="\(web.t("研判：同一问题", "Analysis: the same problem"))">
                        <input type="hidden" name="back" value="\(back)">\
                        <button type="submit" class="secondary">\(web.t("合并到 ", "Merge into "))\(first.number)</button></form>
                        """
                }
                return """
                    <tr><td><a href="/staff/items/\(item.number)">\(item.number)</a></td><td class="hide-narrow">\(Format.dateTime(item.at))</td>
                    <td>\(item.text.count > 50 ? String(item.text.prefix(50)) + "…" : item.text)</td><td>\(Layout.status(status, web))</td>\
                    <td>\(merge)</td></tr>
                    """
            }
            if cluster.count > shown {
                let more = web.t(
                    "另有 \(cluster.count - shown) 件未列出：合并以上各件后刷新即可继续。",
                    "\(cluster.count - shown) more not listed: merge those above and reload to go on.")
                rows.append("<tr><td colspan=\"5\" class=\"muted\">\(more)</td></tr>")
            }
            return """
                <div class="card cluster"><h3>\(catalogue.placeName(first.place)) · \(cluster.count) \(web.t("件相似", "similar items"))</h3>
                <div class="table-wrap"><table><tbody>\(rows)</tbody></table></div></div>
                """
        }
        let months: [HTML] = Deadlines.months(endingWith: now, count: 13).reversed().map { m in
            let label = Deadlines.monthLabel(m.start)
            return "<option value=\"\(label)\"\(attr: "selected", when: m.start == month.start)>\(label)</option>"
        }
        let choices = unitChoices
        var clustersHint = web.t(
            "同一社区、7 天内、内容相近的多件事项，可能是同一个问题；指挥调度可将其合并，由一个单位统一办理。",
            "Items at one community within 7 days with similar text are likely one problem; dispatchers can merge them so one unit handles it.")
        if !comparedAll {
            clustersHint += web.t(
                "本月事项较多，只比对了最新的 \(SQLItemStore.clusterCandidateLimit) 件。",
                " This month has many items: the latest \(SQLItemStore.clusterCandidateLimit) were compared.")
        }
        return Layout.page(
            web, title: web.t("研判", "Analysis"), staff: true,
            """
            <h1>\(web.t("月度研判", "Monthly analysis")) · \(unit.name) · \(Deadlines.monthLabel(month.start))</h1>
            <form method="get" action="/staff/analysis" class="card filters no-print">
            <div><label for="f-unit">\(web.t("单位（含下级）", "Unit (with those below it)"))</label><select id="f-unit" name="unit">\(choices)\
            </select>\
            </div>
            <div><label for="f-month">\(web.t("月份", "Month"))</label><select id="f-month" name="month">\(months)</select></div>
            <div><button type="submit">\(web.t("查看", "Show"))</button></div></form>
            <div class="kpis"><div class="kpi"><div class="v">\(analysis.total.count)</div><div class="k">\(web.t("本月事项", "Items this month"))\
            </div>
            <div class="muted">\(web.t("环比", "vs last month")) \(change(analysis.total.monthOnMonth)) · \(web.t("同比", "vs a year ago")) \
            \(change(analysis.total.yearOnYear))</div></div></div>
            <h2>\(web.t("群众最关心的问题", "Top concerns"))</h2>
            <ol class="card" id="top-concerns">\(concerns.isEmpty ? ["<li>\(web.t("本月暂无", "None this month"))</li>"] : concerns)</ol>
            \(chart)
            <h2>\(web.t("按类别", "By category"))</h2>\(table(analysis.categories, name: categoryName, id: "by-category"))
            <h2>\(web.t("按类型", "By kind"))</h2>\(table(analysis.kinds, name: kindName, id: "by-kind"))
            <h2>\(web.t("热点社区（每千人事项数）", "Hot places (items per 1,000 residents)"))</h2>
            <div class="table-wrap"><table id="hot-places"><thead><tr><th>\(web.t("社区/村", "Community"))</th>\
            <th class="num">\(web.t("事项", "Items"))\
            </th>
            <th class="num hide-narrow">\(web.t("人口", "Residents"))</th><th class="num">\(web.t("每千人", "Per 1,000"))</th></tr></thead>\
            <tbody>\(hot)\
            </tbody></table></div>
            <h2>\(web.t("聚集问题", "Clusters")) <span class="muted">(\(clusters.count))</span></h2>
            <p class="hint">\(clustersHint)</p>
            <div id="clusters">\(clusterCards.isEmpty ? ["<p class=\"card\">\(web.t("本月未发现。", "None found this month."))</p>"] : clusterCards)\
            </div>
            """)
    }
}
