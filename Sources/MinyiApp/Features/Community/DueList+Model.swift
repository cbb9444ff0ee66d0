import Foundation
import MinyiCore
import MinyiStorage

/// What the due list shows: the open due visits, soonest first, with the names the page needs.
struct DueListModel: Sendable {
    var rows: [DueVisitRow]
    var catalogue: WebController.Catalogue
    var schedule: NightSchedule
    var everyone: Bool
    var isLead: Bool
    var now: Date

    static func load(everyone: Bool, actor: Actor, pages: CommunityPages, now: Date) async throws -> DueListModel {
        DueListModel(
            rows: try await pages.community.dueVisits(for: actor, everyone: everyone), catalogue: try await pages.web.catalogue(),
            schedule: try await pages.community.nightSchedule(), everyone: everyone, isLead: actor.officer.has(.unitLead), now: now)
    }

    /// How many whole days a due visit is late, or has left.
    func days(from date: Date) -> Int { Int((now.timeIntervalSince(date) / 86400).rounded(.down)) }
}
