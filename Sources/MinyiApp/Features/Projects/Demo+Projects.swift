import Foundation
import MinyiCore
import MinyiStorage

/// The demo's projects: the chosen ten of each closed ballot, reported on through their year. The year before's are
/// over: eight delivered, two late; this year's: most delivered, some still under way.
extension Demo {
    func seedProjects(_ bureau: DemoBureau) async throws {
        let year = Deadlines.year(of: bureau.now)
        for (offset, finishedCount) in [(-1, 8), (0, 7)] {
            guard let campaign = try await dependencies.ballots.campaign(.init("B\(year + offset)")) else { continue }
            try await seedProjects(of: campaign, finishing: finishedCount, bureau: bureau)
        }
    }

    func seedProjects(of campaign: BallotCampaign, finishing finishedCount: Int, bureau: DemoBureau) async throws {
        let projects = dependencies.projects
        let leader = try bureau.actor("leader")
        let admin = try bureau.actor("admin")
        let adopted = try await projects.adopt(campaign.id, by: leader, at: campaign.closesAt.addingTimeInterval(86400))
        let steps = [
            ("完成方案制定和选址", "方案会审现场"), ("首批建设完成", "首批完成现场"), ("过半完成，群众反映良好", nil), ("收尾验收中", nil),
                ("全部完成并通过验收", "验收合影"),
        ]
        for (index, project) in adopted.enumerated() {
            let finished = index < finishedCount
            let stepsTaken = finished ? steps.count : index == 9 ? 2 : 3
            try await projects.addMilestone(
                to: project.id, title: "完成过半", due: campaign.closesAt.addingTimeInterval(150 * 86400), by: admin,
                at: campaign.closesAt.addingTimeInterval(2 * 86400))
            for step in 0..<stepsTaken {
                let at = campaign.closesAt.addingTimeInterval(Double(30 + step * 50 + index * 3) * 86400)
                guard at < bureau.now else { break }
                let progress = finished ? [15, 40, 60, 85, 100][step] : [10, 30, 50][step]
                _ = try await projects.addUpdate(
                    to: project.id, text: steps[step].0, progress: progress, status: nil, photoCaption: steps[step].1, correction: false,
                    by: admin, at: at)
                if step == 2 { try await projects.completeMilestone(1, of: project.id, by: admin, at: at) }
            }
        }
    }
}
