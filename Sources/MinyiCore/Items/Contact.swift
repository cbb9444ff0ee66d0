import Foundation

/// A resident's optional contact details. Shown unmasked only to roles that need them; every unmasked read is audited.
public struct Contact: Sendable, Hashable, Codable {
    public var name: String?
    public var phone: String?
    public var idNumber: String?

    public init(name: String? = nil, phone: String? = nil, idNumber: String? = nil) {
        self.name = name
        self.phone = phone
        self.idNumber = idNumber
    }

    public var isEmpty: Bool { name == nil && phone == nil && idNumber == nil }

    /// The same contact with every field masked: 张*明, 138****5678, 110101********123X.
    public var masked: Contact {
        Contact(name: name.map(Self.maskName), phone: phone.map(Self.maskPhone), idNumber: idNumber.map(Self.maskIDNumber))
    }

    /// Checks and normalises the fields, naming the first bad one.
    public static func validated(name: String?, phone: String?, idNumber: String?) throws(ValidationError) -> Contact? {
        func clean(_ value: String?) -> String? {
            guard let value = value?.trimmed, !value.isEmpty else { return nil }
            return value
        }
        try ValidationError.checkPlain(name, field: "contact.name")
        let name = clean(name)
        if let name, name.count > 50 { throw .invalid(field: "contact.name", message: "姓名最多 50 个字 (at most 50 characters)") }
        var phone = clean(phone)?.filter { $0 != " " && $0 != "-" }
        if let raw = phone, raw.hasPrefix("+86") { phone = String(raw.dropFirst(3)) }
        if let phone, !isMobileNumber(phone) {
            throw .invalid(field: "contact.phone", message: "手机号码格式不正确：应为 11 位，以 1 开头 (not a Chinese mobile number)")
        }
        let idNumber = clean(idNumber)?.uppercased()
        if let idNumber, !isIDNumber(idNumber) {
            throw .invalid(field: "contact.id_number", message: "身份证号码不正确：应为 18 位且校验位正确 (invalid ID number or check digit)")
        }
        let contact = Contact(name: name, phone: phone, idNumber: idNumber)
        return contact.isEmpty ? nil : contact
    }

    /// A mainland mobile number: 11 digits, starting 13–19.
    public static func isMobileNumber(_ value: String) -> Bool {
        let digits = Array(value.utf8)
        guard digits.count == 11, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }), digits[0] == 49 else { return false }
        return digits[1] >= 51  // '3'…'9'
    }

    /// An 18-character resident identity number (GB 11643) with a valid birth date and check character.
    public static func isIDNumber(_ value: String) -> Bool {
        let chars = Array(value.uppercased())
        guard chars.count == 18, chars[17] == idCheckCharacter(String(chars[0..<17])) else { return false }
        guard let year = Int(String(chars[6..<10])), let month = Int(String(chars[10..<12])), let day = Int(String(chars[12..<14])) else {
            return false
        }
        return (1900...2100).contains(year) && (1...12).contains(month) && (1...31).contains(day)
    }

    /// The check character (GB 11643) of the first 17 digits of an identity number; nil when they are not 17 digits.
    public static func idCheckCharacter(_ first17: String) -> Character? {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let digits = first17.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard first17.count == 17, digits.count == 17 else { return nil }
        let sum = zip(digits, weights).map(*).reduce(0, +)
        let checks: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]
        return checks[sum % 11]
    }

    public static func maskPhone(_ phone: String) -> String {
        guard phone.count >= 7 else { return String(repeating: "*", count: phone.count) }
        return String(phone.prefix(3)) + "****" + String(phone.suffix(4))
    }

    public static func maskIDNumber(_ id: String) -> String {
        guard id.count > 10 else { return String(repeating: "*", count: id.count) }
        return String(id.prefix(6)) + String(repeating: "*", count: id.count - 10) + String(id.suffix(4))
    }

    public static func maskName(_ name: String) -> String {
        let chars = Array(name)
        switch chars.count {
        case 0: return ""
        case 1: return "*"
        case 2: return String(chars[0]) + "*"
        default: return String(chars[0]) + String(repeating: "*", count: chars.count - 2) + String(chars[chars.count - 1])
        }
    }
}
