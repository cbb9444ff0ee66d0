import Foundation
import MinyiCore
import MinyiStorage

extension SearchModel {
    func render(_ web: WebRequest) -> HTML {
        let hint =
            mayUsePhone
            ? web.t(
                "输入查询号或回音卡号直接打开；输入手机号码查找该群众的事项（查看将记录在案）；输入词语查找内容中含有它的事项。",
                "A tracking or echo-card number opens the item; a mobile number lists the resident's items (the look is logged); "
                    + "words find the items whose text holds them.")
            : web.t(
                "输入查询号或回音卡号直接打开；输入词语查找内容中含有它的事项。",
                "A tracking or echo-card number opens the item; words find the items whose text holds them.")
        let purpose: HTML =
            mayUsePhone
            ? sheet.field(
                "purpose", label: web.t("按电话查找的用途（将记录在案）", "Why you look a phone up (logged)"),
                sheet.text("purpose", value: web.t("来电查询", "Caller asked")))
            : .empty
        var found: HTML = .empty
        if let results {
            let heading: String
            switch kind {
            case .phone: heading = web.t("该电话反映的事项（本次查看已记录）", "Items left with this phone (this look is logged)")
            default: heading = web.t("内容含有「\(query.trimmed)」的事项", "Items whose text holds “\(query.trimmed)”")
            }
            let limit: HTML =
                results.rows.count >= SQLItemStore.searchLimit
                ? """
                <p class="hint">\(web.t("只列出最新的 \(SQLItemStore.searchLimit) 件；请加词缩小范围，或在台账中筛选。",
                    "Only the newest \(SQLItemStore.searchLimit) are listed; add words or filter the ledger."))</p>
                """
                : .empty
            found = "<h2>\(heading) <span class=\"muted\">(\(results.rows.count))</span></h2>\(results.render(web))\(limit)"
        }
        return Layout.page(
            web, title: web.t("查找", "Find"), staff: true,
            """
            <h1>\(web.t("查找事项", "Find an item"))</h1>
            <form method="post" action="/staff/search" class="card search" role="search">\(web.csrfField)
            \(sheet.field("q", label: web.t("查询号、手机号码或内容中的词语", "Number, mobile number or words"), sheet.text("q", type: "search")))
            \(purpose)<p class="hint">\(hint)</p>
            <button type="submit">\(web.t("查找", "Find"))</button></form>
            \(found)
            """)
    }
}

extension AuditPageModel {
    /// Actions as an auditor reads them.
    static let actionNames: [(code: String, zh: String, en: String)] = [
        ("contact.read", "查看群众联系方式", "Read a resident's contact"),
        ("contact.search", "按电话查找", "Looked a phone up"),
        ("household.read", "查看住户信息", "Read a household"),
        ("export_ledger", "导出台账", "Exported the ledger"),
        ("login", "登录", "Logged in"),
        ("officer.add", "新增民警账号", "Added an officer"),
        ("apikey.add", "新增接口密钥", "Added an API key"),
        ("apikey.revoke", "吊销接口密钥", "Revoked an API key"),
        ("category.deadlines", "修改办理期限", "Changed a category's deadlines"),
    ]

    func render(_ web: WebRequest) -> HTML {
        let rows: [HTML] = entries.map { entry in
            let who: String = entry.actorID.map { officerNames[$0] ?? $0.rawValue } ?? web.t("系统", "System")
            let name = Self.actionNames.first { $0.code == entry.action }.map { web.t($0.zh, $0.en) }
            let action: HTML = name.map { "\($0) <span class=\"muted\">\(entry.action)</span>" } ?? "\(entry.action)"
            let target: HTML =
                entry.target.map { target in
                    TrackingNumber.isWellFormed(target)
                        ? "<a href=\"/staff/items/\(target)\" class=\"nowrap\">\(target)</a>" : "<span class=\"nowrap\">\(target)</span>"
                } ?? "—"
            return """
                <tr><td class="nowrap">\(Layout.time(entry.at, web))</td><td>\(who)</td><td>\(action)</td><td>\(target)</td>\
                <td>\(entry.detail ?? "")</td></tr>
                """
        }
        let actions = Self.actionNames.map { (value: $0.code, label: web.t($0.zh, $0.en)) }
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"card\">\(web.t("没有符合条件的记录。", "No entries match."))</p>"
            : """
            <div class="table-wrap"><table class="audit"><thead><tr><th>\(web.t("时间", "When"))</th><th>\(web.t("民警", "Officer"))</th>\
            <th>\(web.t("操作", "Action"))</th><th>\(web.t("对象", "Target"))</th><th>\(web.t("说明", "Detail"))</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
        let more: HTML =
            next.map { cursor in
                let query = filterQuery.isEmpty ? "before=\(cursor.description)" : filterQuery + "&before=\(cursor.description)"
                return "<p><a class=\"button secondary\" href=\"/staff/audit?\(query)\">\(web.t("更早的记录", "Older entries"))</a></p>"
            } ?? .empty
        return Layout.page(
            web, title: web.t("审计日志", "Audit log"), staff: true, wide: true,
            """
            <h1>\(web.t("审计日志", "Audit log"))</h1>
            <p class="hint">\(web.t("谁在何时查看了群众个人信息、导出了什么：每次查看都记录在这里，不能修改或删除。",
                "Who looked at residents' personal data and exported what, and when: "
                    + "every look is recorded here and cannot be changed or deleted."))</p>
            <form method="get" action="/staff/audit" class="card filters">\(sheet.summary)
            \(sheet.field("actor", label: web.t("民警账号", "Officer (username)"), sheet.text("actor", extra: " autocomplete=\"off\"")))
            \(sheet.field("action", label: web.t("操作", "Action"), sheet.select("action", options: actions, placeholder: web.t("全部", "All"))))
            \(sheet.field("target", label: web.t("对象（如查询号）", "Target (e.g. a number)"), sheet.text("target", extra: " autocomplete=\"off\"")))
            \(sheet.field("from", label: web.t("从", "From"), sheet.text("from", type: "date")))
            \(sheet.field("to", label: web.t("到", "To"), sheet.text("to", type: "date")))
            <button type="submit">\(web.t("筛选", "Filter"))</button></form>
            \(table)\(more)
            """)
    }
}
