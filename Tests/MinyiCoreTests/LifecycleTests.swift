import Foundation
import Testing

@testable import MinyiCore

let t0 = Date(timeIntervalSince1970: 1_790_000_000)
let noise = Category(code: "noise", nameZh: "噪音", nameEn: "Noise", group: "治安防范", responseHours: 2, handlingDays: 5)
let bureau = PoliceUnit(id: "KFQ", name: "开发区分局", kind: .bureau, parent: nil)
let stationA = PoliceUnit(id: "S01", name: "丹阳路派出所", kind: .station, parent: bureau)
let stationB = PoliceUnit(id: "S02", name: "岳程派出所", kind: .station, parent: bureau)
let command = PoliceUnit(id: "ZHZX", name: "指挥中心", kind: .department, parent: bureau)

func actor(_ roles: Set<Role>, unit: PoliceUnit = stationA) -> Actor {
    Actor(
        officer: Officer(id: "o1", username: "u", name: "王警官", unitID: unit.id, roles: roles), unit: unit,
        jurisdiction: Actor.jurisdiction(of: unit, ancestors: [bureau]))
}

func item(in status: ItemStatus) -> Item {
    var item = Item(
        id: "i1", number: "KFQ-2026-000001", kind: .complaint, category: noise.code, channel: .web, text: "楼下烧烤店噪音", placeID: "C01",
        createdAt: t0)
    item.status = status
    if status != .registered && status != .returned {
        item.assignedUnitID = stationA.id
        item.round = 1
    }
    return item
}

/// One example of every command.
let examples: [ItemCommand] = [
    .answer(outcome: .explained, text: "已当场解释", publicReason: nil),
    .dispatch(unit: stationA.id),
    .accept,
    .reply(outcome: .resolved, text: "已约谈店主", publicReason: nil),
    .returnToCommand(reason: "不属于本所辖区"),
    .merge(into: "KFQ-2026-000002", reason: nil),
    .reject(reason: "广告信息"),
    .callback(result: .satisfied, comment: nil),
    .supervise(reason: "群众反映仍未处理"),
    .close(reason: "领导签批销号"),
    .overdue(.handling),
    .recategorize(category: "traffic", reason: "实为乱停车"),
]

struct LifecycleTests {
    @Test(arguments: examples, ItemStatus.allCases)
    func everyCommandIsAllowedExactlyFromItsStatuses(command: ItemCommand, status: ItemStatus) throws {
        let allowed = Lifecycle.canApply(command.name, to: status)
        do {
            let transition = try Lifecycle.apply(command, to: item(in: status), category: noise, by: actor([.dispatcher]), at: t0)
            #expect(allowed, "\(command.name) from \(status) should be refused")
            #expect(transition.event.sequence == 1)
            #expect(transition.event.status == transition.item.status)
        } catch {
            #expect(!allowed, "\(command.name) from \(status) should be allowed, got \(error)")
            if case .illegalTransition(let name, let from, _) = error {
                #expect(name == command.name && from == status)
            } else {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test(arguments: [
        (ItemCommand.answer(outcome: .resolved, text: "x", publicReason: nil), ItemStatus.registered, ItemStatus.replied),
        (.dispatch(unit: "S01"), .registered, .dispatched),
        (.dispatch(unit: "S01"), .returned, .dispatched),
        (.accept, .dispatched, .accepted),
        (.reply(outcome: .resolved, text: "x", publicReason: nil), .accepted, .replied),
        (.reply(outcome: .resolved, text: "x", publicReason: nil), .supervised, .replied),
        (.returnToCommand(reason: "错派"), .dispatched, .returned),
        (.returnToCommand(reason: "错派"), .accepted, .returned),
        (.merge(into: "KFQ-2026-000009", reason: nil), .registered, .merged),
        (.reject(reason: "无效"), .registered, .rejected),
        (.callback(result: .satisfied, comment: nil), .replied, .closed),
        (.callback(result: .basicallySatisfied, comment: nil), .replied, .closed),
        (.callback(result: .dissatisfied, comment: "没有解决"), .replied, .supervised),
        (.callback(result: .unreachable, comment: nil), .replied, .replied),
        (.supervise(reason: "催办"), .replied, .supervised),
        (.supervise(reason: "催办"), .accepted, .accepted),
        (.close(reason: "签批"), .supervised, .closed),
        (.overdue(.response), .dispatched, .dispatched),
    ])
    func legalTransitionsReachTheirStatus(command: ItemCommand, from: ItemStatus, to: ItemStatus) throws {
        let transition = try Lifecycle.apply(command, to: item(in: from), category: noise, by: actor([.dispatcher]), at: t0)
        #expect(transition.item.status == to)
    }

    @Test func dispatchSetsBothDeadlinesFromTheCategory() throws {
        let t = try Lifecycle.apply(.dispatch(unit: stationB.id), to: item(in: .registered), category: noise, by: actor([.dispatcher]), at: t0)
        #expect(t.item.assignedUnitID == stationB.id)
        #expect(t.item.responseDue == t0.addingTimeInterval(2 * 3600))
        #expect(t.item.handlingDue == t0.addingTimeInterval(5 * 86400))
        #expect(t.item.round == 1)
        #expect(t.event.detail.unit == "S02")
    }

    @Test func dissatisfiedCallbackIssuesASupervisionOrderToTheUnit() throws {
        var replied = item(in: .replied)
        replied.callbackAttempts = 0
        let t = try Lifecycle.apply(
            .callback(result: .dissatisfied, comment: "噪音依旧"), to: replied, category: noise, by: actor([.callbackAgent]), at: t0)
        #expect(t.item.status == .supervised)
        #expect(t.supervision?.unitID == stationA.id)
        #expect(t.supervision?.cause == .dissatisfied)
        #expect(t.supervision?.due == t0.addingTimeInterval(5 * 86400))
        #expect(t.item.round == 2)
    }

    @Test func dissatisfiedWithoutAReasonIsRefused() {
        #expect(throws: LifecycleError.missingComment) {
            try Lifecycle.apply(.callback(result: .dissatisfied, comment: " "), to: item(in: .replied), category: noise, by: nil, at: t0)
        }
    }

    @Test func thirdUnreachableCallbackClosesTheItem() throws {
        var current = item(in: .replied)
        for attempt in 1...3 {
            current = try Lifecycle.apply(.callback(result: .unreachable, comment: nil), to: current, category: noise, by: nil, at: t0).item
            #expect(current.callbackAttempts == attempt)
            #expect(current.status == (attempt < 3 ? .replied : .closed))
        }
        #expect(current.callbackResult == .unreachable)
    }

    @Test func unsolvableReplyNeedsAPublicReason() {
        #expect(throws: LifecycleError.missingPublicReason(command: .reply)) {
            try Lifecycle.apply(
                .reply(outcome: .unsolvable, text: "需协调", publicReason: nil), to: item(in: .accepted), category: noise, by: nil, at: t0)
        }
    }

    @Test func replySetsTheCallbackDueTheNextDay() throws {
        // 2026-09-21 23:30 in Beijing is 15:30 UTC; the callback falls due at 2026-09-22 00:00 Beijing.
        let replied = Date(timeIntervalSince1970: 1_790_004_600)
        let t = try Lifecycle.apply(
            .reply(outcome: .resolved, text: "已处理", publicReason: nil), to: item(in: .accepted), category: noise, by: nil, at: replied)
        let due = try #require(t.item.callbackDue)
        #expect(due > replied && due.timeIntervalSince(replied) <= 86400)
        #expect(Int(due.timeIntervalSince1970 + 8 * 3600) % 86400 == 0)
    }

    @Test func mergingIntoItselfIsRefused() {
        #expect(throws: LifecycleError.mergeIntoSelf("KFQ-2026-000001")) {
            try Lifecycle.apply(.merge(into: "KFQ-2026-000001", reason: nil), to: item(in: .registered), category: noise, by: nil, at: t0)
        }
    }

    @Test func overdueIsDetectedPerDeadline() {
        var dispatched = item(in: .dispatched)
        dispatched.responseDue = t0
        dispatched.handlingDue = t0.addingTimeInterval(100)
        #expect(dispatched.overdue(at: t0) == nil)
        #expect(dispatched.overdue(at: t0.addingTimeInterval(1)) == .response)
        dispatched.status = .accepted
        #expect(dispatched.overdue(at: t0.addingTimeInterval(50)) == nil)
        #expect(dispatched.overdue(at: t0.addingTimeInterval(101)) == .handling)
    }
}

struct JurisdictionTests {
    @Test func stationOfficerSeesOnlyTheirStation() {
        let a = actor([.handler], unit: stationA)
        #expect(a.sees(placePath: "/KFQ/S01/O1/C1/", assignedPath: nil))
        #expect(!a.sees(placePath: "/KFQ/S02/O3/C5/", assignedPath: "/KFQ/S02/"))
        #expect(a.handles(assignedPath: "/KFQ/S01/"))
        #expect(!a.handles(assignedPath: "/KFQ/S02/"))
    }

    @Test func departmentStaffActForTheirBureau() {
        let dispatcher = actor([.dispatcher], unit: command)
        #expect(dispatcher.jurisdiction == bureau)
        #expect(dispatcher.sees(placePath: "/KFQ/S02/O3/C5/", assignedPath: nil))
        #expect(!dispatcher.handles(assignedPath: "/KFQ/S02/"))
    }

    @Test func dispatchCatalogueProposesTheMostSpecificRule() {
        let rules = [
            DispatchRule(category: "noise", place: nil, target: "ZHZX"),
            DispatchRule(category: "noise", place: "S01", target: "S01"),
            DispatchRule(category: "traffic", place: nil, target: "JJ"),
        ]
        #expect(DispatchRule.propose(category: "noise", placeLineage: ["KFQ", "S01", "O1", "C1"], rules: rules) == "S01")
        #expect(DispatchRule.propose(category: "noise", placeLineage: ["KFQ", "S02", "O3"], rules: rules) == "ZHZX")
        #expect(DispatchRule.propose(category: "traffic", placeLineage: ["KFQ", "S01"], rules: rules) == "JJ")
        #expect(DispatchRule.propose(category: "fraud", placeLineage: ["KFQ"], rules: rules) == nil)
    }
}

struct CallbackScoreTests {
    @Test func answeredCallbacksRecordScoresAndOutOfRangeScoresAreRefused() throws {
        #expect(throws: ValidationError.self) { try CallbackScores([.attitude: 6]) }
        #expect(throws: ValidationError.self) { try CallbackScores([.safety: 0]) }
        var item = Item(
            id: "i1", number: "KFQ-2026-000001", kind: .complaint, category: "noise", channel: .web, text: "吵", placeID: "S01-C1",
            createdAt: Date(timeIntervalSince1970: 0))
        item.status = .replied
        let scores = try CallbackScores([.attitude: 5, .safety: 4])
        let answered = try Lifecycle.apply(
            .callback(result: .satisfied, comment: nil, scores: scores), to: item, category: noise, by: nil, at: Date(timeIntervalSince1970: 100))
        #expect(answered.event.detail.score(.attitude) == 5 && answered.event.detail.score(.safety) == 4)
        let unanswered = try Lifecycle.apply(
            .callback(result: .unreachable, comment: nil, scores: scores), to: item, category: noise, by: nil, at: Date(timeIntervalSince1970: 100))
        #expect(unanswered.event.detail.score(.attitude) == nil)
    }
}
