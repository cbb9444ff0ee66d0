import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Items as the work lists and the ledger show them (`Queues+View.swift` writes the table).
struct ItemTableModel: Sendable {
    var rows: [StoredItem]
    var catalogue: WebController.Catalogue
    var now: Date
    /// How far ahead a deadline counts as "soon".
    var dueSoon: TimeInterval
    var showUnit = true
    var link: @Sendable (Item) -> String = { "/staff/items/\($0.number)" }
    /// The callback list's columns: when the reply went out, when the callback is due, how many calls were tried.
    var callbackColumns = false
    /// A checkbox a row, for acting on several items at once.
    var selectable = false
}

/// The command centre's queue: its tabs with their counts, and the items of the chosen one.
struct CommandQueueModel: Sendable {
    struct Tab: Sendable {
        var key: String
        var zh: String
        var en: String
        var count: String
    }
    var tabs: [Tab]
    var selected: String
    /// Whether the list is sorted by deadline (most urgent first) rather than newest first.
    var byDeadline: Bool
    /// Whether the tab's items have deadlines to sort by.
    var sortable: Bool
    var shown: SQLItemStore.QueuePage?
    var table: ItemTableModel
}

/// A unit's inbox: to accept, under supervision, to reply.
struct InboxModel: Sendable {
    struct Section: Sendable {
        var zh: String
        var en: String
        var page: SQLItemStore.QueuePage
        var table: ItemTableModel
    }
    var unitName: String
    var sections: [Section]
    /// What the last "accept the selected" did.
    var notice: String?
    var error: String?
}

/// The callbacks due, and those replied to that fall due from tomorrow.
struct CallbackQueueModel: Sendable {
    var due: SQLItemStore.QueuePage
    var dueTable: ItemTableModel
    var upcomingTable: ItemTableModel
    var done: String?
}

/// The supervision orders of the jurisdiction, and the units put under supervision by the weekly bulletin.
struct SupervisionModel: Sendable {
    var orders: [SupervisionOrder]
    var unitOrders: [UnitSupervisionOrder]
    var all: Bool
    var catalogue: WebController.Catalogue
    var now: Date
}

extension WebController {
    func itemTableModel(
        _ rows: [StoredItem], catalogue: Catalogue, at: Date, showUnit: Bool = true,
        link: @escaping @Sendable (Item) -> String = { "/staff/items/\($0.number)" }
    ) -> ItemTableModel {
        ItemTableModel(rows: rows, catalogue: catalogue, now: at, dueSoon: support.dueSoon, showUnit: showUnit, link: link)
    }

    func commandQueueModel(_ request: Request, actor: Actor) async throws -> CommandQueueModel {
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
        let asked = request.uri.queryParameters["view"].map(String.init) ?? "new"
        let view = views.first(where: { $0.key == asked }) ?? views[0]
        // Lists with deadlines are sorted most urgent first unless the officer asks for the newest.
        let sortable = ["emergency", "overdue", "due-soon"].contains(view.key)
        let byDeadline = sortable && request.uri.queryParameters["sort"] != "newest"
        var tabs: [CommandQueueModel.Tab] = []
        var shown: SQLItemStore.QueuePage?
        for candidate in views {
            var filter = candidate.filter
            let count: String
            if candidate.key == view.key {
                filter.byDeadline = byDeadline
                let result = try await items.queue(filter, for: actor, at: at, countingUpTo: Self.workListCount)
                shown = result
                count = result.totalText
            } else {
                // The other tabs only need their counts: no item is read.
                let counted = try await items.count(filter, for: actor, at: at, upTo: Self.workListCount + 1)
                let limit = Self.workListCount
                count = SQLItemStore.QueuePage(items: [], total: min(counted, limit), totalIsExact: counted <= limit).totalText
            }
            tabs.append(.init(key: candidate.key, zh: candidate.zh, en: candidate.en, count: count))
        }
        return CommandQueueModel(
            tabs: tabs, selected: view.key, byDeadline: byDeadline, sortable: sortable, shown: shown,
            table: itemTableModel(shown?.items ?? [], catalogue: try await catalogue(), at: at))
    }

    func inboxModel(_ request: Request, web: WebRequest, actor: Actor) async throws -> InboxModel {
        let at = now()
        let catalogue = try await catalogue()
        var sections: [InboxModel.Section] = []
        for (status, zh, en) in [
            (ItemStatus.dispatched, "待签收", "To accept"), (.supervised, "督办中", "Under supervision"),
            (.accepted, "办理中（待答复）", "To reply"),
        ] {
            var filter = QueueFilter(status: status, unit: actor.unit.id, limit: 200)
            filter.byDeadline = true
            let result = try await items.queue(filter, for: actor, at: at, countingUpTo: Self.workListCount)
            var table = itemTableModel(result.items, catalogue: catalogue, at: at, showUnit: false)
            // Items to accept can be accepted several at once.
            table.selectable = status == .dispatched && ItemCommand.Name.accept.roles.contains(where: actor.officer.roles.contains)
            sections.append(.init(zh: zh, en: en, page: result, table: table))
        }
        let query = request.uri.queryParameters
        let accepted = query["accepted"].flatMap { Int(String($0)) }
        let refused = query["refused"].map(String.init)
        return InboxModel(
            unitName: actor.unit.name, sections: sections,
            notice: accepted.map { n in web.t("已签收 \(n) 件。", "\(n) accepted.") },
            error: refused.map { list in
                web.t("以下事项未能签收（可能已被他人签收或已退回）：", "Not accepted (taken or returned meanwhile): ") + list
            })
    }

    func callbackQueueModel(_ request: Request, actor: Actor) async throws -> CallbackQueueModel {
        let at = now()
        var dueFilter = QueueFilter(callbackDue: true, limit: 200)
        dueFilter.byDeadline = true
        var repliedFilter = QueueFilter(status: .replied, limit: 200)
        repliedFilter.byDeadline = true
        let due = try await items.queue(dueFilter, for: actor, at: at, countingUpTo: Self.workListCount)
        let replied = try await items.queue(repliedFilter, for: actor, at: at, countingUpTo: Self.workListCount)
        let upcoming = replied.items.filter { ($0.item.callbackDue ?? at) > at }
        let catalogue = try await catalogue()
        let link: @Sendable (Item) -> String = { "/staff/callbacks/\($0.number)" }
        return CallbackQueueModel(
            due: due, dueTable: callbackTable(itemTableModel(due.items, catalogue: catalogue, at: at, link: link)),
            upcomingTable: callbackTable(itemTableModel(upcoming, catalogue: catalogue, at: at, link: link)),
            done: request.uri.queryParameters["done"].map(String.init))
    }

    func callbackTable(_ table: ItemTableModel) -> ItemTableModel {
        var table = table
        table.callbackColumns = true
        return table
    }

    func supervisionModel(_ request: Request, actor: Actor) async throws -> SupervisionModel {
        let all = request.uri.queryParameters["all"] == "1"
        return SupervisionModel(
            orders: try await items.supervisionOrders(for: actor, openOnly: !all),
            unitOrders: try await bulletins.unitOrders(within: actor.jurisdiction), all: all, catalogue: try await catalogue(), now: now())
    }
}
