import Foundation
import MinyiCore
import MinyiStorage

extension ResultsModel {
    /// The stations' final satisfaction this month as bars (readable on a phone: the picture scales to the screen).
    func stationChart(_ web: WebRequest) -> HTML {
        let shown = stations.filter { $0.1.satisfactionRate.value != nil }
        guard !shown.isEmpty else { return .empty }
        return Charts.horizontalBars(
            labels: shown.map(\.0.name), values: shown.map { ($0.1.satisfactionRate.value ?? 0) * 100 },
            title: web.t("各派出所本月最终满意率", "Final satisfaction by station this month"), unit: "%", maximum: 100, decimals: 1,
            width: 420, labelWidth: 130)
    }

    func render(_ web: WebRequest) -> HTML {
        var rows: [HTML] = []
        for (station, now, before) in stations {
            rows.append(
                """
                <tr><th scope="row">\(station.name)</th>
                <td class="num">\(now.received)</td><td class="num">\(now.replyRate.percent)</td><td class="num">\(now.closureRate.percent)</td>\
                <td class="num">\(now.firstSatisfactionRate.precisePercent)</td><td class="num">\(now.satisfactionRate.precisePercent)</td>
                <td class="num hide-narrow">\(before.received)</td><td class="num hide-narrow">\(before.replyRate.percent)</td>\
                <td class="num hide-narrow">\(before.closureRate.percent)</td>\
                <td class="num hide-narrow">\(before.firstSatisfactionRate.precisePercent)</td>\
                <td class="num hide-narrow">\(before.satisfactionRate.precisePercent)</td></tr>
                """)
        }
        let topTotal = max(1, top.map(\.count).max() ?? 1)
        let topRows: [HTML] = top.map { entry in
            let width = max(2, entry.count * 100 / topTotal)
            return """
                <tr><td>\(catalogue.categoryName(entry.category, web))</td><td class="num">\(entry.count)</td>
                <td class="bar-cell"><svg class="inline-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" \
                aria-label="\(entry.count)">\
                <rect width="\(width)" height="10" fill="#1f5fbf"/></svg></td></tr>
                """
        }
        let reasonRows: [HTML] = reasons.map { reason in
            """
            <tr><td class="nowrap">\(Format.date(reason.repliedAt))</td><td>\(catalogue.categoryName(reason.category, web))</td>\
            <td class="hide-narrow">\(catalogue.placeName(reason.placeID))</td>
            <td>\(web.lang == .zh ? reason.outcome.nameZh : reason.outcome.nameEn)\(web.t("：", ": "))\(reason.reason)</td></tr>
            """
        }
        let months = Deadlines.months(endingWith: at, count: 12).reversed().map { m -> HTML in
            let label = Deadlines.monthLabel(m.start)
            return "<option value=\"\(label)\"\(attr: "selected", when: m.start == month.start)>\(label)</option>"
        }
        let this = Deadlines.monthLabel(month.start)
        let last = Deadlines.monthLabel(previous.start)
        let definitions = web.t(
            "回复率＝已答复÷受理；办结率＝已销号÷受理；一次满意率＝第一次接通的回访中答满意或基本满意的事项÷第一次回访已接通的事项；"
                + "最终满意率＝最近一次接通的回访为满意或基本满意的事项÷回访已接通的事项。"
                + "不满意的事项经督办后再回访，只会提高最终满意率，不会改变一次满意率。",
            "Reply rate = replied ÷ received; closure rate = closed ÷ received; first-time satisfaction = items whose first answered callback "
                + "was satisfied or basically satisfied ÷ items whose first callback was answered; final satisfaction = items whose latest "
                + "answered callback was satisfied or basically satisfied ÷ items with an answered callback. A dissatisfied resident won round "
                + "after supervision raises the final rate only, never the first-time rate.")
        return Layout.page(
            web, title: web.t("办理公开", "Results"), wide: true,
            """
            <h1>\(web.t("办理公开", "Results")) · \(this)</h1>
            <form method="get" action="/results" class="no-print"><label for="f-month">\(web.t("月份", "Month"))</label>
            <select id="f-month" name="month">\(months)</select> <button type="submit" class="secondary">\(web.t("查看", "Show"))</button></form>
            <h2>\(web.t("各派出所", "By station"))</h2>
            <div class="table-wrap"><table id="results-stations"><thead>
            <tr><th rowspan="2">\(web.t("派出所", "Station"))</th><th colspan="4">\(this)</th><th colspan="4" class="hide-narrow">\(last)</th></tr>
            <tr><th class="num">\(web.t("受理", "Received"))</th><th class="num">\(web.t("回复率", "Reply"))</th>\
            <th class="num">\(web.t("办结率", "Closure"))</th><th class="num">\(web.t("一次满意率", "First-time satisfaction"))</th>\
            <th class="num">\(web.t("最终满意率", "Final satisfaction"))</th>
            <th class="num hide-narrow">\(web.t("受理", "Received"))</th><th class="num hide-narrow">\(web.t("回复率", "Reply"))</th>\
            <th class="num hide-narrow">\(web.t("办结率", "Closure"))</th>\
            <th class="num hide-narrow">\(web.t("一次满意率", "First-time satisfaction"))</th>\
            <th class="num hide-narrow">\(web.t("最终满意率", "Final satisfaction"))</th></tr>
            </thead><tbody>\(rows)</tbody></table></div>
            \(stationChart(web))
            <p class="hint" id="definitions">\(definitions)</p>
            <h2>\(web.t("群众反映最多的问题", "What residents raise most"))</h2>
            <div class="table-wrap"><table><thead><tr><th>\(web.t("类别", "Category"))</th><th class="num">\(web.t("件数", "Items"))</th>\
            <th><span class="visually-hidden">\(web.t("比例", "Share"))</span></th></tr></thead>
            <tbody>\(topRows.isEmpty ? ["<tr><td colspan=\"3\">\(web.t("本月暂无", "None this month"))</td></tr>"] : topRows)</tbody></table></div>
            <h2>\(web.t("暂未解决事项及原因", "Unsolved items and why"))</h2>
            <div class="table-wrap"><table><thead><tr><th>\(web.t("答复日期", "Replied"))</th><th>\(web.t("类别", "Category"))</th>\
            <th class="hide-narrow">\(web.t("地点", "Place"))</th><th>\(web.t("原因", "Reason"))</th></tr></thead>
            <tbody>\(reasonRows.isEmpty ? ["<tr><td colspan=\"4\">\(web.t("暂无", "None"))</td></tr>"] : reasonRows)</tbody></table></div>
            """)
    }
}
