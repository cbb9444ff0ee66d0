import Foundation

/// Something that can be done to an item.
public enum ItemCommand: Sendable, Hashable {
    /// 当场答复: the intake clerk or command centre answers at once.
    case answer(outcome: ReplyOutcome, text: String, publicReason: String?)
    /// 派发: to a responsible unit; the deadlines come from the category.
    case dispatch(unit: PoliceUnit.ID)
    /// 签收
    case accept
    /// 答复
    case reply(outcome: ReplyOutcome, text: String, publicReason: String?)
    /// 退单: the unit says the item is not theirs.
    case returnToCommand(reason: String)
    /// 合并: a duplicate of another item.
    case merge(into: String, reason: String?)
    /// 驳回
    case reject(reason: String)
    /// 回访 result.
    case callback(result: CallbackResult, comment: String?, scores: CallbackScores = CallbackScores())
    /// 督办 by an inspector.
    case supervise(reason: String)
    /// 销号 by a leader, with a written reason.
    case close(reason: String)
    /// A deadline passed: recorded by the system, once per breach.
    case overdue(DeadlineKind)
    /// 调整类别: a person corrects the category while triaging (a suggestion is never applied by itself).
    case recategorize(category: Category.Code, reason: String?)

    /// The texts a person typed into the command, by request field.
    public var texts: [(field: String, text: String)] {
        switch self {
        case .answer(_, let text, let publicReason), .reply(_, let text, let publicReason):
            [("text", text)] + (publicReason.map { [("public_reason", $0)] } ?? [])
        case .returnToCommand(let reason), .reject(let reason), .supervise(let reason), .close(let reason): [("reason", reason)]
        case .merge(let into, let reason): [("into", into)] + (reason.map { [("reason", $0)] } ?? [])
        case .callback(_, let comment, _): comment.map { [("comment", $0)] } ?? []
        case .recategorize(let code, let reason): [("category", code.rawValue)] + (reason.map { [("reason", $0)] } ?? [])
        case .dispatch(let unit): [("unit", unit.rawValue)]
        case .accept, .overdue: []
        }
    }

    /// The command's name, as used in the API path.
    public var name: Name {
        switch self {
        case .answer: .answer
        case .dispatch: .dispatch
        case .accept: .accept
        case .reply: .reply
        case .returnToCommand: .return
        case .merge: .merge
        case .reject: .reject
        case .callback: .callback
        case .supervise: .supervise
        case .close: .close
        case .overdue: .overdue
        case .recategorize: .recategorize
        }
    }

    /// The commands by name.
    public enum Name: String, Sendable, CaseIterable, Codable {
        case answer, dispatch, accept, reply, `return`, merge, reject, callback, supervise, close, overdue, recategorize

        /// The roles allowed to give the command (the system gives `overdue`).
        public var roles: Set<Role> {
            switch self {
            case .answer, .recategorize: [.intakeClerk, .dispatcher]
            case .dispatch, .merge, .reject: [.dispatcher]
            case .accept, .reply, .return: [.handler, .unitLead]
            case .callback: [.callbackAgent]
            case .supervise: [.inspector]
            case .close: [.leader]
            case .overdue: []
            }
        }

        /// Whether the command is the assigned unit's own work, so the actor's unit must hold the item.
        public var isUnitWork: Bool { self == .accept || self == .reply || self == .return }
    }
}

/// The outcome of applying a command: the item after it, the event to append, and any supervision order to issue.
public struct Transition: Sendable, Hashable {
    public var item: Item
    public var event: ItemEvent
    public var supervision: SupervisionOrder.Request?
}

/// Why a command was refused.
public enum LifecycleError: Error, Hashable, Sendable, CustomStringConvertible {
    case illegalTransition(command: ItemCommand.Name, status: ItemStatus, number: String)
    case missingReason(command: ItemCommand.Name)
    /// A reply or answer that did not solve the matter needs the reason residents will read.
    case missingPublicReason(command: ItemCommand.Name)
    /// A dissatisfied callback needs what the resident said.
    case missingComment
    case emptyText(field: String)
    case mergeIntoSelf(String)
    case notAssigned(String)
    case sameCategory(String)
    case controlCharacters(field: String)

    public var description: String {
        switch self {
        case .illegalTransition(let command, let status, let number):
            "事项 \(number) 已是「\(status.nameZh)」，不能再\(command.nameZh)；请刷新页面查看最新状态 "
                + "(item \(number) is \(status.nameEn) and cannot be given \(command.nameEn); reload the page to see where it stands)"
        case .missingReason: "请填写原因 (a reason is required)"
        case .missingPublicReason:
            "结果为未解决或转交时，请填写群众可见的公开原因 (a public reason is required when the matter is not solved or is referred)"
        case .missingComment: "群众不满意时，请写明不满意的原因 (write down why the resident is dissatisfied)"
        case .emptyText: "请填写此项 (this must not be empty)"
        case .mergeIntoSelf(let number): "事项 \(number) 不能合并到自身"
        case .notAssigned(let number): "事项 \(number) 尚未派发到任何单位"
        case .sameCategory(let code): "类别已是 \(code)，无需调整 (the category is already \(code))"
        case .controlCharacters: "含有不可见的控制字符，请删除后重试 (contains control characters)"
        }
    }

    /// The request field the error is about, if any.
    public var field: String? {
        switch self {
        case .missingReason: "reason"
        case .missingPublicReason: "public_reason"
        case .missingComment: "comment"
        case .emptyText(let field): field
        case .mergeIntoSelf: "into"
        case .sameCategory: "category"
        case .controlCharacters(let field): field
        default: nil
        }
    }
}

/// The item lifecycle: which command may follow which status, and what it does.
public enum Lifecycle {
    /// Unanswered callbacks after which an item is closed as unreachable.
    public static let maxCallbackAttempts = 3

    /// The statuses from which each command may be given.
    public static let allowed: [ItemCommand.Name: Set<ItemStatus>] = [
        .answer: [.registered, .returned],
        .dispatch: [.registered, .returned],
        .accept: [.dispatched],
        .reply: [.accepted, .supervised],
        .return: [.dispatched, .accepted],
        .merge: [.registered, .returned, .dispatched, .accepted],
        .reject: [.registered, .returned],
        .callback: [.replied],
        .supervise: [.dispatched, .accepted, .replied, .supervised],
        .close: [.registered, .returned, .dispatched, .accepted, .replied, .supervised],
        .overdue: [.dispatched, .accepted, .supervised],
        .recategorize: [.registered, .returned],
    ]

    /// Whether `command` may be given to an item in `status`.
    public static func canApply(_ command: ItemCommand.Name, to status: ItemStatus) -> Bool {
        allowed[command]?.contains(status) ?? false
    }

    /// Applies `command` to `item` at `now`, by `actor` (nil for the system), under the item's category deadlines.
    public static func apply(
        _ command: ItemCommand, to item: Item, category: Category, by actor: Actor?, at now: Date
    ) throws(LifecycleError) -> Transition {
        // A missed callback is the one breach of a replied item (the unit's deadlines are behind it).
        let permitted = command == .overdue(.callback) ? item.status == .replied : canApply(command.name, to: item.status)
        guard permitted else {
            throw .illegalTransition(command: command.name, status: item.status, number: item.number)
        }
        for (field, text) in command.texts where text.hasControlCharacters { throw .controlCharacters(field: field) }
        var next = item
        var supervision: SupervisionOrder.Request?
        var reason: String?
        var detail = EventDetail()
        let kind: ItemEvent.Kind

        func required(_ text: String, _ field: String) throws(LifecycleError) -> String {
            let trimmed = text.trimmed
            guard !trimmed.isEmpty else {
                throw field == "reason" ? .missingReason(command: command.name) : .emptyText(field: field)
            }
            return trimmed
        }
        func startRound(unit: PoliceUnit.ID) {
            let deadlines = category.deadlines(dispatchedAt: now)
            next.assignedUnitID = unit
            next.responseDue = deadlines.response
            next.handlingDue = deadlines.handling
            next.round += 1
            detail.unit = unit
            detail.responseDue = deadlines.response
            detail.handlingDue = deadlines.handling
        }
        func superviseAgain(cause: SupervisionOrder.Cause, why: String) throws(LifecycleError) {
            guard let unit = next.assignedUnitID else { throw .notAssigned(item.number) }
            let deadlines = category.deadlines(dispatchedAt: now)
            let due = deadlines.handling
            next.round += 1
            next.handlingDue = due
            if cause == .overdueResponse {
                next.responseDue = deadlines.response
                detail.responseDue = next.responseDue
            }
            supervision = .init(unitID: unit, cause: cause, reason: why, due: due)
            detail.unit = unit
            detail.cause = cause
            detail.handlingDue = due
        }
        func recordReply(outcome: ReplyOutcome, text: String, publicReason: String?) throws(LifecycleError) {
            let text = try required(text, "text")
            let publicReason = publicReason?.trimmed
            if outcome.needsPublicReason, publicReason?.isEmpty ?? true { throw .missingPublicReason(command: command.name) }
            next.status = .replied
            next.replyOutcome = outcome
            next.replyText = text
            next.publicReason = (publicReason?.isEmpty ?? true) ? nil : publicReason
            next.repliedAt = now
            if next.firstRepliedAt == nil { next.firstRepliedAt = now }
            next.callbackDue = Deadlines.callbackDue(afterReplyAt: now)
            next.callbackAttempts = 0
            detail.outcome = outcome
            detail.text = text
            reason = next.publicReason
        }

        switch command {
        case .answer(let outcome, let text, let publicReason):
            kind = .answered
            next.answeredOnSpot = true
            next.assignedUnitID = actor?.unit.id ?? item.assignedUnitID
            if next.round == 0 { next.round = 1 }
            try recordReply(outcome: outcome, text: text, publicReason: publicReason)
            if next.acceptedAt == nil { next.acceptedAt = now }
        case .dispatch(let unit):
            kind = .dispatched
            next.status = .dispatched
            next.acceptedAt = nil
            startRound(unit: unit)
        case .accept:
            kind = .accepted
            next.status = .accepted
            next.acceptedAt = now
        case .reply(let outcome, let text, let publicReason):
            kind = .replied
            try recordReply(outcome: outcome, text: text, publicReason: publicReason)
        case .returnToCommand(let why):
            kind = .returned
            reason = try required(why, "reason")
            detail.fromUnit = item.assignedUnitID
            next.status = .returned
            next.assignedUnitID = nil
            next.responseDue = nil
            next.handlingDue = nil
        case .merge(let target, let why):
            kind = .merged
            let target = try required(target, "into")
            guard target != item.number else { throw .mergeIntoSelf(item.number) }
            next.status = .merged
            next.mergedInto = target
            next.closedAt = now
            detail.into = target
            reason = why
        case .reject(let why):
            kind = .rejected
            reason = try required(why, "reason")
            next.status = .rejected
            next.closedAt = now
        case .callback(let result, let comment, let scores):
            kind = .callback
            detail.result = result
            if result.isAnswered {
                for (indicator, value) in scores.values { detail.setScore(indicator, value) }
            }
            reason = comment?.trimmed
            if reason?.isEmpty == true { reason = nil }
            next.callbackAttempts += 1
            detail.attempt = next.callbackAttempts
            if result.isAnswered, next.firstCallbackResult == nil { next.firstCallbackResult = result }
            switch result {
            case .satisfied, .basicallySatisfied:
                next.callbackResult = result
                next.status = .closed
                next.closedAt = now
                next.callbackDue = nil
            case .dissatisfied:
                guard let why = reason else { throw .missingComment }
                next.callbackResult = result
                next.status = .supervised
                next.callbackDue = nil
                try superviseAgain(cause: .dissatisfied, why: why)
            case .unreachable:
                if next.callbackAttempts >= maxCallbackAttempts {
                    next.callbackResult = .unreachable
                    next.status = .closed
                    next.closedAt = now
                    next.callbackDue = nil
                } else {
                    next.callbackDue = now.addingTimeInterval(86400)
                }
            }
        case .recategorize(let code, let why):
            kind = .recategorized
            guard code != item.category else { throw .sameCategory(code.rawValue) }
            detail.fromCategory = item.category
            detail.toCategory = code
            reason = why?.trimmed
            if reason?.isEmpty == true { reason = nil }
            next.category = code
        case .supervise(let why):
            kind = .supervised
            let why = try required(why, "reason")
            reason = why
            if next.status == .replied {
                next.status = .supervised
                next.callbackDue = nil
            }
            try superviseAgain(cause: .inspector, why: why)
        case .close(let why):
            kind = .closed
            reason = try required(why, "reason")
            next.status = .closed
            next.closedAt = now
            next.callbackDue = nil
            detail.signedOff = true
        case .overdue(.callback):
            // The callback centre missed the callback: an order to the centre (the store names it; the unit stands in
            // here), the item stays where it is, and the unit's record is not marked.
            kind = .overdue
            detail.deadline = .callback
            let why = "超过回访时限"
            reason = why
            next.round += 1
            supervision = .init(
                unitID: item.assignedUnitID ?? item.placeID, cause: .overdueCallback, reason: why, due: now.addingTimeInterval(86400))
        case .overdue(let deadline):
            kind = .overdue
            next.breached = true
            detail.deadline = deadline
            let why = deadline == .response ? "超过签收时限" : "超过办理时限"
            reason = why
            try superviseAgain(cause: deadline == .response ? .overdueResponse : .overdueHandling, why: why)
        }

        // Lateness: set by a breach, kept while the item is still at the step it was late for.
        switch command {
        case .overdue(let deadline):
            next.lateSince = item.lateSince ?? now
            next.lateFor = item.lateFor == .handling && deadline != .callback ? .handling : deadline
        case .accept where item.lateFor == .response, .dispatch:
            next.lateSince = nil
            next.lateFor = nil
        default:
            if ![.dispatched, .accepted, .supervised].contains(next.status) || item.lateFor == .callback {
                next.lateSince = nil
                next.lateFor = nil
            }
        }
        next.version += 1
        next.updatedAt = now
        let event = ItemEvent(
            sequence: next.version, kind: kind, at: now, actorID: actor?.officer.id, actorUnitID: actor?.unit.id, status: next.status,
            reason: reason, detail: detail)
        return Transition(item: next, event: event, supervision: supervision)
    }
}
