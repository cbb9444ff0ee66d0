import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

/// Mandatory visits in the weekly bulletin and supervision orders for the overdue ones, on both databases.
struct VisitSupervisionTests {
    @Test(arguments: TestDatabase.dialects)
    func theWeeksDueVisitsAreCountedByOfficeAndAnOverdueOneCanBeSupervised(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let s = try await CommunityStoreTests.setting(database)
            let t0 = s.world.t0  // Monday 2026-09-21 22:13
            let a = try await CommunityStoreTests.household(s, phone: "13900000021")
            let b = try await CommunityStoreTests.household(s, phone: "13900000022")
            // Two disputes on Monday make both households due by the next Monday.
            for phone in ["13900000021", "13900000022"] {
                let dispute = try Submission(
                    kind: .help, category: "dispute", channel: .phone, text: "邻里纠纷", placeID: "S01-C1", contact: Contact(phone: phone))
                _ = try await s.world.items.submit(dispute, idempotencyKey: nil, by: s.world.clerkA, at: t0 - 3 * 86400)
            }
            #expect(try await s.community.scanRules(at: t0) == 2)
            let visit = try VisitReport(outcome: .met, at: t0, heard: nil, diary: nil, itemCategory: nil, now: t0)
            _ = try await s.community.recordVisit(to: a.household.id, visit, requestKey: nil, by: s.officerA, at: t0)

            let week = Bulletin.week(containing: t0)
            let later = t0 + 7 * 86400
            let (units, overdue) = try await s.community.visitsOfWeek(week, for: s.world.inspector, at: later)
            var expected = WeekVisitCounts()
            expected.due = 2
            expected.onTime = 1
            expected.open = 1
            #expect(units["S01-O1"] == expected)
            #expect(overdue.map(\.due.householdID) == [b.household.id])
            let id = try #require(overdue.first?.due.id)

            await #expect(throws: ValidationError.self) { try await s.community.supervise(id, reason: " ", by: s.world.inspector, at: later) }
            await #expect(throws: StorageError.self) { try await s.community.supervise(id, reason: "逾期", by: s.world.handlerB, at: later) }
            try await s.community.supervise(id, reason: "逾期未走访，限期落实", by: s.world.inspector, at: later)
            let due = try await s.community.dueVisits(for: s.officerA, everyone: false)
            #expect(due.first { $0.due.id == id }?.due.supervision == "逾期未走访，限期落实")
            #expect(try await s.community.visitsOfWeek(week, for: s.world.inspector, at: later).units["S01-O1"]?.supervised == 1)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func anOfficerWithAnAreaSeesTheUnassignedVisitsOfThatAreaOnly(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let s = try await CommunityStoreTests.setting(database)
            try await s.world.organisation.addUnit(id: "S01-C2", name: "康乐社区", kind: .community, parent: "S01-O1")
            let input = { (unit: PoliceUnit.ID, phone: String) in
                try SQLCommunityStore.HouseholdInput(
                    unitID: unit, address: "\(unit) 1 号", members: [HouseholdMember(name: "住户", phone: phone)], tags: [.hardship], officerID: nil)
            }
            let one = try await s.community.addHousehold(try input("S01-C1", "13900000031"), by: s.officerA, reason: "登记", at: s.world.t0)
            let two = try await s.community.addHousehold(try input("S01-C2", "13900000032"), by: s.officerA, reason: "登记", at: s.world.t0)
            _ = try await s.community.scanRules(at: s.world.t0)
            let cadre = s.world.handlerA  // a station officer: before any area, every unassigned visit of the station
            #expect(Set(try await s.community.dueVisits(for: cadre, everyone: false).map(\.due.householdID)) == [one.household.id, two.household.id])
            await #expect(throws: ValidationError.self) {
                _ = try await s.community.assign(
                    cadre.officer.id, area: "S02-C1", by: s.world.leader,
                    at: s.world.t0)
            }
            _ = try await s.community.assign(cadre.officer.id, area: "S01-C2", by: s.world.leader, at: s.world.t0)
            #expect(try await s.community.dueVisits(for: cadre, everyone: false).map(\.due.householdID) == [two.household.id])
            #expect(try await s.community.areas(for: s.world.leader).map(\.unitID) == ["S01-C2"])
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func aPlannedVisitJoinsTheDueListAndStaysOutOfTheMandatoryCounts(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let s = try await CommunityStoreTests.setting(database)
            let t0 = s.world.t0
            let home = try await CommunityStoreTests.household(s, phone: "13900000041")
            let tomorrow = t0 + 86400
            await #expect(throws: ValidationError.self) {
                _ = try await s.community.planVisit(to: home.household.id, on: t0 - 2 * 86400, note: nil, by: s.officerA, at: t0)
            }
            let planned = try await s.community.planVisit(to: home.household.id, on: tomorrow, note: "送防诈资料", by: s.officerA, at: t0)
            #expect(try await s.community.dueVisits(for: s.officerA, everyone: false).map(\.due.id) == [planned.id])
            #expect(planned.reason == "计划走访：送防诈资料" && planned.earliest == Deadlines.dayStart(of: tomorrow))
            let visit = try VisitReport(outcome: .met, at: tomorrow, heard: nil, diary: nil, itemCategory: nil, now: tomorrow)
            let recorded = try await s.community.recordVisit(to: home.household.id, visit, requestKey: nil, by: s.officerA, at: tomorrow)
            #expect(recorded.resolved == [planned.id: .done])
            let s01 = try #require(try await s.world.organisation.unit("S01"))
            let counts = try await s.community.coverage(under: s01, grain: .month, containing: t0).communities["S01-C1"]
            #expect(counts?.due == 0 && counts?.dueOnTime == 0 && counts?.visitedHouseholds == 1)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func theOtherPartyToADisputeIsMadeDueByLinkingTheItem(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let s = try await CommunityStoreTests.setting(database)
            let t0 = s.world.t0
            let caller = try await CommunityStoreTests.household(s, phone: "13900000051")
            let neighbour = try await CommunityStoreTests.household(s, phone: "13900000052")
            let dispute = try Submission(
                kind: .help, category: "dispute", channel: .phone, text: "与邻居因漏水纠纷", placeID: "S01-C1",
                    contact: Contact(phone: "13900000051"))
            let number = try await s.world.items.submit(dispute, idempotencyKey: nil, by: s.world.clerkA, at: t0).item.number
            _ = try await s.community.scanRules(at: t0 + 60)
            #expect(try await s.community.linkItem(number, to: neighbour.household.id, by: s.officerA, at: t0 + 120) == 1)
            #expect(try await s.community.linkItem(number, to: neighbour.household.id, by: s.officerA, at: t0 + 180) == 0)
            let due = try await s.community.dueVisits(for: s.officerA, everyone: false)
            #expect(Set(due.map(\.due.householdID)) == [caller.household.id, neighbour.household.id])
            #expect(due.allSatisfy { $0.due.ruleID == "dispute" && $0.due.due == t0 + 7 * 86400 })
            let noise = try await s.world.items.submit(try World.noiseSubmission(), idempotencyKey: nil, by: nil, at: t0).item.number
            await #expect(throws: ValidationError.self) { try await s.community.linkItem(noise, to: neighbour.household.id, by: s.officerA, at: t0) }
            await #expect(throws: StorageError.self) { try await s.community.linkItem(number, to: neighbour.household.id, by: s.officerB, at: t0) }
        }
    }
}
