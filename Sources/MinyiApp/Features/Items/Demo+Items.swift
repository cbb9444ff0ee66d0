import Foundation
import MinyiCore
import MinyiStorage
import Synchronization

/// The demo's items: a year of them, each taken as far along its life as its age allows.
extension Demo {
    struct Plan: Sendable {
        var index: Int
        var created: Date
        var place: PoliceUnit.ID
        var station: String
        var category: MinyiCore.Category
        var text: String
        var roll: Int
        var roll2: Int
        var echoCard: String?
    }

    static func channel(of plan: Plan) -> Channel {
        let channels: [Channel] = [.web, .web, .web, .walkIn, .phone, .phone, .letter, .echoCard, .meeting, .homeVisit, .groupChat]
        return channels[plan.roll % channels.count]
    }

    /// Takes one item as far along its life as its age allows.
    func play(_ plan: Plan, actors: [String: Actor], now: Date) async throws {
        let items = dependencies.items
        let age = now.timeIntervalSince(plan.created)
        let channel = plan.echoCard == nil && Self.channel(of: plan) == .echoCard ? .letter : Self.channel(of: plan)
        let station = plan.station.suffix(1)
        let clerk = actors["clerk\(station)"]
        let kind: ItemKind = plan.category.code == "conduct" && plan.roll % 3 == 0 ? .praise : [.opinion, .help, .complaint, .tipOff][plan.roll2 % 4]
        let phone = plan.roll % 3 == 0 ? nil : "13\(plan.roll % 10)\(String(format: "%08d", plan.index * 7919 % 100_000_000))"
        let contact = try Contact.validated(
            name: plan.roll % 4 == 0 ? nil : ["张", "王", "李", "赵", "刘"][plan.roll2 % 5] + "女士", phone: phone, idNumber: nil)
        var text = plan.text
        if plan.roll2 % 97 == 0 { text += "，刚才有人持刀在门口吵架" }
        let submission = try Submission(
            kind: kind, category: plan.category.code, channel: channel, text: text, placeID: plan.place, contact: contact,
            echoCard: channel == .echoCard ? plan.echoCard : nil)
        let number = try await items.submit(submission, idempotencyKey: nil, by: channel == .web ? nil : clerk, at: plan.created).item.number

        var t = plan.created
        // Some items of the last ten days stop part-way, so every queue has work in it (and some of it overdue).
        var stepsLeft = age < 10 * 86400 && plan.roll2 % 2 == 0 ? plan.roll2 % 5 : Int.max
        func step(_ hours: Double) -> Date? {
            t = t.addingTimeInterval(hours * 3600)
            guard t < now, stepsLeft > 0 else { return nil }
            stepsLeft -= 1
            return t
        }
        func run(_ command: ItemCommand, _ actor: Actor?, after hours: Double) async throws -> Bool {
            guard let at = step(hours) else { return false }
            _ = try await items.apply(command, to: number, by: actor, at: at)
            return true
        }
        let dispatcher = actors["dispatcher"]
        let callback = actors["callback"]
        let roll = plan.roll

        if roll < 25 {
            _ = try await run(.reject(reason: "广告或无实际内容，不予受理"), dispatcher, after: 1)
            return
        }
        if roll < 50, let at = step(1) {
            // The same resident raised it twice: the second is merged into the first, which goes on.
            let duplicate = try Submission(kind: kind, category: plan.category.code, channel: .web, text: text + "（再次反映）", placeID: plan.place)
            let copy = try await items.submit(duplicate, idempotencyKey: nil, by: nil, at: at).item.number
            if let mergeAt = step(0.2) {
                _ = try await items.apply(.merge(into: number, reason: "同一诉求重复提交"), to: copy, by: dispatcher, at: mergeAt)
            }
        }
        if roll < 150 {
            guard try await run(.answer(outcome: .explained, text: "已当场答复并解释相关规定", publicReason: nil), clerk ?? dispatcher, after: 0.2) else {
                return
            }
            _ = try await run(.callback(result: roll < 140 ? .satisfied : .basicallySatisfied, comment: nil), callback, after: 26)
            return
        }
        let target =
            Self.stationRules.contains(plan.category.code.rawValue)
            ? plan.station : (Self.departmentRules[plan.category.code.rawValue] ?? plan.station)
        let handler = actors[Self.stationRules.contains(plan.category.code.rawValue) ? "handler\(station)" : "handler_\(target.lowercased())"]
        guard try await run(.dispatch(unit: .init(target)), dispatcher, after: 0.5) else { return }
        if roll < 170 {
            guard try await run(.returnToCommand(reason: "不属于本单位管辖"), handler, after: 1) else { return }
            guard try await run(.dispatch(unit: .init(target)), dispatcher, after: 0.5) else { return }
        }
        let late = roll2IsLate(plan)
        guard try await run(.accept, handler, after: late ? Double(plan.category.responseHours) + 3 : 0.5) else { return }
        let outcome: ReplyOutcome = roll < 200 ? .unsolvable : roll < 230 ? .referred : roll % 2 == 0 ? .resolved : .explained
        let reason = outcome == .unsolvable ? "涉及道路改造，需与住建部门协调，预计下季度完成" : outcome == .referred ? "已转交城管部门处理" : nil
        let replyHours = Double(plan.roll2 % max(1, plan.category.handlingDays * 20))
        guard try await run(.reply(outcome: outcome, text: "经核查已处理：\(outcome.nameZh)", publicReason: reason), handler, after: replyHours) else {
            return
        }
        if roll2IsUnreachable(plan) {
            for _ in 0..<3 { guard try await run(.callback(result: .unreachable, comment: nil), callback, after: 25) else { return } }
            return
        }
        if plan.roll2 % 25 == 0 {
            guard try await run(.callback(result: .dissatisfied, comment: "问题没有真正解决"), callback, after: 26) else { return }
            guard try await run(.reply(outcome: .resolved, text: "督办后再次处理，已解决", publicReason: nil), handler, after: 30) else { return }
        }
        _ = try await run(.callback(result: plan.roll2 % 9 == 0 ? .basicallySatisfied : .satisfied, comment: nil), callback, after: 26)
    }

    func roll2IsLate(_ plan: Plan) -> Bool { plan.roll2 % 13 == 0 }
    func roll2IsUnreachable(_ plan: Plan) -> Bool { plan.roll2 % 31 == 0 }
}
