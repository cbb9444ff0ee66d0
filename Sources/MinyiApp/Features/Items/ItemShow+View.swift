import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The staff item page's markup, written from what `ItemShow` read.
extension WebController {
    /// The staff item page: the item, its contact (masked unless revealed), deadlines, supervision orders, the forms
    /// for the steps the officer may take now, and the full history with who acted.
    func itemPage(
        _ web: WebRequest, actor: Actor, show: ItemShow, notice: String?, error: String?, callbackMode: Bool = false, failed: FailedStep? = nil,
        next: NextItem? = nil
    ) -> HTML {
        let item = show.stored.item
        let catalogue = show.catalogue
        let events = show.events
        let orders = show.orders
        let revealed = show.revealed
        let at = show.at

        // Contact: masked unless revealed (each reveal is audited by the store).
        var contactHTML: HTML = "<span class=\"muted\">\(web.t("未留联系方式", "No contact details"))</span>"
        if let contact = item.contact {
            let shown = revealed ?? contact
            let name = revealed != nil ? shown.name : shown.name.map(Contact.maskName)
            let phone = revealed != nil ? shown.phone : shown.phone.map(Contact.maskPhone)
            let id = revealed != nil ? shown.idNumber : shown.idNumber.map(Contact.maskIDNumber)
            let phoneHTML: HTML =
                phone.map { revealed != nil ? "<a href=\"tel:\($0)\" id=\"contact-phone\">\($0)</a>" : "<span id=\"contact-phone\">\($0)</span>" }
                ?? "—"
            var reveal: HTML = .empty
            if revealed == nil, actor.officer.roles.contains(where: \.mayReadContact), !callbackMode {
                reveal = """
                    <form method="post" action="/staff/items/\(item.number)/reveal" class="no-print">\(web.csrfField)
                    <label for="f-purpose">\(web.t("查看完整联系方式的用途（将记录在案）", "Why you need the full contact (logged)"))</label>
                    <input type="text" id="f-purpose" name="purpose" value="\(web.t("办理联系", "Contacting the resident"))">
                    <button type="submit" class="secondary">\(web.t("显示完整联系方式", "Show full contact"))</button></form>
                    """
            }
            contactHTML = """
                <dl class="facts"><dt>\(web.t("姓名", "Name"))</dt><dd>\(name ?? "—")</dd><dt>\(web.t("电话", "Phone"))</dt><dd>\(phoneHTML)</dd>
                <dt>\(web.t("身份证号", "ID number"))</dt><dd>\(id ?? "—")</dd></dl>
                \(revealed != nil ? "<p class=\"hint\">\(web.t("本次查看已记录。", "This look has been logged."))</p>" as HTML : .empty)\(reveal)
                """
        }

        // Staff see who acted (residents never do).
        let officerNames = show.officerNames
        let timeline: [HTML] = events.map { event in
            var notes: [String] = []
            if let reason = event.reason { notes.append(SystemText.localized(reason, web)) }
            if let text = event.detail.text { notes.append(text) }
            if let unit = event.detail.unit { notes.append(web.t("承办单位：", "Unit: ") + catalogue.unitName(unit)) }
            if let result = event.detail.result { notes.append(web.lang == .zh ? result.nameZh : result.nameEn) }
            let given = CallbackScores.Indicator.allCases.compactMap { indicator in
                event.detail.score(indicator).map { (web.lang == .zh ? indicator.nameZh : indicator.nameEn) + " \($0)" }
            }
            if !given.isEmpty { notes.append(web.t("评分：", "Scores: ") + given.joined(separator: web.lang == .zh ? "，" : ", ")) }
            if let channel = event.detail.channel {
                notes.append(web.t("渠道：", "Channel: ") + (web.lang == .zh ? channel.nameZh : channel.nameEn))
            }
            let unit: HTML = event.actorUnitID.map { " · \(catalogue.unitName($0))" } ?? .empty
            let who: HTML = event.actorID.map { " · \(officerNames[$0] ?? $0.rawValue)" } ?? .empty
            return """
                <li><div class="when">\(Layout.time(event.at, web))\(unit)\(who)</div>\
                <strong>\(web.lang == .zh ? event.kind.nameZh : event.kind.nameEn)</strong> \(Layout.status(event.status, web))
                \(notes.map { "<div>\($0)</div>" as HTML })</li>
                """
        }
        let orderRows: [HTML] = orders.map { order in
            let level: HTML =
                order.level > 0
                ? " <span class=\"overdue\">\(web.t("已升级至", "escalated to")) \(web.lang == .zh ? order.levelNameZh : order.levelNameEn)</span>"
                : .empty
            return """
                <tr><td>\(web.lang == .zh ? order.cause.nameZh : order.cause.nameEn)\(level)</td>\
                <td>\(SystemText.localized(order.reason, web))</td><td>\(catalogue.unitName(order.unitID))</td>
                <td class="nowrap">\(Format.dateTime(order.due))</td>\
                <td class="nowrap">\(order.resolvedAt.map { Format.dateTime($0) } ?? web.t("未结", "open"))</td></tr>
                """
        }
        let overdue = item.lateness(at: at)
        let deadlines: HTML = """
            <dt>\(web.t("签收期限", "Accept by"))</dt><dd>\(item.responseDue.map { Format.dateTime($0) } ?? "—")</dd>
            <dt>\(web.t("答复期限", "Reply by"))</dt>\
            <dd>\(item.handlingDue.map { Format.dateTime($0) } ?? "—")\(overdue != nil
                ? " <span class=\"overdue\">\(web.t("已超期", "overdue"))</span>" as HTML : .empty)</dd>
            """
        let flag: HTML = item.emergency ? " <span class=\"flag\">\(web.t("疑似紧急警情", "Possible emergency"))</span>" : .empty
        let actions = actionForms(web, actor: actor, show: show, callbackMode: callbackMode, failed: failed)
        return Layout.page(
            web, title: item.number, staff: true,
            """
            <h1>\(web.t("事项", "Item")) <span id="item-number">\(item.number)</span>\(flag)</h1>
            \(Layout.noticeBox(notice, more: next.map { next in
                let list: HTML = "<a href=\"\(next.list)\">\(web.t("返回", "Back to ") + web.t(next.zh, next.en))</a>"
                guard let number = next.number else {
                    return " \(web.t("该列表已无其他待办。", "Nothing else is waiting there.")) \(list)"
                }
                return " \(web.t("下一件：", "Next: "))<a href=\"/staff/items/\(number)\" id=\"next-item\" class=\"nowrap\">\(number)</a> · \(list)"
            }))\(Layout.errorBox(error))
            <div class="grid">
            <div class="card"><dl class="facts">
            <dt>\(web.t("状态", "Status"))</dt><dd id="item-status">\(Layout.status(item.status, web))</dd>
            <dt>\(web.t("类型", "Kind"))</dt><dd>\(web.lang == .zh ? item.kind.nameZh : item.kind.nameEn)</dd>
            <dt>\(web.t("类别", "Category"))</dt><dd>\(catalogue.categoryName(item.category, web))</dd>
            <dt>\(web.t("渠道", "Channel"))</dt>\
            <dd>\(web.lang == .zh ? item.channel.nameZh : item.channel.nameEn)\(item.echoCard.map { " · \($0)" as HTML })\
            \(show.origins.map { " · <a href=\"\($0.href)\" class=\"origin\">\(web.t($0.zh, $0.en))</a>" as HTML })</dd>
            <dt>\(web.t("地点", "Place"))</dt><dd>\(catalogue.placeName(item.placeID))\(item.address.map { " · \($0)" as HTML })</dd>
            <dt>\(web.t("承办单位", "Unit"))</dt><dd id="item-unit">\(catalogue.unitName(item.assignedUnitID))</dd>
            <dt>\(web.t("登记时间", "Registered"))</dt><dd>\(Layout.time(item.createdAt, web))</dd>
            \(deadlines)
            <dt>\(web.t("回访", "Callback"))</dt>\
            <dd>\(item.callbackResult.map { web.lang == .zh ? $0.nameZh : $0.nameEn } ?? "—") (\(web.t("已拨打",
                "attempts")) \(item.callbackAttempts))\
            </dd>
            </dl></div>
            <div class="card"><h2>\(web.t("群众联系方式", "Resident's contact"))</h2>\(contactHTML)</div>
            </div>
            <div class="card"><h2>\(web.t("反映内容", "What the resident wrote"))</h2><p class="item-text" id="item-text">\(item.text)</p>
            \(item.replyOutcome.map { outcome in
                "<h2>\(web.t("答复", "Reply"))</h2><p><strong>\(web.lang == .zh ? outcome.nameZh : outcome.nameEn)</strong> "
                    + "\(item.replyText ?? "")</p>"
                    + (item.publicReason.map { "<p>\(web.t("公开原因：", "Public reason: "))\($0)</p>" as HTML } ?? .empty) })
            </div>
            \(actions)
            \(orderRows.isEmpty ? .empty : """
                <div class="card"><h2>\(web.t("督办单", "Supervision orders"))</h2><div class="table-wrap"><table><thead><tr>\
                <th>\(web.t("原因类别", "Cause"))</th><th>\(web.t("事由", "Reason"))</th>\
                <th>\(web.t("单位", "Unit"))</th><th>\(web.t("期限", "Due"))</th><th>\(web.t("办结", "Resolved"))</th>\
                </tr></thead><tbody>\(orderRows)</tbody></table></div></div>
                """ as HTML)
            <div class="card"><h2>\(web.t("全过程记录", "Full history"))</h2><ol class="timeline">\(timeline)</ol></div>
            """)
    }

    /// The forms for every command the officer may give to the item in its present state. A step that was refused comes
    /// back with everything typed and chosen, and each faulty field named beside it.
    func actionForms(_ web: WebRequest, actor: Actor, show: ItemShow, callbackMode: Bool, failed: FailedStep?) -> HTML {
        let item = show.stored.item
        let catalogue = show.catalogue
        let possible = show.steps
        if callbackMode && !possible.contains(.callback) { return .empty }
        guard !possible.isEmpty else { return .empty }
        let action = "/staff/items/\(item.number)/"
        let choose = web.t("— 请选择 —", "— choose —")
        var forms: [HTML] = []
        for name in callbackMode ? [.callback] : possible {
            let sheet =
                failed?.name == name
                ? FormSheet(web, values: failed?.form ?? Form(), errors: failed?.errors ?? [:], prefix: "f-\(name.rawValue)-")
                : FormSheet(web, prefix: "f-\(name.rawValue)-")
            func outcome() -> HTML {
                // Nothing chosen in advance: the officer judges the outcome, or the form is refused.
                let options = ReplyOutcome.allCases.map { (value: $0.rawValue, label: web.lang == .zh ? $0.nameZh : $0.nameEn) }
                return sheet.field(
                    "outcome", label: web.t("答复结果", "Outcome"), sheet.select("outcome", options: options, placeholder: choose, required: true))
            }
            func area(_ field: String, _ zh: String, _ en: String) -> HTML {
                sheet.field(field, label: web.t(zh, en), sheet.textarea(field))
            }
            let body: HTML
            let title: String
            switch name {
            case .answer:
                title = web.t("当场答复", "Answer on the spot")
                body =
                    outcome() + area("text", "答复内容", "Answer")
                    + area("public_reason", "公开原因（未解决或转交时必填）", "Public reason (needed when not solved or referred)")
            case .dispatch:
                let proposed = show.proposedUnit
                let units = catalogue.units.filter { $0.kind == .station || $0.kind == .office || $0.kind == .department }
                let options = units.map { unit -> (value: String, label: String) in
                    let proposal = web.t("（派发目录建议）", " (proposed by the catalogue)")
                    return (value: unit.id.rawValue, label: unit.id == proposed ? unit.name + proposal : unit.name)
                }
                let category = catalogue.categories.first(where: { $0.code == item.category })
                let limits: HTML =
                    category.map { c in
                        let text = web.t(
                            "期限：\(c.responseHours) 小时内签收，\(c.handlingDays) 天内答复。",
                            "Deadlines: accept within \(c.responseHours) hours, reply within \(c.handlingDays) days.")
                        return "<p class=\"hint\">\(text)</p>"
                    } ?? .empty
                title = web.t("派发", "Dispatch")
                body =
                    sheet.field(
                        "unit", label: web.t("承办单位", "Responsible unit"),
                        sheet.select("unit", options: options, placeholder: choose, chosen: proposed?.rawValue)) + limits
            case .accept:
                title = web.t("签收", "Accept")
                body = "<p class=\"hint\">\(web.t("签收表示本单位负责办理。", "Accepting means your unit takes responsibility."))</p>"
            case .reply:
                title = web.t("答复", "Reply")
                body =
                    outcome() + area("text", "答复内容", "Reply")
                    + area(
                        "public_reason", "公开原因（未解决或转交时必填，群众可见）",
                        "Public reason (needed when not solved or referred; residents see it)")
            case .return:
                title = web.t("退单（非本单位事项）", "Return as misrouted")
                body = area("reason", "退单原因", "Why it is not yours")
            case .merge:
                title = web.t("合并为重复件", "Merge as a duplicate")
                body =
                    sheet.field("into", label: web.t("合并到的查询号", "Merge into number"), sheet.text("into", extra: " autocomplete=\"off\""))
                    + area("reason", "说明", "Note")
            case .reject:
                title = web.t("不予受理", "Reject")
                body = area("reason", "原因", "Reason")
            case .callback:
                // Nothing chosen in advance: a click-through must not count as satisfied.
                let options = CallbackResult.allCases.map { (value: $0.rawValue, label: web.lang == .zh ? $0.nameZh : $0.nameEn) }
                title = web.t("记录回访结果", "Record the callback")
                body = """
                    \(sheet.field("result", label: web.t("回访结果", "Result"), sheet.select("result", options: options, placeholder: choose,
                        required: true)))
                    \(area("comment", "群众意见（不满意时请写明原因）", "What the resident said (the reason, when dissatisfied)"))
                    <fieldset><legend>\(web.t("评分（1–5 分，选填）", "Scores (1–5, optional)"))</legend><div class="filters">\(Self.scoreFields(
                        web, sheet: sheet))</div></fieldset>
                    """
            case .supervise:
                title = web.t("督办", "Order supervision")
                body = area("reason", "督办事由", "Reason")
            case .close:
                title = web.t("领导销号", "Close (leader)")
                body = area("reason", "销号理由（必填）", "Written reason (required)")
            case .recategorize:
                let suggestions = show.suggestions
                let top = suggestions.first(where: { $0.category != item.category })?.category
                let options = catalogue.categories.filter { $0.code != item.category }.map {
                    (value: $0.code.rawValue, label: web.lang == .zh ? $0.nameZh : $0.nameEn)
                }
                let hint: HTML =
                    suggestions.isEmpty
                    ? .empty
                    : """
                    <p class="hint" id="category-suggestion">\(web.t("按内容建议：",
                        "Suggested from the text: "))\(suggestions.map { catalogue.categoryName($0.category, web) + String(format: " %.0f%%",
                        $0.probability * 100) }.joined(separator: web.lang == .zh ? "，" : ", "))\(web.t("（仅供参考，需人工确认）",
                        " (a suggestion only; you decide)"))</p>
                    """
                title = web.t("调整类别", "Correct the category")
                body =
                    hint
                    + sheet.field(
                        "category", label: web.t("新类别", "New category"),
                        sheet.select("category", options: options, placeholder: choose, chosen: top?.rawValue))
                    + area("reason", "说明（选填）", "Note (optional)")
            case .overdue:
                continue
            }
            let back: HTML = callbackMode ? "<input type=\"hidden\" name=\"back\" value=\"callbacks\">" : .empty
            let danger = name == .reject || name == .close
            forms.append(
                """
                <form method="post" action="\(action)\(name.rawValue)" class="card action\(failed?.name == name ? " failed" : "")" \
                id="action-\(name.rawValue)">\(web.csrfField)\(back)
                <h3>\(title)</h3>\(sheet.summary)\(body)<button type="submit"\(attr: "class=\"danger\"", when: danger)>\(title)</button></form>
                """)
        }
        return "<h2 class=\"no-print\">\(web.t("办理", "Actions"))</h2><div class=\"grid no-print\">\(forms)</div>"
    }

    /// The five indicators' 1–5 selects of a callback form.
    static func scoreFields(_ web: WebRequest, sheet: FormSheet? = nil) -> [HTML] {
        let sheet = sheet ?? FormSheet(web)
        return CallbackScores.Indicator.allCases.map { indicator in
            let name = "score." + indicator.rawValue
            let choices = (1...5).reversed().map { (value: "\($0)", label: "\($0)") }
            return sheet.field(
                name, label: web.lang == .zh ? indicator.nameZh : indicator.nameEn,
                sheet.select(name, options: choices, placeholder: web.t("未问", "not asked")))
        }
    }
}
