import Foundation
import MinyiCore
import Testing

/// The rules of community policing, on fixed moments (Beijing time).
struct CommunityTests {
    /// 2026-11-23 was a Monday.
    static func beijing(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        Deadlines.start(year: 2026, month: 11, day: day).addingTimeInterval(TimeInterval(hour * 3600 + minute * 60))
    }

    @Test func nightVisitsAreMondayWednesdayAndFridayFromEightToNine() {
        let night = NightSchedule.standard
        #expect(night.contains(Self.beijing(23, 20, 30)))  // Monday 20:30
        #expect(night.contains(Self.beijing(25, 20, 0)))  // Wednesday 20:00
        #expect(night.contains(Self.beijing(27, 20, 59)))  // Friday 20:59
        #expect(!night.contains(Self.beijing(27, 21, 0)))  // Friday 21:00
        #expect(!night.contains(Self.beijing(24, 20, 30)))  // Tuesday
        #expect(!night.contains(Self.beijing(29, 20, 30)))  // Sunday
        #expect(!night.contains(Self.beijing(23, 19, 59)))
        #expect(NightSchedule(text: "1,3,5 20:00-21:00") == .standard && NightSchedule.standard.text == "1,3,5 20:00-21:00")
        #expect(NightSchedule(text: "2,4 19:30-21:15")?.contains(Self.beijing(24, 21, 10)) == true)
        for bad in ["", "8 20:00-21:00", "1,3 21:00-20:00", "1,3 20:00", "1,,3 20:00-21:00", "1 25:00-26:00"] {
            #expect(NightSchedule(text: bad) == nil, "\(bad)")
        }
    }

    @Test func periodsAreCalendarMonthsAndQuarters() {
        let month = VisitWindow.period(months: 1, containing: Self.beijing(29, 23, 59))
        #expect(month.earliest == Deadlines.start(year: 2026, month: 11) && month.due == Deadlines.start(year: 2026, month: 12) - 1)
        #expect(month.key == "2026-11")
        let quarter = VisitWindow.period(months: 3, containing: Self.beijing(29, 12))
        #expect(quarter.earliest == Deadlines.start(year: 2026, month: 10) && quarter.due == Deadlines.start(year: 2027, month: 1) - 1)
        #expect(quarter.key == "2026-10")
        let event = VisitWindow.after(Self.beijing(2, 9), days: 7, key: "item:X")
        #expect(event.due == Self.beijing(9, 9))
    }

    @Test func aVisitResolvesOnTimeLateOrNotAtAll() {
        let window = (earliest: Self.beijing(1, 0), due: Self.beijing(8, 0))
        #expect(DueVisitStatus.resolution(of: window, visitedAt: Self.beijing(3, 10)) == .done)
        #expect(DueVisitStatus.resolution(of: window, visitedAt: Self.beijing(8, 0)) == .done)
        #expect(DueVisitStatus.resolution(of: window, visitedAt: Self.beijing(8, 1)) == .late)
        #expect(DueVisitStatus.resolution(of: window, visitedAt: Self.beijing(1, 0) - 1) == nil)
        let due = DueVisit(
            id: "d", householdID: "h", ruleID: "r", reason: "", unitID: "c", officerID: nil, earliest: window.earliest, due: window.due,
            priority: 1, status: .open, visitID: nil)
        #expect(!due.isOverdue(at: Self.beijing(8, 0)) && due.isOverdue(at: Self.beijing(8, 1)))
        #expect(VisitOutcome.met.counts && !VisitOutcome.notHome.counts && !VisitOutcome.refused.counts)
    }

    @Test func visitReportsAndMembersAreCheckedNamingTheField() throws {
        let now = Self.beijing(23, 21)
        #expect(throws: ValidationError.invalid(field: "heard", message: "要转为事项，请写下群众反映的内容 (write what was heard to open an item)")) {
            _ = try VisitReport(outcome: .met, at: now, heard: "  ", diary: nil, itemCategory: "noise", now: now)
        }
        #expect(throws: ValidationError.self) {
            _ = try VisitReport(
                outcome: .met, at: now + 86400, heard: nil, diary: nil, itemCategory: nil,
                now: now)
        }
        let long = String(repeating: "很", count: VisitReport.maxText + 1)
        #expect(throws: ValidationError.self) { _ = try VisitReport(outcome: .met, at: now, heard: long, diary: nil, itemCategory: nil, now: now) }
        let kept = try VisitReport(outcome: .met, at: now, heard: "第一行\r\n第二行", diary: nil, itemCategory: nil, now: now)
        #expect(kept.heard == "第一行\r\n第二行")

        do {
            _ = try HouseholdMember.validated(name: "张三", phone: "12345", idNumber: nil, relation: nil, field: "members[1]")
            Issue.record("a bad phone was accepted")
        } catch {
            #expect(error.field == "members[1].phone")
        }
        let member = try HouseholdMember.validated(name: " 张三 ", phone: "+86 139-0000-1111", idNumber: nil, relation: "户主", field: "members[0]")
        #expect(member == HouseholdMember(name: "张三", phone: "13900001111", relation: "户主"))
        #expect(member.masked.phone == "139****1111")
        #expect(HouseholdTag(named: "独居老人") == .loneElderly && HouseholdTag(named: "政协委员") == .deputy)
        #expect(HouseholdTag(named: "hardship") == .hardship)
        #expect(HouseholdTag(named: "其他") == nil)
        #expect(throws: ValidationError.self) { _ = try Household.checkedAddress(String(repeating: "路", count: 201)) }
    }

    @Test func rulesAreCheckedAndRebuiltFromWhatIsStored() throws {
        for rule in VisitRule.defaults {
            #expect(VisitRule.Trigger(kind: rule.trigger.kind, subject: rule.trigger.subject, months: rule.trigger.months) == rule.trigger)
        }
        #expect(VisitRule.Trigger(kind: "every", subject: "hardship", months: 13) == nil)
        #expect(VisitRule.Trigger(kind: "weekly", subject: "hardship", months: 1) == nil)
        #expect(throws: ValidationError.self) {
            _ = try VisitRule.validated(id: "x", trigger: .itemCategory("dispute"), windowDays: 0, priority: 2, name: "纠纷")
        }
        #expect(throws: ValidationError.self) {
            _ = try VisitRule.validated(id: "a b", trigger: .itemCategory("dispute"), windowDays: 7, priority: 2, name: "纠纷")
        }
        let rule = try VisitRule.validated(
            id: "elderly-2", trigger: .every(months: 2, tag: .loneElderly), windowDays: 30, priority: 3,
            name: "双月走访")
        #expect(rule.windowDays == 0)
    }
}

/// Pairing compliance on hand-computed examples (Friday 2026-11-27 12:00 Beijing: past the middle of the week, the
/// month and the year).
struct PairingTests {
    static let friday = CommunityTests.beijing(27, 12)
    static let longAgo = Deadlines.start(year: 2026, month: 1)

    @Test func aPairThatKeptInTouchAndVisitedButDidOneDeed() {
        var counts = PairActivityCounts()
        counts.contactsThisWeek = 1
        counts.visitsThisMonth = 1
        counts.visitsLastMonth = 1
        counts.deedsThisYear = 1
        let standing = PairStanding.judge(cadence: .standard, since: Self.longAgo, counts: counts, at: Self.friday)
        #expect(standing.contact == .kept && standing.visit == .kept && standing.deeds == .late && standing.isBehind)
    }

    @Test func aPairSilentForTwoWeeksIsMissedAndAVisitThisWeekIsAContact() {
        var counts = PairActivityCounts()
        counts.visitsLastMonth = 1
        counts.deedsThisYear = 2
        var standing = PairStanding.judge(cadence: .standard, since: Self.longAgo, counts: counts, at: Self.friday)
        #expect(standing.contact == .missed && standing.visit == .late && standing.deeds == .kept)
        counts.visitsThisWeek = 1
        counts.visitsThisMonth = 1
        standing = PairStanding.judge(cadence: .standard, since: Self.longAgo, counts: counts, at: Self.friday)
        #expect(standing.contact == .kept && standing.visit == .kept && !standing.isBehind)
    }

    @Test func earlyInAPeriodNothingDoneIsStillOnTrackAndANewPairMissesNothing() {
        let monday = CommunityTests.beijing(23, 9)
        let new = CommunityTests.beijing(20, 9)
        let standing = PairStanding.judge(cadence: .standard, since: new, counts: PairActivityCounts(), at: monday)
        #expect(standing.contact == .pending)  // last week began before the pair: not missed
        #expect(standing.visit == .late)  // November is more than half gone
        let none = PairStanding.judge(
            cadence: PairingCadence(contactsPerWeek: 0, visitsPerMonth: 0, deedsPerYear: 0), since: new, counts: PairActivityCounts(), at: monday)
        #expect(none.contact == .kept && none.visit == .kept && none.deeds == .kept)
        #expect(PairingCadence(text: "2, 1,4") == PairingCadence(contactsPerWeek: 2, visitsPerMonth: 1, deedsPerYear: 4))
        #expect(PairingCadence(text: "1,1") == nil && PairingCadence(text: "1,x,2") == nil)
    }
}
