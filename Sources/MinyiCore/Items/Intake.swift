import Foundation

/// A submission, checked: what becomes a new item.
public struct Submission: Sendable, Hashable {
    public var kind: ItemKind
    public var category: Category.Code
    public var channel: Channel
    public var text: String
    public var placeID: PoliceUnit.ID
    public var address: String?
    public var latitude: Double?
    public var longitude: Double?
    public var contact: Contact?
    public var echoCard: String?

    public var emergency: Bool { Emergency.looksLikeEmergency(text) }

    /// The longest text accepted, in characters.
    public static let maxTextLength = 5000

    public init(
        kind: ItemKind, category: Category.Code, channel: Channel, text: String, placeID: PoliceUnit.ID, address: String? = nil,
        latitude: Double? = nil, longitude: Double? = nil, contact: Contact? = nil, echoCard: String? = nil
    ) throws(ValidationError) {
        let text = try Self.checkText(text)
        try Self.checkAddress(address)
        try ValidationError.checkPlain(echoCard, field: "echo_card")
        if let latitude, !(-90...90).contains(latitude) { throw .invalid(field: "latitude", message: "纬度应在 -90 到 90 之间") }
        if let longitude, !(-180...180).contains(longitude) { throw .invalid(field: "longitude", message: "经度应在 -180 到 180 之间") }
        if channel == .echoCard, echoCard?.isEmpty ?? true {
            throw .invalid(field: "echo_card", message: "回音卡渠道需要填写卡号 (echo card number required)")
        }
        self.init(
            checked: (kind, category, channel, text, placeID), address: address?.isEmpty == true ? nil : address, latitude: latitude,
            longitude: longitude, contact: contact, echoCard: echoCard)
    }

    /// The text as it will be stored (trimmed), or why it cannot be.
    public static func checkText(_ text: String) throws(ValidationError) -> String {
        try ValidationError.checkPlain(text, field: "text")
        let text = text.trimmed
        guard !text.isEmpty else { throw .invalid(field: "text", message: "请写下您要反映的内容 (text must not be empty)") }
        // No more bytes than the limit means no more characters; count characters only for longer texts.
        guard text.utf8.count <= Self.maxTextLength || text.count <= Self.maxTextLength else {
            throw .invalid(
                field: "text",
                message: "内容最多 \(Self.maxTextLength) 字，现有 \(text.count) 字 (text too long: \(text.count) of \(Self.maxTextLength))")
        }
        return text
    }

    public static func checkAddress(_ address: String?) throws(ValidationError) {
        try ValidationError.checkPlain(address, field: "address")
        if let address, address.utf8.count > 200, address.count > 200 {
            throw .invalid(field: "address", message: "地址最多 200 字 (address too long)")
        }
    }

    /// What a stored item was submitted with, checked when it came in.
    init(
        checked base: (ItemKind, Category.Code, Channel, String, PoliceUnit.ID), address: String?, latitude: Double?, longitude: Double?,
        contact: Contact?, echoCard: String?
    ) {
        (kind, category, channel, text, placeID) = base
        self.address = address
        self.latitude = latitude
        self.longitude = longitude
        self.contact = contact
        self.echoCard = echoCard
    }
}

/// Tracking numbers: bureau code, year, six-digit serial, as `KFQ-2026-004213` — easy to read aloud.
public enum TrackingNumber {
    public static func make(bureau: String, year: Int, serial: Int) -> String {
        let digits = String(serial)
        return prefix(bureau: bureau, year: year) + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// What every number of the bureau and year starts with.
    public static func prefix(bureau: String, year: Int) -> String { "\(bureau)-\(year)-" }

    /// Accepts the number as residents type it: any case, spaces, and full-width dashes.
    public static func normalise(_ raw: String) -> String {
        raw.uppercased()
            .replacingOccurrences(of: " ", with: "")
            .replacingOccurrences(of: "－", with: "-")
            .replacingOccurrences(of: "—", with: "-")
    }

    /// Whether a string has the shape of a tracking number.
    public static func isWellFormed(_ raw: String) -> Bool {
        let parts = raw.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, (1...8).contains(parts[0].count), parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            parts[1].count == 4, parts[1].allSatisfy(\.isASCII), Int(parts[1]) != nil,
            parts[2].count >= 6, parts[2].allSatisfy(\.isASCII), Int(parts[2]) != nil
        else { return false }
        return true
    }
}
