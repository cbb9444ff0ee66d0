import Foundation
import MinyiCore
import SQLKit

extension SQLCommunityStore {
    /// Imports a station's household register (CSV, one row per person, rows of a household sharing its key): a first
    /// pass checks every row (a file that is not UTF-8, lacks a required column or has an unclosed quote is refused
    /// whole); a household with a bad row is rejected with all its rows, each with its line and reason; the good
    /// households are then written in one transaction, so an import is all there or not at all. Households whose key is
    /// already registered are skipped. `imported` and `skipped` count households; `rows` and `rejected`, rows.
    public func importHouseholds(
        at url: URL, by actor: Actor?, at now: Date, progress: (@Sendable (BusinessImportProgress) -> Void)? = nil
    ) async throws -> BusinessImportReport {
        let units = Dictionary(uniqueKeysWithValues: try await SQLOrganisationStore(database: database).units().map { ($0.id, $0) })
        let total = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        var report = BusinessImportReport()
        var header: HouseholdCSV.Header?
        var drafts: [String: (rows: [HouseholdCSV.Row], lines: [(Int, String)])] = [:]
        var order: [String] = []
        var bad: [String: String] = [:]  // register key → why its household is rejected
        var rejected: [BusinessImportReport.Rejected] = []

        // Pass 1: check every row; group the rows by household.
        try CSVRecordReader.forEach(url: url) { record in
            guard let current = header else {
                header = try HouseholdCSV.Header(record.cells)
                return
            }
            report.rows += 1
            if report.rows % 20_000 == 0 { progress?(.init(phase: .checking, bytesRead: record.offset, bytesTotal: total, rows: report.rows)) }
            let row: HouseholdCSV.Row
            do {
                row = try HouseholdCSV.row(record.cells, header: current)
            } catch {
                // A row without its key cannot be tied to a household: rejected alone. Otherwise its household goes too.
                rejected.append(.init(line: record.line, reason: String(describing: error), text: record.text))
                if let index = current.positions[.registerKey], index < record.cells.count, !record.cells[index].trimmed.isEmpty {
                    bad[record.cells[index].trimmed] = bad[record.cells[index].trimmed] ?? "第 \(record.line) 行：\(String(describing: error))"
                }
                return
            }
            var reason: String?
            if let unit = units[row.unit] {
                if unit.kind != .community {
                    reason = "unit: \(unit.name) 不是社区或村 (not a community)"
                } else if let actor, !actor.jurisdiction.contains(unit) {
                    reason = "unit: \(unit.name) 不在您的辖区 (not in your jurisdiction)"
                }
            } else {
                reason = "unit: 未知的社区 \(row.unit) (unknown community)"
            }
            if let first = drafts[row.registerKey]?.rows.first, first.unit != row.unit || first.address != row.address {
                reason = "address: 与同户前面的行社区或地址不一致 (community or address differs from the household's other rows)"
            }
            if let reason {
                rejected.append(.init(line: record.line, reason: reason, text: record.text))
                bad[row.registerKey] = bad[row.registerKey] ?? "第 \(record.line) 行：\(reason)"
                return
            }
            if drafts[row.registerKey] == nil { order.append(row.registerKey) }
            drafts[row.registerKey, default: ([], [])].rows.append(row)
            drafts[row.registerKey, default: ([], [])].lines.append((record.line, record.text))
        }
        guard header != nil else { throw BusinessRecordCSV.FileError.empty }
        progress?(.init(phase: .checking, bytesRead: total, bytesTotal: total, rows: report.rows))
        // The good rows of a household with a bad row go with it.
        for (key, why) in bad {
            for (line, text) in drafts[key]?.lines ?? [] {
                rejected.append(.init(line: line, reason: "同户有错误行，整户未导入：\(why) (another row of the household is wrong)", text: text))
            }
            drafts[key] = nil
        }
        report.rejected = rejected.sorted { $0.line < $1.line }
        let keys = order.filter { drafts[$0] != nil }
        for key in keys where (drafts[key]?.rows.count ?? 0) > Household.maxMembers {
            for (line, text) in drafts[key]?.lines ?? [] {
                report.rejected.append(.init(line: line, reason: "每户最多 \(Household.maxMembers) 人 (too many members)", text: text))
            }
            drafts[key] = nil
        }
        report.rejected.sort { $0.line < $1.line }

        // Pass 2: write every good household in one transaction.
        let ids = keys.filter { drafts[$0] != nil }.map { _ in Household.ID(newID()) }
        let ready = keys.filter { drafts[$0] != nil }.compactMap { key in drafts[key].map { (key, $0.rows) } }
        let counts = try await database.write { db -> (imported: Int, skipped: Int) in
            var imported = 0
            var skipped = 0
            for (index, (key, rows)) in ready.enumerated() {
                if index % 2000 == 0 { progress?(.init(phase: .writing, bytesRead: index, bytesTotal: ready.count, rows: index)) }
                if try await db.raw("SELECT id FROM households WHERE register_key = \(bind: key)").first() != nil {
                    skipped += 1
                    continue
                }
                guard let first = rows.first, let unit = units[first.unit] else { continue }
                let input = try HouseholdInput(
                    unitID: first.unit, address: first.address, members: rows.map(\.member), tags: rows.reduce(into: []) { $0.formUnion($1.tags) },
                    officerID: nil, registerKey: key)
                _ = try await Self.insertHousehold(ids[index], input, in: unit, by: actor, reason: "户籍底册导入", at: now, on: db)
                imported += 1
            }
            return (imported, skipped)
        }
        progress?(.init(phase: .writing, bytesRead: ready.count, bytesTotal: ready.count, rows: ready.count))
        report.imported = counts.imported
        report.skipped = counts.skipped
        return report
    }
}
