import Foundation

/// The facts of one step of an item's history (unit dispatched to, deadlines, outcome, callback result …), typed.
///
/// Stored as a JSON object of strings with sorted keys; each key is named here and nowhere else, so the lifecycle
/// that writes a fact and the pages that show it cannot disagree on its spelling.
public struct EventDetail: Sendable, Hashable, Codable, ExpressibleByDictionaryLiteral {
    /// The stored form: key → text.
    public private(set) var fields: [String: String]

    public init(fields: [String: String] = [:]) { self.fields = fields }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    private func date(_ key: String) -> Date? { fields[key].flatMap(Int.init).map { Date(timeIntervalSince1970: TimeInterval($0)) } }
    private mutating func setDate(_ key: String, _ date: Date?) { fields[key] = date.map { String(Int($0.timeIntervalSince1970)) } }

    /// How the item came in (registration).
    public var channel: Channel? {
        get { fields["channel"].flatMap(Channel.init(rawValue:)) }
        set { fields["channel"] = newValue?.rawValue }
    }
    /// Whether the text read like an emergency (registration).
    public var emergency: Bool {
        get { fields["emergency"] == "true" }
        set { fields["emergency"] = newValue ? "true" : nil }
    }
    /// The unit dispatched to, or under supervision.
    public var unit: PoliceUnit.ID? {
        get { fields["unit"].map { PoliceUnit.ID($0) } }
        set { fields["unit"] = newValue?.rawValue }
    }
    /// The unit that returned the item.
    public var fromUnit: PoliceUnit.ID? {
        get { fields["from_unit"].map { PoliceUnit.ID($0) } }
        set { fields["from_unit"] = newValue?.rawValue }
    }
    public var responseDue: Date? {
        get { date("response_due") }
        set { setDate("response_due", newValue) }
    }
    public var handlingDue: Date? {
        get { date("handling_due") }
        set { setDate("handling_due", newValue) }
    }
    /// Why a supervision order was issued.
    public var cause: SupervisionOrder.Cause? {
        get { fields["cause"].flatMap(SupervisionOrder.Cause.init(rawValue:)) }
        set { fields["cause"] = newValue?.rawValue }
    }
    /// A reply's outcome and text.
    public var outcome: ReplyOutcome? {
        get { fields["outcome"].flatMap(ReplyOutcome.init(rawValue:)) }
        set { fields["outcome"] = newValue?.rawValue }
    }
    public var text: String? {
        get { fields["text"] }
        set { fields["text"] = newValue }
    }
    /// The item merged into.
    public var into: String? {
        get { fields["into"] }
        set { fields["into"] = newValue }
    }
    /// A callback's result, its attempt number and the resident's scores.
    public var result: CallbackResult? {
        get { fields["result"].flatMap(CallbackResult.init(rawValue:)) }
        set { fields["result"] = newValue?.rawValue }
    }
    public var attempt: Int? {
        get { fields["attempt"].flatMap(Int.init) }
        set { fields["attempt"] = newValue.map(String.init) }
    }
    public func score(_ indicator: CallbackScores.Indicator) -> Int? { fields["score." + indicator.rawValue].flatMap(Int.init) }
    public mutating func setScore(_ indicator: CallbackScores.Indicator, _ value: Int?) {
        fields["score." + indicator.rawValue] = value.map(String.init)
    }
    /// A change of category.
    public var fromCategory: Category.Code? {
        get { fields["from"].map { Category.Code($0) } }
        set { fields["from"] = newValue?.rawValue }
    }
    public var toCategory: Category.Code? {
        get { fields["to"].map { Category.Code($0) } }
        set { fields["to"] = newValue?.rawValue }
    }
    /// The deadline missed.
    public var deadline: DeadlineKind? {
        get { fields["deadline"].flatMap(DeadlineKind.init(rawValue:)) }
        set { fields["deadline"] = newValue?.rawValue }
    }
    /// Closed by a leader's signature rather than a callback.
    public var signedOff: Bool {
        get { fields["signed_off"] == "true" }
        set { fields["signed_off"] = newValue ? "true" : nil }
    }
    /// Who an escalated supervision order now answers to.
    public enum Escalation: String, Sendable, Hashable {
        case unitLead = "unit_lead"
        case leader
    }
    public var escalatedTo: Escalation? {
        get { fields["escalated_to"].flatMap(Escalation.init(rawValue:)) }
        set { fields["escalated_to"] = newValue?.rawValue }
    }

    public init(from decoder: any Decoder) throws {
        fields = try decoder.singleValueContainer().decode([String: String].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fields)
    }

    /// The stored form: a JSON object, keys sorted.
    public var json: String {
        "{" + fields.sorted { $0.key < $1.key }.map { JSONText.quote($0.key) + ":" + JSONText.quote($0.value) }.joined(separator: ",") + "}"
    }

    /// Reads the stored form; anything but a JSON object of strings is refused.
    public init(json: String) throws(CorruptDetail) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)), let fields = object as? [String: String] else {
            throw CorruptDetail(text: json)
        }
        self.fields = fields
    }

    /// A stored detail that is not a JSON object of strings.
    public struct CorruptDetail: Error, Hashable, CustomStringConvertible {
        public var text: String
        public var description: String { "event detail is not a JSON object of strings: \(text.prefix(80))" }
    }
}
