import Foundation
import MinyiCore
import SQLKit

/// A kind of business with its callback delay.
public struct BusinessType: Sendable, Hashable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    /// Days after the service that the callback falls due (1: the next day).
    public var callbackDays: Int
    /// The category of the item opened when a resident is dissatisfied.
    public var category: MinyiCore.Category.Code?
}

/// A business record with where its callback stands.
public struct StoredBusinessRecord: Sendable, Hashable {
    public var record: BusinessRecord
    public var unitPath: String
    public var status: BusinessCallback.Status
    public var due: Date?
    public var agentID: Officer.ID?
    public var attempts: Int
    public var satisfaction: CallbackResult?
    /// The item opened when the resident was dissatisfied.
    public var itemNumber: String?
}

/// One call to a resident about a business record.
public struct BusinessCallbackAttempt: Sendable, Hashable {
    public var sequence: Int
    public var at: Date
    public var agentID: Officer.ID?
    public var outcome: BusinessCallback.Outcome
    public var satisfaction: CallbackResult?
    public var scores: CallbackScores
    public var comment: String?
}

/// What an import did.
public struct BusinessImportReport: Sendable, Hashable {
    public struct Rejected: Sendable, Hashable {
        public var line: Int
        public var reason: String
        public var text: String
    }

    public var rows: Int = 0
    public var imported: Int = 0
    /// Duplicates: a record ID already imported, or repeated in the same file.
    public var skipped: Int = 0
    public var rejected: [Rejected] = []
}

/// Progress of a long import, for a progress bar.
public struct BusinessImportProgress: Sendable {
    public enum Phase: String, Sendable { case checking, writing }
    public var phase: Phase
    public var bytesRead: Int
    public var bytesTotal: Int
    public var rows: Int
}

/// Business records: imports (CSV streamed from a file, or records over the API) and the callbacks that follow them.
public struct SQLBusinessStore: Sendable {
    let database: any DatabaseBackend
    let items: SQLItemStore
    let newID: @Sendable () -> String

    public init(database: any DatabaseBackend, items: SQLItemStore, newID: @escaping @Sendable () -> String = { RowID.make() }) {
        self.database = database
        self.items = items
        self.newID = newID
    }

    // MARK: Types

    public func types() async throws -> [BusinessType] {
        try await database.read { db in
            try await db.raw("SELECT * FROM business_types ORDER BY code").all().map { row in
                BusinessType(
                    code: try row.string("code"), nameZh: try row.string("name_zh"), nameEn: try row.string("name_en"),
                    callbackDays: try row.int("callback_days"), category: try row.optionalString("category").map { .init($0) })
            }
        }
    }

    /// Changes when callbacks of a type fall due (0–30 days after the service); applies to records imported from now on.
    public func setCallbackDays(_ days: Int, for type: String) async throws {
        guard (0...30).contains(days) else { throw ValidationError.invalid(field: "callback_days", message: "应为 0–30 天 (0 to 30 days)") }
        try await database.write { db in
            guard try await db.raw("UPDATE business_types SET callback_days = \(bind: days) WHERE code = \(bind: type) RETURNING code").first() != nil else {
                throw StorageError.notFound(what: "业务类型", id: type)
            }
        }
    }

    // MARK: Import

    /// Imports checked records in one transaction; records whose ID is already there are skipped.
    public func importRecords(_ records: [BusinessRecord], source: String, by actor: Actor?, at now: Date) async throws -> (imported: Int, skipped: Int) {
        let types = Dictionary(uniqueKeysWithValues: try await types().map { ($0.code, $0) })
        let units = Dictionary(uniqueKeysWithValues: try await SQLOrganisationStore(database: database).units().map { ($0.id, $0) })
        let importID = newID()
        return try await database.write { db in
            let imported = try await Self.insert(records, importID: importID, types: types, units: units, at: now, on: db)
            try await Self.recordImport(
                id: importID, source: source, actor: actor, imported: imported, skipped: records.count - imported, rejected: 0, at: now, on: db)
            return (imported, records.count - imported)
        }
    }

    static func insert(
        _ records: [BusinessRecord], importID: String, types: [String: BusinessType], units: [PoliceUnit.ID: PoliceUnit], at now: Date,
        on db: any SQLDatabase
    ) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        // Each row's unit path and first callback status, worked out once for either database.
        let rows = try records.map { record in
            guard let unit = units[record.unitID] else { throw ValidationError.invalid(field: "unit", message: "未知的单位 \(record.unitID)") }
            return (record, unit.path, BusinessCallback.schedule(record, callbackDays: types[record.businessType]?.callbackDays ?? 1))
        }
        let columns: SQLQueryString = """
            INSERT INTO business_records (record_id, business_type, unit_id, unit_path, officer, contact_name, contact_phone, occurred_at,
                sensitive, import_id, callback_status, callback_due, updated_at)
            """
        if DatabaseDialect(db).unpacksJSONRows {
            // One bind for the whole chunk: SQLite reads the rows back with json_each.
            let json = "[" + rows.map { record, path, schedule in
                "[" + [
                    JSONText.quote(record.recordID), JSONText.quote(record.businessType), JSONText.quote(record.unitID.rawValue), JSONText.quote(path),
                    JSONText.quote(record.officer), JSONText.quote(record.contactName), JSONText.quote(record.contactPhone),
                    String(record.occurredAt.epochSeconds), record.sensitive ? "1" : "0", JSONText.quote(schedule.status.rawValue),
                    schedule.due.map { String($0.epochSeconds) } ?? "null",
                ].joined(separator: ",") + "]"
            }.joined(separator: ",") + "]"
            try await db.raw(
                columns + """
                     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8,
                        \(bind: importID), value ->> 9, value ->> 10, \(bind: now.epochSeconds)
                    FROM json_each(\(bind: json)) WHERE true
                    ON CONFLICT (record_id) DO NOTHING
                    """
            ).run()
            return try await db.raw("SELECT changes() AS n").first().map { try $0.int("n") } ?? 0
        }
        var imported = 0
        for start in stride(from: 0, to: rows.count, by: 400) {
            let values: [SQLQueryString] = rows[start..<min(rows.count, start + 400)].map { record, path, schedule in
                """
                (\(bind: record.recordID), \(bind: record.businessType), \(bind: record.unitID.rawValue), \(bind: path), \(bind: record.officer),
                 \(bind: record.contactName), \(bind: record.contactPhone), \(bind: record.occurredAt.epochSeconds), \(bind: record.sensitive ? 1 : 0),
                 \(bind: importID), \(bind: schedule.status.rawValue), \(bind: schedule.due?.epochSeconds), \(bind: now.epochSeconds))
                """
            }
            imported += try await db.raw(
                columns + " VALUES " + values.joined(separator: ", ") + " ON CONFLICT (record_id) DO NOTHING RETURNING record_id"
            ).all().count
        }
        return imported
    }

    static func recordImport(
        id: String, source: String, actor: Actor?, imported: Int, skipped: Int, rejected: Int, at now: Date, on db: any SQLDatabase
    ) async throws {
        try await db.raw(
            """
            INSERT INTO business_imports (id, at, actor_id, source, imported, skipped, rejected)
            VALUES (\(bind: id), \(bind: now.epochSeconds), \(bind: actor?.officer.id.rawValue), \(bind: source), \(bind: imported), \(bind: skipped), \(bind: rejected))
            """
        ).run()
    }

    /// Imports a CSV file without loading it whole: a first pass checks every row (a file that is not UTF-8, lacks a
    /// required column or has an unclosed quote is refused whole, before anything is written); a second pass writes
    /// the good rows in one transaction, so an import is all there or not at all. Rows with bad values are rejected
    /// with their line number and reason; record IDs already imported (or repeated in the file) are skipped.
    public func importCSV(
        at url: URL, by actor: Actor?, at now: Date, progress: (@Sendable (BusinessImportProgress) -> Void)? = nil
    ) async throws -> BusinessImportReport {
        let types = Dictionary(uniqueKeysWithValues: try await types().map { ($0.code, $0) })
        let unitList = try await SQLOrganisationStore(database: database).units()
        let units = Dictionary(uniqueKeysWithValues: unitList.map { ($0.id, $0) })
        let knownTypes = Set(types.keys), knownUnits = Set(units.keys)
        let total = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        let dates = DateCache()

        // Pass 1: check.
        var report = BusinessImportReport()
        var seen = Set<String>()
        var header: BusinessRecordCSV.Header?
        try CSVRecordReader.forEach(url: url) { record in
            guard let current = header else {
                header = try BusinessRecordCSV.Header(record.cells)
                return
            }
            report.rows += 1
            do {
                let parsed = try BusinessRecordCSV.record(
                    record.cells, header: current, knownTypes: knownTypes, knownUnits: knownUnits, parseDate: dates.parse)
                if !seen.insert(parsed.recordID).inserted { report.skipped += 1 }
            } catch {
                report.rejected.append(.init(line: record.line, reason: String(describing: error), text: record.text))
            }
            if report.rows % 20_000 == 0 { progress?(.init(phase: .checking, bytesRead: record.offset, bytesTotal: total, rows: report.rows)) }
        }
        guard let header else { throw BusinessRecordCSV.FileError.empty }
        progress?(.init(phase: .checking, bytesRead: total, bytesTotal: total, rows: report.rows))

        // Pass 2: write, in one transaction.
        let importID = newID()
        let checked = report
        let rejectedLines = Set(checked.rejected.map(\.line))
        let imported = try await database.write { db -> Int in
            var reader = try CSVRecordReader(url: url)
            _ = try reader.next()  // the header
            var batch: [BusinessRecord] = []
            var written = Set<String>()
            var imported = 0
            var rows = 0
            while let record = try reader.next() {
                rows += 1
                guard !rejectedLines.contains(record.line),
                    let parsed = try? BusinessRecordCSV.record(
                        record.cells, header: header, knownTypes: knownTypes, knownUnits: knownUnits, parseDate: dates.parse),
                    written.insert(parsed.recordID).inserted
                else { continue }
                batch.append(parsed)
                if batch.count == 2000 {
                    imported += try await Self.insert(batch, importID: importID, types: types, units: units, at: now, on: db)
                    batch.removeAll(keepingCapacity: true)
                    progress?(.init(phase: .writing, bytesRead: record.offset, bytesTotal: total, rows: rows))
                }
            }
            imported += try await Self.insert(batch, importID: importID, types: types, units: units, at: now, on: db)
            try await Self.recordImport(
                id: importID, source: url.lastPathComponent, actor: actor, imported: imported,
                skipped: checked.rows - checked.rejected.count - imported, rejected: checked.rejected.count, at: now, on: db)
            return imported
        }
        progress?(.init(phase: .writing, bytesRead: total, bytesTotal: total, rows: report.rows))
        report.imported = imported
        report.skipped = report.rows - report.rejected.count - imported
        return report
    }

    // MARK: Callbacks

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
            let scoreJSON = scores.isEmpty || outcome != .answered
                ? nil : "{" + scores.values.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\"\($0.key.rawValue)\":\($0.value)" }.joined(separator: ",") + "}"
            try await db.raw(
                """
                INSERT INTO business_callback_attempts (record_id, seq, at, agent_id, outcome, satisfaction, scores, comment)
                VALUES (\(bind: id), \(bind: stored.attempts + 1), \(bind: now.epochSeconds), \(bind: actor.officer.id.rawValue), \(bind: outcome.rawValue),
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
                    satisfaction = \(bind: stored.satisfaction?.rawValue), item_number = \(bind: stored.itemNumber), updated_at = \(bind: now.epochSeconds)
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
        let code = category.flatMap { c in categories.first { $0.code == c }?.code } ?? categories.first { $0.code == "conduct" }?.code
            ?? categories.first?.code
        guard let code else { throw StorageError.corrupt("no categories") }
        let type = record.businessType
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
                contactPhone: try row.optionalString("contact_phone"), occurredAt: try row.date("occurred_at"), sensitive: try row.int("sensitive") == 1),
            unitPath: try row.string("unit_path"), status: status, due: try row.optionalDate("callback_due"),
            agentID: try row.optionalString("callback_agent").map { .init($0) }, attempts: try row.int("callback_attempts"),
            satisfaction: try row.optionalString("satisfaction").flatMap(CallbackResult.init(rawValue:)), itemNumber: try row.optionalString("item_number"))
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// Dates of an import repeat (a year has 365 days), and the calendar is slow: each text is parsed once.
final class DateCache: @unchecked Sendable {
    private var parsed: [String: Date?] = [:]

    func parse(_ text: String) -> Date? {
        if let hit = parsed[text] { return hit }
        let date = BusinessRecordCSV.parseDate(text)
        if parsed.count < 100_000 { parsed[text] = date }
        return date
    }
}
