import Foundation
import MinyiCore
import MinyiStorage

extension ItemTableModel {
    func render(_ web: WebRequest) -> HTML {
        guard !rows.isEmpty else { return "<p class=\"card\">\(web.t("没有符合条件的事项。", "No items here."))</p>" }
        if callbackColumns { return renderCallbacks(web) }
        let body: [HTML] = rows.map { stored in
            let item = stored.item
            let excerpt = item.text.count > 40 ? String(item.text.prefix(40)) + "…" : item.text
            let flag: HTML = item.emergency ? " <span class=\"flag\">\(web.t("紧急", "URGENT"))</span>" : .empty
            let unit: HTML = showUnit ? "<td class=\"hide-narrow\">\(catalogue.unitName(item.assignedUnitID))</td>" : .empty
            let pick: HTML =
                selectable
                ? """
                <td><input type="checkbox" name="number" value="\(item.number)" aria-label="\(web.t("选择", "Select")) \(item.number)"></td>
                """
                : .empty
            // What is urgent first: the number with its status, then how late or how soon; the rest after.
            return """
                <tr\(rowClass(item))>\(pick)<td><a href="\(link(item))" class="nowrap">\(item.number)</a>\(flag)\
                <div>\(Layout.status(item.status, web))</div></td>
                <td class="deadline">\(deadline(item, web))</td>
                <td>\(catalogue.categoryName(item.category, web))<div class="muted">\(excerpt)</div></td>
                <td class="hide-narrow nowrap">\(Format.dateTime(item.createdAt))</td>
                <td class="hide-narrow">\(catalogue.placeName(item.placeID))</td>\(unit)</tr>
                """
        }
        let unitHead: HTML = showUnit ? "<th class=\"hide-narrow\">\(web.t("承办单位", "Unit"))</th>" : .empty
        let pickHead: HTML = selectable ? "<th><span class=\"visually-hidden\">\(web.t("选择", "Select"))</span></th>" : .empty
        return """
            <div class="table-wrap"><table class="items"><thead><tr>\(pickHead)<th>\(web.t("查询号 / 状态", "Number / status"))</th>\
            <th>\(web.t("期限", "Deadline"))</th><th>\(web.t("类别 / 内容", "Category / text"))</th>
            <th class="hide-narrow">\(web.t("登记时间", "Registered"))</th><th class="hide-narrow">\(web.t("地点", "Place"))</th>\(unitHead)\
            </tr></thead>
            <tbody>\(body)</tbody></table></div>
            """
    }

    /// The callback list: when the reply went out, when the callback falls due (late ones marked), the calls tried.
    private func renderCallbacks(_ web: WebRequest) -> HTML {
        let body: [HTML] = rows.map { stored in
            let item = stored.item
            let excerpt = item.text.count > 40 ? String(item.text.prefix(40)) + "…" : item.text
            let late = item.callbackDue.map { $0 < now } ?? false
            let due: HTML =
                item.callbackDue.map { due in
                    "<span class=\"nowrap\(late ? " overdue" : "")\">\(Format.dateTime(due))</span>"
                } ?? "—"
            let unit: HTML = showUnit ? "<td class=\"hide-narrow\">\(catalogue.unitName(item.assignedUnitID))</td>" : .empty
            return """
                <tr><td><a href="\(link(item))" class="nowrap">\(item.number)</a></td>\
                <td class="hide-narrow nowrap">\(item.repliedAt.map { Format.dateTime($0) } ?? "—")</td><td>\(due)</td>\
                <td class="num">\(item.callbackAttempts)</td>
                <td>\(catalogue.categoryName(item.category, web))<div class="muted">\(excerpt)</div></td>\(unit)</tr>
                """
        }
        let unitHead: HTML = showUnit ? "<th class=\"hide-narrow\">\(web.t("承办单位", "Unit"))</th>" : .empty
        return """
            <div class="table-wrap"><table class="items callbacks"><thead><tr><th>\(web.t("查询号", "Number"))</th>\
            <th class="hide-narrow">\(web.t("答复时间", "Replied"))</th><th>\(web.t("应回访", "Callback due"))</th>\
            <th class="num">\(web.t("已拨打", "Calls"))</th><th>\(web.t("类别 / 内容", "Category / text"))</th>\(unitHead)</tr></thead>
            <tbody>\(body)</tbody></table></div>
            """
    }

    /// The deadline column: how late, or how soon the step's deadline falls, and the deadline itself.
    private func deadline(_ item: Item, _ web: WebRequest) -> HTML {
        if let overdue = item.lateness(at: now) {
            // Late since the step's deadline, when it is still the one missed; else since the lateness was recorded.
            let deadline = stepDeadline(item)?.due
            let since = deadline.flatMap { $0 < now ? $0 : nil } ?? item.lateSince
            let late: HTML =
                since.map { " <span class=\"nowrap\">\(web.t("已超", "late by")) \(Self.span(now.timeIntervalSince($0), web))</span>" } ?? .empty
            return "<span class=\"overdue\">\(web.lang == .zh ? overdue.nameZh : overdue.nameEn)\(late)</span>"
        }
        guard let (zh, en, due) = stepDeadline(item) else { return "—" }
        let left = due.timeIntervalSince(now)
        let when: HTML = "<time class=\"nowrap muted\" datetime=\"\(Layout.iso(due))\">\(Format.dateTime(due))</time>"
        if left <= dueSoon {
            return """
                <span class="due-soon nowrap">\(web.t(zh, en)) · \(web.t("还剩", "")) \(Self.span(left, web))\(web.t("", " left"))</span> \(when)
                """
        }
        return "<span class=\"nowrap\">\(web.t(zh, en)) · \(web.t("还剩", "")) \(Self.span(left, web))\(web.t("", " left"))</span> \(when)"
    }

    /// The deadline of the step the item waits for, with what the step is.
    func stepDeadline(_ item: Item) -> (zh: String, en: String, due: Date)? {
        switch item.status {
        case .dispatched: item.responseDue.map { ("签收", "accept", $0) }
        case .accepted, .supervised: item.handlingDue.map { ("答复", "reply", $0) }
        case .replied: item.callbackDue.map { ("回访", "callback", $0) }
        default: nil
        }
    }

    /// How late or how soon: days and hours, or hours and minutes, or minutes.
    static func span(_ seconds: TimeInterval, _ web: WebRequest) -> String {
        let minutes = max(0, Int(seconds / 60))
        let days = minutes / 1440
        let hours = (minutes % 1440) / 60
        if days > 0 { return hours > 0 ? web.t("\(days)天\(hours)小时", "\(days) d \(hours) h") : web.t("\(days)天", "\(days) d") }
        if hours > 0 { return web.t("\(hours)小时\(minutes % 60)分", "\(hours) h \(minutes % 60) min") }
        return web.t("\(minutes)分钟", "\(minutes) min")
    }

    /// A row's mark: late, or due soon.
    func rowClass(_ item: Item) -> HTML {
        if item.lateness(at: now) != nil { return " class=\"row-overdue\"" }
        if let due = stepDeadline(item)?.due, due.timeIntervalSince(now) <= dueSoon { return " class=\"row-due-soon\"" }
        return .empty
    }
}

extension CommandQueueModel {
    func render(_ web: WebRequest) -> HTML {
        let tabLinks: [HTML] = tabs.map { tab in
            let current = HTML.trusted(tab.key == selected ? " aria-current=\"page\"" : "")
            return "<a href=\"/staff/queue?view=\(tab.key)\"\(current)>\(web.t(tab.zh, tab.en))<span class=\"count\">\(tab.count)</span></a>"
        }
        let more = shown.flatMap { shown in
            shown.total > shown.items.count
                ? web.t(
                    "仅显示前 \(shown.items.count) 件，共 \(shown.totalText) 件；更多请在台账中筛选。",
                    "Showing the first \(shown.items.count) of \(shown.totalText); filter the ledger for more.") : nil
        }
        let urgent = web.t("按期限（最急的在前）", "by deadline, most urgent first")
        let newest = web.t("按登记时间", "newest first")
        let choices: HTML =
            byDeadline
            ? "<strong>\(urgent)</strong> · <a href=\"/staff/queue?view=\(selected)&amp;sort=newest\">\(newest)</a>"
            : "<a href=\"/staff/queue?view=\(selected)\">\(urgent)</a> · <strong>\(newest)</strong>"
        let sort: HTML = sortable ? "<p class=\"sort\">\(web.t("排序：", "Sort: "))\(choices)</p>" : .empty
        return Layout.page(
            web, title: web.t("指挥中心", "Command centre"), staff: true,
            """
            <h1>\(web.t("指挥中心待办", "Command centre queue"))</h1>
            <nav class="tabs" aria-label="\(web.t("筛选", "Filter"))">\(tabLinks)</nav>
            <p><a class="button secondary" href="/staff/register">\(web.t("登记来访、来电、来信等事项", "Register a walk-in, call, letter …"))</a></p>
            \(sort)\(table.render(web))
            \(more.map { "<p class=\"muted\">\($0)</p>" as HTML } ?? .empty)
            """)
    }
}

extension InboxModel {
    func render(_ web: WebRequest) -> HTML {
        let parts: [HTML] = sections.map { section in
            let heading: HTML = "<h2>\(web.t(section.zh, section.en)) <span class=\"muted\">(\(section.page.totalText))</span></h2>"
            guard section.table.selectable, !section.table.rows.isEmpty else { return heading + section.table.render(web) }
            let accept = web.t("签收所选", "Accept the selected")
            return """
                \(heading)<form method="post" action="/staff/inbox/accept" id="accept-several">\(web.csrfField)
                <fieldset class="plain"><legend class="visually-hidden">\(web.t("勾选要签收的事项", "Tick the items to accept"))</legend>\
                \(section.table.render(web))</fieldset>
                <button type="submit">\(accept)</button></form>
                """
        }
        return Layout.page(
            web, title: web.t("单位待办", "Unit inbox"), staff: true,
            """
            <h1>\(web.t("单位待办", "Unit inbox")) · \(unitName)</h1>\(Layout.noticeBox(notice))\(Layout.errorBox(error))
            <p class="hint">\(web.t("按期限排序，超期的在最前（红色），即将到期的其次（黄色）。",
                "Sorted by deadline: late items first (red), then those due soon (yellow)."))</p>
            \(parts)
            """)
    }
}

extension CallbackQueueModel {
    func render(_ web: WebRequest) -> HTML {
        Layout.page(
            web, title: web.t("回访", "Callbacks"), staff: true,
            """
            <h1>\(web.t("待回访", "Callbacks due")) <span class="muted">(\(due.totalText))</span></h1>
            \(Layout.noticeBox(done.map { web.t("已记录 \($0) 的回访结果。", "Callback of \($0) recorded.") }))
            <p class="hint">\(web.t("打开事项后显示群众电话，每次查看均记录。",
                "The resident's phone is shown when you open an item; every look is logged."))</p>
            \(dueTable.render(web))
            <h2>\(web.t("已答复、明日起回访", "Replied, callback from tomorrow")) <span class="muted">(\(upcomingTable.rows.count))</span></h2>
            <p class="hint">\(web.t("回访在答复的次日进行；群众主动来电时也可提前记录。",
                "Callbacks fall due the day after the reply; record one earlier when the resident calls in."))</p>
            \(upcomingTable.render(web))
            """)
    }
}

extension SupervisionModel {
    func render(_ web: WebRequest) -> HTML {
        let rows: [HTML] = orders.map { order in
            let late = order.resolvedAt == nil && order.due < now
            let level: HTML =
                order.level > 0
                ? " <span class=\"overdue\">\(web.t("已升级至", "escalated to")) \(web.lang == .zh ? order.levelNameZh : order.levelNameEn)</span>"
                : .empty
            return """
                <tr><td><a href="/staff/items/\(order.itemNumber)">\(order.itemNumber)</a></td><td>\(catalogue.unitName(order.unitID))</td>
                <td>\(web.lang == .zh ? order.cause.nameZh : order.cause.nameEn)\(level)</td><td>\(SystemText.localized(order.reason, web))</td>\
                <td class="hide-narrow">\(Format.dateTime(order.issuedAt))</td>
                <td\(HTML.trusted(late ? " class=\"overdue\"" : ""))>\(Format.dateTime(order.due))\(late ? " (\(web.t("已超期", "overdue")))" : "")\
                </td>
                <td>\(order.resolvedAt.map { Format.dateTime($0) } ?? web.t("未结", "open"))</td></tr>
                """
        }
        let unitRows: [HTML] = unitOrders.map { order in
            """
            <tr><td>\(catalogue.unitName(order.unitID))</td><td>\(SystemText.localized(order.reason, web))</td><td>\
            <a href="/staff/bulletins/\(Format.date(order.weekStart))">\(Format.date(order.weekStart))</a></td>
            <td class="nowrap">\(Format.dateTime(order.due))</td></tr>
            """
        }
        let unitSection: HTML =
            unitRows.isEmpty
            ? .empty
            : """
            <h2>\(web.t("单位督办（周通报）", "Unit supervision (weekly bulletin)"))</h2>
            <div class="table-wrap"><table id="unit-orders"><thead><tr><th>\(web.t("单位", "Unit"))</th><th>\(web.t("事由", "Reason"))</th>\
            <th>\(web.t("通报", "Bulletin"))</th>
            <th>\(web.t("期限", "Due"))</th></tr></thead><tbody>\(unitRows)</tbody></table></div>
            """
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"card\">\(web.t("没有督办单。", "No supervision orders."))</p>"
            : """
            <div class="table-wrap"><table id="orders"><thead><tr><th>\(web.t("事项", "Item"))</th><th>\(web.t("督办单位", "Unit"))</th>\
            <th>\(web.t("原因类别", "Cause"))</th><th>\(web.t("督办事由", "Reason"))</th>
            <th class="hide-narrow">\(web.t("下发时间", "Issued"))</th><th>\(web.t("整改期限", "Due"))</th><th>\(web.t("已整改", "Resolved"))</th>\
            </tr></thead><tbody>\(rows)</tbody></table></div>
            """
        return Layout.page(
            web, title: web.t("督办", "Supervision"), staff: true,
            """
            <h1>\(web.t("督办单", "Supervision orders"))</h1>
            <nav class="tabs"><a href="/staff/supervision"\(HTML.trusted(all ? "" : " aria-current=\"page\""))>\(web.t("未结", "Open"))</a>
            <a href="/staff/supervision?all=1"\(HTML.trusted(all ? " aria-current=\"page\"" : ""))>\(web.t("全部（含历史）", "All, with history"))\
            </a></nav>
            \(table)
            \(unitSection)
            """)
    }
}
