import Foundation
import MinyiCore
import MinyiStorageTesting
import Testing

@testable import MinyiStorage

/// Work lists in deadline order that match more items than they count are read part by part along the indexes
/// (`deadlineOrderedIDs`) instead of sorted whole. Page by page they give the same items in the same order as a list
/// that sorts every match, and that order is the one the officers are promised: emergencies, then the longest late,
/// then the soonest due, then the newest without a deadline.
struct DeadlineOrderTests {
    @Test(arguments: TestDatabase.dialects)
    func aLongListByDeadlineGivesTheSortedOrderPageByPage(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let t0 = world.t0
            let path: [ItemStatus] = [.registered, .dispatched, .accepted, .replied, .dispatched, .accepted]
            for index in 0..<36 {
                let text = index % 7 == 3 ? "有人持刀在楼下，第 \(index) 件" : "楼下很吵，第 \(index) 件"
                let place: PoliceUnit.ID = index % 3 == 2 ? "S02-C1" : "S01-C1"
                let submission = try Submission(kind: .complaint, category: "noise", channel: .web, text: text, placeID: place)
                // Two items a minute at the same step, so that ties on time and deadline are settled by the ID.
                let at = t0 + Double(index / 2 * 60)
                let number = try await world.items.submit(submission, idempotencyKey: nil, by: nil, at: at).item.number
                try await world.walk(number, to: path[index / 2 % path.count], from: at)
            }
            let filters: [QueueFilter] = [
                QueueFilter(status: .dispatched), QueueFilter(statuses: [.accepted, .supervised]), QueueFilter(callbackDue: true),
                QueueFilter(overdueOnly: true), QueueFilter(dueWithin: 6 * 86400), QueueFilter(status: .registered),
                QueueFilter(statuses: [.registered, .dispatched, .replied]), QueueFilter(status: .accepted, unit: "S01"),
                QueueFilter(statuses: [.registered, .returned, .dispatched, .accepted], emergencyOnly: true),
            ]
            func check(at now: Date) async throws {
                for actor in [world.leader, world.handlerA, world.handlerB] {
                    for var filter in filters {
                        #expect(SQLItemStore.possibleStatuses(filter) != nil)
                        filter.byDeadline = true
                        filter.limit = 1000
                        let all = try await world.items.queue(filter, for: actor, at: now, countingUpTo: 1000)
                        #expect(all.totalIsExact && all.total == all.items.count)
                        #expect(all.items.map(\.item.number) == all.items.sorted(by: Self.promised).map(\.item.number))
                        var paged: [String] = []
                        filter.limit = 3
                        for offset in stride(from: 0, to: all.total + 3, by: 3) {
                            filter.offset = offset
                            let page = try await world.items.queue(filter, for: actor, at: now, countingUpTo: 1)
                            #expect(page.total == min(1, all.total))
                            paged += page.items.map(\.item.number)
                        }
                        #expect(paged == all.items.map(\.item.number), "\(filter) for \(actor.officer.username) at \(now)")
                        // Newest first too (the work-queue API's order), read along the time indexes when long.
                        filter.byDeadline = false
                        filter.limit = 1000
                        filter.offset = 0
                        let newest = try await world.items.queue(filter, for: actor, at: now, countingUpTo: 1000).items.map(\.item.number)
                        var newestPaged: [String] = []
                        filter.limit = 3
                        for offset in stride(from: 0, to: all.total + 3, by: 3) {
                            filter.offset = offset
                            newestPaged += try await world.items.queue(filter, for: actor, at: now, countingUpTo: 1).items.map(\.item.number)
                        }
                        #expect(newestPaged == newest && Set(newest) == Set(all.items.map(\.item.number)))
                    }
                }
            }
            try await check(at: t0 + 600)
            // The dispatched ones late and recorded as late (their deadlines moved on); then the accepted ones too.
            #expect(try await world.items.scanDeadlines(at: t0 + 3 * 3600) > 0)
            try await check(at: t0 + 3 * 3600 + 120)
            _ = try await world.items.scanDeadlines(at: t0 + 6 * 86400)
            try await check(at: t0 + 6 * 86400 + 120)
            let late = try await world.items.queue(QueueFilter(overdueOnly: true, limit: 1000), for: world.leader, at: t0 + 6 * 86400 + 120)
            #expect(late.items.filter { $0.item.lateSince != nil }.count > 3)
            // A filter that leaves any status possible is sorted whole, as before.
            #expect(SQLItemStore.possibleStatuses(QueueFilter(category: "noise")) == nil)
        }
    }

    /// The order a work list by deadline promises, written out in Swift.
    static func promised(_ a: StoredItem, _ b: StoredItem) -> Bool {
        func key(_ stored: StoredItem) -> (Int, Int, Double, Int, Double, Double, String) {
            let item = stored.item
            let due: Date? =
                switch item.status {
                case .dispatched: item.responseDue
                case .accepted, .supervised: item.handlingDue
                case .replied: item.callbackDue
                default: nil
                }
            return (
                item.emergency ? 0 : 1, item.lateSince == nil ? 1 : 0, item.lateSince?.timeIntervalSince1970 ?? 0, due == nil ? 1 : 0,
                due?.timeIntervalSince1970 ?? 0, -item.createdAt.timeIntervalSince1970, item.id.rawValue
            )
        }
        let (x, y) = (key(a), key(b))
        if (x.0, x.1, x.2, x.3, x.4, x.5) != (y.0, y.1, y.2, y.3, y.4, y.5) { return (x.0, x.1, x.2, x.3, x.4, x.5) < (y.0, y.1, y.2, y.3, y.4, y.5) }
        return x.6 > y.6
    }
}
