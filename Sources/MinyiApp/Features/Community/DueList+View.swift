import Foundation
import MinyiCore

extension DueListModel {
    func render(_ web: WebRequest) -> HTML {
        let overdue = rows.filter { $0.due.isOverdue(at: now) }.count
        let cards: [HTML] = rows.map { row in
            let due = row.due
            let late = due.isOverdue(at: now)
            let when: HTML =
                late
                ? "<span class=\"overdue\">\(web.t("已逾期 \(days(from: due.due)) 天", "\(days(from: due.due)) days overdue"))</span>"
                : "\(web.t("应于 \(Format.dateTime(due.due)) 前", "by \(Format.dateTime(due.due))"))"
            let tags = row.tags.sorted().map { "<span class=\"badge\">\(web.lang == .zh ? $0.nameZh : $0.nameEn)</span>" as HTML }
            return """
                <li class="card due-visit\(late ? " late" : "")" id="due-\(due.id.rawValue)">
                <p><strong><a href="/staff/households/\(due.householdID.rawValue)">\(row.address)</a></strong></p>
                <p class="muted">\(catalogue.placeName(due.unitID)) · \(due.reason)\(due.priority >= 3 ? " · " : "")\
                \(due.priority >= 3 ? "<span class=\"flag\">\(web.t("优先", "Urgent"))</span>" as HTML : .empty)</p>
                <p>\(when) \(tags)</p>
                \(due.supervision.map { "<p><span class=\"flag\">\(web.t("督办", "Order"))</span> \($0)</p>" as HTML } ?? .empty)
                <p><a class="button" href="/staff/households/\(due.householdID.rawValue)#record">\(web.t("记录走访", "Record a visit"))</a></p>
                </li>
                """
        }
        let switcher: HTML =
            isLead
            ? (everyone
                ? "<p><a href=\"/staff/visits\">\(web.t("只看我的", "Mine only"))</a></p>"
                : "<p><a href=\"/staff/visits?all=1\">\(web.t("查看辖区全部", "Everyone's in my jurisdiction"))</a></p>")
            : .empty
        return Layout.page(
            web, title: web.t("走访任务", "Visits due"), staff: true,
            """
            <h1>\(web.t("走访任务", "Visits due")) <span class="muted">(\(rows.count))</span></h1>
            <p class="hint">\(web.t("按应访日期排列，同日优先级高者在前。", "Soonest due first; on the same day, the more urgent first."))\
             \(web.t("夜访时间：", "Night visits: "))\(Self.describe(schedule, web))</p>
            \(overdue > 0 ? "<p class=\"alert error\">\(web.t("\(overdue) 项已逾期。", "\(overdue) overdue."))</p>" as HTML : .empty)
            \(switcher)
            \(rows.isEmpty
                ? "<p class=\"card\">\(web.t("没有待走访的住户。", "No visits due."))</p>" as HTML
                : "<ul class=\"due-list\" id=\"due-list\">\(cards)</ul>")
            <p><a href="/staff/households">\(web.t("全部住户", "All households"))</a></p>
            """)
    }

    /// The night-visit hours in words: 周一、三、五 20:00–21:00.
    static func describe(_ schedule: NightSchedule, _ web: WebRequest) -> String {
        let zh = ["一", "二", "三", "四", "五", "六", "日"]
        let en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let days = schedule.weekdays.sorted().map { web.lang == .zh ? zh[$0 - 1] : en[$0 - 1] }
        let hours = String(schedule.text.split(separator: " ").last ?? "").replacingOccurrences(of: "-", with: "–")
        return web.lang == .zh ? "周" + days.joined(separator: "、") + " " + hours : days.joined(separator: ", ") + " " + hours
    }
}
