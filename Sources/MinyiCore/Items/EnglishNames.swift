// English names beside the Chinese ones, for the English pages.

extension ItemStatus {
    public var nameEn: String {
        switch self {
        case .registered: "Registered"
        case .returned: "Returned"
        case .dispatched: "Dispatched"
        case .accepted: "Accepted"
        case .replied: "Replied, awaiting callback"
        case .supervised: "Under supervision"
        case .closed: "Closed"
        case .merged: "Merged"
        case .rejected: "Rejected"
        }
    }
}

extension ReplyOutcome {
    public var nameEn: String {
        switch self {
        case .resolved: "Resolved"
        case .explained: "Explained"
        case .referred: "Not police work, referred"
        case .unsolvable: "Cannot be solved now"
        }
    }
}

extension CallbackResult {
    public var nameEn: String {
        switch self {
        case .satisfied: "Satisfied"
        case .basicallySatisfied: "Basically satisfied"
        case .dissatisfied: "Dissatisfied"
        case .unreachable: "Unreachable"
        }
    }
}

extension ItemKind {
    public var nameEn: String {
        switch self {
        case .opinion: "Opinion or suggestion"
        case .help: "Request for help"
        case .complaint: "Complaint"
        case .tipOff: "Tip-off"
        case .praise: "Praise"
        }
    }
}

extension Channel {
    public var nameEn: String {
        switch self {
        case .web: "Web"
        case .walkIn: "Walk-in"
        case .phone: "Phone"
        case .letter: "Letter"
        case .echoCard: "Echo card"
        case .meeting: "Meeting"
        case .homeVisit: "Home visit"
        case .groupChat: "Group chat"
        case .open311: "Open311"
        case .callback: "Found on a callback"
        }
    }
}

extension ItemEvent.Kind {
    public var nameEn: String {
        switch self {
        case .registered: "Registered"
        case .answered: "Answered on the spot"
        case .dispatched: "Dispatched to a unit"
        case .accepted: "Accepted by the unit"
        case .replied: "Replied by the unit"
        case .returned: "Returned to the command centre"
        case .merged: "Merged as a duplicate"
        case .rejected: "Rejected"
        case .callback: "Callback"
        case .supervised: "Supervision order"
        case .overdue: "Overdue"
        case .closed: "Closed"
        case .recategorized: "Category corrected"
        }
    }
}

extension SupervisionOrder.Cause {
    public var nameEn: String {
        switch self {
        case .dissatisfied: "Resident dissatisfied"
        case .overdueResponse: "Not accepted in time"
        case .overdueCallback: "Callback not made in time"
        case .overdueHandling: "Not handled in time"
        case .inspector: "Ordered by an inspector"
        }
    }
}
