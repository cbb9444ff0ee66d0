import Foundation

/// A supervision order (督办单): sends an item back to its unit with a new deadline, until the resident is satisfied.
public struct SupervisionOrder: Sendable, Hashable, Codable {
    public typealias ID = Identifier<SupervisionOrder>

    /// Why the order was issued.
    public enum Cause: String, Sendable, Codable, CaseIterable {
        case dissatisfied  // 群众不满意
        case overdueResponse = "overdue_response"  // 签收超时
        case overdueHandling = "overdue_handling"  // 办理超时
        case overdueCallback = "overdue_callback"  // 回访超时 (to the callback centre)
        case inspector  // 督察发起

        public var nameZh: String {
            switch self {
            case .dissatisfied: "回访不满意"
            case .overdueResponse: "签收超时"
            case .overdueHandling: "办理超时"
            case .overdueCallback: "回访超时"
            case .inspector: "督察督办"
            }
        }
    }

    /// What a transition asks the store to issue.
    public struct Request: Sendable, Hashable {
        public var unitID: PoliceUnit.ID
        public var cause: Cause
        public var reason: String
        public var due: Date
    }

    public var id: ID
    public var itemID: Item.ID
    public var itemNumber: String
    public var unitID: PoliceUnit.ID
    public var cause: Cause
    public var reason: String
    public var issuedAt: Date
    public var issuedBy: Officer.ID?
    public var due: Date
    public var resolvedAt: Date?
    /// How far the order has been escalated: 0 the unit, 1 the unit's lead, 2 the bureau's leaders. An item that
    /// misses deadline after deadline keeps one open order, escalated, instead of collecting one per breach.
    public var level: Int = 0

    /// Who the order now answers to, as said to staff.
    public var levelNameZh: String { ["承办单位", "单位负责人", "局领导"][max(0, min(level, 2))] }
    public var levelNameEn: String { ["the unit", "the unit's lead", "the bureau's leaders"][max(0, min(level, 2))] }

    public init(
        id: ID, itemID: Item.ID, itemNumber: String, unitID: PoliceUnit.ID, cause: Cause, reason: String, issuedAt: Date,
        issuedBy: Officer.ID?, due: Date, resolvedAt: Date?, level: Int = 0
    ) {
        self.id = id
        self.itemID = itemID
        self.itemNumber = itemNumber
        self.unitID = unitID
        self.cause = cause
        self.reason = reason
        self.issuedAt = issuedAt
        self.issuedBy = issuedBy
        self.due = due
        self.resolvedAt = resolvedAt
        self.level = level
    }
}
