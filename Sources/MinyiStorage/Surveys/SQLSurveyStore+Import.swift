import Foundation
import MinyiCore
import SQLKit

extension SQLSurveyStore {
    /// Imports a third party's results (CSV, see `SurveyCSV`) into a campaign, by the rules of every import: a file that
    /// is not UTF-8, lacks a required column or has an unclosed quote is refused whole; a bad row is rejected with its
    /// line and reason; the good rows are written in one transaction; a response whose ID was imported already is
    /// skipped. Each response counts as the third party's, by the surveyor the file names.
    public func importCSV(
        at url: URL, into campaignID: SurveyCampaign.ID, by actor: Actor?, at now: Date,
        progress: (@Sendable (BusinessImportProgress) -> Void)? = nil
    ) async throws -> BusinessImportReport {
        guard let campaign = try await campaign(campaignID) else { throw StorageError.notFound(what: "调查", id: campaignID.rawValue) }
        let organisation = SQLOrganisationStore(database: database)
        let units = Dictionary(uniqueKeysWithValues: try await organisation.units().map { ($0.id, $0) })
        guard let root = units[campaign.unitID] else { throw StorageError.notFound(what: "单位", id: campaign.unitID.rawValue) }
        let officers = try await database.read { db in
            try await db.raw("SELECT id, username FROM officers").all().map { (try $0.string("id"), try $0.string("username")) }
        }
        var officerIDs: [String: Officer.ID] = [:]
        for (id, username) in officers {
            officerIDs[id] = .init(id)
            officerIDs[username] = .init(id)
        }
        let total = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        var report = BusinessImportReport()
        var header: SurveyCSV.Header?
        var good: [(ResponseInput, PoliceUnit)] = []
        var seen = Set<String>()
        try CSVRecordReader.forEach(url: url) { record in
            guard let current = header else {
                header = try SurveyCSV.Header(record.cells)
                return
            }
            report.rows += 1
            if report.rows % 20_000 == 0 { progress?(.init(phase: .checking, bytesRead: record.offset, bytesTotal: total, rows: report.rows)) }
            func reject(_ reason: String) { report.rejected.append(.init(line: record.line, reason: reason, text: record.text)) }
            let row: SurveyCSV.Row
            do {
                row = try SurveyCSV.row(record.cells, header: current)
            } catch {
                return reject(String(describing: error))
            }
            guard let unit = units[row.unit], unit.kind == .community, root.contains(unit) else {
                return reject("unit: 不是本次调查范围内的社区或村 \(row.unit) (not a community this campaign covers)")
            }
            if let actor, !actor.jurisdiction.contains(unit) { return reject("unit: \(unit.name) 不在您的辖区 (not in your jurisdiction)") }
            var officer: Officer.ID?
            if let name = row.officer {
                guard let id = officerIDs[name] else { return reject("officer: 未知的民警 \(name) (unknown officer)") }
                officer = id
            }
            guard row.date >= Deadlines.dayStart(of: campaign.startsAt), row.date < campaign.endsAt else {
                return reject("date: 不在调查期内 (outside the campaign's period)")
            }
            guard seen.insert(row.responseID).inserted else {
                report.skipped += 1
                return
            }
            good.append(
                (
                    ResponseInput(
                        unitID: unit.id, officerID: officer, channel: .thirdParty, surveyor: row.surveyor ?? "第三方", at: row.date,
                        answers: row.answers, importKey: row.responseID), unit
                ))
        }
        guard header != nil else { throw BusinessRecordCSV.FileError.empty }
        progress?(.init(phase: .checking, bytesRead: total, bytesTotal: total, rows: report.rows))
        let ready = good
        let imported = try await database.write { db -> Int in
            var imported = 0
            for (index, (input, unit)) in ready.enumerated() {
                if index % 5000 == 0 { progress?(.init(phase: .writing, bytesRead: index, bytesTotal: ready.count, rows: index)) }
                if try await insert(input, in: campaign, unit: unit, by: actor?.officer.id, at: now, on: db) { imported += 1 }
            }
            return imported
        }
        progress?(.init(phase: .writing, bytesRead: ready.count, bytesTotal: ready.count, rows: ready.count))
        report.imported = imported
        report.skipped += ready.count - imported
        return report
    }
}
