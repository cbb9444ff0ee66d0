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

    var label: String { Format.date(bulletin.weekStart) }

    /// The table of units, ranked ones first with their place; the others say why they are not ranked.
    func table(_ web: WebRequest) -> HTML {
        func percent(_ rate: Rate) -> String { rate.percent }
        let unranked = Set(bulletin.unranked ?? [])
        let exempt = Set(bulletin.exempt ?? [])
        let rows: [HTML] = bulletin.units.map { unit in
            let flagged = bulletin.belowThreshold.contains(unit.unitID)
            let rank: HTML =
                bulletin.rank(of: unit.unitID).map { "\($0)" }
                ?? (unranked.contains(unit.unitID)
                    ? "<span class=\"muted\" title=\"\(web.t("计入事项不足，不排名", "too few items to rank"))\">\(web.t("不排名", "—"))</span>"
                    : "—")
            var notes: [String] = []
            if unranked.contains(unit.unitID) {
                notes.append(web.t("少于 \(bulletin.minimumItems ?? 0) 件，不排名", "fewer than \(bulletin.minimumItems ?? 0) items, not ranked"))
            }
            if exempt.contains(unit.unitID) { notes.append(web.t("督察部门，不自我督办", "inspectorate: not supervised by itself")) }
            let note: HTML = notes.isEmpty ? .empty : "<div class=\"muted small\">\(notes.joined(separator: web.lang == .zh ? "；" : "; "))</div>"
            return """
                <tr\(HTML.trusted(flagged ? " class=\"row-overdue\"" : ""))><td class="num nowrap">\(rank)</td>\
                <td class="unit-name"><span class="nowrap">\(unit.unitName)\(flagged ? " ⚠" : "")</span>\(note)</td>
                <td class="num"><strong>\(unit.score.map { String(format: "%.1f%%", $0 * 100) } ?? "—")</strong></td>\
                <td class="num">\(unit.measures.received)</td><td class="num">\(unit.notYetDue.map { "\($0)" } ?? "—")</td>
                <td class="num">\(percent(unit.measures.replyRate))</td><td class="num">\(percent(unit.measures.responseRate))</td>\
                <td class="num">\(percent(unit.measures.closureRate))</td>
                <td class="num">\(percent(unit.measures.satisfactionRate))</td>\
                <td class="num nowrap">\(unit.callbacksDone) / \(unit.callbacksDue)</td>
                <td class="num">\(unit.dissatisfied) (\(unit.dissatisfiedFollowedUp))</td><td class="num">\(unit.overdue)</td>\
                <td class="num">\(unit.supervisionOrders)</td></tr>
                """
        }
        return """
            <div class="table-wrap"><table id="bulletin" class="bulletin"><thead><tr><th class="num">\(web.t("排名", "Rank"))</th>\
            <th>\(web.t("单位", "Unit"))</th><th class="num">\(web.t("综合得分", "Score"))</th>
            <th class="num">\(web.t("计入", "Counted"))</th><th class="num">\(web.t("下周计入", "Next week"))</th>\
            <th class="num">\(web.t("回复率", "Reply"))</th><th class="num">\(web.t("响应率", "Response"))</th>\
            <th class="num">\(web.t("办结率", "Closure"))</th><th class="num">\(web.t("满意率", "Satisfaction"))</th>\
            <th class="num">\(web.t("已回访 / 应回访", "Callbacks done / due"))</th>\
            <th class="num">\(web.t("不满意（已跟进）", "Dissatisfied (followed up)"))</th>
            <th class="num">\(web.t("超期", "Overdue"))</th><th class="num">\(web.t("督办单", "Orders"))</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            """
    }

    /// The ranked units' scores as bars, the axis from 0 to 100%, those below the threshold in colour.
    func chart(_ web: WebRequest) -> HTML {
        let ranked = bulletin.units.filter { bulletin.rank(of: $0.unitID) != nil }
        guard !ranked.isEmpty else { return .empty }
        let below = Set(ranked.indices.filter { bulletin.belowThreshold.contains(ranked[$0].unitID) })
        return Charts.horizontalBars(
            labels: ranked.map { "\(bulletin.rank(of: $0.unitID) ?? 0). \($0.unitName)" }, values: ranked.map { ($0.score ?? 0) * 100 },
            highlight: below.isEmpty ? [] : below, title: web.t("综合得分排名", "Ranking by score"), unit: "%", maximum: 100, decimals: 1,
            width: 380, labelWidth: 150)
    }

    func notes(_ web: WebRequest) -> HTML {
        let names = { (ids: [PoliceUnit.ID]) in
            ids.compactMap { id in bulletin.units.first { $0.unitID == id }?.unitName }.joined(separator: web.lang == .zh ? "、" : ", ")
        }
        let bottom: HTML =
            bulletin.bottom.isEmpty
            ? .empty : "<div class=\"alert error\" id=\"bulletin-bottom\">\(web.t("排名靠后：", "Lowest ranked: "))\(names(bulletin.bottom))</div>"
        let percentage = Int(bulletin.threshold * 100)
        let belowText = web.t("综合得分低于 \(percentage)%，已下发督办单：", "Below \(percentage)%, sent a supervision order: ")
        let below: HTML =
            bulletin.belowThreshold.isEmpty
            ? .empty : "<div class=\"alert error\" id=\"bulletin-below\">\(belowText)\(names(bulletin.belowThreshold))</div>"
        return bottom + below
    }

    func rulesText(_ web: WebRequest) -> HTML {
        let minimum = bulletin.minimumItems ?? 0
        return """
            <p class="hint" id="bulletin-rules">\(web.t(
                "综合得分＝本周到期（登记时间加办理天数落在本周）的事项的回复率、响应率、办结率、满意率的平均；"
                    + "本周登记但期限在下周的，到期那周再计入，不算作本周的失分。"
                    + "计入不足 \(minimum) 件的单位列出但不排名；督察部门不向自己下发督办单；“已回访 / 应回访”只数本周应回访的事项中已回访的。",
                "Score = the mean of the reply, response, closure and satisfaction rates of the items due in the week (registration plus the "
                    + "category's days); items registered this week but due later count in the week they fall due, not against the unit now. "
                    + "Units with "
                    + "fewer than \(minimum) items counted are listed but not ranked; the inspectorate does not send itself orders; "
                    + "“callbacks done / due” counts only callbacks due in the week that were done."))</p>
            """
    }

    func render(_ web: WebRequest) -> HTML {
        Layout.page(
            web, title: web.t("通报 \(label)", "Bulletin \(label)"), staff: true, wide: true,
            """
            <h1>\(web.t("民意主导警务工作通报", "Public-opinion policing bulletin"))</h1>
            <p>\(web.t("统计周期：", "Week: "))\(label) – \(Format.date(bulletin.weekEnd.addingTimeInterval(-1))) · \
            \(web.t("生成于 ", "issued "))\(Format.dateTime(bulletin.issuedAt))</p>
            <p class="no-print"><a class="button" href="/staff/bulletins/\(label)/print" id="print-link">\
            \(web.t("打印版（A4 横向）", "Page for printing (A4 landscape)"))</a> \
            <a class="button secondary" href="/staff/bulletins/\(label).csv">\(web.t("导出 CSV", "Export CSV"))</a></p>
            \(notes(web))
            <div class="bulletin-body">\(table(web))\(chart(web))</div>
            \(rulesText(web))
            \(sections)
            """)
    }

    /// The bulletin for paper: A4 landscape, the whole table on the page, the ranking chart beside it.
    func renderForPaper(_ web: WebRequest) -> HTML {
        Layout.printPage(
            web, title: web.t("通报 \(label)", "Bulletin \(label)"), back: "/staff/bulletins/\(label)", landscape: true,
            """
            <div class="bulletin-paper">
            <h1>\(web.t("民意主导警务工作通报", "Public-opinion policing bulletin"))</h1>
            <p>\(web.t("统计周期：", "Week: "))\(label) – \(Format.date(bulletin.weekEnd.addingTimeInterval(-1))) · \
            \(web.t("生成于 ", "issued "))\(Format.dateTime(bulletin.issuedAt))</p>
            \(notes(web))
            <div class="bulletin-body">\(table(web))\(chart(web))</div>
            \(rulesText(web))
            </div>
            """)
    }

    /// The bulletin as CSV (UTF-8 with a byte-order mark; every cell quoted and defused).
    static func csv(_ bulletin: Bulletin) -> Response {
        func percent(_ rate: Rate) -> String { rate.percent }
        var text =
            "\u{FEFF}"
            + CSV.row([
                "排名", "单位", "综合得分", "计入", "下周计入", "回复率", "响应率", "办结率", "满意率", "应回访", "已回访", "不满意",
                "不满意已跟进", "超期", "督办单",
            ])
        for unit in bulletin.units {
            text += CSV.row([
                bulletin.rank(of: unit.unitID).map(String.init) ?? "", unit.unitName, unit.score.map { String(format: "%.1f%%", $0 * 100) } ?? "",
                String(unit.measures.received), unit.notYetDue.map(String.init) ?? "", percent(unit.measures.replyRate),
                percent(unit.measures.responseRate),
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
