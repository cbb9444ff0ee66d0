import Foundation

/// Where an item is in its lifecycle.
public enum ItemStatus: String, Sendable, Codable, CaseIterable {
    /// The statuses in which the response deadline (签收时限) runs: the unit has not accepted yet.
    public static let awaitingAcceptance: [ItemStatus] = [.dispatched]
    /// The statuses in which the handling deadline (办理时限) runs: the unit owes a reply.
    public static let awaitingReply: [ItemStatus] = [.dispatched, .accepted, .supervised]

    case registered  // 已登记, waiting for the command centre
    case returned  // 已退回: the unit sent it back as misrouted
    case dispatched  // 已派发
    case accepted  // 已签收
    case replied  // 已答复, waiting for the callback
    case supervised  // 督办中: back with the unit under a supervision order
    case closed  // 已销号
    case merged  // 已合并
    case rejected  // 已驳回

    public var isTerminal: Bool { self == .closed || self == .merged || self == .rejected }

    public var nameZh: String {
        switch self {
        case .registered: "已登记"
        case .returned: "已退回"
        case .dispatched: "已派发"
        case .accepted: "已签收"
        case .replied: "已答复待回访"
        case .supervised: "督办中"
        case .closed: "已销号"
        case .merged: "已合并"
        case .rejected: "已驳回"
        }
    }
}

/// The outcome a unit gives when it replies.
public enum ReplyOutcome: String, Sendable, Codable, CaseIterable {
    case resolved  // 已解决
    case explained  // 已解释
    case referred  // 非警务事项, 已转交
    case unsolvable  // 暂不能解决 (reason published)

    public var nameZh: String {
        switch self {
        case .resolved: "已解决"
        case .explained: "已解释"
        case .referred: "非警务事项，已转交"
        case .unsolvable: "暂不能解决"
        }
    }

    /// Whether the reply must carry a reason that is shown to the public.
    public var needsPublicReason: Bool { self == .unsolvable || self == .referred }
}

/// What a resident said when called back.
public enum CallbackResult: String, Sendable, Codable, CaseIterable {
    case satisfied  // 满意
    case basicallySatisfied = "basically_satisfied"  // 基本满意
    case dissatisfied  // 不满意
    case unreachable  // 未接通 (one attempt)

    public var nameZh: String {
        switch self {
        case .satisfied: "满意"
        case .basicallySatisfied: "基本满意"
        case .dissatisfied: "不满意"
        case .unreachable: "未接通"
        }
    }

    public var isAnswered: Bool { self != .unreachable }
    public var isSatisfied: Bool { self == .satisfied || self == .basicallySatisfied }
}

/// Which deadline was missed.
public enum DeadlineKind: String, Sendable, Codable, CaseIterable {
    case response  // 签收超时
    case handling  // 办理超时
    case callback  // 回访超时: the callback centre's, not the unit's

    public var nameZh: String {
        switch self {
        case .response: "签收超时"
        case .handling: "办理超时"
        case .callback: "回访超时"
        }
    }

    public var nameEn: String {
        switch self {
        case .response: "Acceptance overdue"
        case .handling: "Handling overdue"
        case .callback: "Callback overdue"
        }
    }
}

/// A resident's opinion, request or complaint, as it stands now; its history is the list of its events.
/// What was submitted (kind, category, channel, text, place, contact …) is read through it as `item.text`; the
/// category is the one fields of it that changes (recategorising).
@dynamicMemberLookup
public struct Item: Sendable, Hashable {
    public typealias ID = Identifier<Item>

    public var id: ID
    /// The tracking number read aloud on the phone, such as `KFQ-2026-004213`.
    public var number: String
    /// What the resident (or the clerk for them) submitted.
    public var submitted: Submission
    public var emergency: Bool
    public var status: ItemStatus
    public var assignedUnitID: PoliceUnit.ID?
    public var responseDue: Date?
    public var handlingDue: Date?
    /// Counts dispatches and supervision orders; each round has its own deadlines, and each breach is acted on once per round.
    public var round: Int
    public var acceptedAt: Date?
    public var firstRepliedAt: Date?
    public var repliedAt: Date?
    public var replyOutcome: ReplyOutcome?
    public var replyText: String?
    /// The reason shown to the public when the item is not solved.
    public var publicReason: String?
    public var callbackDue: Date?
    public var callbackAttempts: Int
    public var callbackResult: CallbackResult?
    /// The first callback the resident answered (unreachable is no answer), kept whatever came after: the first-time
    /// satisfaction rate (一次满意率) counts it, so a dissatisfied resident won round later is still seen.
    public var firstCallbackResult: CallbackResult?
    public var mergedInto: String?
    public var closedAt: Date?
    /// Answered on the spot (当场答复) rather than by a unit.
    public var answeredOnSpot: Bool
    /// Whether any deadline was ever missed.
    public var breached: Bool
    /// Since when the item is late: it missed a deadline (`lateFor`) and the step that deadline was for is not done
    /// yet. Its deadlines move on with the supervision order, but it stays late until that step (accepting for a
    /// missed response deadline, replying for a missed handling deadline) or until it leaves the unit.
    public var lateSince: Date?
    public var lateFor: DeadlineKind?
    public var createdAt: Date
    public var updatedAt: Date
    /// The number of events so far; the next event's sequence number is `version + 1`.
    public var version: Int

    public init(
        id: ID, number: String, kind: ItemKind, category: Category.Code, channel: Channel, text: String, placeID: PoliceUnit.ID,
        address: String? = nil, latitude: Double? = nil, longitude: Double? = nil, contact: Contact? = nil, emergency: Bool = false,
        echoCard: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.number = number
        self.submitted = Submission(
            checked: (kind, category, channel, text, placeID), address: address, latitude: latitude, longitude: longitude, contact: contact,
            echoCard: echoCard)
        self.emergency = emergency
        self.status = .registered
        self.round = 0
        self.callbackAttempts = 0
        self.answeredOnSpot = false
        self.breached = false
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.version = 0
    }

    public subscript<Value>(dynamicMember path: WritableKeyPath<Submission, Value>) -> Value {
        get { submitted[keyPath: path] }
        set { submitted[keyPath: path] = newValue }
    }

    /// Whether the item is past a deadline that still applies.
    /// A deadline coming up (预警): what is due and when.
    public enum Upcoming: Sendable, Hashable {
        case response(Date)
        case handling(Date)
        case callback(Date)

        public var due: Date {
            switch self {
            case .response(let date), .handling(let date), .callback(let date): date
            }
        }
    }

    /// The deadline due within `window` from `now`, when the item is not late already: accepting, replying or the
    /// callback, whichever comes first.
    public func dueSoon(at now: Date, within window: TimeInterval) -> Upcoming? {
        guard lateness(at: now) == nil, window > 0 else { return nil }
        let end = now.addingTimeInterval(window)
        func within(_ date: Date?) -> Date? { date.flatMap { $0 > now && $0 <= end ? $0 : nil } }
        if status == .dispatched, let due = within(responseDue) { return .response(due) }
        if [.dispatched, .accepted, .supervised].contains(status), let due = within(handlingDue) { return .handling(due) }
        if status == .replied, let due = within(callbackDue) { return .callback(due) }
        return nil
    }

    /// Which deadline the item is late for now: one it missed earlier and has not caught up with, or one just past
    /// that the deadline scan has not yet recorded.
    public func lateness(at now: Date) -> DeadlineKind? {
        lateFor ?? overdue(at: now)
    }

    public func overdue(at now: Date) -> DeadlineKind? {
        if ItemStatus.awaitingAcceptance.contains(status), let responseDue, now > responseDue { return .response }
        if ItemStatus.awaitingReply.contains(status), let handlingDue, now > handlingDue { return .handling }
        return nil
    }
}
