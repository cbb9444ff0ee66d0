import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The dashboard: a unit's (and its subtree's) rates, overdue and open counts, items per month by category, rates
/// over time.
extension WebController {
    /// `GET /staff/dashboard?unit=`
    @Sendable func dashboard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let model = try await dashboardModel(request, actor: actor, web: web)
        return WebSupport.page(dashboardPage(model, actor: actor, web: web), web)
    }

    /// The dashboard's markup, written from what `dashboardModel` read.
    func dashboardPage(_ model: DashboardModel, actor: Actor, web: WebRequest) -> HTML {
        let catalogue = model.catalogue
        let unit = model.unit
        let labels = model.labels
        let monthly = model.monthly
        let byCategory = model.byCategory
        let year = model.year
        let current = model.current
        let open = model.open
        let overdueNow = model.overdueNow
        let dueSoon = model.dueSoon
        let overdueLimit = model.countLimit
        let evaluation = model.evaluation
        // How well the category suggester does is the administrators' business, not the leader's.
        let suggesterCard: HTML = !actor.officer.has(.admin) ? .empty : """
            <p class="card" id="suggester-accuracy">\(web.t("类别建议模型：",
                "Category suggester: "))\(web.t("用 \(evaluation.trained) 件已分类事项训练，留出 \(evaluation.tested) 件检验，首选准确率 ",
                "trained on \(evaluation.trained) triaged items, tested on \(evaluation.tested) held out: top suggestion right "))\
            <strong>\(Rate(evaluation.correct, of: evaluation.tested).percent)\
            </strong>\(web.t("，前三命中 ", ", right within the top three "))\(Rate(evaluation.correctInTopThree,
                of: evaluation.tested).percent)\(web.t("。建议只供参考，类别由民警确认。", ". Suggestions are never applied without an officer."))</p>
            """
        func kpi(_ value: String, _ zh: String, _ en: String, _ detail: String) -> HTML {
            "<div class=\"kpi\"><div class=\"v\">\(value)</div><div class=\"k\">\(web.t(zh, en))</div><div class=\"muted\">\(detail)</div></div>"
        }
        func ratio(_ rate: Rate) -> String { "\(rate.numerator) / \(rate.denominator)" }
        let categorySeries = catalogue.categories.map { category in
            Charts.Series(
                name: web.lang == .zh ? category.nameZh : category.nameEn,
                values: byCategory.map { counts in Double(counts.first(where: { $0.category == category.code })?.count ?? 0) })
        }.filter { $0.values.contains { ($0 ?? 0) > 0 } }
        let rateSeries = [
            Charts.Series(name: web.t("回复率", "Reply rate"), values: monthly.map(\.replyRate.value)),
            Charts.Series(name: web.t("响应率", "Response rate"), values: monthly.map(\.responseRate.value)),
            Charts.Series(name: web.t("办结率", "Closure rate"), values: monthly.map(\.closureRate.value)),
            Charts.Series(name: web.t("一次满意率", "First-time satisfaction"), values: monthly.map(\.firstSatisfactionRate.value)),
            Charts.Series(name: web.t("最终满意率", "Final satisfaction"), values: monthly.map(\.satisfactionRate.value)),
        ]
        let monthRows: [HTML] = zip(labels, monthly).reversed().map { label, m in
            """
            <tr><td>\(label)</td><td class="num">\(m.received)</td><td class="num">\(m.replyRate.percent)</td>\
            <td class="num">\(m.responseRate.percent)</td>
            <td class="num">\(m.closureRate.percent)</td><td class="num">\(m.firstSatisfactionRate.precisePercent)</td>\
            <td class="num">\(m.satisfactionRate.precisePercent)</td><td class="num">\(m.overdue)</td></tr>
            """
        }
        let choices = unitChoices(actor, catalogue: catalogue, selected: unit)
        let partial = web.t("本月至今，尚未结束", "this month so far, not over yet")
        let comparison: HTML =
            model.comparison.count < 2
            ? .empty
            : """
            <h2>\(web.t("各单位对比（近 12 个月）", "Units side by side (last 12 months)"))</h2>
            \(Charts.compareBars(
                labels: model.comparison.map(\.unit.name),
                series: [
                    Charts.Series(
                        name: web.t("一次满意率", "First-time satisfaction"),
                        values: model.comparison.map { $0.measures.firstSatisfactionRate.value.map { $0 * 100 } }),
                    Charts.Series(
                        name: web.t("办结率", "Closure rate"), values: model.comparison.map { $0.measures.closureRate.value.map { $0 * 100 } }),
                    Charts.Series(
                        name: web.t("最终满意率", "Final satisfaction"),
                        values: model.comparison.map { $0.measures.satisfactionRate.value.map { $0 * 100 } }),
                ], title: web.t("各单位对比", "Units side by side"), maximum: 100, unit: "%", decimals: 1))
            """
        let page = Layout.page(
            web, title: web.t("统计", "Dashboard"), staff: true,
            """
            <h1>\(web.t("统计", "Dashboard")) · <span id="dashboard-unit">\(unit.name)</span></h1>
            <form method="get" action="/staff/dashboard" class="no-print">\
            <label for="f-unit">\(web.t("单位（含下级）", "Unit (with those below it)"))\
            </label>
            <select id="f-unit" name="unit">\(choices)</select> <button type="submit" class="secondary">\(web.t("查看", "Show"))</button></form>
            <h2>\(web.t("本月", "This month")) (\(labels[labels.count - 1]))</h2>
            <div class="kpis" id="kpis">
            \(kpi(current.replyRate.percent, "回复率", "Reply rate", ratio(current.replyRate)))
            \(kpi(current.responseRate.percent, "响应率", "Response rate", ratio(current.responseRate)))
            \(kpi(current.closureRate.percent, "办结率", "Closure rate", ratio(current.closureRate)))
            \(kpi(current.firstSatisfactionRate.precisePercent, "一次满意率", "First-time satisfaction", ratio(current.firstSatisfactionRate)))
            \(kpi(current.satisfactionRate.precisePercent, "最终满意率", "Final satisfaction", ratio(current.satisfactionRate)))
            \(kpi(overdueNow >= overdueLimit ? "\(overdueLimit)+" : String(overdueNow), "当前超期", "Overdue now", web.t("未办结且已过期限",
                "open and past a deadline")))
            \(kpi(dueSoon >= overdueLimit ? "\(overdueLimit)+" : String(dueSoon), "即将到期", "Due soon",
                web.t("\(Int(support.dueSoon / 3600)) 小时内到期（签收、答复、回访）",
                "due within \(Int(support.dueSoon / 3600)) h (accept, reply, callback)")))
            \(kpi(String(open), "在办", "Open", web.t("尚未销号", "not yet closed")))
            </div>
            <h2>\(web.t("近 12 个月", "Last 12 months"))</h2>
            <div class="kpis">
            \(kpi(String(year.received), "受理", "Received", ""))\(kpi(year.replyRate.percent, "回复率", "Reply rate", ratio(year.replyRate)))
            \(kpi(year.closureRate.percent, "办结率", "Closure rate", ratio(year.closureRate)))\(kpi(year.firstSatisfactionRate.precisePercent,
                "一次满意率", "First-time satisfaction", ratio(year.firstSatisfactionRate)))\(kpi(year.satisfactionRate.precisePercent,
                "最终满意率", "Final satisfaction", ratio(year.satisfactionRate)))
            </div>
            \(suggesterCard)
            <h2>\(web.t("每月事项（按类别）", "Items per month by category"))</h2>
            \(Charts.stackedBars(
                labels: labels, series: categorySeries, title: web.t("每月事项（按类别）", "Items per month by category"), partialLast: partial))
            <h2>\(web.t("各项比率走势", "Rates over time"))</h2>
            \(Charts.rateLines(labels: labels, series: rateSeries, title: web.t("各项比率走势", "Rates over time"), partialLast: partial))
            \(comparison)
            <div class="table-wrap"><table><thead><tr><th>\(web.t("月份", "Month"))</th><th class="num">\(web.t("受理", "Received"))</th>\
            <th class="num">\(web.t("回复率", "Reply"))</th>
            <th class="num">\(web.t("响应率", "Response"))</th><th class="num">\(web.t("办结率", "Closure"))</th>\
            <th class="num">\(web.t("一次满意率", "First-time satisfaction"))</th><th class="num">\(web.t("最终满意率", "Final satisfaction"))</th>\
            <th class="num">\(web.t("超期", "Overdue"))</th></tr></thead>
            <tbody>\(monthRows)</tbody></table></div>
            """)
        return page
    }
}
