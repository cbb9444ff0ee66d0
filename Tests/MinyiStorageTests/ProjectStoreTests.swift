import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

/// The year's projects: set from a closed ballot, updated in public within the jurisdiction, every change a dated
/// update.
struct ProjectStoreTests {
    @Test(arguments: TestDatabase.dialects)
    func aClosedBallotsChosenProjectsAreDeliveredByDatedUpdates(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let (campaign, candidates) = try await BallotStoreTests.campaign(world, projects: 4, maxChoices: 2)
            for v in 0..<5 {
                _ = try await world.stores.ballots.cast(
                    idNumber: BallotStoreTests.idNumber(v), choices: v < 3 ? [candidates[2].id, candidates[0].id] : [candidates[0].id],
                    for: campaign.id, at: world.t0)
            }
            let projects = world.stores.projects
            // Not before the close.
            await #expect(throws: StorageError.self) { try await projects.adopt(campaign.id, by: world.leader, at: world.t0) }
            let adopted = try await projects.adopt(campaign.id, by: world.leader, at: campaign.closesAt)
            #expect(adopted.map(\.title) == ["项目 1", "项目 3"] && adopted.map(\.votes) == [5, 3])
            #expect(try await projects.adopt(campaign.id, by: world.leader, at: campaign.closesAt).isEmpty)
            let project = adopted[0]
            #expect(Deadlines.year(of: project.due) == 2026 && project.status == .planned)

            // An officer of another station cannot see it to change it; the station's lead can.
            let lead = try await world.stores.organisation.actor(
                for: try await world.stores.organisation.addOfficer(
                    id: "o-lead1", username: "lead1", name: "王所长", unit: "S01", roles: [.unitLead], passwordHash: "x", at: world.t0))
            let other = try await world.stores.organisation.actor(
                for: try await world.stores.organisation.addOfficer(
                    id: "o-lead2", username: "lead2", name: "刘所长", unit: "S02", roles: [.unitLead], passwordHash: "x", at: world.t0))
            let later = campaign.closesAt.addingTimeInterval(86400)
            await #expect(throws: StorageError.self) {
                try await projects.addUpdate(
                    to: project.id, text: "开工", progress: 10, status: nil, photoCaption: nil, correction: false, by: other, at: later)
            }
            let first = try await projects.addUpdate(
                to: project.id, text: "完成 10 个小区门禁安装", progress: 30, status: nil, photoCaption: "幸福社区东门新门禁", correction: false,
                by: lead, at: later)
            #expect(first.status == .underway && first.seq == 2)
            // Progress does not go back without a correction; delivered means 100%.
            await #expect(throws: ValidationErrors.self) {
                try await projects.addUpdate(
                    to: project.id, text: "x", progress: 20, status: nil, photoCaption: nil, correction: false, by: lead, at: later)
            }
            await #expect(throws: ValidationErrors.self) {
                try await projects.addUpdate(
                    to: project.id, text: "x", progress: 90, status: .delivered, photoCaption: nil, correction: false, by: lead, at: later)
            }
            try await projects.addMilestone(to: project.id, title: "全部小区安装完毕", due: later.addingTimeInterval(30 * 86400), by: lead, at: later)
            try await projects.completeMilestone(1, of: project.id, by: lead, at: later.addingTimeInterval(86400))
            await #expect(throws: StorageError.self) { try await projects.completeMilestone(1, of: project.id, by: lead, at: later) }
            // An item raised about the project links both ways.
            let item = try await world.items.submit(try World.noiseSubmission("新门禁卡办理太慢"), idempotencyKey: nil, by: nil, at: later)
            try await projects.link(item: item.item.number, to: project.id, by: lead, at: later)
            #expect(try await projects.items(of: project.id).map(\.number) == [item.item.number])
            #expect(try await projects.project(ofItem: item.item.number)?.id == project.id)
            // Delivered after the year's end: late.
            let delivered = try await projects.addUpdate(
                to: project.id, text: "全部完成", progress: 100, status: nil, photoCaption: nil, correction: false, by: lead,
                at: project.due.addingTimeInterval(86400))
            #expect(delivered.status == .delivered)
            let stored = try #require(try await projects.project(project.id))
            #expect(stored.isLate(at: project.due.addingTimeInterval(2 * 86400)) && stored.deliveredAt != nil)
            // Every change is an update, newest first, never rewritten.
            let updates = try await projects.updates(of: project.id)
            #expect(updates.map(\.seq) == [6, 5, 4, 3, 2, 1])
            #expect(updates.last?.text.contains("经群众投票选定") == true)
        }
    }
}
