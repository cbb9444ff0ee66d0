import Foundation
import MinyiCore
import MinyiStorage
import Synchronization

/// Builds a realistic bureau with about a year of items in every state, so that a newcomer sees a living system.
public struct Demo: Sendable {
    public struct Login: Sendable {
        public var username: String
        public var name: String
        public var unit: String
        public var roles: [Role]
    }

    public static let password = "minyi2026"

    let dependencies: AppDependencies

    public init(dependencies: AppDependencies) { self.dependencies = dependencies }

    /// A small deterministic random number generator (SplitMix64), so every demo is the same.
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let stations: [(id: String, name: String, offices: [(String, [(String, Int)])])] = [
        ("S01", "丹阳路派出所", [("幸福警务室", [("幸福社区", 8200), ("康乐社区", 6400)]), ("桃园警务室", [("桃园社区", 5100), ("李庄村", 2300)])]),
        ("S02", "岳程派出所", [("和平警务室", [("和平社区", 7300), ("长江社区", 9100)]), ("吕陵警务室", [("吕陵村", 3100), ("郭庄村", 2700)])]),
        ("S03", "长城路派出所", [("广场警务室", [("广场社区", 10400), ("南城社区", 6800)]), ("开元警务室", [("开元社区", 5600), ("马岭村", 1900)])]),
    ]

    static let departments: [(String, String)] = [
        ("ZHZX", "民意主导警务指挥中心"), ("HF", "民意访评中心"), ("DC", "督察大队"), ("FZ", "法制大队"), ("XF", "信访科"),
        ("ZA", "治安大队"), ("JJ", "交警大队"), ("HZ", "户政科"),
    ]

    static let categories: [MinyiCore.Category] = [
        .init(code: "theft", nameZh: "盗窃防范", nameEn: "Theft prevention", group: "治安防范", responseHours: 4, handlingDays: 7),
        .init(code: "patrol", nameZh: "巡逻防控", nameEn: "Patrols", group: "治安防范", responseHours: 8, handlingDays: 10),
        .init(code: "fraud", nameZh: "电信诈骗", nameEn: "Telecom fraud", group: "治安防范", responseHours: 2, handlingDays: 5),
        .init(code: "noise", nameZh: "噪音扰民", nameEn: "Noise", group: "治安防范", responseHours: 2, handlingDays: 3),
        .init(code: "dispute", nameZh: "矛盾纠纷", nameEn: "Disputes", group: "治安防范", responseHours: 4, handlingDays: 10),
        .init(code: "household", nameZh: "户籍办理", nameEn: "Household registration", group: "执法服务", responseHours: 8, handlingDays: 5),
        .init(code: "traffic", nameZh: "交通管理", nameEn: "Traffic", group: "执法服务", responseHours: 8, handlingDays: 7),
        .init(code: "case", nameZh: "案件办理", nameEn: "Case handling", group: "执法服务", responseHours: 4, handlingDays: 15),
        .init(code: "conduct", nameZh: "民警作风", nameEn: "Police conduct", group: "队伍建设", responseHours: 2, handlingDays: 5),
        .init(code: "litigation", nameZh: "涉法涉诉", nameEn: "Litigation-related", group: "涉法涉诉", responseHours: 8, handlingDays: 15),
    ]

    static let texts: [String: [String]] = [
        "theft": ["小区车棚最近连续丢了三辆电动车，希望加强巡查", "单元门禁坏了一个月，外来人员随意进出，担心入室盗窃", "菜市场早上人多，有人反映手机被偷，建议安装监控"],
        "patrol": ["晚上十点以后路口没有路灯，希望民警多来巡逻", "学校放学时段门口秩序混乱，建议增加护学岗", "河边步道夜里有人聚集喝酒，希望加强巡逻"],
        "fraud": ["家里老人接到自称公检法的电话要求转账，幸好没转，希望多做防诈宣传", "社区群里有人发刷单兼职广告，怀疑是诈骗", "收到冒充快递理赔的短信，想请民警来社区讲讲防骗"],
        "noise": ["楼下烧烤店每天营业到凌晨两点，噪音很大", "广场舞音响声音太大，晚上九点后还在跳", "隔壁装修周末早上七点就开始电钻施工"],
        "dispute": ["邻居在楼道堆放杂物，多次沟通无果，请求调解", "与物业因停车费产生纠纷，希望派出所帮忙协调", "宅基地边界和邻居有争议，双方情绪激动"],
        "household": ["孩子出生后办理落户需要哪些材料，跑了两次没办成", "身份证丢了补办要多久，能不能加急", "希望户籍窗口周六也能办理业务"],
        "traffic": ["学校门口早高峰乱停车严重，希望交警管理", "十字路口红绿灯时间太短，老人过马路来不及", "小区门口大货车经常违停挡住消防通道"],
        "case": ["上个月报警的电动车被盗案件，想了解进展", "被骗的钱报案后一直没有消息，希望给个答复", "报案回执丢了，怎么查询案件办理情况"],
        "conduct": ["窗口民警办事很耐心，专门来表扬", "打电话咨询时接警员态度不太好，希望改进", "社区民警上门走访很及时，感谢"],
        "litigation": ["对案件处理结果有异议，想了解复议的程序", "判决已生效但对方拒不执行，希望公安协助", "希望公开案件办理的法律依据"],
    ]

    static let stationRules: Set<String> = ["theft", "patrol", "fraud", "noise", "dispute", "case"]
    static let departmentRules: [String: String] = ["household": "HZ", "traffic": "JJ", "conduct": "DC", "litigation": "FZ"]

    /// Creates the organisation, officers, catalogue and `itemCount` items spread over the year before `now`.
    /// Returns the logins; does nothing (and returns nil) when the bureau already exists.
    public func seed(itemCount: Int = 3500, now: Date, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> [Login]? {
        let organisation = dependencies.organisation
        if try await organisation.unit("KFQ") != nil { return nil }

        // Organisation: the bureau, its stations, offices and communities, and departments.
        try await organisation.addUnit(id: "KFQ", name: "开发区分局", kind: .bureau, parent: nil, phone: "0530-5312110")
        var communities: [(id: PoliceUnit.ID, station: String)] = []
        for station in Self.stations {
            try await organisation.addUnit(
                id: .init(station.id), name: station.name, kind: .station, parent: "KFQ", phone: "0530-531\(station.id.suffix(2))110")
            for (o, office) in station.offices.enumerated() {
                let officeID = PoliceUnit.ID("\(station.id)-O\(o + 1)")
                try await organisation.addUnit(
                    id: officeID, name: office.0, kind: .office, parent: .init(station.id), phone: "0530-53\(o)\(station.id.suffix(2))88")
                for (c, community) in office.1.enumerated() {
                    let id = PoliceUnit.ID("\(officeID.rawValue)-C\(c + 1)")
                    try await organisation.addUnit(id: id, name: community.0, kind: .community, parent: officeID, population: community.1)
                    communities.append((id, station.id))
                }
            }
        }
        for (id, name) in Self.departments {
            try await organisation.addUnit(id: .init(id), name: name, kind: .department, parent: "KFQ")
        }
        for (position, category) in Self.categories.enumerated() {
            try await organisation.addCategory(category, position: position)
        }
        for category in Self.stationRules.sorted() {
            for station in Self.stations {
                try await organisation.addDispatchRule(DispatchRule(category: .init(category), place: .init(station.id), target: .init(station.id)))
            }
        }
        for (category, unit) in Self.departmentRules.sorted(by: { $0.key < $1.key }) {
            try await organisation.addDispatchRule(DispatchRule(category: .init(category), place: nil, target: .init(unit)))
        }

        // Officers: one hash for the shared demo password.
        let hash = try await dependencies.passwords.hash(Self.password)
        var logins: [Login] = []
        var actors: [String: Actor] = [:]
        func officer(_ username: String, _ name: String, _ unit: String, _ roles: [Role]) async throws {
            let officer = try await organisation.addOfficer(
                id: .init("demo-" + username), username: username, name: name, unit: .init(unit), roles: Set(roles), passwordHash: hash, at: now)
            actors[username] = try await organisation.actor(for: officer)
            logins.append(Login(username: username, name: name, unit: unit, roles: roles))
        }
        try await officer("admin", "系统管理员", "KFQ", [.admin])
        try await officer("leader", "李局长", "KFQ", [.leader])
        try await officer("auditor", "审计员", "KFQ", [.auditor])
        try await officer("dispatcher", "赵指挥", "ZHZX", [.dispatcher, .intakeClerk])
        try await officer("callback", "孙回访", "HF", [.callbackAgent])
        try await officer("inspector", "周督察", "DC", [.inspector, .handler])
        for (i, station) in Self.stations.enumerated() {
            let n = i + 1
            try await officer("lead\(n)", "\(["王", "刘", "陈"][i])所长", station.id, [.unitLead, .handler])
            try await officer("handler\(n)", "\(["张", "杨", "黄"][i])警官", station.id, [.handler])
            try await officer("clerk\(n)", "\(["吴", "郑", "冯"][i])接待", station.id, [.intakeClerk])
        }
        for (unit, name) in [("JJ", "交警何警官"), ("HZ", "户政林警官"), ("FZ", "法制罗警官"), ("ZA", "治安梁警官")] {
            try await officer("handler_\(unit.lowercased())", name, unit, [.handler])
        }

        // Items: a year of them, older ones further along, in parallel chains so that commits are shared.
        var random = Random(state: 2026)
        var plans: [Plan] = []
        for index in 0..<itemCount {
            let age = Double(random.next() % UInt64(365 * 86400))
            let community = communities[Int(random.next() % UInt64(communities.count))]
            let category = Self.categories[Int(random.next() % UInt64(Self.categories.count))]
            let texts = Self.texts[category.code.rawValue] ?? ["希望改进"]
            let text = texts[Int(random.next() % UInt64(texts.count))]
            plans.append(
                Plan(
                    index: index, created: now.addingTimeInterval(-age), place: community.id, station: community.station, category: category,
                    text: text, roll: Int(random.next() % 1000), roll2: Int(random.next() % 1000)))
        }
        plans.sort { $0.created < $1.created }

        // Echo cards: a batch per station, each card coming back at most once.
        let cards = SQLEchoCardStore(database: dependencies.database)
        var cardsLeft: [String: [String]] = [:]
        for station in Self.stations {
            let batch = try await cards.issue(count: 200, to: .init(station.id), by: actors["admin"], at: now.addingTimeInterval(-366 * 86400))
            cardsLeft[station.id] = try await cards.cards(batch: batch.id, within: actors["admin"]!.jurisdiction)?.map(\.serial) ?? []
        }
        for index in plans.indices where Self.channel(of: plans[index]) == .echoCard {
            if cardsLeft[plans[index].station]?.isEmpty == false { plans[index].echoCard = cardsLeft[plans[index].station]?.removeFirst() }
        }
        let finished = Atomic<Int>(0)
        let actorsByName = actors
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func addNext() {
                guard next < plans.count else { return }
                let plan = plans[next]
                next += 1
                group.addTask { try await self.play(plan, actors: actorsByName, now: now) }
            }
            for _ in 0..<64 { addNext() }
            while try await group.next() != nil {
                let done = finished.add(1, ordering: .relaxed).newValue
                if done % 250 == 0 || done == plans.count { progress?(done, plans.count) }
                addNext()
            }
        }
        _ = try await dependencies.items.scanDeadlines(at: now)
        try await seedBusinessRecords(count: max(60, itemCount / 6), actors: actorsByName, openItems: itemCount > 0, now: now)
        // The last four Mondays' bulletins, as they were issued.
        var week = Bulletin.previousWeek(before: now)
        var weeks: [(start: Date, end: Date)] = []
        for _ in 0..<4 {
            weeks.append(week)
            week = Bulletin.previousWeek(before: week.start)
        }
        for week in weeks.reversed() {
            try await dependencies.bulletins.issue(week: week, by: nil, at: week.end.addingTimeInterval(8 * 3600))
        }
        return logins
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
    private func play(_ plan: Plan, actors: [String: Actor], now: Date) async throws {
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

    /// Services of the last two months from other police systems, most already called back.
    private func seedBusinessRecords(count: Int, actors: [String: Actor], openItems: Bool, now: Date) async throws {
        var random = Random(state: 110)
        let kinds: [(type: String, units: [String])] = [
            ("case_report", ["S01", "S02", "S03"]), ("household", ["S01", "S02", "S03", "HZ"]), ("id_card", ["HZ"]), ("vehicle", ["JJ"]),
            ("traffic", ["JJ"]), ("exit_entry", ["HZ"]), ("permit", ["ZA"]),
        ]
        let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"]
        var records: [BusinessRecord] = []
        for index in 0..<count {
            let kind = kinds[Int(random.next() % UInt64(kinds.count))]
            let unit = kind.units[Int(random.next() % UInt64(kind.units.count))]
            let age = Double(random.next() % UInt64(60 * 86400))
            let roll = Int(random.next() % 100)
            records.append(
                BusinessRecord(
                    recordID: "\(kind.type.prefix(2).uppercased())-\(String(format: "%06d", 100_000 + index))", businessType: kind.type,
                    unitID: .init(unit),
                    officer: ["张警官", "杨警官", "黄警官", "林警官"][index % 4], contactName: surnames[index % surnames.count] + (roll % 2 == 0 ? "先生" : "女士"),
                    contactPhone: roll < 12 ? nil : "13\(roll % 10)\(String(format: "%08d", (index * 7_919 + 13) % 100_000_000))",
                    occurredAt: now.addingTimeInterval(-age), sensitive: roll >= 95))
        }
        let business = dependencies.business
        _ = try await business.importRecords(records, source: "demo", by: actors["admin"], at: now.addingTimeInterval(-61 * 86400))
        guard let agent = actors["callback"] else { return }
        let calls: [Int: BusinessCallback.Outcome] = [0: .noAnswer, 1: .wrongNumber, 2: .refused]
        for (index, record) in records.enumerated() where !record.sensitive && record.contactPhone != nil {
            let when = Deadlines.calendar.startOfDay(for: record.occurredAt).addingTimeInterval(86400 + 10 * 3600)
            guard when < now.addingTimeInterval(-86400) else { continue }  // the last day's are left for the agents
            let roll = index * 37 % 100
            if let outcome = calls[roll % 25] {
                _ = try await business.recordAttempt(
                    outcome, satisfaction: nil, scores: CallbackScores(), comment: nil, of: record.recordID, by: agent, at: when)
                if outcome != .noAnswer { continue }
            }
            // A dissatisfied answer opens an item: a demo asked for no items gets none.
            let satisfaction: CallbackResult = roll < 3 && openItems ? .dissatisfied : roll < 15 ? .basicallySatisfied : .satisfied
            let scores = try CallbackScores([.attitude: 3 + roll % 3, .satisfaction: satisfaction == .dissatisfied ? 2 : 4 + roll % 2, .safety: 4])
            _ = try await business.recordAttempt(
                .answered, satisfaction: satisfaction, scores: scores, comment: satisfaction == .dissatisfied ? "办事等了太久，希望改进" : nil,
                of: record.recordID,
                by: agent, at: when.addingTimeInterval(3 * 3600))
        }
    }

    private func roll2IsLate(_ plan: Plan) -> Bool { plan.roll2 % 13 == 0 }
    private func roll2IsUnreachable(_ plan: Plan) -> Bool { plan.roll2 % 31 == 0 }
}
