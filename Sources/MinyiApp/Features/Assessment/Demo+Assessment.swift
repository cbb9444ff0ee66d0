import Foundation
import MinyiCore
import MinyiStorage

/// The demo's assessment: this year's scheme (the public 55%) and the workload and discipline scores of the officers
/// and stations, so the preview ranks real lines; some officers' thin samples show as missing.
extension Demo {
    func seedAssessment(_ bureau: DemoBureau) async throws {
        let year = Deadlines.year(of: bureau.now)
        let admin = try bureau.actor("admin")
        let scheme = try AssessmentScheme.parse(
            "surveys 民意评警 surveys 0.45\nmeetings 述职评议 meetings 0.10\nworkload 工作量 entered 0.30\ndiscipline 队伍纪律 entered 0.15",
                year: year,
            minimumN: 30)
        try await dependencies.assessments.configure(scheme, reason: "按市局年度考评办法", by: admin, at: bureau.now.addingTimeInterval(-200 * 86400))
        var random = Random(state: 1203)
        var entries: [SQLAssessmentStore.Entry] = []
        let usernames = Array(bureau.actors.keys).sorted() + bureau.moreLogins.withLock { $0 }.map(\.username)
        // The officers who serve residents directly: community officers, handlers, station leads.
        for username in usernames where username != "leader" && ["community", "handler", "lead"].contains(where: username.hasPrefix) {
            entries.append(.init(kind: .officer, subject: username, component: "workload", score: Double(60 + Int(random.next() % 36))))
            entries.append(.init(kind: .officer, subject: username, component: "discipline", score: random.next() % 10 == 0 ? 80 : 100))
        }
        for station in Self.stations {
            entries.append(.init(kind: .unit, subject: station.id, component: "workload", score: Double(70 + Int(random.next() % 26))))
            entries.append(.init(kind: .unit, subject: station.id, component: "discipline", score: 100))
        }
        try await dependencies.assessments.enter(entries, year: year, by: nil, at: bureau.now.addingTimeInterval(-30 * 86400))
    }
}
