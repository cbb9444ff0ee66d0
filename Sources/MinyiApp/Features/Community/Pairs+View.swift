import Foundation
import MinyiCore
import MinyiStorage

extension PairsModel {
    func render(_ web: WebRequest) -> HTML {
        func badge(_ c: Compliance, _ count: String) -> HTML {
            "<span class=\"badge c-\(c.rawValue)\">\(web.lang == .zh ? c.nameZh : c.nameEn) \(count)</span>"
        }
        let behind = rows.filter(\.standing.isBehind).count
        let behindText = web.t("\(behind) 对落后于要求。", "\(behind) pairs are falling behind.")
        let rowsHTML: [HTML] = rows.map { row in
            let s = row.standing
            let id = row.pairing.id.rawValue
            let forms: HTML =
                mayRecord(row)
                ? """
                <form method="post" action="/staff/pairs/\(id)/activities" class="inline">\(web.csrfField)\
                <input type="hidden" name="kind" value="contact"><input type="hidden" name="request_key" value="\(RowID.make(at: now))">\
                <button type="submit" class="secondary">\(web.t("记录联系", "Log a contact"))</button></form>
                <form method="post" action="/staff/pairs/\(id)/activities">\(web.csrfField)\
                <input type="hidden" name="kind" value="deed"><input type="hidden" name="request_key" value="\(RowID.make(at: now))">\
                <label for="f-deed-\(id)" class="hint">\(web.t("办了什么实事", "What was done"))</label>\
                <input type="text" id="f-deed-\(id)" name="note"><button type="submit" class="secondary">\(web.t("记录实事", "Log a deed"))</button>\
                </form>
                """ : .empty
            return """
                <tr class="\(s.isBehind ? "behind" : "")"><td><a href="/staff/households/\(row.pairing.householdID.rawValue)">\(row.address)</a>\
                <br><span class="muted">\(catalogue.placeName(row.unitID))</span></td>\
                <td>\(officerNames[row.pairing.officerID] ?? row.pairing.officerID.rawValue)</td>\
                <td>\(badge(s.contact, "\(s.counts.contactsThisWeek + s.counts.visitsThisWeek)/\(cadence.contactsPerWeek)"))</td>\
                <td>\(badge(s.visit, "\(s.counts.visitsThisMonth)/\(cadence.visitsPerMonth)"))</td>\
                <td>\(badge(s.deeds, "\(s.counts.deedsThisYear)/\(cadence.deedsPerYear)"))</td><td>\(forms)</td></tr>
                """
        }
        let rule = web.t(
            """
                要求：每周联系 \(cadence.contactsPerWeek) 次（走访也算联系），每月走访 \(cadence.visitsPerMonth) 次，每年办实事 \
                \(cadence.deedsPerYear) \
                件。本期过半仍未完成为“滞后”，上期未完成为“未落实”。
                """,
            """
                Cadence: contact \(cadence.contactsPerWeek)× a week (a visit counts), visit \(cadence.visitsPerMonth)× a month, \
                \(cadence.deedsPerYear) deeds a year. Behind: not yet done past the middle of the period; missed: the period before fell short.
                """
        )
        return Layout.page(
            web, title: web.t("结对联建", "Pairing"), staff: true, wide: true,
            """
            <h1>\(web.t("结对联建", "Pairing")) <span class="muted">(\(rows.count))</span></h1>
            \(Layout.noticeBox(notice))\(Layout.errorBox(error))
            <p class="hint">\(rule)</p>
            \(behind > 0 ? "<p class=\"alert error\" id=\"pairs-behind\">\(behindText)</p>" as HTML : .empty)
            <p class="tabs"><a href="/staff/pairs"\(attr: "aria-current=\"page\"", when: !behindOnly)>\(web.t("全部", "All"))</a>\
            <a href="/staff/pairs?behind=1"\(attr: "aria-current=\"page\"", when: behindOnly)>\(web.t("只看落后", "Falling behind"))</a></p>
            \(rows.isEmpty ? "<p class=\"card\">\(web.t("没有结对。", "No pairs."))</p>" as HTML : """
                <div class="table-wrap"><table id="pairs"><thead><tr><th>\(web.t("结对户", "Household"))</th><th>\(web.t("结对干部", "Cadre"))</th>\
                <th>\(web.t("本周联系", "Contact this week"))</th><th>\(web.t("本月走访", "Visit this month"))</th>\
                <th>\(web.t("本年实事", "Deeds this year"))</th><th></th></tr></thead><tbody>\(rowsHTML)</tbody></table></div>
                """)
            """)
    }
}
