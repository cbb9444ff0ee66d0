import Foundation
import MinyiCore
import MinyiStorage
import Synchronization

/// Builds a realistic bureau with about a year of items in every state, so that a newcomer sees a living system:
/// the organisation, its catalogue and officers here, then each capability's data from its `Feature.seedDemo`.
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

    static let stationRules: Set<String> = ["theft", "patrol", "fraud", "noise", "dispute", "case"]
    static let departmentRules: [String: String] = ["household": "HZ", "traffic": "JJ", "conduct": "DC", "litigation": "FZ"]

    /// Creates the organisation, officers and catalogue, then every capability's data (`itemCount` items spread over
    /// the year before `now`, and what goes with them).
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
        try await officer("leader", "李明华", "KFQ", [.leader])
        try await officer("auditor", "钱蕾", "KFQ", [.auditor])
        try await officer("dispatcher", "赵志刚", "ZHZX", [.dispatcher, .intakeClerk])
        try await officer("callback", "孙丽娟", "HF", [.callbackAgent])
        try await officer("inspector", "周卫东", "DC", [.inspector, .handler])
        for (i, station) in Self.stations.enumerated() {
            let n = i + 1
            try await officer("lead\(n)", ["王建国", "刘海涛", "陈志强"][i], station.id, [.unitLead, .handler])
            try await officer("handler\(n)", ["张伟", "杨帆", "黄磊"][i], station.id, [.handler])
            try await officer("clerk\(n)", ["吴静", "郑晓燕", "冯敏"][i], station.id, [.intakeClerk])
        }
        for (unit, name) in [("JJ", "何军"), ("HZ", "林芳"), ("FZ", "罗斌"), ("ZA", "梁勇")] {
            try await officer("handler_\(unit.lowercased())", name, unit, [.handler])
        }

        // Then each capability's own demo data, in the order of `featureTypes` (items before the services called
        // back, both before the bulletins that count them).
        let bureau = DemoBureau(
            demo: self, now: now, itemCount: itemCount, actors: actors, communities: communities, progress: progress)
        for feature in featureTypes { try await feature.seedDemo(bureau) }
        // Every deadline missed in the demo's year on record from when it was missed, not from when the demo started.
        if let admin = actors["admin"] {
            let late = try await dependencies.items.queue(QueueFilter(overdueOnly: true, limit: 100_000), for: admin, at: now, countingUpTo: 100_000)
            for stored in late.items { try await recordLateness(stored.item.number, now: now) }
            // And the callbacks left undone past their day.
            let calls = try await dependencies.items.queue(QueueFilter(callbackDue: true, limit: 100_000), for: admin, at: now, countingUpTo: 100_000)
            for stored in calls.items { try await recordLateness(stored.item.number, now: now) }
        }
        logins += bureau.moreLogins.withLock { $0 }
        return logins
    }
}

/// What the demo's organisation part made, handed to each capability's demo in turn.
final class DemoBureau: Sendable {
    let demo: Demo
    let now: Date
    /// How many items the demo was asked for (0 for a bureau without items).
    let itemCount: Int
    /// The demo officers by username.
    let actors: [String: Actor]
    /// The communities, with the station each belongs to.
    let communities: [(id: PoliceUnit.ID, station: String)]
    let progress: (@Sendable (Int, Int) -> Void)?
    /// Logins a capability's demo adds (its own officers), listed with the others.
    let moreLogins: Mutex<[Demo.Login]>

    var dependencies: AppDependencies { demo.dependencies }

    init(
        demo: Demo, now: Date, itemCount: Int, actors: [String: Actor], communities: [(id: PoliceUnit.ID, station: String)],
        progress: (@Sendable (Int, Int) -> Void)?
    ) {
        self.demo = demo
        self.now = now
        self.itemCount = itemCount
        self.actors = actors
        self.communities = communities
        self.progress = progress
        self.moreLogins = Mutex([])
    }

    /// A demo officer, or an error naming the one the organisation part did not make.
    func actor(_ username: String) throws -> Actor {
        guard let actor = actors[username] else { throw DemoError.missingOfficer(username) }
        return actor
    }
}

enum DemoError: Error, CustomStringConvertible {
    case missingOfficer(String)
    var description: String {
        switch self {
        case .missingOfficer(let name): "the demo has no officer \(name)"
        }
    }
}
