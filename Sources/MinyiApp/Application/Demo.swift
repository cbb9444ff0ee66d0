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
}
