import Foundation

/// What an officer may do. A role applies to the officer's jurisdiction: their unit and everything below it, never beside it.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case intakeClerk = "intake_clerk"  // 接待民警
    case dispatcher  // 指挥中心
    case handler  // 承办民警
    case unitLead = "unit_lead"  // 单位负责人
    case callbackAgent = "callback_agent"  // 民意访评中心
    case inspector  // 督察
    case leader  // 局领导
    case admin  // 管理员
    case auditor  // 审计
    case communityOfficer = "community_officer"  // 社区民警

    public var nameZh: String {
        switch self {
        case .intakeClerk: "接待民警"
        case .dispatcher: "指挥调度"
        case .handler: "承办民警"
        case .unitLead: "单位负责人"
        case .callbackAgent: "回访员"
        case .inspector: "督察"
        case .leader: "局领导"
        case .admin: "管理员"
        case .auditor: "审计员"
        case .communityOfficer: "社区民警"
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Roles that may read a resident's unmasked name, phone and ID number (each read is audited).
    public var mayReadContact: Bool {
        switch self {
        case .handler, .unitLead, .callbackAgent, .inspector, .leader, .communityOfficer: true
        default: false
        }
    }
}

/// A member of staff who logs in.
public struct Officer: Sendable, Hashable, Codable {
    public typealias ID = Identifier<Officer>

    public var id: ID
    public var username: String
    public var name: String
    public var unitID: PoliceUnit.ID
    public var roles: Set<Role>

    public init(id: ID, username: String, name: String, unitID: PoliceUnit.ID, roles: Set<Role>) {
        self.id = id
        self.username = username
        self.name = name
        self.unitID = unitID
        self.roles = roles
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
    public func hasAny(_ roles: Set<Role>) -> Bool { !self.roles.isDisjoint(with: roles) }
}

/// Who is acting, with the jurisdiction they act in; built once per request from the officer and their unit.
public struct Actor: Sendable, Hashable {
    public var officer: Officer
    /// The officer's own unit.
    public var unit: PoliceUnit
    /// The subtree the officer acts for: their unit, or for a functional department the territorial unit it belongs to.
    public var jurisdiction: PoliceUnit

    public init(officer: Officer, unit: PoliceUnit, jurisdiction: PoliceUnit) {
        self.officer = officer
        self.unit = unit
        self.jurisdiction = jurisdiction
    }

    /// The jurisdiction for an officer of `unit`, given the unit's ancestors (root first).
    public static func jurisdiction(of unit: PoliceUnit, ancestors: [PoliceUnit]) -> PoliceUnit {
        if unit.kind.isTerritorial { return unit }
        return ancestors.last(where: { $0.kind.isTerritorial }) ?? unit
    }

    /// Whether an item placed at `placePath` and assigned to `assignedPath` is within this actor's jurisdiction.
    public func sees(placePath: String, assignedPath: String?) -> Bool {
        jurisdiction.contains(path: placePath) || assignedPath.map { jurisdiction.contains(path: $0) } == true
            || assignedPath.map { unit.contains(path: $0) } == true
    }

    /// Whether the officer acts for the whole bureau (their jurisdiction is the root of the tree): bureau-wide
    /// settings, such as a category's deadlines, need this as well as the role.
    public var isBureauWide: Bool { jurisdiction.parentID == nil }

    /// Whether an item assigned to the unit with `assignedPath` is this officer's unit's work (handlers and unit leads).
    public func handles(assignedPath: String?) -> Bool {
        guard let assignedPath else { return false }
        return unit.contains(path: assignedPath)
    }
}

extension Role {
    public var nameEn: String {
        switch self {
        case .intakeClerk: "Intake clerk"
        case .dispatcher: "Dispatcher"
        case .handler: "Handler"
        case .unitLead: "Unit lead"
        case .callbackAgent: "Callback agent"
        case .inspector: "Inspector"
        case .leader: "Leader"
        case .admin: "Administrator"
        case .auditor: "Auditor"
        case .communityOfficer: "Community officer"
        }
    }
}
