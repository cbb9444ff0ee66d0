import Foundation
import MinyiCore
import MinyiStorage
import Synchronization

/// The demo's items: a year of them, each taken as far along its life as its age allows.
extension Demo {
    static let texts: [String: [String]] = [
        "theft": [
            "小区车棚最近连续丢了三辆电动车，希望加强巡查", "单元门禁坏了一个月，外来人员随意进出，担心入室盗窃",
            "菜市场早上人多，有人反映手机被偷，建议安装监控",
        ],
        "patrol": [
            "晚上十点以后路口没有路灯，希望民警多来巡逻", "学校放学时段门口秩序混乱，建议增加护学岗",
            "河边步道夜里有人聚集喝酒，希望加强巡逻",
        ],
        "fraud": [
            "家里老人接到自称公检法的电话要求转账，幸好没转，希望多做防诈宣传", "社区群里有人发刷单兼职广告，怀疑是诈骗",
            "收到冒充快递理赔的短信，想请民警来社区讲讲防骗",
        ],
        "noise": ["楼下烧烤店每天营业到凌晨两点，噪音很大", "广场舞音响声音太大，晚上九点后还在跳", "隔壁装修周末早上七点就开始电钻施工"],
        "dispute": [
            "邻居在楼道堆放杂物，多次沟通无果，请求调解", "与物业因停车费产生纠纷，希望派出所帮忙协调",
            "宅基地边界和邻居有争议，双方情绪激动",
        ],
        "household": ["孩子出生后办理落户需要哪些材料，跑了两次没办成", "身份证丢了补办要多久，能不能加急", "希望户籍窗口周六也能办理业务"],
        "traffic": ["学校门口早高峰乱停车严重，希望交警管理", "十字路口红绿灯时间太短，老人过马路来不及", "小区门口大货车经常违停挡住消防通道"],
        "case": ["上个月报警的电动车被盗案件，想了解进展", "被骗的钱报案后一直没有消息，希望给个答复", "报案回执丢了，怎么查询案件办理情况"],
        "conduct": ["窗口民警办事很耐心，专门来表扬", "打电话咨询时接警员态度不太好，希望改进", "社区民警上门走访很及时，感谢"],
        "litigation": ["对案件处理结果有异议，想了解复议的程序", "判决已生效但对方拒不执行，希望公安协助", "希望公开案件办理的法律依据"],
    ]

    /// Why a matter could not be solved, or where it was sent, as residents read it: one pair per category.
    static let reasons: [String: (unsolvable: String, referred: String)] = [
        "theft": ("加装监控和门禁需业委会表决出资，已督促物业两个月内完成", "车棚看管属物业职责，已转交物业公司并抄送街道"),
        "patrol": ("路灯改造需市政立项，已报街道，预计下季度完成", "路灯维修属城管照明所，已转交"),
        "fraud": ("被骗资金已转至境外账户，正在协调追查，暂无法退赔", "刷单广告发布在网络平台，已转网信部门处理"),
        "noise": ("工地已办夜间施工许可，只能督促降噪，无法责令停工", "商户经营噪音由城管和生态环境部门管理，已转交"),
        "dispute": ("宅基地权属须由自然资源部门确权，派出所无权裁定", "物业收费纠纷已转街道人民调解委员会"),
        "household": ("出生落户需先补齐出生医学证明，补齐后即可办理", "居住证业务由街道便民服务中心受理，已转交"),
        "traffic": ("信号灯配时调整需交通工程论证，预计下月完成", "道路施工围挡属住建部门管理，已转交"),
        "case": ("案件仍在侦查中，依法不能公开细节，有进展将及时告知", "该案已移送检察院审查起诉，请向检察院了解"),
        "conduct": ("所反映的问题正在核查，核查结束后告知结果", "所涉人员为物业保安，已转物业公司处理"),
        "litigation": ("判决执行属法院职责，公安机关只能依法协助", "复议申请已转法制大队并告知程序"),
    ]

    /// What the unit writes back, by outcome.
    static let replyTexts: [ReplyOutcome: String] = [
        .resolved: "民警已到现场核实并处理，问题已解决，已当面告知群众",
        .explained: "已向群众解释相关规定和办理流程，群众表示理解",
        .referred: "经核查不属公安职责，已转交主管部门，并告知群众对方的联系方式",
        .unsolvable: "经核查，暂时无法解决，原因已在公开说明中写明，将持续跟进",
    ]

    /// How likely a resident is to be dissatisfied at the first callback, per thousand: each station has its own level,
    /// and it moves with the months (worse around the new year, better in summer).
    static func dissatisfaction(station: String, at date: Date) -> Int {
        let base = ["S01": 40, "S02": 80, "S03": 140][station] ?? 60
        let month = Deadlines.calendar.component(.month, from: date)
        let season = [1: 50, 2: 60, 3: 20, 4: 0, 5: -10, 6: -20, 7: -20, 8: -10, 9: 0, 10: 10, 11: 30, 12: 40][month] ?? 0
        return max(10, base + season)
    }

    /// A year of items, older ones further along, in parallel chains so that commits are shared.
    func seedItems(_ bureau: DemoBureau) async throws {
        // A year of items, older ones further along, in parallel chains so that commits are shared.
        var random = Random(state: 2026)
        var plans: [Plan] = []
        for index in 0..<bureau.itemCount {
            let age = Double(random.next() % UInt64(365 * 86400))
            let community = bureau.communities[Int(random.next() % UInt64(bureau.communities.count))]
            let category = Self.categories[Int(random.next() % UInt64(Self.categories.count))]
            let texts = Self.texts[category.code.rawValue] ?? ["希望改进"]
            let text = texts[Int(random.next() % UInt64(texts.count))]
            plans.append(
                Plan(
                    index: index, created: bureau.now.addingTimeInterval(-age), place: community.id, station: community.station, category: category,
                    text: text, roll: Int(random.next() % 1000), roll2: Int(random.next() % 1000)))
        }
        plans.sort { $0.created < $1.created }

        // Echo cards: a batch per station, each card coming back at most once.
        let cards = dependencies.echoCards
        var cardsLeft: [String: [String]] = [:]
        for station in Self.stations {
            let batch = try await cards.issue(
                count: 200, to: .init(station.id), by: try bureau.actor("admin"),
                at: bureau.now.addingTimeInterval(-366 * 86400))
            cardsLeft[station.id] = try await cards.cards(batch: batch.id, within: try bureau.actor("admin").jurisdiction)?.map(\.serial) ?? []
        }
        for index in plans.indices where Self.channel(of: plans[index]) == .echoCard {
            if cardsLeft[plans[index].station]?.isEmpty == false { plans[index].echoCard = cardsLeft[plans[index].station]?.removeFirst() }
        }
        let finished = Atomic<Int>(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func addNext() {
                guard next < plans.count else { return }
                let plan = plans[next]
                next += 1
                group.addTask { try await self.play(plan, actors: bureau.actors, now: bureau.now) }
            }
            for _ in 0..<64 { addNext() }
            while try await group.next() != nil {
                let done = finished.add(1, ordering: .relaxed).newValue
                if done % 250 == 0 || done == plans.count { bureau.progress?(done, plans.count) }
                addNext()
            }
        }
    }

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
            name: plan.roll % 4 == 0
                ? nil : ["张", "王", "李", "赵", "刘", "陈", "杨"][plan.roll2 % 7] + ["秀英", "建华", "丽娟", "志明", "桂芳", "海涛"][plan.index % 6],
            phone: phone, idNumber: nil)
        var text = plan.text
        if plan.roll2 % 97 == 0 { text += "，刚才有人持刀在门口吵架" }
        let submission = try Submission(
            kind: kind, category: plan.category.code, channel: channel, text: text, placeID: plan.place, contact: contact,
            echoCard: channel == .echoCard ? plan.echoCard : nil)
        let number = try await items.submit(submission, idempotencyKey: nil, by: channel == .web ? nil : clerk, at: plan.created).item.number
        try await advance(number, plan, kind: kind, text: text, actors: actors, now: now)
        try await recordLateness(number, now: now)
    }

    /// A deadline the item is past now is recorded as missed when it was missed (its supervision order dated then), not
    /// all at once when the demo starts.
    func recordLateness(_ number: String, now: Date) async throws {
        let items = dependencies.items
        guard let item = try await items.item(number: number)?.item, item.lateFor == nil else { return }
        if let kind = item.overdue(at: now) {
            let due = kind == .response ? item.responseDue : item.handlingDue
            if let due, due.addingTimeInterval(600) < now { _ = try await items.apply(.overdue(kind), to: number, by: nil, at: due + 600) }
        } else if item.status == .replied, let due = item.callbackDue {
            // A day's grace, then an order to the callback centre, escalated each further day (three steps at most).
            for step in 1...3 {
                let at = due + SQLItemStore.callbackGrace * Double(step) + 600
                guard at < now else { break }
                _ = try await items.apply(.overdue(.callback), to: number, by: nil, at: at)
            }
        }
    }

    /// Takes the item along its life: the steps its plan and its age allow.
    func advance(_ number: String, _ plan: Plan, kind: ItemKind, text: String, actors: [String: Actor], now: Date) async throws {
        let items = dependencies.items
        let age = now.timeIntervalSince(plan.created)
        let station = plan.station.suffix(1)
        let clerk = actors["clerk\(station)"]
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
            guard
                try await run(
                    .answer(outcome: .explained, text: "已当场答复并解释相关规定", publicReason: nil), clerk ?? dispatcher,
                    after: 0.2)
            else {
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
        if late {
            // Accepted late: the missed deadline is on record from the hour after it passed.
            guard try await run(.overdue(.response), nil, after: Double(plan.category.responseHours) + 1) else { return }
        }
        guard try await run(.accept, handler, after: late ? 2 : 0.5) else { return }
        let outcome: ReplyOutcome = roll < 200 ? .unsolvable : roll < 230 ? .referred : roll % 2 == 0 ? .resolved : .explained
        let reasons = Self.reasons[plan.category.code.rawValue]
        let reason = outcome == .unsolvable ? reasons?.unsolvable : outcome == .referred ? reasons?.referred : nil
        let replyHours = Double(plan.roll2 % max(1, plan.category.handlingDays * 20))
        guard
            try await run(
                .reply(outcome: outcome, text: Self.replyTexts[outcome] ?? "已核查处理", publicReason: reason), handler,
                after: replyHours)
        else {
            return
        }
        if roll2IsUnreachable(plan) {
            for _ in 0..<3 { guard try await run(.callback(result: .unreachable, comment: nil), callback, after: 25) else { return } }
            return
        }
        // A third roll, apart from the others: whether the resident is satisfied.
        let mood = (plan.index * 7_907 + 13) % 1000
        var rounds = 0
        if mood < Self.dissatisfaction(station: plan.station, at: plan.created) {
            // Dissatisfied: supervised, answered again, and called again; a quarter stay dissatisfied a second time.
            let complaints = ["问题没有真正解决", "民警只打了个电话，没有来现场", "答复和实际情况不符", "拖得太久了"]
            guard try await run(.callback(result: .dissatisfied, comment: complaints[mood % complaints.count]), callback, after: 26) else { return }
            rounds = mood % 4 == 0 ? 2 : 1
            for round in 1...rounds {
                let again = round == 1 ? "督办后民警上门复查，已协调处理" : "再次督办，所领导带队现场处理"
                guard try await run(.reply(outcome: .resolved, text: again, publicReason: nil), handler, after: 30) else { return }
                if round < rounds {
                    guard try await run(.callback(result: .dissatisfied, comment: "还是没解决"), callback, after: 26) else { return }
                }
            }
            // Some remain dissatisfied in the end: the item stays under supervision.
            if mood % 8 == 0 {
                // Still dissatisfied: after the inspectorate checks the work, a leader closes it with a written reason.
                guard try await run(.callback(result: .dissatisfied, comment: "对处理结果仍不满意"), callback, after: 26) else { return }
                let reason = "经督察核实，民警已依法依规处理，群众诉求超出公安职责范围，经局领导审批销号"
                _ = try await run(.close(reason: reason), actors["leader"], after: 5 * 24)
                return
            }
        }
        _ = try await run(.callback(result: mood % 6 == 0 || rounds > 0 ? .basicallySatisfied : .satisfied, comment: nil), callback, after: 26)
    }

    func roll2IsLate(_ plan: Plan) -> Bool { plan.roll2 % 13 == 0 }
    func roll2IsUnreachable(_ plan: Plan) -> Bool { plan.roll2 % 31 == 0 }
}
