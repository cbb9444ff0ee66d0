import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

// MARK: Queues

extension WebController {
    func itemTable(
        _ rows: [StoredItem], _ web: WebRequest, catalogue: Catalogue, at: Date, showUnit: Bool = true,
        link: (Item) -> String = { "/staff/items/\($0.number)" }
    )
        -> HTML
    {
        guard !rows.isEmpty else { return "<p class=\"card\">\(web.t("没有符合条件的事项。", "No items here."))</p>" }
        let body: [HTML] = rows.map { stored in
            let item = stored.item
            let overdue = item.lateness(at: at)
            let due: HTML
            if let overdue {
                due = "<span class=\"overdue\">\(web.lang == .zh ? overdue.nameZh : overdue.nameEn)</span>"
            } else if let upcoming = item.dueSoon(at: at, within: support.dueSoon) {
                let what: String
                switch upcoming {
                case .response: what = web.t("即将超过签收期限", "Accept soon")
                case .handling: what = web.t("即将超过办结期限", "Reply soon")
                case .callback: what = web.t("回访即将到期", "Callback due soon")
                }
                due = "<span class=\"due-soon\">\(what)</span> \(Format.dateTime(upcoming.due))"
            } else if item.status == .dispatched, let d = item.responseDue {
                due = "\(web.t("签收", "Accept by")) \(Format.dateTime(d))"
            } else if [.accepted, .supervised].contains(item.status), let d = item.handlingDue {
                due = "\(web.t("办结", "Reply by")) \(Format.dateTime(d))"
            } else {
                due = "—"
            }
            let excerpt = item.text.count > 40 ? String(item.text.prefix(40)) + "…" : item.text
            let flag: HTML = item.emergency ? " <span class=\"flag\">\(web.t("紧急", "URGENT"))</span>" : .empty
            let unit: HTML = showUnit ? "<td class=\"hide-narrow\">\(catalogue.unitName(item.assignedUnitID))</td>" : .empty
            return """
                <tr><td><a href="\(link(item))">\(item.number)</a>\(flag)</td><td class="hide-narrow">\(Format.dateTime(item.createdAt))</td>
                <td>\(catalogue.categoryName(item.category, web))<div class="muted">\(excerpt)</div></td>
                <td class="hide-narrow">\(catalogue.placeName(item.placeID))</td>\(unit)<td>\(Layout.status(item.status, web))</td><td>\(due)</td>\
                </tr>
                """
        }
        let unitHead: HTML = showUnit ? "<th class=\"hide-narrow\">\(web.t("承办单位", "Unit"))</th>" : .empty
        return """
            <div class="table-wrap"><table class="items"><thead><tr><th>\(web.t("查询号", "Number"))</th>\
            <th class="hide-narrow">\(web.t("登记时间", "Registered"))</th>
            <th>\(web.t("类别 / 内容", "Category / text"))</th><th class="hide-narrow">\(web.t("地点", "Place"))</th>\(unitHead)\
            <th>\(web.t("状态", "Status"))</th><th>\(web.t("期限", "Deadline"))</th></tr></thead>
            <tbody>\(body)</tbody></table></div>
            """
    }

    /// How far the work lists (the command centre's tabs, a unit's inbox, the callbacks due) count their items: past
    /// a thousand a list shows "1000+", and counting further would cost every page view more.
    static let workListCount = 1_000

    /// `GET /staff/queue?view=new|emergency|returned|overdue|due-soon|all`: the command centre's queue.
    @Sendable func commandQueue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let at = now()
        let views: [(key: String, zh: String, en: String, filter: QueueFilter)] = [
            ("new", "新登记", "New", QueueFilter(status: .registered, limit: 100)),
            (
                "emergency", "紧急", "Emergency",
                QueueFilter(statuses: [.registered, .returned, .dispatched, .accepted], emergencyOnly: true, limit: 100)
            ),
            ("returned", "退回", "Returned", QueueFilter(status: .returned, limit: 100)),
            ("overdue", "超期", "Overdue", QueueFilter(overdueOnly: true, limit: 100)),
            ("due-soon", "即将到期", "Due soon", QueueFilter(dueWithin: support.dueSoon, limit: 100)),
            ("all", "全部", "All", QueueFilter(limit: 100)),
        ]
        let selected = request.uri.queryParameters["view"].map(String.init) ?? "new"
        let view = views.first(where: { $0.key == selected }) ?? views[0]
        var tabs: [HTML] = []
        var shown: SQLItemStore.QueuePage?
        for candidate in views {
            var filter = candidate.filter
            if candidate.key != view.key { filter.limit = 1 }
            let result = try await items.queue(filter, for: actor, at: at, countingUpTo: Self.workListCount)
            if candidate.key == view.key { shown = result }
            tabs.append(
                "<a href=\"/staff/queue?view=\(candidate.key)\"\(HTML.trusted(candidate.key == view.key ? " aria-current=\"page\"" : ""))>\(web.t(candidate.zh, candidate.en))<span class=\"count\">\(result.totalText)</span></a>"
            )
        }
        let more = shown.flatMap { shown in
            shown.total > shown.items.count
                ? web.t(
                    "仅显示最新 \(shown.items.count) 件，共 \(shown.totalText) 件；更多请在台账中筛选。",
                    "Showing the newest \(shown.items.count) of \(shown.totalText); filter the ledger for more.") : nil
        }
        let page = Layout.page(
            web, title: web.t("指挥中心", "Command centre"), staff: true,
            """
            <h1>\(web.t("指挥中心待办", "Command centre queue"))</h1>
            <nav class="tabs" aria-label="\(web.t("筛选", "Filter"))">\(tabs)</nav>
            <p><a class="button secondary" href="/staff/register">\(web.t("登记来访、来电、来信等事项", "Register a walk-in, call, letter …"))</a></p>
            \(itemTable(shown?.items ?? [], web, catalogue: try await catalogue(), at: at))
            \(more.map { "<p class=\"muted\">\($0)</p>" as HTML } ?? .empty)
            """)
        return WebSupport.page(page, web)
    }

    /// `GET /staff/inbox`: the unit's items to accept and to reply to, and those under supervision.
    @Sendable func inbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let at = now()
        let catalogue = try await catalogue()
        var sections: [HTML] = []
        for (status, zh, en) in [
            (ItemStatus.dispatched, "待签收", "To accept"), (.supervised, "督办中", "Under supervision"), (.accepted, "办理中（待答复）", "To reply"),
        ] {
            let result = try await items.queue(
                QueueFilter(status: status, unit: actor.unit.id, limit: 200), for: actor, at: at, countingUpTo: Self.workListCount)
            sections.append(
                """
                    <h2>\(web.t(zh, en)) <span \
                    class=\"muted\">(\(result.totalText))</span></h2>\(itemTable(result.items, web, catalogue: catalogue, at: at, showUnit: false))
                    """
            )
        }
        let page = Layout.page(
            web, title: web.t("单位待办", "Unit inbox"), staff: true,
            "<h1>\(web.t("单位待办", "Unit inbox")) · \(actor.unit.name)</h1>\(sections)")
        return WebSupport.page(page, web)
    }

    /// `GET /staff/callbacks`: items whose callback is due (民意访评中心).
    @Sendable func callbackQueue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let at = now()
        let result = try await items.queue(QueueFilter(callbackDue: true, limit: 200), for: actor, at: at, countingUpTo: Self.workListCount)
        let replied = try await items.queue(QueueFilter(status: .replied, limit: 200), for: actor, at: at, countingUpTo: Self.workListCount)
        let upcoming = replied.items.filter {
            ($0.item.callbackDue ?? at) > at
        }
        let catalogue = try await catalogue()
        let page = Layout.page(
            web, title: web.t("回访", "Callbacks"), staff: true,
            """
            <h1>\(web.t("待回访", "Callbacks due")) <span class="muted">(\(result.totalText))</span></h1>
            \(Layout.noticeBox(request.uri.queryParameters["done"].map { web.t("已记录 \($0) 的回访结果。", "Callback of \($0) recorded.") }))
            <p class="hint">\(web.t("打开事项后显示群众电话，每次查看均记录。",
                "The resident's phone is shown when you open an item; every look is logged."))</p>
            \(itemTable(result.items, web, catalogue: catalogue, at: at, link: { "/staff/callbacks/\($0.number)" }))
            <h2>\(web.t("已答复、明日起回访", "Replied, callback from tomorrow")) <span class="muted">(\(upcoming.count))</span></h2>
            <p class="hint">\(web.t("回访在答复的次日进行；群众主动来电时也可提前记录。",
                "Callbacks fall due the day after the reply; record one earlier when the resident calls in."))</p>
            \(itemTable(upcoming, web, catalogue: catalogue, at: at, link: { "/staff/callbacks/\($0.number)" }))
            """)
        return WebSupport.page(page, web)
    }

    /// `GET /staff/supervision?all=1`: supervision orders within the jurisdiction, open ones first.
    @Sendable func supervision(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let all = request.uri.queryParameters["all"] == "1"
        let orders = try await items.supervisionOrders(for: actor, openOnly: !all)
        let catalogue = try await catalogue()
        let at = now()
        let rows: [HTML] = orders.map { order in
            let late = order.resolvedAt == nil && order.due < at
            return """
                <tr><td><a href="/staff/items/\(order.itemNumber)">\(order.itemNumber)</a></td><td>\(catalogue.unitName(order.unitID))</td>
                <td>\(web.lang == .zh ? order.cause.nameZh : order.cause.nameEn)\(order.level > 0 ? " <span class=\"overdue\">\(web.t("已升级至", "escalated to")) \(web.lang == .zh ? order.levelNameZh : order.levelNameEn)</span>" as HTML : .empty)</td><td>\(order.reason)</td><td class="hide-narrow">\(Format.dateTime(order.issuedAt))</td>
                <td\(HTML.trusted(late ? " class=\"overdue\"" : ""))>\(Format.dateTime(order.due))\(late ? " (\(web.t("已超期", "overdue")))" : "")\
                </td>
                <td>\(order.resolvedAt.map { Format.dateTime($0) } ?? web.t("未结", "open"))</td></tr>
                """
        }
        let unitOrders: [HTML] = try await bulletins.unitOrders(within: actor.jurisdiction).map { order in
            """
            <tr><td>\(catalogue.unitName(order.unitID))</td><td>\(order.reason)</td><td>\
            <a href="/staff/bulletins/\(Format.date(order.weekStart))">\(Format.date(order.weekStart))</a></td>
            <td>\(Format.dateTime(order.due))</td></tr>
            """
        }
        let unitSection: HTML =
            unitOrders.isEmpty
            ? .empty
            : """
            <h2>\(web.t("单位督办（周通报）", "Unit supervision (weekly bulletin)"))</h2>
            <div class="table-wrap"><table id="unit-orders"><thead><tr><th>\(web.t("单位", "Unit"))</th><th>\(web.t("事由", "Reason"))</th>\
            <th>\(web.t("通报", "Bulletin"))</th>
            <th>\(web.t("期限", "Due"))</th></tr></thead><tbody>\(unitOrders)</tbody></table></div>
            """
        let page = Layout.page(
            web, title: web.t("督办", "Supervision"), staff: true,
            """
            <h1>\(web.t("督办单", "Supervision orders"))</h1>
            <nav class="tabs"><a href="/staff/supervision"\(HTML.trusted(all ? "" : " aria-current=\"page\""))>\(web.t("未结", "Open"))</a>
            <a href="/staff/supervision?all=1"\(HTML.trusted(all ? " aria-current=\"page\"" : ""))>\(web.t("全部（含历史）", "All, with history"))\
            </a></nav>
            \(rows.isEmpty ? "<p class=\"card\">\(web.t("没有督办单。", "No supervision orders."))</p>" as HTML : """
                <div class="table-wrap"><table id="orders"><thead><tr><th>\(web.t("事项", "Item"))</th><th>\(web.t("督办单位", "Unit"))</th><th>\(web.t("原因类别", "Cause"))</th><th>\(web.t("督办事由", "Reason"))</th>
                <th class="hide-narrow">\(web.t("下发时间", "Issued"))</th><th>\(web.t("办结期限", "Due"))</th><th>\(web.t("办结", "Resolved"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
                """)
            \(unitSection)
            """)
        return WebSupport.page(page, web)
    }
}
