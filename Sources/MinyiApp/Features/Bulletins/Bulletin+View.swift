import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The list of weekly bulletins: the weeks issued, and whether the officer may issue last week's now.
struct BulletinListModel: Sendable {
    var weeks: [Date]
    var mayIssue: Bool

    func render(_ web: WebRequest) -> HTML {
        let rows: [HTML] = weeks.map { start in
            let label = Format.date(start)
            return "<li><a href=\"/staff/bulletins/\(label)\">\(web.t("\(label) 起一周", "Week of \(label)"))</a></li>"
        }
        let issue: HTML =
            mayIssue
            ? """
            <form method="post" action="/staff/bulletins" class="no-print">\(web.csrfField)\
            <button type="submit">\(web.t("生成上周通报", "Issue last week's bulletin"))</button>
            <span class="hint">\(web.t("每周一自动生成；已生成的不会改变。", "Issued automatically every Monday; an issued bulletin never changes."))\
            </span></form>
            """ : .empty
        return Layout.page(
            web, title: web.t("通报", "Bulletins"), staff: true,
            """
            <h1>\(web.t("每周通报", "Weekly bulletins"))</h1>\(issue)
            \(rows.isEmpty ? "<p class=\"card\">\(web.t("尚无通报。", "No bulletins yet."))</p>" as HTML
                : "<ul class=\"card\" id=\"bulletins\">\(rows)</ul>" as HTML)
            """)
    }
}

/// A bulletin as issued, with the sections other capabilities add to it.
struct BulletinModel: Sendable {
    var bulletin: Bulletin
    var sections: [HTML]

    func render(_ web: WebRequest) -> HTML {
        func percent(_ rate: Rate) -> String { rate.percent }
        let rows: [HTML] = bulletin.units.enumerated().map { index, unit in
            let flagged = bulletin.belowThreshold.contains(unit.unitID)
            return """
                <tr\(HTML.trusted(flagged ? " class=\"overdue\"" : ""))><td class="num">\(unit.score == nil ? "—" : String(index + 1))</td>\
                <td>\(unit.unitName)\(flagged ? " ⚠" : "")</td>
                <td class="num"><strong>\(unit.score.map { String(format: "%.1f%%", $0 * 100) } ?? "—")</strong></td>\
                <td class="num">\(unit.measures.received)</td>
                <td class="num">\(percent(unit.measures.replyRate))</td><td class="num">\(percent(unit.measures.responseRate))</td>\
                <td class="num">\(percent(unit.measures.closureRate))</td>
                <td class="num">\(percent(unit.measures.satisfactionRate))</td><td class="num">\(unit.callbacksDone)/\(unit.callbacksDue)</td>
                <td class="num">\(unit.dissatisfied) (\(unit.dissatisfiedFollowedUp))</td><td class="num">\(unit.overdue)</td>\
                <td class="num">\(unit.supervisionOrders)</td></tr>
                """
        }
        let names = { (ids: [PoliceUnit.ID]) in
            ids.compactMap { id in bulletin.units.first { $0.unitID == id }?.unitName }.joined(separator: web.lang == .zh ? "、" : ", ")
        }
        let label = Format.date(bulletin.weekStart)
        let bottom: HTML =
            bulletin.bottom.isEmpty
            ? .empty : "<div class=\"alert error\" id=\"bulletin-bottom\">\(web.t("排名靠后：", "Lowest ranked: "))\(names(bulletin.bottom))</div>"
        let percentage = Int(bulletin.threshold * 100)
        let belowText = web.t("综合得分低于 \(percentage)%，已下发督办单：", "Below \(percentage)%, sent a supervision order: ")
        let below: HTML =
            bulletin.belowThreshold.isEmpty
            ? .empty : "<div class=\"alert error\" id=\"bulletin-below\">\(belowText)\(names(bulletin.belowThreshold))</div>"
        let scoreHint = web.t(
            "综合得分＝本周登记事项的回复率、响应率、办结率、满意率的平均（无可统计者不排名）。",
            "Score = the mean of the reply, response, closure and satisfaction rates of the items registered in the week "
                + "(units with nothing to count are not ranked).")
        return Layout.page(
            web, title: web.t("通报 \(label)", "Bulletin \(label)"), staff: true,
            """
            <h1>\(web.t("民意主导警务工作通报", "Public-opinion policing bulletin"))</h1>
            <p>\(web.t("统计周期：", "Week: "))\(label) – \(Format.date(bulletin.weekEnd.addingTimeInterval(-1))) · \
            \(web.t("生成于 ", "issued "))\(Format.dateTime(bulletin.issuedAt))</p>
            <p class="no-print"><button type="button" data-print hidden>\(web.t("打印", "Print"))</button> \
            <a class="button secondary" href="/staff/bulletins/\(label).csv">\(web.t("导出 CSV", "Export CSV"))</a></p>
            \(bottom)
            \(below)
            <div class="table-wrap"><table id="bulletin"><thead><tr><th class="num">\(web.t("排名", "Rank"))</th><th>\(web.t("单位", "Unit"))</th>\
            <th class="num">\(web.t("综合得分", "Score"))</th>
            <th class="num">\(web.t("受理", "Received"))</th><th class="num">\(web.t("回复率", "Reply"))</th>\
            <th class="num">\(web.t("响应率", "Response"))\
            </th><th class="num">\(web.t("办结率", "Closure"))</th>
            <th class="num">\(web.t("满意率", "Satisfaction"))</th><th class="num">\(web.t("已回访/应回访", "Callbacks done/due"))</th>\
            <th class="num">\(web.t("不满意（已跟进）", "Dissatisfied (followed up)"))</th>
            <th class="num">\(web.t("超期", "Overdue"))</th><th class="num">\(web.t("督办单", "Orders"))</th></tr></thead><tbody>\(rows)</tbody>\
            </table>\
            </div>
            <p class="hint">\(scoreHint)</p>
            \(sections)
            """)
    }

    /// The bulletin as CSV (UTF-8 with a byte-order mark; every cell quoted and defused).
    static func csv(_ bulletin: Bulletin) -> Response {
        func percent(_ rate: Rate) -> String { rate.percent }
        var text =
            "\u{FEFF}"
            + CSV.row([
                "排名", "单位", "综合得分", "受理", "回复率", "响应率", "办结率", "满意率", "应回访", "已回访", "不满意",
                "不满意已跟进", "超期", "督办单",
            ])
        for (index, unit) in bulletin.units.enumerated() {
            text += CSV.row([
                unit.score == nil ? "" : String(index + 1), unit.unitName, unit.score.map { String(format: "%.1f%%", $0 * 100) } ?? "",
                String(unit.measures.received), percent(unit.measures.replyRate), percent(unit.measures.responseRate),
                percent(unit.measures.closureRate),
                percent(unit.measures.satisfactionRate), String(unit.callbacksDue), String(unit.callbacksDone), String(unit.dissatisfied),
                String(unit.dissatisfiedFollowedUp), String(unit.overdue), String(unit.supervisionOrders),
            ])
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"minyi-bulletin-\(Format.date(bulletin.weekStart)).csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
