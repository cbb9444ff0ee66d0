import Crypto
import Foundation
import MinyiCore
import SQLKit

/// Personal data for roles that need it (audited), and the residents' look-up by number and PIN.
extension SQLItemStore {
    /// The resident's unmasked contact, for a role that needs it; the read is written to the audit log in the same transaction.
    public func revealContact(of number: String, by actor: Actor, purpose: String, at now: Date) async throws -> Contact? {
        let newID = self.newID
        return try await database.write { db in
            guard let row = try await db.raw("SELECT * FROM items WHERE number = \(bind: number)").first() else {
                throw StorageError.notFound(what: "事项", id: number)
            }
            let stored = try Self.decodeStored(row)
            guard actor.officer.roles.contains(where: \.mayReadContact) else {
                throw AccessError.missingRole(needed: Set(Role.allCases.filter(\.mayReadContact)))
            }
            guard actor.sees(placePath: stored.placePath, assignedPath: stored.assignedPath) else {
                throw AccessError.outsideJurisdiction("事项 \(number)")
            }
            try await SQLAuditLog.record(
                on: db, id: newID(), at: now, actor: actor.officer.id, action: "contact.read", target: number, detail: purpose)
            return stored.item.contact
        }
    }

    /// The item, when the PIN matches (an echo card's serial works like a tracking number: its PIN is printed on the
    /// card). Guessing is slowed by the caller (`GuessThrottle`), by address and by number, not here.
    public func lookup(number: String, pin: String) async throws -> StoredItem? {
        let expected = self.pin(for: number)
        let found = SQLEchoCardStore.isSerial(number) ? try await item(echoCard: number) : try await item(number: number)
        guard let stored = found, constantTimeEquals(pin, expected) else { return nil }
        return stored
    }
}
