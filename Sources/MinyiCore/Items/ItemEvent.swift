import Foundation

/// One step in an item's history. Events are appended, never changed.
public struct ItemEvent: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case registered, answered, dispatched, accepted, replied, returned, merged, rejected
        case callback, supervised, overdue, closed, recategorized

        public var nameZh: String {
            switch self {
            case .registered: "登记受理"
            case .answered: "当场答复"
            case .dispatched: "派发承办单位"
            case .accepted: "承办单位签收"
            case .replied: "承办单位答复"
            case .returned: "退回指挥中心"
            case .merged: "合并为重复件"
            case .rejected: "不予受理"
            case .callback: "回访"
            case .supervised: "督办"
            case .overdue: "超期"
            case .closed: "销号"
            case .recategorized: "调整类别"
            }
        }

        /// Whether residents see this step on the public timeline.
        public var isPublic: Bool { self != .overdue }
    }

    public var sequence: Int
    public var kind: Kind
    public var at: Date
    /// The officer who acted; nil for the resident or the system.
    public var actorID: Officer.ID?
    /// The unit that acted, shown to residents instead of staff names.
    public var actorUnitID: PoliceUnit.ID?
    /// The status after the step.
    public var status: ItemStatus
    public var reason: String?
    /// Facts of the step: unit dispatched to, deadlines, outcome, callback result …
    public var detail: EventDetail

    public init(
        sequence: Int, kind: Kind, at: Date, actorID: Officer.ID?, actorUnitID: PoliceUnit.ID?, status: ItemStatus, reason: String?,
        detail: EventDetail = [:]
    ) {
        self.sequence = sequence
        self.kind = kind
        self.at = at
        self.actorID = actorID
        self.actorUnitID = actorUnitID
        self.status = status
        self.reason = reason
        self.detail = detail
    }
}
