import Foundation
import MinyiCore
import SQLKit

/// The callbacks after each service: the agents' queue, claims, the phone (audited) and the attempts.
extension SQLBusinessStore {
    /// Records within the agent's jurisdiction whose callback is due: the agent's own first, then unclaimed ones.
    public func dueCallbacks(for actor: Actor, at now: Date, limit: Int = 100) async throws -> [StoredBusinessRecord] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT * FROM business_records
                WHERE callback_status = 'scheduled' AND callback_due <= \(bind: now.epochSeconds)
                    AND unit_path LIKE \(bind: actor.jurisdiction.path + "%")
                    AND (callback_agent IS NULL OR callback_agent = \(bind: actor.officer.id.rawValue))
                ORDER BY callback_agent IS NULL, callback_due, record_id LIMIT \(literal: max(1, min(limit, 500)))
                """
            ).all().map(Self.decode)
        }
    }

    /// Gives up to `count` unclaimed due records to the agent, so agents share the work without calling twice.
    public func claim(_ count: Int, for actor: Actor, at now: Date) async throws -> [String] {
        try Access.require(.callBackServices, of: actor)
        let dialect = database.dialect
        return try await database.write { db in
            let ids = try await db.raw(
                """
                SELECT record_id FROM business_records
                WHERE callback_status = 'scheduled' AND callback_due <= \(bind: now.epochSeconds) AND callback_agent IS NULL
                    AND unit_path LIKE \(bind: actor.jurisdiction.path + "%")
                ORDER BY callback_due, record_id LIMIT \(literal: max(1, min(count, 200)))
                """ + dialect.claimRows
            ).all().map { try $0.string("record_id") }
            guard !ids.isEmpty else { return [] }
            try await db.raw(
                """
                UPDATE business_records SET callback_agent = \(bind: actor.officer.id.rawValue), updated_at = \(bind: now.epochSeconds)
                WHERE record_id IN (\(binds: ids))
                """
            ).run()
            return ids
        }
    }

    public func record(_ id: String) async throws -> StoredBusinessRecord? {
        try await database.read { db in
            try await db.raw("SELECT * FROM business_records WHERE record_id = \(bind: id)").first().map(Self.decode)
        }
    }

    public func attempts(of id: String) async throws -> [BusinessCallbackAttempt] {
        try await database.read { db in
            try await db.raw("SELECT * FROM business_callback_attempts WHERE record_id = \(bind: id) ORDER BY seq").all().map { row in
                var scores: [CallbackScores.Indicator: Int] = [:]
                if let text = try row.optionalString("scores"), let data = text.data(using: .utf8),
                    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Int]
                {
                    for (key, value) in object { if let indicator = CallbackScores.Indicator(rawValue: key) { scores[indicator] = value } }
                }
                guard let outcome = BusinessCallback.Outcome(rawValue: try row.string("outcome")) else { throw StorageError.corrupt("outcome") }
                return BusinessCallbackAttempt(
                    sequence: try row.int("seq"), at: try row.date("at"), agentID: try row.optionalString("agent_id").map { .init($0) },
                    outcome: outcome, satisfaction: try row.optionalString("satisfaction").flatMap(CallbackResult.init(rawValue:)),
                    scores: (try? CallbackScores(scores)) ?? CallbackScores(), comment: try row.optionalString("comment"))
            }
        }
    }

    /// The resident's phone for the agent making the call; each read is audited.
    public func revealPhone(of id: String, by actor: Actor, at now: Date) async throws -> String? {
        try Access.require(.callBackServices, of: actor)
        let newID = self.newID
        return try await database.write { db in
            guard let row = try await db.raw("SELECT * FROM business_records WHERE record_id = \(bind: id)").first() else {
                throw StorageError.notFound(what: "业务记录", id: id)
            }
            let stored = try Self.decode(row)
            guard actor.jurisdiction.contains(path: stored.unitPath) else { throw AccessError.outsideJurisdiction("业务记录 \(id)") }
            guard !stored.record.sensitive else { throw AccessError.outsideJurisdiction("敏感业务记录 \(id)") }
            // Only the agent who took the record sees the phone: opening a record by its address reveals nothing.
            guard stored.agentID == actor.officer.id else {
                throw StorageError.conflict("请先领取该业务记录再拨打 (take the record before calling)")
            }
            try await SQLAuditLog.record(
                on: db, id: newID(), at: now, actor: actor.officer.id, action: "contact.read", target: "business:" + id, detail: "回访")
            return stored.record.contactPhone
        }
    }

    /// Records one call. Dissatisfaction opens an item for the responsible unit — registered and dispatched in the
    /// same transaction — so it gets the same supervision until the resident is satisfied.
    public func recordAttempt(
        _ outcome: BusinessCallback.Outcome, satisfaction: CallbackResult?, scores: CallbackScores, comment: String?, of id: String,
        by actor: Actor, at now: Date
    ) async throws -> StoredBusinessRecord {
        try Access.require(.callBackServices, of: actor)
        let comment = comment?.trimmed.nilIfEmpty
        if outcome == .answered {
            guard let satisfaction, satisfaction.isAnswered else {
                throw ValidationError.invalid(field: "satisfaction", message: "接通后请记录满意程度 (record the resident's satisfaction)")
            }
            if satisfaction == .dissatisfied, comment == nil {
                throw ValidationError.invalid(field: "comment", message: "不满意时请写明原因 (say why the resident is dissatisfied)")
            }
        }
        let dialect = database.dialect
        let newID = self.newID
        let types = Dictionary(uniqueKeysWithValues: try await types().map { ($0.code, $0) })
        let categories = try await SQLOrganisationStore(database: database).categories()
        return try await database.write { db in
            guard let row = try await db.raw("SELECT * FROM business_records WHERE record_id = \(bind: id)" + dialect.lockRows).first() else {
                throw StorageError.notFound(what: "业务记录", id: id)
            }
            var stored = try Self.decode(row)
            guard actor.jurisdiction.contains(path: stored.unitPath) else { throw AccessError.outsideJurisdiction("业务记录 \(id)") }
            guard stored.status == .scheduled else {
                throw StorageError.conflict("业务记录 \(id) 的回访已结束（\(stored.status.nameZh)）(callback already finished)")
            }
            let next = BusinessCallback.after(outcome, previousAttempts: stored.attempts, at: now)
            let answered = outcome == .answered ? satisfaction : nil
            let scoreJSON =
                scores.isEmpty || outcome != .answered
                ? nil
                : "{" + scores.values.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\"\($0.key.rawValue)\":\($0.value)" }.joined(separator: ",")
                    + "}"
            try await db.raw(
                """
                INSERT INTO business_callback_attempts (record_id, seq, at, agent_id, outcome, satisfaction, scores, comment)
                VALUES (\(bind: id), \(bind: stored.attempts + 1), \(bind: now.epochSeconds), \(bind: actor.officer.id.rawValue), \
                \(bind: outcome.rawValue),
                        \(bind: answered?.rawValue), \(bind: scoreJSON), \(bind: comment))
                """
            ).run()
            stored.attempts += 1
            stored.status = next.status
            stored.due = next.nextDue ?? (next.status == .scheduled ? stored.due : nil)
            stored.satisfaction = answered ?? stored.satisfaction
            stored.agentID = actor.officer.id

            if answered == .dissatisfied {
                stored.itemNumber = try await openItem(
                    for: stored, comment: comment ?? "", category: types[stored.record.businessType]?.category, categories: categories,
                    by: actor, at: now, on: db, newID: newID)
            }
            try await db.raw(
                """
                UPDATE business_records SET callback_status = \(bind: stored.status.rawValue), callback_due = \(bind: stored.due?.epochSeconds),
                    callback_agent = \(bind: actor.officer.id.rawValue), callback_attempts = \(bind: stored.attempts),
                    satisfaction = \(bind: stored.satisfaction?.rawValue), item_number = \(bind: stored.itemNumber), updated_at = \
                \(bind: now.epochSeconds)
                WHERE record_id = \(bind: id)
                """
            ).run()
            return stored
        }
    }

    private func openItem(
        for stored: StoredBusinessRecord, comment: String, category: MinyiCore.Category.Code?, categories: [MinyiCore.Category], by actor: Actor,
        at now: Date, on db: any SQLDatabase, newID: @escaping @Sendable () -> String
    ) async throws -> String {
        let record = stored.record
        let lineage = try await SQLOrganisationStore.lineage(on: db, of: record.unitID)
        guard let unit = lineage.last else { throw StorageError.notFound(what: "单位", id: record.unitID.rawValue) }
        // Items are placed in the territory: a department's record is placed at the bureau it belongs to.
        let place = unit.kind.isTerritorial ? unit : Actor.jurisdiction(of: unit, ancestors: Array(lineage.dropLast()))
        let code =
            category.flatMap { c in categories.first { $0.code == c }?.code } ?? categories.first { $0.code == "conduct" }?.code
            ?? categories.first?.code
        guard let code else { throw StorageError.corrupt("no categories") }
        // The type as people say it (户籍业务), not its code.
        let type =
            try await db.raw("SELECT name_zh FROM business_types WHERE code = \(bind: record.businessType)").first()
            .map { try $0.string("name_zh") } ?? record.businessType
        let contact = try? Contact.validated(name: record.contactName, phone: record.contactPhone, idNumber: nil)
        let submission = try Submission(
            kind: .complaint, category: code, channel: .callback, text: "业务回访不满意（\(type)，业务编号 \(record.recordID)）：\(comment)",
            placeID: place.id, contact: contact)
        let input = Intake.Input(
            id: .init(newID()), submission: submission, place: place, idempotencyKey: "business:" + record.recordID,
            // One item per record, whatever a later answer says: the record itself is the proof.
            idempotencyHash: "business-record", actorID: actor.officer.id,
            actorUnitID: actor.unit.id, at: now)
        let tallies = TallyChanges()
        guard case .success(let output) = try await Intake.execute([input], on: db, tallies: tallies)[0] else {
            throw StorageError.corrupt("could not open an item for business record \(record.recordID)")
        }
        var item = output.item
        if output.created {
            let transition = try await SQLItemStore.apply(
                .dispatch(unit: record.unitID), to: StoredItem(item: item, placePath: place.path, assignedPath: nil), by: nil, at: now, on: db,
                newID: newID, tallies: tallies)
            item = transition.item
        }
        try await tallies.write(on: db)
        return item.number
    }

    static func decode(_ row: any SQLRow) throws -> StoredBusinessRecord {
        guard let status = BusinessCallback.Status(rawValue: try row.string("callback_status")) else { throw StorageError.corrupt("callback status") }
        return StoredBusinessRecord(
            record: BusinessRecord(
                recordID: try row.string("record_id"), businessType: try row.string("business_type"), unitID: .init(try row.string("unit_id")),
                officer: try row.optionalString("officer"), contactName: try row.optionalString("contact_name"),
                contactPhone: try row.optionalString("contact_phone"), occurredAt: try row.date("occurred_at"),
                sensitive: try row.int("sensitive") == 1),
            unitPath: try row.string("unit_path"), status: status, due: try row.optionalDate("callback_due"),
            agentID: try row.optionalString("callback_agent").map { .init($0) }, attempts: try row.int("callback_attempts"),
            satisfaction: try row.optionalString("satisfaction").flatMap(CallbackResult.init(rawValue:)),
            itemNumber: try row.optionalString("item_number"))
    }
}
