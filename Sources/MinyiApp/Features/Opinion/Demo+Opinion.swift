import Foundation
import MinyiCore
import MinyiStorage

/// The demo's survey: a year-long campaign over the bureau, answered month by month through a third party (imported
/// from its file, as a bureau would) — most communities with enough answers to rank, one too thin to.
extension Demo {
    func seedOpinion(_ bureau: DemoBureau) async throws {
        let admin = try bureau.actor("admin")
        let surveys = dependencies.surveys
        let start = Deadlines.month(containing: bureau.now, offsetBy: -12).start
        let campaign = SurveyCampaign(
            id: .init("S\(Deadlines.year(of: bureau.now))"), title: "\(Deadlines.year(of: bureau.now)) 年度民意评警（第三方）", startsAt: start,
            endsAt: Deadlines.month(containing: bureau.now).start, unitID: "KFQ", targetPerUnit: 60)
        try await surveys.createCampaign(campaign, by: admin, at: start)
        let units = try await dependencies.organisation.units()
        let communities = units.filter { $0.kind == .community }
        let officers = Dictionary(uniqueKeysWithValues: bureau.moreLogins.withLock { $0 }.map { ($0.unit, $0.username) })
        var random = Random(state: 511)
        var csv = "response_id,unit,officer,date,saw_police,knows_officer,attitude,safety,satisfaction,comment,surveyor\n"
        var serial = 0
        for (c, community) in communities.enumerated() {
            // The last community is sampled thinly: too few answers to rank.
            let perMonth = c == communities.count - 1 ? 2 : 4 + c % 3
            // Each community leans its own way: a better or worse officer, a safer or rougher place.
            let lean = Int(random.next() % 20)
            let officer = community.parentID.flatMap { officers[$0.rawValue] } ?? ""
            for month in 0..<12 {
                let first = Deadlines.month(containing: start, offsetBy: month).start
                for _ in 0..<perMonth {
                    serial += 1
                    let day = first.addingTimeInterval(Double(random.next() % 27) * 86400)
                    let roll = Int(random.next() % 100)
                    let satisfied = roll < 70 + lean / 2 ? "满意" : roll < 92 + lean / 4 ? "基本满意" : "不满意"
                    let saw = Int(random.next() % 100) < 60 + lean + month ? "是" : "否"
                    let knows = Int(random.next() % 100) < 55 + lean * 2 ? "是" : "否"
                    let attitude = 3 + Int(random.next() % 3)
                    let safety = 2 + Int(random.next() % 4)
                    csv +=
                        "DEMO-\(serial),\(community.id.rawValue),\(officer),\(Format.date(day)),\(saw),\(knows),\(attitude),\(safety),"
                        + "\(satisfied),,民意调查中心\n"
                }
            }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("minyi-demo-survey-\(UUID().uuidString).csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try await surveys.importCSV(at: file, into: campaign.id, by: nil, at: campaign.endsAt)
    }
}
