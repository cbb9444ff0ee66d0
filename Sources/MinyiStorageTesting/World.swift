import Foundation
import MinyiCore
import MinyiStorage
import Synchronization

/// A small bureau for tests: two stations with offices and communities, departments, categories, rules and one
/// officer per role.
///
///     KFQ 开发区分局
///     ├── S01 丹阳路派出所 ── S01-O1 警务室 ── S01-C1 幸福社区 (population 8,000)
///     ├── S02 岳程派出所   ── S02-O1 警务室 ── S02-C1 和平村 (population 3,000)
///     ├── ZHZX 指挥中心, DC 督察大队, HF 民意访评中心, JJ 交警大队
public struct World: Sendable {
    public let database: any DatabaseBackend
    public let organisation: SQLOrganisationStore
    public let items: SQLItemStore
    public let auth: SQLAuthStore
    public let audit: SQLAuditLog
    /// Every store, built as the app builds them (`Stores`).
    public let stores: Stores
    public let t0: Date

    public let clerkA: Actor
    public let dispatcher: Actor
    public let handlerA: Actor
    public let handlerB: Actor
    public let callbackAgent: Actor
    public let inspector: Actor
    public let leader: Actor
    public let auditor: Actor
    public let admin: Actor

    public static let t0 = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21 22:13 Beijing

    public static let noise = MinyiCore.Category(
        code: "noise", nameZh: "噪音扰民", nameEn: "Noise", group: "治安防范", responseHours: 2,
        handlingDays: 5)
    public static let traffic = MinyiCore.Category(
        code: "traffic", nameZh: "交通管理", nameEn: "Traffic", group: "执法服务", responseHours: 4, handlingDays: 7)
    public static let conduct = MinyiCore.Category(
        code: "conduct", nameZh: "民警作风", nameEn: "Police conduct", group: "队伍建设", responseHours: 2, handlingDays: 3)

    /// Builds the world on a migrated database; `passwordHash` is stored for every officer as given.
    public static func make(on database: any DatabaseBackend, passwordHash: String = "x") async throws -> World {
        let counter = IDSequence()
        let stores = Stores(database: database, pinKey: "test-secret", voterKey: "test-voter", newID: { counter.next() })
        let organisation = stores.organisation
        let items = stores.items
        try await organisation.addUnit(id: "KFQ", name: "开发区分局", kind: .bureau, parent: nil)
        try await organisation.addUnit(id: "S01", name: "丹阳路派出所", kind: .station, parent: "KFQ")
        try await organisation.addUnit(id: "S01-O1", name: "幸福警务室", kind: .office, parent: "S01")
        try await organisation.addUnit(id: "S01-C1", name: "幸福社区", kind: .community, parent: "S01-O1", population: 8000)
        try await organisation.addUnit(id: "S02", name: "岳程派出所", kind: .station, parent: "KFQ")
        try await organisation.addUnit(id: "S02-O1", name: "和平警务室", kind: .office, parent: "S02")
        try await organisation.addUnit(id: "S02-C1", name: "和平村", kind: .community, parent: "S02-O1", population: 3000)
        for (id, name) in [("ZHZX", "指挥中心"), ("DC", "督察大队"), ("HF", "民意访评中心"), ("JJ", "交警大队")] {
            try await organisation.addUnit(id: .init(id), name: name, kind: .department, parent: "KFQ")
        }
        for (position, category) in [noise, traffic, conduct].enumerated() {
            try await organisation.addCategory(category, position: position)
        }
        try await organisation.addDispatchRule(DispatchRule(category: "noise", place: "S01", target: "S01"))
        try await organisation.addDispatchRule(DispatchRule(category: "noise", place: "S02", target: "S02"))
        try await organisation.addDispatchRule(DispatchRule(category: "traffic", place: nil, target: "JJ"))
        try await organisation.addDispatchRule(DispatchRule(category: "conduct", place: nil, target: "DC"))

        func officer(_ username: String, _ unit: PoliceUnit.ID, _ roles: Set<Role>) async throws -> Actor {
            let officer = try await organisation.addOfficer(
                id: .init("o-" + username), username: username, name: username, unit: unit, roles: roles, passwordHash: passwordHash, at: t0)
            return try await organisation.actor(for: officer)
        }
        return World(
            database: database, organisation: organisation, items: items, auth: stores.auth, audit: stores.audit, stores: stores, t0: t0,
            clerkA: try await officer("clerk_a", "S01", [.intakeClerk]),
            dispatcher: try await officer("dispatcher", "ZHZX", [.dispatcher]),
            handlerA: try await officer("handler_a", "S01", [.handler]),
            handlerB: try await officer("handler_b", "S02", [.handler]),
            callbackAgent: try await officer("callback", "HF", [.callbackAgent]),
            inspector: try await officer("inspector", "DC", [.inspector]),
            leader: try await officer("leader", "KFQ", [.leader]),
            auditor: try await officer("auditor", "KFQ", [.auditor]),
            admin: try await officer("admin", "KFQ", [.admin]))
    }

    /// Takes an item of station S01 or S02 along the usual path until it reaches `status`, a minute a step from
    /// `start`: dispatched to its station, accepted and replied (resolved) by the station's handler, and called back
    /// (satisfied) to close it. Returns when the last step was taken.
    @discardableResult
    public func walk(_ number: String, to status: ItemStatus, from start: Date) async throws -> Date {
        let path: [ItemStatus] = [.registered, .dispatched, .accepted, .replied, .closed]
        guard let target = path.firstIndex(of: status) else { throw WorldError.notOnThePath(status) }
        guard let stored = try await items.item(number: number) else { throw WorldError.noSuchItem(number) }
        let s02 = stored.placePath.contains("/S02/")
        let handler = s02 ? handlerB : handlerA
        var at = start
        for next in path[1..<(target + 1)] where (path.firstIndex(of: stored.item.status) ?? 0) < (path.firstIndex(of: next) ?? 0) {
            at += 60
            switch next {
            case .dispatched: _ = try await items.apply(.dispatch(unit: s02 ? "S02" : "S01"), to: number, by: dispatcher, at: at)
            case .accepted: _ = try await items.apply(.accept, to: number, by: handler, at: at)
            case .replied: _ = try await items.apply(.reply(outcome: .resolved, text: "已处理", publicReason: nil), to: number, by: handler, at: at)
            default:
                guard let due = try await items.item(number: number)?.item.callbackDue else { throw WorldError.noSuchItem(number) }
                at = max(at, due)
                _ = try await items.apply(.callback(result: .satisfied, comment: nil), to: number, by: callbackAgent, at: at)
            }
        }
        return at
    }

    public enum WorldError: Error {
        case notOnThePath(ItemStatus)
        case noSuchItem(String)
    }

    /// A plain web submission about noise in 幸福社区 (station S01).
    public static func noiseSubmission(_ text: String = "楼下烧烤店每天营业到凌晨两点，噪音很大", contact: Contact? = nil) throws -> Submission {
        try Submission(kind: .complaint, category: "noise", channel: .web, text: text, placeID: "S01-C1", contact: contact)
    }
}

/// IDs from a sequence, so tests are repeatable.
public final class IDSequence: Sendable {
    private let counter = Atomic<Int>(0)
    public init() {}
    public func next() -> String { "id-\(counter.add(1, ordering: .relaxed).newValue)" }
}
