import Foundation

/// A station's household register as CSV (UTF-8, one row per person): the household's key in the register, its
/// community, address and groups, and the person. Rows of one household share its key.
public enum HouseholdCSV {
    public enum Column: String, CSVColumn {
        case registerKey = "register_key"
        case unit
        case address
        case name
        case phone
        case idNumber = "id_number"
        case relation
        case tags

        /// The header names a register may use for the column.
        public var names: [String] {
            switch self {
            case .registerKey: ["register_key", "户号", "户籍编号"]
            case .unit: ["unit", "社区编号", "社区"]
            case .address: ["address", "地址", "住址"]
            case .name: ["name", "姓名"]
            case .phone: ["phone", "电话", "联系电话"]
            case .idNumber: ["id_number", "身份证号", "公民身份号码"]
            case .relation: ["relation", "与户主关系", "关系"]
            case .tags: ["tags", "走访类别", "类别"]
            }
        }

        public var isRequired: Bool { [.registerKey, .unit, .address, .name].contains(self) }
    }

    public typealias Header = CSVHeader<Column>

    /// One checked row: the household it belongs to and the person.
    public struct Row: Sendable, Hashable {
        public var registerKey: String
        public var unit: PoliceUnit.ID
        public var address: String
        public var tags: Set<HouseholdTag>
        public var member: HouseholdMember
    }

    /// Checks one row; the error names the column and says why.
    public static func row(_ cells: [String], header: Header) throws(ValidationError) -> Row {
        func cell(_ column: Column) -> String? {
            guard let index = header.positions[column], index < cells.count else { return nil }
            let value = cells[index].trimmed
            return value.isEmpty ? nil : value
        }
        guard let key = cell(.registerKey) else { throw .invalid(field: "register_key", message: "缺少户号 (register key required)") }
        try ValidationError.checkPlain(key, field: "register_key")
        guard key.count <= 40 else { throw .invalid(field: "register_key", message: "户号最多 40 位 (at most 40 characters)") }
        guard let unit = cell(.unit) else { throw .invalid(field: "unit", message: "缺少社区编号 (community required)") }
        let address = try Household.checkedAddress(cell(.address) ?? "")
        let member = try HouseholdMember.validated(
            name: cell(.name), phone: cell(.phone), idNumber: cell(.idNumber), relation: cell(.relation), field: "member")
        var tags: Set<HouseholdTag> = []
        for name in (cell(.tags) ?? "").split(whereSeparator: { "、;；|,，".contains($0) }) where !name.trimmed.isEmpty {
            guard let tag = HouseholdTag(named: String(name)) else {
                throw .invalid(
                    field: "tags",
                    message: "未知的走访类别“\(name)”，可选：\(HouseholdTag.allCases.map(\.nameZh).joined(separator: "、")) (unknown group)")
            }
            tags.insert(tag)
        }
        return Row(registerKey: key, unit: .init(unit), address: address, tags: tags, member: member)
    }
}
