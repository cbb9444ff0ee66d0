import Foundation
import MinyiCore
import MinyiStorage

extension CoverageModel {
    func render(_ web: WebRequest) -> HTML {
        let total = self.total
        let kpis: HTML = """
            <div class="kpis" id="coverage-kpis">
            <div class="kpi"><div class="v">\(total.coverage.percent)</div><div class="k">\(web.t("走访覆盖率", "Households visited"))\
             (\(total.visitedHouseholds)/\(total.households))</div></div>
            <div class="kpi"><div class="v">\(total.onTime.percent)</div><div class="k">\(web.t("五必访按期率", "Mandatory visits on time"))\
             (\(total.dueOnTime)/\(total.due))</div></div>
            <div class="kpi"><div class="v">\(total.dueLate)</div><div class="k">\(web.t("逾期完成", "Done late"))</div></div>
            <div class="kpi"><div class="v">\(total.night)</div><div class="k">\(web.t("夜访", "Night visits"))</div></div>
            <div class="kpi"><div class="v">\(total.visits)</div><div class="k">\(web.t("走访次数", "Visits"))</div></div>
            </div>
            """
        let rows: [HTML] = communities.map { place in
            let c = coverage.communities[place.id] ?? VisitCounts()
            let low = (c.coverage.value ?? 1) < 0.5
            return """
                <tr><td>\(catalogue.placeName(place.id))</td><td class="num">\(c.households)</td><td class="num">\(c.visitedHouseholds)</td>\
                <td class="num\(low ? " overdue" : "")">\(c.coverage.percent)</td><td class="num">\(c.dueOnTime)/\(c.due)</td>\
                <td class="num hide-narrow">\(c.dueLate)</td><td class="num hide-narrow">\(c.night)</td><td class="num hide-narrow">\(c.visits)</td>\
                </tr>
                """
        }
        let officerRows: [HTML] = coverage.officers.sorted { (officerNames[$0.key] ?? "") < (officerNames[$1.key] ?? "") }.map { id, c in
            """
            <tr><td><a href="/staff/visits/diary?officer=\(id.rawValue)">\(officerNames[id] ?? id.rawValue)</a></td>\
            <td class="num">\(c.visitedHouseholds)</td><td class="num">\(c.dueOnTime)/\(c.due)</td><td class="num">\(c.dueLate)</td>\
            <td class="num">\(c.night)</td><td class="num">\(c.visits)</td></tr>
            """
        }
        let chart = Charts.compareBars(
            labels: communities.map(\.name),
            series: [
                .init(
                    name: web.t("走访覆盖率 %", "Households visited %"),
                    values: communities.map { (coverage.communities[$0.id]?.coverage.value).map { $0 * 100 } }),
                .init(
                    name: web.t("五必访按期率 %", "Mandatory on time %"),
                    values: communities.map { (coverage.communities[$0.id]?.onTime.value).map { $0 * 100 } }),
            ], title: web.t("各社区走访覆盖率", "Coverage by community"))
        let never: [HTML] = neverVisited.map {
            """
                <li><a href=\"/staff/households/\($0.household.id.rawValue)\">\($0.household.address)</a> <span \
                class=\"muted\">\(catalogue.placeName($0.household.unitID))</span></li>
                """
        }
        let grainOptions: HTML = """
            <option value="month"\(attr: "selected", when: grain == .month)>\(web.t("按月", "Month"))</option>\
            <option value="year"\(attr: "selected", when: grain == .year)>\(web.t("按年", "Year"))</option>
            """
        let seeAll = "/staff/households?unvisited=1" + (unit.kind == .community ? "&unit=" + unit.id.rawValue : "")
        return Layout.page(
            web, title: web.t("走访覆盖", "Visit coverage"), staff: true, wide: true,
            """
            <h1>\(web.t("走访覆盖", "Visit coverage")) · \(unit.name) · \(periodLabel)</h1>
            <form method="get" action="/staff/coverage" class="card filters no-print">
            <div><label for="f-unit">\(web.t("单位", "Unit"))</label><select id="f-unit" name="unit">\(unitChoices)</select></div>
            <div><label for="f-grain">\(web.t("周期", "Period"))</label><select id="f-grain" name="grain">\(grainOptions)</select></div>
            <div><label for="f-month">\(web.t("月份", "Month"))</label>\
            <input type="month" id="f-month" name="month" value="\(Deadlines.monthLabel(period.start))"></div>
            <div class="actions"><button type="submit">\(web.t("查看", "Show"))</button></div>
            </form>
            \(kpis)
            \(chart)
            <h2>\(web.t("各社区", "By community"))</h2>
            <div class="table-wrap"><table id="coverage"><thead><tr><th>\(web.t("社区/村", "Community"))</th>\
            <th class="num">\(web.t("住户", "Households"))</th>\
            <th class="num">\(web.t("已走访户", "Visited"))</th><th class="num">\(web.t("覆盖率", "Coverage"))</th>\
            <th class="num">\(web.t("五必访按期/应访", "Mandatory on time/due"))</th><th class="num hide-narrow">\(web.t("逾期完成", "Late"))</th>\
            <th class="num hide-narrow">\(web.t("夜访", "Night"))</th><th class="num hide-narrow">\(web.t("走访次数", "Visits"))</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            <h2>\(web.t("各民警", "By officer"))</h2>
            \(officerRows.isEmpty ? "<p class=\"muted\">\(web.t("本期无走访。", "No visits in this period."))</p>" as HTML : """
                <div class="table-wrap"><table id="officers"><thead><tr><th>\(web.t("民警（民情日记）", "Officer (diary)"))</th>\
                <th class="num">\(web.t("已走访户", "Households"))</th><th class="num">\(web.t("五必访按期/应访", "On time/due"))</th>\
                <th class="num">\(web.t("逾期完成", "Late"))</th><th class="num">\(web.t("夜访", "Night"))</th>\
                <th class="num">\(web.t("走访次数", "Visits"))</th>\
                </tr></thead><tbody>\(officerRows)</tbody></table></div>
                """)
            <h2 id="never">\(web.t("今年从未走访的住户", "Households not visited this year")) <span class="muted">(\(neverVisitedCount))</span></h2>
            \(never.isEmpty ? "<p class=\"muted\">\(web.t("全部已走访。", "All visited."))</p>" as HTML : "<ul id=\"never-visited\">\(never)</ul>")
            \(neverVisitedCount > never.count ? "<p><a href=\"\(seeAll)\">\(web.t("查看全部", "See all"))</a></p>" as HTML : .empty)
            """)
    }
}
