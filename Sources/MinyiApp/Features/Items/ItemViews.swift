import Foundation
import MinyiCore
import MinyiStorage

/// What residents see of an item: its steps with time and unit (never staff names), the reply, and the public reason.
struct PublicItemView: Codable {
    struct Step: Codable {
        var at: Date
        var step: String
        var stepName: String
        var unit: String?
        var status: String
        var statusName: String
        var note: String?
    }

    struct Reply: Codable {
        var outcome: String
        var outcomeName: String
        var text: String?
        var at: Date?
    }

    var number: String
    var status: String
    var statusName: String
    var kind: String
    var kindName: String
    var category: String
    var place: String?
    /// What the resident wrote, as stored.
    var text: String
    var createdAt: Date
    var reply: Reply?
    var publicReason: String?
    var callbackResult: String?
    var mergedInto: String?
    var timeline: [Step]

    init(item: Item, events: [ItemEvent], unitNames: [PoliceUnit.ID: String], categoryName: String) {
        number = item.number
        status = item.status.rawValue
        statusName = item.status.nameZh
        kind = item.kind.rawValue
        kindName = item.kind.nameZh
        category = categoryName
        place = unitNames[item.placeID]
        text = item.text
        createdAt = item.createdAt
        reply = item.replyOutcome.map { Reply(outcome: $0.rawValue, outcomeName: $0.nameZh, text: item.replyText, at: item.repliedAt) }
        publicReason = item.publicReason
        callbackResult = item.callbackResult?.rawValue
        mergedInto = item.mergedInto
        timeline = events.filter(\.kind.isPublic).map { event in
            let note = Self.note(of: event, english: false) { unitNames[$0] ?? $0.rawValue }
            return Step(
                at: event.at, step: event.kind.rawValue, stepName: event.kind.nameZh, unit: event.actorUnitID.flatMap { unitNames[$0] },
                status: event.status.rawValue, statusName: event.status.nameZh, note: note)
        }
    }

    /// What residents read beside a step of their item's timeline (the API and the look-up page say the same).
    static func note(of event: ItemEvent, english: Bool, unitName: (PoliceUnit.ID) -> String) -> String? {
        func t(_ zh: String, _ en: String) -> String { english ? en : zh }
        switch event.kind {
        case .answered, .replied: return event.detail.text
        case .rejected, .closed: return event.reason
        case .merged: return event.detail.into.map { t("合并至 ", "merged into ") + $0 }
        case .callback: return event.detail.result.map { english ? $0.nameEn : $0.nameZh }
        case .dispatched: return event.detail.unit.map { t("承办单位：", "Responsible unit: ") + unitName($0) }
        case .supervised: return t("已督办承办单位限期办理", "The unit was ordered to act by a deadline")
        default: return nil
        }
    }
}

/// A line of a work queue.
struct ItemSummaryView: Codable {
    var number: String
    var status: String
    var statusName: String
    var kind: String
    var category: String
    var channel: String
    var emergency: Bool
    var excerpt: String
    var place: String
    var assignedUnit: String?
    var responseDue: Date?
    var handlingDue: Date?
    var callbackDue: Date?
    var overdue: String?
    /// Since when the item is late (it missed a deadline and has not caught up).
    var lateSince: Date?
    /// The deadline coming up within the warning window (预警), when not late: `response`, `handling` or `callback`.
    var dueSoon: String?
    var createdAt: Date

    init(_ stored: StoredItem, now: Date, dueSoonWindow: TimeInterval = 0) {
        let item = stored.item
        number = item.number
        status = item.status.rawValue
        statusName = item.status.nameZh
        kind = item.kind.rawValue
        category = item.category.rawValue
        channel = item.channel.rawValue
        emergency = item.emergency
        excerpt = String(item.text.prefix(80))
        place = item.placeID.rawValue
        assignedUnit = item.assignedUnitID?.rawValue
        responseDue = item.responseDue
        handlingDue = item.handlingDue
        callbackDue = item.callbackDue
        overdue = item.lateness(at: now)?.rawValue
        lateSince = item.lateSince
        switch item.dueSoon(at: now, within: dueSoonWindow) {
        case .response: dueSoon = "response"
        case .handling: dueSoon = "handling"
        case .callback: dueSoon = "callback"
        case nil: dueSoon = nil
        }
        createdAt = item.createdAt
    }
}

/// What staff see of an item: everything, with the contact masked unless revealed (and audited).
struct StaffItemView: Codable {
    struct ContactView: Codable {
        var name: String?
        var phone: String?
        var idNumber: String?
        var masked: Bool
    }

    struct Event: Codable {
        var sequence: Int
        var kind: String
        var kindName: String
        var at: Date
        var actor: String?
        var unit: String?
        var status: String
        var reason: String?
        var detail: [String: String]
    }

    var summary: ItemSummaryView
    var text: String
    var address: String?
    var latitude: Double?
    var longitude: Double?
    var echoCard: String?
    var contact: ContactView?
    var round: Int
    var reply: PublicItemView.Reply?
    var publicReason: String?
    var callbackAttempts: Int
    var callbackResult: String?
    var mergedInto: String?
    var proposedUnit: String?
    /// The steps the calling officer may take now (see `Access.steps`).
    var allowedCommands: [String]
    var events: [Event]
    var supervisionOrders: [SupervisionOrderView]

    init(
        stored: StoredItem, events: [ItemEvent], orders: [SupervisionOrder], contact: Contact?, revealed: Bool, proposedUnit: PoliceUnit.ID?,
        actor: Actor, now: Date
    ) {
        let item = stored.item
        summary = ItemSummaryView(stored, now: now)
        text = item.text
        address = item.address
        latitude = item.latitude
        longitude = item.longitude
        echoCard = item.echoCard
        if let contact {
            let shown = revealed ? contact : contact.masked
            self.contact = ContactView(name: shown.name, phone: shown.phone, idNumber: shown.idNumber, masked: !revealed)
        }
        round = item.round
        reply = item.replyOutcome.map { .init(outcome: $0.rawValue, outcomeName: $0.nameZh, text: item.replyText, at: item.repliedAt) }
        publicReason = item.publicReason
        callbackAttempts = item.callbackAttempts
        callbackResult = item.callbackResult?.rawValue
        mergedInto = item.mergedInto
        self.proposedUnit = proposedUnit?.rawValue
        allowedCommands = Access.steps(
            for: actor, status: item.status, number: item.number, placePath: stored.placePath, assignedPath: stored.assignedPath
        ).map(\.rawValue)
        self.events = events.map {
            Event(
                sequence: $0.sequence, kind: $0.kind.rawValue, kindName: $0.kind.nameZh, at: $0.at, actor: $0.actorID?.rawValue,
                unit: $0.actorUnitID?.rawValue, status: $0.status.rawValue, reason: $0.reason, detail: $0.detail.fields)
        }
        supervisionOrders = orders.map { SupervisionOrderView($0, now: now) }
    }
}

/// A supervision order as staff see it.
struct SupervisionOrderView: Codable {
    var id: String
    var number: String
    var unit: String
    var cause: String
    var causeName: String
    var reason: String
    var issuedAt: Date
    var due: Date
    var resolvedAt: Date?
    var overdue: Bool
    /// 0 the unit, 1 escalated to the unit's lead, 2 to the bureau's leaders.
    var level: Int

    init(_ order: SupervisionOrder, now: Date) {
        id = order.id.rawValue
        number = order.itemNumber
        unit = order.unitID.rawValue
        cause = order.cause.rawValue
        causeName = order.cause.nameZh
        reason = order.reason
        issuedAt = order.issuedAt
        due = order.due
        resolvedAt = order.resolvedAt
        overdue = order.resolvedAt == nil && order.due < now
        level = order.level
    }
}
