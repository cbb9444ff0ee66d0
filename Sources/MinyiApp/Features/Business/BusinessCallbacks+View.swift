import Foundation
import MinyiCore
import MinyiStorage

extension BusinessQueueModel {
    func render(_ web: WebRequest) -> HTML {
        Layout.page(
            web, title: web.t("业务回访", "Service callbacks"), staff: true,
            """
            <h1>\(web.t("业务回访", "Callbacks after services"))</h1>
            \(Layout.noticeBox(notice))
            <p class="hint">\(web.t(
                "报警、户籍、证件、车驾管等业务办理后次日回访；敏感业务（家暴、性侵、未成年人等）不回访。无人接听最多拨打 3 次。",
                "Crime reports, household registration, ID cards, vehicles … are called back the day after; sensitive cases "
                    + "(domestic violence, sexual offences, minors …) never are. No answer: at most three calls."))</p>
            <h2>\(web.t("我领取的", "Mine")) <span class="muted">(\(mine.count))</span></h2>
            \(table(mine, web))
            <h2>\(web.t("待领取", "Not yet taken")) <span class="muted">(\(open.count))</span></h2>
            <form method="post" action="/staff/business-callbacks/claim" class="no-print">\(web.csrfField)\
            <input type="hidden" name="count" value="10">
            <button type="submit">\(web.t("领取 10 件", "Take 10"))</button></form>
            \(table(open, web))
            """)
    }

    private func table(_ rows: [StoredBusinessRecord], _ web: WebRequest) -> HTML {
        guard !rows.isEmpty else { return "<p class=\"card\">\(web.t("没有。", "None."))</p>" }
        let body: [HTML] = rows.map { stored in
            let type = types[stored.record.businessType]
            return """
                <tr><td><a href="\(WebController.recordPath(stored.record.recordID))">\(stored.record.recordID)</a></td>
                <td>\(type.map { web.lang == .zh ? $0.nameZh : $0.nameEn } ?? stored.record.businessType)</td>\
                <td>\(catalogue.unitName(stored.record.unitID))</td>
                <td class="hide-narrow">\(Format.date(stored.record.occurredAt))</td><td>\(stored.due.map { Format.dateTime($0) } ?? "—")</td>\
                <td class="num">\(stored.attempts)</td></tr>
                """
        }
        return """
            <div class="table-wrap"><table class="business"><thead><tr><th>\(web.t("业务编号", "Record"))</th><th>\(web.t("业务类型", "Type"))</th>\
            <th>\(web.t("办理单位", "Unit"))</th>
            <th class="hide-narrow">\(web.t("办理日期", "Date"))</th><th>\(web.t("应回访", "Due"))</th><th class="num">\(web.t("已拨打", "Calls"))\
            </th>\
            </tr></thead><tbody>\(body)</tbody></table></div>
            """
    }
}

extension BusinessRecordModel {
    func render(_ web: WebRequest) -> HTML {
        let record = stored.record
        let opened: HTML =
            stored.itemNumber.map {
                "<dt>\(web.t("转为事项", "Opened item"))</dt><dd><a href=\"/staff/items/\($0)\" id=\"record-item\">\($0)</a></dd>"
            } ?? .empty
        let calls: HTML =
            attempts.isEmpty
            ? "<p class=\"muted\">\(web.t("尚未拨打。", "No calls yet."))</p>" : "<ol class=\"timeline\">\(attempts.map { attempt($0, web) })</ol>"
        let takeFirst: HTML = "<p class=\"hint\" id=\"take-first\">\(web.t("领取后显示电话。", "Take the record to see the phone."))</p>"
        return Layout.page(
            web, title: record.recordID, staff: true,
            """
            <h1>\(web.t("业务回访", "Service callback")) · <span id="record-id">\(record.recordID)</span></h1>
            \(Layout.errorBox(error))
            <div class="grid"><div class="card"><dl class="facts">
            <dt>\(web.t("业务类型", "Type"))</dt><dd>\(type.map { web.lang == .zh ? $0.nameZh : $0.nameEn } ?? record.businessType)</dd>
            <dt>\(web.t("办理单位", "Unit"))</dt><dd>\(catalogue.unitName(record.unitID))</dd>
            <dt>\(web.t("经办民警", "Officer"))</dt><dd>\(record.officer ?? "—")</dd>
            <dt>\(web.t("办理日期", "Date"))</dt><dd>\(Format.dateTime(record.occurredAt))</dd>
            <dt>\(web.t("回访状态", "Callback"))</dt>\
            <dd id="record-status">\(web.lang == .zh ? stored.status.nameZh : stored.status.nameEn) (\(web.t("已拨打", "calls")) \(stored.attempts))\
            </dd>
            \(opened)
            </dl></div>
            <div class="card"><h2>\(web.t("群众", "Resident"))</h2><dl class="facts"><dt>\(web.t("姓名", "Name"))</dt>\
            <dd>\(record.contactName ?? "—")\
            </dd>
            <dt>\(web.t("电话", "Phone"))</dt><dd id="record-phone">\(dialable(phone))</dd></dl>
            \(mayCall ? "<p class=\"hint\">\(web.t("本次查看已记录。", "This look has been logged."))</p>" as HTML : .empty)\
            \(stored.status == .scheduled && !mine ? takeFirst : .empty)\
            </div></div>
            \(mayCall ? callForm(web) : .empty)
            <div class="card"><h2>\(web.t("回访记录", "Calls"))</h2>\(calls)</div>
            """)
    }

    private func attempt(_ attempt: BusinessCallbackAttempt, _ web: WebRequest) -> HTML {
        let scores = CallbackScores.Indicator.allCases.compactMap { i in
            attempt.scores[i].map { (web.lang == .zh ? i.nameZh : i.nameEn) + " \($0)" }
        }
        let scoreLine: HTML = scores.isEmpty ? .empty : "<div>\(scores.joined(separator: web.lang == .zh ? "，" : ", "))</div>"
        return """
            <li><div class="when">\(Layout.time(attempt.at, web))</div>\
            <strong>\(web.lang == .zh ? attempt.outcome.nameZh : attempt.outcome.nameEn)</strong>
            \(attempt.satisfaction.map { " · \(web.lang == .zh ? $0.nameZh : $0.nameEn)" as HTML })
            \(scoreLine)\(attempt.comment.map { "<div>\($0)</div>" as HTML })</li>
            """
    }

    /// The phone as shown: dialable when in full, text when masked.
    private func dialable(_ phone: String?) -> HTML { phone.map { Layout.phoneLink($0) } ?? "—" }

    private func callForm(_ web: WebRequest) -> HTML {
        // Nothing chosen in advance; a form that came back keeps what was chosen and typed, each fault beside its field.
        let sheet = self.sheet ?? FormSheet(web)
        let outcomes = BusinessCallback.Outcome.allCases.map { (value: $0.rawValue, label: web.lang == .zh ? $0.nameZh : $0.nameEn) }
        let results = CallbackResult.allCases.filter(\.isAnswered).map { (value: $0.rawValue, label: web.lang == .zh ? $0.nameZh : $0.nameEn) }
        return """
            <form method="post" action="\(WebController.recordPath(id))/attempt" class="card" id="attempt-form">\(web.csrfField)
            <h2>\(web.t("记录本次回访", "Record this call"))</h2>\(sheet.summary)
            \(sheet.field("outcome", label: web.t("拨打结果", "Call outcome"),
                sheet.select("outcome", options: outcomes, placeholder: web.t("— 请选择 —", "— choose —"), required: true)))
            \(sheet.field("satisfaction", label: web.t("满意程度（接通时填写）", "Satisfaction (when answered)"),
                sheet.select("satisfaction", options: results, placeholder: "—")))
            \(sheet.field("comment", label: web.t("群众意见（不满意时必填）", "What the resident said (required when dissatisfied)"),
                sheet.textarea("comment", rows: 3)))
            <fieldset><legend>\(web.t("评分（1–5 分，选填）", "Scores (1–5, optional)"))</legend>\
            <div class="filters">\(WebController.scoreFields(web, sheet: sheet))</div></fieldset>
            <button type="submit">\(web.t("记录", "Record"))</button></form>
            """
    }
}
