import Crypto
import Foundation
import MinyiCore
import SQLKit

/// The lifecycle: a command checked, applied and saved with its event in one transaction.
extension SQLItemStore {
    /// Gives a command to an item, checking role and jurisdiction, in one transaction with its event.
    public func apply(_ command: ItemCommand, to number: String, by actor: Actor?, at now: Date) async throws -> Transition {
        let dialect = database.dialect
        let newID = self.newID
        return try await database.write { db in
            guard let row = try await db.raw("SELECT * FROM items WHERE number = \(bind: number)" + dialect.lockRows).first() else {
                throw StorageError.notFound(what: "事项", id: number)
            }
            let stored = try Self.decodeStored(row)
            if let actor {
                try Access.authorize(
                    command.name, by: actor, number: number, placePath: stored.placePath, assignedPath: stored.assignedPath)
            }
            return try await Self.apply(command, to: stored, by: actor, at: now, on: db, newID: newID)
        }
    }

    /// Applies a command inside an open transaction.
    static func apply(
        _ command: ItemCommand, to stored: StoredItem, by actor: Actor?, at now: Date, on db: any SQLDatabase,
        newID: @Sendable () -> String, tallies: TallyChanges? = nil
    ) async throws -> Transition {
        guard let category = try await SQLOrganisationStore.category(on: db, code: stored.item.category) else {
            throw StorageError.corrupt("category \(stored.item.category)")
        }
        var assignedPath = stored.assignedPath
        switch command {
        case .dispatch(let unitID):
            guard let unit = try await SQLOrganisationStore.unit(on: db, id: unitID) else {
                throw ValidationError.invalid(field: "unit", message: "未知的单位 \(unitID) (unknown unit)")
            }
            if let actor, !actor.jurisdiction.contains(unit) {
                throw AccessError.outsideJurisdiction("单位 \(unit.name)")
            }
            assignedPath = unit.path
        case .answer:
            if let actor { assignedPath = actor.unit.path }
        case .merge(let target, _):
            // The target must be as visible to the officer as the item itself: an item the officer cannot read is
            // answered as unknown, so that merging does not tell what exists elsewhere.
            guard let targetRow = try await db.raw("SELECT status, place_path, assigned_path FROM items WHERE number = \(bind: target)").first(),
                try actor.map({ $0.sees(placePath: try targetRow.string("place_path"), assignedPath: try targetRow.optionalString("assigned_path")) })
                    ?? true
            else {
                throw ValidationError.invalid(
                    field: "into",
                    message: "要合并到的事项 \(target) 不存在或不在您的辖区 (unknown item, or outside your jurisdiction)")
            }
            if try targetRow.string("status") == ItemStatus.merged.rawValue {
                throw ValidationError.invalid(field: "into", message: "事项 \(target) 本身已被合并 (target is itself merged)")
            }
        case .returnToCommand:
            assignedPath = nil
        case .recategorize(let code, _):
            guard try await SQLOrganisationStore.category(on: db, code: code) != nil else {
                throw ValidationError.invalid(field: "category", message: "未知的类别 \(code) (unknown category)")
            }
        default:
            break
        }
        var transition = try Lifecycle.apply(command, to: stored.item, category: category, by: actor, at: now)
        if case .overdue(let kind) = command {
            let claimed = try await db.raw(
                """
                INSERT INTO deadline_breaches (item_id, kind, round, at)
                VALUES (\(bind: stored.item.id.rawValue), \(bind: kind.rawValue), \(bind: stored.item.round), \(bind: now.epochSeconds))
                ON CONFLICT (item_id, kind, round) DO NOTHING RETURNING item_id
                """
            ).first()
            guard claimed != nil else { throw StorageError.conflict("事项 \(stored.item.number) 本轮超期已处理 (breach already recorded)") }
        }
        try await save(transition.item, assignedPath: assignedPath, expectedVersion: stored.item.version, on: db)
        let changes = tallies ?? TallyChanges()
        changes.changed(from: stored, to: transition.item, assignedPath: assignedPath)
        if tallies == nil { try await changes.write(on: db) }
        if case .overdue(.callback) = command, let centre = try await Self.callbackCentre(on: db) {
            transition.supervision?.unitID = centre
        }
        let lateCauses = transition.supervision?.cause == .overdueCallback ? ["overdue_callback"] : ["overdue_response", "overdue_handling"]
        if case .overdue = command, let request = transition.supervision,
            let open = try await db.raw(
                """
                SELECT id, level FROM supervision_orders WHERE item_id = \(bind: stored.item.id.rawValue) AND resolved_at IS NULL
                    AND cause IN (\(binds: lateCauses)) ORDER BY issued_at DESC LIMIT 1
                """
            ).first()
        {
            // Late again while the first order for lateness is still open: that order is escalated (to the unit's
            // lead, then the leaders) with the new deadline, instead of a second order beside it.
            let level = min(try open.int("level") + 1, 2)
            try await db.raw(
                """
                UPDATE supervision_orders SET level = \(bind: level), due = \(bind: request.due.epochSeconds), cause = \
                \(bind: request.cause.rawValue),
                    reason = \(bind: request.reason), round = \(bind: transition.item.round)
                WHERE id = \(bind: try open.string("id"))
                """
            ).run()
            transition.event.detail.escalatedTo = level == 1 ? .unitLead : .leader
            transition.supervision = nil
        }
        try await insert(transition.event, of: stored.item.id, on: db)
        if let request = transition.supervision {
            try await db.raw(
                """
                INSERT INTO supervision_orders (id, item_id, unit_id, cause, reason, issued_at, issued_by, due, round)
                VALUES (\(bind: newID()), \(bind: stored.item.id.rawValue), \(bind: request.unitID.rawValue), \(bind: request.cause.rawValue),
                    \(bind: request.reason), \(bind: now.epochSeconds), \(bind: actor?.officer.id.rawValue), \(bind: request.due.epochSeconds),
                    \(bind: transition.item.round))
                """
            ).run()
        }
        if case .callback = command {
            // The callback was made: an order for its lateness is done with.
            try await db.raw(
                """
                UPDATE supervision_orders SET resolved_at = \(bind: now.epochSeconds)
                WHERE item_id = \(bind: stored.item.id.rawValue) AND cause = 'overdue_callback' AND resolved_at IS NULL
                """
            ).run()
        }
        if transition.item.status.isTerminal {
            try await db.raw(
                """
                UPDATE supervision_orders SET resolved_at = \(bind: now.epochSeconds) WHERE item_id = \(bind: stored.item.id.rawValue) AND \
                resolved_at IS NULL
                """
            ).run()
        }
        return transition
    }

    static func save(_ item: Item, assignedPath: String?, expectedVersion: Int, on db: any SQLDatabase) async throws {
        let updated = try await db.raw(
            """
            UPDATE items SET status = \(bind: item.status.rawValue), category = \(bind: item.category.rawValue), assigned_unit_id = \
            \(bind: item.assignedUnitID?.rawValue),
                assigned_path = \(bind: assignedPath), response_due = \(bind: item.responseDue?.epochSeconds),
                handling_due = \(bind: item.handlingDue?.epochSeconds), round = \(bind: item.round),
                accepted_at = \(bind: item.acceptedAt?.epochSeconds), first_replied_at = \(bind: item.firstRepliedAt?.epochSeconds),
                replied_at = \(bind: item.repliedAt?.epochSeconds), answered_on_spot = \(bind: item.answeredOnSpot ? 1 : 0),
                reply_outcome = \(bind: item.replyOutcome?.rawValue), reply_text = \(bind: item.replyText),
                public_reason = \(bind: item.publicReason), callback_due = \(bind: item.callbackDue?.epochSeconds),
                callback_attempts = \(bind: item.callbackAttempts), callback_result = \(bind: item.callbackResult?.rawValue),
                first_callback_result = \(bind: item.firstCallbackResult?.rawValue),
                merged_into = \(bind: item.mergedInto), closed_at = \(bind: item.closedAt?.epochSeconds),
                breached = \(bind: item.breached ? 1 : 0), late_since = \(bind: item.lateSince?.epochSeconds), late_for = \
            \(bind: item.lateFor?.rawValue),
                updated_at = \(bind: item.updatedAt.epochSeconds), version = \(bind: item.version)
            WHERE id = \(bind: item.id.rawValue) AND version = \(bind: expectedVersion) RETURNING id
            """
        ).first()
        guard updated != nil else { throw StorageError.conflict("事项 \(item.number) 已被他人修改，请刷新后重试 (changed concurrently)") }
    }
}
