import Foundation

/// A unit of the police organisation: the bureau, a station, a community police office, a community, or a functional department.
public struct PoliceUnit: Sendable, Hashable, Codable {
    public typealias ID = Identifier<PoliceUnit>

    /// Where a unit sits in the organisation.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case bureau  // 分局
        case station  // 派出所
        case office  // 警务室
        case community  // 社区/村
        case department  // 职能部门: 指挥中心, 法制, 督察 …

        public var isTerritorial: Bool { self != .department }

        public var nameZh: String {
            switch self {
            case .bureau: "分局"
            case .station: "派出所"
            case .office: "警务室"
            case .community: "社区/村"
            case .department: "职能部门"
            }
        }
    }

    public var id: ID
    public var name: String
    public var kind: Kind
    public var parentID: ID?
    /// The IDs from the root down to this unit, joined as `/root/child/…/self/`; a subtree is every path with this prefix.
    public var path: String
    /// Residents living there, where known (communities); used for per-1,000 rates.
    public var population: Int?
    /// The public contact telephone, where the unit has one (police offices, stations).
    public var phone: String?
    public var address: String?

    public init(id: ID, name: String, kind: Kind, parent: PoliceUnit?, population: Int? = nil, phone: String? = nil, address: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.parentID = parent?.id
        self.path = (parent?.path ?? "/") + id.rawValue + "/"
        self.population = population
        self.phone = phone
        self.address = address
    }

    public init(id: ID, name: String, kind: Kind, parentID: ID?, path: String, population: Int?, phone: String? = nil, address: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.parentID = parentID
        self.path = path
        self.population = population
        self.phone = phone
        self.address = address
    }

    /// Whether `other` is this unit or lies below it.
    public func contains(_ other: PoliceUnit) -> Bool { other.path.hasPrefix(path) }

    /// Whether the unit with the given path is this unit or lies below it.
    public func contains(path other: String) -> Bool { other.hasPrefix(path) }

    /// The IDs on the path from the root to this unit, root first.
    public var lineage: [ID] {
        path.split(separator: "/").map { ID(String($0)) }
    }

    /// The first ID on the path (the bureau), without splitting the rest.
    public var rootID: ID? {
        path.split(separator: "/", maxSplits: 1).first.map { ID(String($0)) }
    }
}
