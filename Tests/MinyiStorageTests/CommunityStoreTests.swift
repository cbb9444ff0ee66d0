import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

/// Households, the mandatory-visit rules and visits, on both databases.
struct CommunityStoreTests {
    struct Setting {
        let world: World
        let community: SQLCommunityStore
        let officerA: Actor
        let officerB: Actor
    }

    /// The test bureau with a dispute category, a community officer at each station's office, and the default rules.
    static func setting(_ database: any DatabaseBackend) async throws -> Setting {
        let world = try await World.make(on: database)
        let dispute = MinyiCore.Category(
            code: "dispute", nameZh: "矛盾纠纷", nameEn: "Disputes", group: "治安防范", responseHours: 4, handlingDays: 10)
        try await world.organisation.addCategory(dispute, position: 9)
        func officer(_ name: String, _ unit: PoliceUnit.ID) async throws -> Actor {
            let officer = try await world.organisation.addOfficer(
                id: .init("o-" + name), username: name, name: name, unit: unit, roles: [.communityOfficer], passwordHash: "x", at: world.t0)
            return try await world.organisation.actor(for: officer)
        }
        return Setting(
            world: world, community: world.stores.community, officerA: try await officer("community_a", "S01-O1"),
            officerB: try await officer("community_b", "S02-O1"))
    }

    static func household(
        _ setting: Setting, tags: Set<HouseholdTag> = [], phone: String = "13900001111", unit: PoliceUnit.ID = "S01-C1"
    ) async throws -> StoredHousehold {
        let input = try SQLCommunityStore.HouseholdInput(
            unitID: unit, address: "幸福路 12 号 3 单元 401",
            members: [
                HouseholdMember(
                    name: "王大爷", phone: phone,
                    idNumber: "11010519491231002X")
            ],
            tags: tags, officerID: unit == "S01-C1" ? setting.officerA.officer.id : nil)
        return try await setting.community.addHousehold(
            input, by: unit == "S01-C1" ? setting.officerA : setting.officerB, reason: "入户登记",
            at: setting.world.t0)
    }

    @Test(arguments: TestDatabase.dialects)
    func aMonthlyRuleMakesOneVisitDueAndAVisitInTheWindowResolvesIt(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let s = try await Self.setting(database)
            let t0 = s.world.t0  // 2026-09-21 22:13 Beijing
            let lonely = try await Self.household(s, tags: [.loneElderly])
            _ = try await Self.household(s, tags: [], phone: "13900002222")
            #expect(try await s.community.scanRules(at: t0) == 1)
            #expect(try await s.community.scanRules(at: t0 + 60) == 0, "a second scan makes nothing twice")

            let due = try await s.community.dueVisits(for: s.officerA, everyone: false)
            #expect(due.count == 1)
            let september = try #require(due.first?.due)
            #expect(september.householdID == lonely.household.id && september.ruleID == "lone-elderly")
            #expect(september.earliest == Deadlines.start(year: 2026, month: 9))
            #expect(september.due == Deadlines.start(year: 2026, month: 10) - 1)

            // Not at home: an attempt, nothing resolved.
            let attempt = try VisitReport(outcome: .notHome, at: t0 + 3600, heard: nil, diary: "敲门无人", itemCategory: nil, now: t0 + 3600)
            _ = try await s.community.recordVisit(to: lonely.household.id, attempt, requestKey: nil, by: s.officerA, at: t0 + 3600)
            #expect(try await s.community.dueVisits(for: s.officerA, everyone: false).count == 1)

            // Met in the window: done.
            let met = try VisitReport(outcome: .met, at: t0 + 7200, heard: nil, diary: "身体还好", itemCategory: nil, now: t0 + 7200)
            let recorded = try await s.community.recordVisit(to: lonely.household.id, met, requestKey: nil, by: s.officerA, at: t0 + 7200)
            #expect(recorded.resolved == [september.id: .done])
            #expect(try await s.community.dueVisits(for: s.officerA, everyone: false).isEmpty)

            // October's visit falls due on the first scan in October; met in November it counts as late, not missing.
            let october = Deadlines.start(year: 2026, month: 10, day: 2)
            #expect(try await s.community.scanRules(at: october) == 1)
            let november = Deadlines.start(year: 2026, month: 11, day: 3)
            let late = try VisitReport(outcome: .met, at: november, heard: nil, diary: nil, itemCategory: nil, now: november)
            let lateVisit = try await s.community.recordVisit(to: lonely.household.id, late, requestKey: nil, by: s.officerA, at: november)
            #expect(Array(lateVisit.resolved.values) == [.late])
            let history = try await s.community.dueVisits(of: lonely.household.id, for: s.officerA)
            #expect(history.map(\.status).sorted { $0.rawValue < $1.rawValue } == [.done, .late])
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func eventRulesMakeTheResidentsHouseholdDueWithinItsWindow(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let s = try await Self.setting(database)
            let t0 = s.world.t0
            let parties = try await Self.household(s, phone: "13900003333")
            let victim = try await Self.household(s, phone: "13900004444")
            let dispute = try Submission(
                kind: .help, category: "dispute", channel: .phone, text: "邻居占用楼道", placeID: "S01-C1",
                contact: Contact(name: "王大爷", phone: "13900003333"))
            _ = try await s.world.items.submit(dispute, idempotencyKey: nil, by: s.world.clerkA, at: t0)
            let record = BusinessRecord(
                recordID: "AJ-1", businessType: "case_report", unitID: "S01", officer: "民警", contactName: "李女士", contactPhone: "13900004444",
                occurredAt: t0 - 86400, sensitive: false)
            _ = try await s.world.stores.business.importRecords([record], source: "test", by: nil, at: t0)

            #expect(try await s.community.scanRules(at: t0 + 60) == 2)
            let due = try await s.community.dueVisits(for: s.officerA, everyone: false)
            let byHousehold = Dictionary(uniqueKeysWithValues: due.map { ($0.due.householdID, $0.due) })
            #expect(byHousehold[parties.household.id]?.ruleID == "dispute")
            #expect(byHousehold[parties.household.id]?.due == t0 + 7 * 86400)
            #expect(byHousehold[victim.household.id]?.ruleID == "crime-victim")
            #expect(byHousehold[victim.household.id]?.due == t0 - 86400 + 7 * 86400)
            #expect(due.first?.due.priority == 3)

            // A visit after the window resolves it as late.
            let after = t0 + 8 * 86400
            let report = try VisitReport(outcome: .met, at: after, heard: nil, diary: nil, itemCategory: nil, now: after)
            let recorded = try await s.community.recordVisit(to: parties.household.id, report, requestKey: nil, by: s.officerA, at: after)
            #expect(Array(recorded.resolved.values) == [.late])
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func whatAVisitHearsBecomesAnItemThatWalksTheWholeLifecycle(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let s = try await Self.setting(database)
            let t0 = s.world.t0
            let home = try await Self.household(s)
            let report = try VisitReport(
                outcome: .met, at: t0, heard: "楼下烧烤店每天营业到凌晨两点，噪音很大", diary: "夜访，老人反映噪音", itemCategory: "noise", now: t0)
            let first = try await s.community.recordVisit(to: home.household.id, report, requestKey: "form-1", by: s.officerA, at: t0)
            let again = try await s.community.recordVisit(to: home.household.id, report, requestKey: "form-1", by: s.officerA, at: t0 + 5)
            #expect(again.replayed && again.visit.id == first.visit.id && again.visit.itemNumber == first.visit.itemNumber)
            #expect(try await s.community.visits(of: home.household.id, for: s.officerA).count == 1, "a retried form makes one record")
            var other = report
            other.diary = "另一段"
            await #expect(throws: ValidationError.self) {
                _ = try await s.community.recordVisit(to: home.household.id, other, requestKey: "form-1", by: s.officerA, at: t0 + 9)
            }

            let number = try #require(first.visit.itemNumber)
            let item = try #require(try await s.world.items.item(number: number)).item
            #expect(item.channel == .homeVisit && item.status == .registered && item.placeID == "S01-C1")
            #expect(item.text == "楼下烧烤店每天营业到凌晨两点，噪音很大")
            #expect(item.contact?.phone == "13900001111")
            #expect(try await s.community.visit(openedItem: number, for: s.officerA)?.id == first.visit.id)
            try await s.world.walk(number, to: .closed, from: t0 + 60)
            #expect(try await s.world.items.item(number: number)?.item.status == .closed)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func anOfficerOfOneOfficeSeesNothingOfAnother(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let s = try await Self.setting(database)
            let t0 = s.world.t0
            let a = try await Self.household(s, tags: [.hardship])
            let b = try await Self.household(s, tags: [.hardship], phone: "13900005555", unit: "S02-C1")
            _ = try await s.community.scanRules(at: t0)
            #expect(try await s.community.household(b.household.id, for: s.officerA) == nil)
            #expect(try await s.community.households(.init(), for: s.officerA).map(\.household.id) == [a.household.id])
            #expect(try await s.community.dueVisits(for: s.officerA, everyone: false).map(\.due.householdID) == [a.household.id])
            #expect(try await s.community.visits(of: b.household.id, for: s.officerA).isEmpty)
            let report = try VisitReport(outcome: .met, at: t0, heard: nil, diary: nil, itemCategory: nil, now: t0)
            await #expect(throws: StorageError.self) {
                _ = try await s.community.recordVisit(to: b.household.id, report, requestKey: nil, by: s.officerA, at: t0)
            }
            // The target of an action too: no household placed in, nor moved to, another office's community.
            let elsewhere = try SQLCommunityStore.HouseholdInput(
                unitID: "S02-C1", address: "和平村 1 号", members: [], tags: [], officerID: nil)
            await #expect(throws: ValidationError.self) { _ = try await s.community.addHousehold(elsewhere, by: s.officerA, reason: "x", at: t0) }
            await #expect(throws: ValidationError.self) {
                _ = try await s.community.updateHousehold(a.household.id, elsewhere, by: s.officerA, reason: "搬家", at: t0)
            }
            let wrongOfficer = try SQLCommunityStore.HouseholdInput(
                unitID: "S01-C1", address: "幸福路 1 号", members: [], tags: [], officerID: s.officerB.officer.id)
            await #expect(throws: ValidationError.self) { _ = try await s.community.addHousehold(wrongOfficer, by: s.officerA, reason: "x", at: t0) }
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func membersAreMaskedAndEveryRevealIsAudited(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let s = try await Self.setting(database)
            let t0 = s.world.t0
            let home = try await Self.household(s)
            let shown = try #require(try await s.community.household(home.household.id, for: s.officerA))
            #expect(shown.household.members.first?.idNumber == "110105********002X")
            #expect(shown.household.members.first?.phone == "139****1111")
            let revealed = try await s.community.revealMembers(of: home.household.id, by: s.officerA, purpose: "走访", at: t0)
            #expect(revealed.household.members.first?.idNumber == "11010519491231002X")
            let entries = try await s.world.audit.entries(target: home.household.id.rawValue)
            #expect(entries.map(\.action) == ["household.read"] && entries.first?.actorID == s.officerA.officer.id)
            await #expect(throws: AccessError.self) {
                _ = try await s.community.revealMembers(of: home.household.id, by: s.world.clerkA, purpose: "好奇", at: t0)
            }

            // An edit is an event with who, when and why; the history keeps members masked.
            var input = try SQLCommunityStore.HouseholdInput(
                unitID: "S01-C1", address: "幸福路 12 号 3 单元 402", members: revealed.household.members, tags: [.loneElderly],
                officerID: s.officerA.officer.id)
            input.tags.insert(.hardship)
            _ = try await s.community.updateHousehold(home.household.id, input, by: s.officerA, reason: "门牌核对", at: t0 + 60)
            let events = try await s.community.events(of: home.household.id, for: s.officerA)
            #expect(events.map(\.kind) == ["created", "updated"])
            #expect(events.last?.reason == "门牌核对" && events.last?.actorID == s.officerA.officer.id)
            #expect(events.allSatisfy { !($0.detail ?? "").contains("11010519491231002X") && !($0.detail ?? "").contains("13900001111") })
            await #expect(throws: ValidationError.self) {
                _ = try await s.community.updateHousehold(home.household.id, input, by: s.officerA, reason: " ", at: t0 + 60)
            }
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func coverageCountsEachHouseholdOncePerPeriodOnAHandComputedExample(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let s = try await Self.setting(database)
            let t0 = s.world.t0  // Monday 2026-09-21 22:13 Beijing
            let h1 = try await Self.household(s, tags: [.loneElderly], phone: "13900000001")
            let h2 = try await Self.household(s, tags: [.hardship], phone: "13900000002")
            let h3 = try await Self.household(s, phone: "13900000003")
            _ = try await Self.household(s, phone: "13900000004", unit: "S02-C1")
            #expect(try await s.community.scanRules(at: t0) == 2)
            func visit(_ h: StoredHousehold, _ outcome: VisitOutcome, at: Date, recordedAt: Date? = nil) async throws {
                let now = recordedAt ?? at
                let report = try VisitReport(outcome: outcome, at: at, heard: nil, diary: nil, itemCategory: nil, now: now)
                _ = try await s.community.recordVisit(to: h.household.id, report, requestKey: nil, by: s.officerA, at: now)
            }
            try await visit(h1, .met, at: t0 - 7200)  // Monday 20:13: a night visit
            try await visit(h1, .met, at: t0 + 86400)  // the same household again: counted once
            try await visit(h3, .notHome, at: t0 + 3600)  // an attempt
            let october = Deadlines.start(year: 2026, month: 10, day: 3)
            try await visit(h2, .met, at: october)  // September's due visit, late
            try await visit(h3, .met, at: Deadlines.start(year: 2026, month: 9, day: 25), recordedAt: october + 86400)  // written up late

            let s01 = try #require(try await s.world.organisation.unit("S01"))
            let units = try await s.world.organisation.units()
            let september = try await s.community.coverage(under: s01, grain: .month, containing: t0)
            var expected = VisitCounts()
            expected.households = 3
            expected.visitedHouseholds = 2  // h1 and h3
            expected.visits = 4
            expected.met = 3
            expected.night = 1
            expected.due = 2
            expected.dueOnTime = 1
            expected.dueLate = 1
            #expect(september.communities["S01-C1"] == expected)
            #expect(september.total(under: s01, units: units) == expected)
            #expect(september.communities["S01-C1"]?.coverage.percent == "66.7%")
            var officer = expected
            officer.households = 0
            #expect(september.officers[s.officerA.officer.id] == officer)

            let year = try await s.community.coverage(under: s01, grain: .year, containing: t0)
            #expect(year.communities["S01-C1"]?.visitedHouseholds == 3 && year.communities["S01-C1"]?.visits == 5)
            let bureau = try #require(try await s.world.organisation.unit("KFQ"))
            let all = try await s.community.coverage(under: bureau, grain: .year, containing: t0)
            #expect(all.total(under: bureau, units: units).households == 4 && all.total(under: bureau, units: units).visitedHouseholds == 3)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func pairingCountsContactsDeedsAndTheCadresVisits(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let s = try await Self.setting(database)
            let friday = Deadlines.start(year: 2026, month: 11, day: 27).addingTimeInterval(12 * 3600)
            let h1 = try await Self.household(s, tags: [.hardship], phone: "13900000011")
            let h2 = try await Self.household(s, tags: [.hardship], phone: "13900000012")
            let since = friday - 30 * 86400
            let p1 = try await s.community.pair(officer: s.officerA.officer.id, with: h1.household.id, by: s.officerA, at: since)
            let p2 = try await s.community.pair(officer: s.officerA.officer.id, with: h2.household.id, by: s.officerA, at: since)
            await #expect(throws: ValidationError.self) {
                _ = try await s.community.pair(officer: s.officerA.officer.id, with: h1.household.id, by: s.officerA, at: since)
            }
            await #expect(throws: ValidationError.self) {  // a cadre of another station
                _ = try await s.community.pair(officer: s.officerB.officer.id, with: h1.household.id, by: s.officerA, at: since)
            }
            // Pair 1: a call on Tuesday, a visit (met) this month, one deed.
            _ = try await s.community.recordPairActivity(
                .contact, for: p1.id, at: friday - 3 * 86400, note: nil, requestKey: "c1", by: s.officerA,
                now: friday)
            _ = try await s.community.recordPairActivity(
                .contact, for: p1.id, at: friday - 3 * 86400, note: nil, requestKey: "c1", by: s.officerA,
                now: friday)
            _ = try await s.community.recordPairActivity(
                .deed, for: p1.id, at: friday - 10 * 86400, note: "帮忙修好了水管", requestKey: nil,
                by: s.officerA, now: friday)
            let visit = try VisitReport(outcome: .met, at: friday - 12 * 86400, heard: nil, diary: nil, itemCategory: nil, now: friday)
            _ = try await s.community.recordVisit(to: h1.household.id, visit, requestKey: nil, by: s.officerA, at: friday)
            await #expect(throws: ValidationError.self) {
                _ = try await s.community.recordPairActivity(.deed, for: p1.id, at: friday, note: " ", requestKey: nil, by: s.officerA, now: friday)
            }
            await #expect(throws: StorageError.self) {  // another station's officer
                _ = try await s.community.recordPairActivity(
                    .contact, for: p1.id, at: friday, note: nil, requestKey: nil, by: s.officerB,
                    now: friday)
            }

            let rows = try await s.community.pairs(for: s.officerA, at: friday)
            let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.pairing.id, $0.standing) })
            let one = try #require(byID[p1.id])
            #expect(one.counts.contactsThisWeek == 1, "a retried record counts once")
            #expect(one.contact == .kept && one.visit == .kept && one.deeds == .late)
            let two = try #require(byID[p2.id])
            #expect(two.contact == .missed && two.visit == .late && two.deeds == .late)
            #expect(try await s.community.pairs(for: s.officerA, behindOnly: true, at: friday).count == 2)
            #expect(try await s.community.pairs(for: s.officerB, at: friday).isEmpty)
            #expect(try await s.community.activities(of: p1.id, for: s.officerA).map(\.kind) == [.contact, .deed])
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func meetingRatingsAreAddedUpAndCannotBeTracedToAnAttendee(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let s = try await Self.setting(database)
            // The station holds the meeting: its handler organises it here.
            let t0 = s.world.t0
            let reporters = [s.officerA.officer.id, s.world.handlerA.officer.id]
            let input = try SQLCommunityStore.MeetingInput(
                title: "幸福社区向人民报告会", kind: .report, unitID: "S01", place: "幸福社区居委会会议室", startsAt: t0, reporters: reporters,
                invitedDeputies: 3, invitedResidents: 40)
            await #expect(throws: ValidationError.self) {  // a reporter from another station
                _ = try await s.community.planMeeting(
                    try .init(
                        title: "x", kind: .report, unitID: "S01", place: "y", startsAt: t0, reporters: [s.officerB.officer.id],
                        invitedDeputies: 0, invitedResidents: 0), by: s.world.handlerA, at: t0)
            }
            let meeting = try await s.community.planMeeting(input, by: s.world.handlerA, at: t0)
            let codes = try await s.community.issueCodes(3, for: meeting.id, by: s.world.handlerA)
            #expect(Set(codes).count == 3 && codes.allSatisfy { $0.count == Meeting.codeLength })
            func ratings(_ result: CallbackResult, _ score: Int) throws -> [Officer.ID: MeetingRating] {
                let scores = try CallbackScores(Dictionary(uniqueKeysWithValues: CallbackScores.Indicator.allCases.map { ($0, score) }))
                return Dictionary(uniqueKeysWithValues: try reporters.map { ($0, try MeetingRating(result: result, scores: scores)) })
            }
            await #expect(throws: ValidationError.self) {
                try await s.community.rate(
                    meeting.id, code: codes[0],
                    ratings: try ratings(
                        .satisfied,
                        5))
            }
            try await s.community.setMeetingStatus(.open, of: meeting.id, by: s.world.handlerA, at: t0)
            try await s.community.rate(meeting.id, code: codes[0].lowercased(), ratings: try ratings(.satisfied, 5))
            try await s.community.rate(meeting.id, code: codes[1], ratings: try ratings(.dissatisfied, 2))
            await #expect(throws: ValidationError.self) {
                try await s.community.rate(
                    meeting.id, code: codes[0],
                    ratings: try ratings(
                        .satisfied,
                        5))
            }
            await #expect(throws: ValidationError.self) {
                try await s.community.rate(
                    meeting.id, code: "ABCDEFGH",
                    ratings: try ratings(
                        .satisfied,
                        5))
            }
            await #expect(throws: ValidationError.self) {  // every reporter must be rated
                try await s.community.rate(meeting.id, code: codes[2], ratings: try ratings(.satisfied, 5).filter { $0.key == reporters[0] })
            }

            let concern = try Submission(
                kind: .opinion, category: "noise", channel: .meeting, text: "会上居民反映：夜市噪音扰民", placeID: "S01-C1")
            let number = try await s.community.raiseConcern(at: meeting.id, concern, by: s.world.handlerA, at: t0 + 600)
            #expect(try await s.world.items.item(number: number)?.item.channel == .meeting)
            #expect(try await s.community.meeting(raised: number, for: s.world.dispatcher)?.id == meeting.id)

            #expect(try await s.community.meetingRecord(meeting.id, for: s.officerB) == nil)
            try await s.community.setMeetingStatus(.closed, of: meeting.id, by: s.world.handlerA, at: t0 + 3600)
            let record = try #require(try await s.community.meetingRecord(meeting.id, for: nil))
            #expect(record.codesIssued == 3 && record.attended == 2 && record.items == [number])
            let a = try #require(record.results[s.officerA.officer.id])
            #expect(a.satisfied == 1 && a.dissatisfied == 1 && a.satisfaction.percent == "50.0%" && a.average(.attitude) == 3.5)

            // Nothing ties a rating to a code: the codes keep only a hash and whether they were used; the ratings are
            // sums per officer, one row each, however many rated.
            let db = s.world.database
            let codeColumns = try await db.read { db in
                try await db.raw("SELECT * FROM meeting_codes WHERE meeting_id = \(bind: meeting.id.rawValue)").all().first?.allColumns ?? []
            }
            #expect(Set(codeColumns) == ["code_hash", "meeting_id", "used"])
            let resultRows = try await db.read { db in
                try await db.raw("SELECT * FROM meeting_results WHERE meeting_id = \(bind: meeting.id.rawValue)").all()
            }
            #expect(resultRows.count == reporters.count)
            let sums = CallbackScores.Indicator.allCases.flatMap { [$0.rawValue + "_sum", $0.rawValue + "_n"] }
            let expected = Set(["meeting_id", "officer_id", "satisfied", "basically_satisfied", "dissatisfied"] + sums)
            #expect(resultRows.allSatisfy { Set($0.allColumns) == expected }, "no code, no attendee, no time")
            await #expect(throws: StorageError.self) { try await s.community.setMeetingStatus(.open, of: meeting.id, by: s.world.handlerA, at: t0) }
        }
    }
}
