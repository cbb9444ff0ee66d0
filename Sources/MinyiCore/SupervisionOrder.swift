import Foundation

/// A supervision order (督办单): sends an item back to its unit with a new deadline, until the resident is satisfied.
public struct SupervisionOrder: Sendable, Hashable, Codable {
    public typealias ID = Identifier<SupervisionOrder>

    /// Why the order was issued.
    public enum Cause: String, Sendable, Codable, CaseIterable {
        case dissatisfied  // 群众不满意
        case overdueResponse = "overdue_response"  // 签收超时
        case overdueHandling = "overdue_handling"  // 办理超时
        case inspector  // 督察发起

        public var nameZh: String {
            switch self {
            case .dissatisfied: "回访不满意"
            case .overdueResponse: "签收超时"
            case .overdueHandling: "办理超时"
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

    public init(
        id: ID, itemID: Item.ID, itemNumber: String, unitID: PoliceUnit.ID, cause: Cause, reason: String, issuedAt: Date,
        issuedBy: Officer.ID?, due: Date, resolvedAt: Date?
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
    }
}
