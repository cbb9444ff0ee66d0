import Crypto
import Foundation
import MinyiCore
import SQLKit

/// An item with the tree paths of its place and its assigned unit, which decide who may see it.
public struct StoredItem: Sendable, Hashable {
    public var item: Item
    public var placePath: String
    public var assignedPath: String?
}

/// The answer to a submission.
public struct Submitted: Sendable, Hashable {
    public var item: Item
    public var pin: String
    /// False when an idempotent retry returned an earlier submission.
    public var created: Bool

    public init(item: Item, pin: String, created: Bool) {
        self.item = item
        self.pin = pin
        self.created = created
    }
}

/// What a work queue or a ledger lists.
public struct QueueFilter: Sendable, Hashable {
    public var status: ItemStatus?
    /// Any of these statuses (in addition to `status`, when both are given).
    public var statuses: [ItemStatus]
    /// Items assigned to this unit or below it.
    public var unit: PoliceUnit.ID?
    public var category: MinyiCore.Category.Code?
    public var channel: Channel?
    /// Registered at or after.
    public var from: Date?
    /// Registered before.
    public var to: Date?
    public var overdueOnly: Bool
    /// Items with a deadline (accepting, replying, the callback) within this many seconds, and not late already.
    public var dueWithin: TimeInterval?
    public var emergencyOnly: Bool
    public var callbackDue: Bool
    /// Soonest deadline of the item's present step first (late ones first of all), instead of newest first.
    public var byDeadline: Bool = false
    public var limit: Int
    public var offset: Int

    public init(
        status: ItemStatus? = nil, statuses: [ItemStatus] = [], unit: PoliceUnit.ID? = nil, category: MinyiCore.Category.Code? = nil,
        channel: Channel? = nil, from: Date? = nil, to: Date? = nil, overdueOnly: Bool = false, emergencyOnly: Bool = false,
        callbackDue: Bool = false, dueWithin: TimeInterval? = nil, limit: Int = 50, offset: Int = 0
    ) {
        self.status = status
        self.statuses = statuses
        self.unit = unit
        self.category = category
        self.channel = channel
        self.from = from
        self.to = to
        self.overdueOnly = overdueOnly
        self.emergencyOnly = emergencyOnly
        self.callbackDue = callbackDue
        self.dueWithin = dueWithin
        self.limit = limit
        self.offset = offset
    }
}

/// A server secret (the PIN key, the voter key) already mixed into an HMAC that each use copies (the copy shares the
/// hash state until it is written to), so a PIN or a voter's key costs the hashing of its input only.
struct PINKey: @unchecked Sendable {
    /// Never changed after `init`; copies are values.
    let keyed: HMAC<SHA256>

    init(secret: String) { keyed = HMAC<SHA256>(key: SymmetricKey(data: Array(secret.utf8))) }
}

/// Items, their events and supervision orders, on SQL. Every change is one transaction holding the new state and its event.
public struct SQLItemStore: Sendable {
    let database: any DatabaseBackend
    let pins: PINKey
    let newID: @Sendable () -> String
    let catalogue: CatalogueCache

    public init(database: any DatabaseBackend, pinSecret: String, newID: @escaping @Sendable () -> String = { RowID.make() }) {
        self.database = database
        self.catalogue = CatalogueCache(database: database)
        self.pins = PINKey(secret: pinSecret)
        self.newID = newID
    }

    /// The PIN of an item: derived from its number with the bureau's secret, so a retried submission gets the same PIN
    /// without the PIN being stored anywhere.
    public func pin(for number: String) -> String {
        var hmac = pins.keyed
        hmac.update(data: Array(number.utf8))
        let mac = hmac.finalize()
        let value = mac.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) } % 1_000_000
        let digits = String(value)
        return String(repeating: "0", count: 6 - digits.count) + digits
    }
}

func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
}

extension JSONEncoder {
    static let sorted: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
