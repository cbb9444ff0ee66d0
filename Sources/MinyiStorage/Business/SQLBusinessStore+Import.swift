import Foundation
import MinyiCore
import SQLKit

/// Importing records: checked first, written in one transaction, all there or not at all.
extension SQLBusinessStore {
    /// Imports checked records in one transaction; records whose ID is already there are skipped.
    public func importRecords(_ records: [BusinessRecord], source: String, by actor: Actor?, at now: Date) async throws -> (
        imported: Int, skipped: Int
    ) {
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
            let json =
                "["
                + rows.map { record, path, schedule in
                    "["
                        + [
                            JSONText.quote(record.recordID), JSONText.quote(record.businessType), JSONText.quote(record.unitID.rawValue),
                            JSONText.quote(path),
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
                 \(bind: record.contactName), \(bind: record.contactPhone), \(bind: record.occurredAt.epochSeconds), \
                \(bind: record.sensitive ? 1 : 0),
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
            VALUES (\(bind: id), \(bind: now.epochSeconds), \(bind: actor?.officer.id.rawValue), \(bind: source), \(bind: imported), \
            \(bind: skipped), \(bind: rejected))
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
        let knownTypes = Set(types.keys)
        let knownUnits = Set(units.keys)
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
}
