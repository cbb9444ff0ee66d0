import Foundation

/// A household (户) in a community: its address, its members and the tags that put it on the mandatory-visit lists.
public struct Household: Sendable, Hashable {
    public typealias ID = Identifier<Household>

    public var id: ID
    /// The community or village the household belongs to.
    public var unitID: PoliceUnit.ID
    public var address: String
    public var members: [HouseholdMember]
    public var tags: Set<HouseholdTag>
    /// The officer who looks after the household (民警包户), if one is assigned.
    public var officerID: Officer.ID?
    public var createdAt: Date
    /// The number of events so far (each edit is one).
    public var version: Int

    public init(
        id: ID, unitID: PoliceUnit.ID, address: String, members: [HouseholdMember], tags: Set<HouseholdTag>, officerID: Officer.ID?,
        createdAt: Date, version: Int = 1
    ) {
        self.id = id
        self.unitID = unitID
        self.address = address
        self.members = members
        self.tags = tags
        self.officerID = officerID
        self.createdAt = createdAt
        self.version = version
    }

    /// The longest address accepted, in characters.
    public static let maxAddressLength = 200
    /// The most members one household may list.
    public static let maxMembers = 30

    /// Checks an address as typed: plain text, not empty, at most 200 characters (nothing is cut).
    public static func checkedAddress(_ raw: String) throws(ValidationError) -> String {
        try ValidationError.checkPlain(raw, field: "address")
        let address = raw.trimmed
        guard !address.isEmpty else { throw .invalid(field: "address", message: "地址不能为空 (address required)") }
        guard address.count <= maxAddressLength else {
            throw .invalid(field: "address", message: "地址最多 \(maxAddressLength) 字，现有 \(address.count) 字 (address too long)")
        }
        return address
    }

    /// The same household with every member's personal data masked.
    public var masked: Household {
        var copy = self
        copy.members = members.map(\.masked)
        return copy
    }
}

/// A member of a household. Name, phone and ID number are personal data: shown masked, revealed only to roles that
/// may read contacts, every reveal audited.
public struct HouseholdMember: Sendable, Hashable, Codable {
    public var name: String
    public var phone: String?
    public var idNumber: String?
    /// How the member relates to the head of the household (户主, 配偶, 子女 …), as typed.
    public var relation: String?

    public init(name: String, phone: String? = nil, idNumber: String? = nil, relation: String? = nil) {
        self.name = name
        self.phone = phone
        self.idNumber = idNumber
        self.relation = relation
    }

    /// Checks and normalises a member as typed, naming the bad field under `field` (such as `members[1].phone`).
    public static func validated(name: String?, phone: String?, idNumber: String?, relation: String?, field: String) throws(ValidationError)
        -> HouseholdMember
    {
        let contact: Contact?
        do {
            contact = try Contact.validated(name: name, phone: phone, idNumber: idNumber)
        } catch {
            throw .invalid(field: field + "." + error.field.replacingOccurrences(of: "contact.", with: ""), message: error.message)
        }
        guard let contact, let name = contact.name else { throw .invalid(field: field + ".name", message: "姓名不能为空 (name required)") }
        try ValidationError.checkPlain(relation, field: field + ".relation")
        let relation = relation?.trimmed
        if let relation, relation.count > 20 { throw .invalid(field: field + ".relation", message: "关系最多 20 字 (at most 20 characters)") }
        return HouseholdMember(name: name, phone: contact.phone, idNumber: contact.idNumber, relation: relation?.isEmpty == true ? nil : relation)
    }

    public var masked: HouseholdMember {
        HouseholdMember(
            name: Contact.maskName(name), phone: phone.map(Contact.maskPhone), idNumber: idNumber.map(Contact.maskIDNumber), relation: relation)
    }
}

/// The groups of the five mandatory visits (五必访) and their kin: a tag puts a household on a rule's list.
public enum HouseholdTag: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case crimeVictim = "crime_victim"
    case hardship
    case loneElderly = "lone_elderly"
    case deputy
    case grassroots
    case keyPlace = "key_place"
    case disputeParty = "dispute_party"
    case majorChange = "major_change"

    public var nameZh: String {
        switch self {
        case .crimeVictim: "案件受害人"
        case .hardship: "困难家庭"
        case .loneElderly: "独居老人"
        case .deputy: "人大代表/政协委员"
        case .grassroots: "基层组织"
        case .keyPlace: "重点单位/场所"
        case .disputeParty: "矛盾纠纷当事人"
        case .majorChange: "家庭重大变故"
        }
    }

    public var nameEn: String {
        switch self {
        case .crimeVictim: "Crime victim"
        case .hardship: "Hardship household"
        case .loneElderly: "Lone elderly"
        case .deputy: "Deputy / CPPCC member"
        case .grassroots: "Grassroots organisation"
        case .keyPlace: "Key unit or place"
        case .disputeParty: "Party to a dispute"
        case .majorChange: "Major change in the family"
        }
    }

    /// The tag named in Chinese or by its code, as a register's CSV writes it.
    public init?(named text: String) {
        let text = text.trimmed
        if let tag = HouseholdTag(rawValue: text) {
            self = tag
            return
        }
        guard let tag = HouseholdTag.allCases.first(where: { $0.nameZh == text || $0.nameZh.split(separator: "/").contains(Substring(text)) })
        else { return nil }
        self = tag
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
