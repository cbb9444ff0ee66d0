import Crypto
import Foundation
import MinyiCore
import SQLKit

/// Intake: a submission becomes a new item (the batched write is `Intake`).
extension SQLItemStore {
    /// Registers a submission as a new item, or returns the earlier one submitted with the same idempotency key.
    public func submit(_ submission: Submission, idempotencyKey: String?, by actor: Actor?, at now: Date) async throws -> Submitted {
        // Checked before the write, from memory: the writer's time is the scarce resource. The foreign keys still
        // hold the write to a category and place that exist.
        let (found, categoryExists) = try await catalogue.lookup(place: submission.placeID, category: submission.category)
        guard categoryExists else {
            throw ValidationError.invalid(field: "category", message: "未知的类别 \(submission.category) (unknown category)")
        }
        guard let place = found, place.kind != .department else {
            throw ValidationError.invalid(field: "place", message: "未知的地点 \(submission.placeID) (unknown place)")
        }
        // Staff register only for places they serve: the place is the action's target as much as the item.
        if let actor, !actor.jurisdiction.contains(place) {
            throw ValidationError.invalid(field: "place", message: "地点 \(place.name) 不在您的辖区内 (outside your jurisdiction)")
        }
        let input = Intake.Input(
            id: .init(newID()), submission: submission, place: place, idempotencyKey: idempotencyKey,
            idempotencyHash: idempotencyKey.map { _ in Self.fingerprint(submission, by: actor?.officer.id) }, actorID: actor?.officer.id,
            actorUnitID: actor?.unit.id, at: now)
        let output: Intake.Output
        do {
            output = try await database.write(Intake.self, input)
        } catch  where idempotencyKey != nil && PostgresBackend.isUniqueViolation(error) {
            // Another submission with this key committed while this one was being written (on PostgreSQL each runs
            // alone): now it is there, the same write replays it or refuses the key.
            output = try await database.write(Intake.self, input)
        }
        let (item, created) = output.pair
        return Submitted(item: item, pin: pin(for: item.number), created: created)
    }

    /// What an idempotency key is bound to: a SHA-256 of everything submitted with it and of who submitted it. A
    /// replay must match it to get the first submission's number and PIN back.
    static func fingerprint(_ submission: Submission, by actor: Officer.ID?) -> String {
        var hash = SHA256()
        func add(_ value: String?) {
            // Each field as present-or-absent, its length and its bytes, so no two submissions share an encoding.
            guard let value else { return hash.update(data: [0]) }
            hash.update(data: [1])
            withUnsafeBytes(of: UInt64(value.utf8.count).littleEndian) { hash.update(bufferPointer: $0) }
            hash.update(data: Array(value.utf8))
        }
        add(submission.kind.rawValue)
        add(submission.category.rawValue)
        add(submission.channel.rawValue)
        add(submission.text)
        add(submission.placeID.rawValue)
        add(submission.address)
        add(submission.latitude.map { String($0) })
        add(submission.longitude.map { String($0) })
        add(submission.contact?.name)
        add(submission.contact?.phone)
        add(submission.contact?.idNumber)
        add(submission.echoCard)
        add(actor?.rawValue)
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The columns a new item's row is inserted with, in the order of the values (here and in `Intake`).
    static let insertedItemColumns = """
        id, number, kind, category, channel, text, place_id, place_path, address, latitude, longitude, contact_name, contact_phone, \
        contact_id_number, emergency, echo_card, idempotency_key, idempotency_hash, status, round, callback_attempts, created_at, updated_at, \
        version
        """

    /// The columns an event's row is inserted with, in the order of the values.
    static let insertedEventColumns = "item_id, seq, kind, at, actor_id, actor_unit_id, status, reason, detail"

    /// Inserts items, many to a statement.
    static func insert(
        _ rows: [(item: Item, placePath: String, idempotencyKey: String?, idempotencyHash: String?)], on db: any SQLDatabase
    ) async throws {
        for chunk in stride(from: 0, to: rows.count, by: 200).map({ rows[$0..<min($0 + 200, rows.count)] }) {
            let values = chunk.map { row -> SQLQueryString in
                let item = row.item
                return """
                    (\(bind: item.id.rawValue), \(bind: item.number), \(bind: item.kind.rawValue), \(bind: item.category.rawValue),
                    \(bind: item.channel.rawValue), \(bind: item.text), \(bind: item.placeID.rawValue), \(bind: row.placePath),
                    \(bind: item.address), \(bind: item.latitude), \(bind: item.longitude), \(bind: item.contact?.name),
                    \(bind: item.contact?.phone), \(bind: item.contact?.idNumber), \(bind: item.emergency ? 1 : 0), \(bind: item.echoCard),
                    \(bind: row.idempotencyKey), \(bind: row.idempotencyHash), \(bind: item.status.rawValue), \(bind: item.round), \
                    \(bind: item.callbackAttempts),
                    \(bind: item.createdAt.epochSeconds), \(bind: item.updatedAt.epochSeconds), \(bind: item.version))
                    """
            }
            try await db.raw("INSERT INTO items (\(unsafeRaw: insertedItemColumns)) VALUES " + values.joined(separator: ", ")).run()
        }
    }

    /// Appends events, many to a statement.
    static func insert(_ events: [(event: ItemEvent, item: Item.ID)], on db: any SQLDatabase) async throws {
        for chunk in stride(from: 0, to: events.count, by: 300).map({ events[$0..<min($0 + 300, events.count)] }) {
            let values = chunk.map { row -> SQLQueryString in
                let event = row.event
                let detail = event.detail.json
                return """
                    (\(bind: row.item.rawValue), \(bind: event.sequence), \(bind: event.kind.rawValue), \(bind: event.at.epochSeconds),
                    \(bind: event.actorID?.rawValue), \(bind: event.actorUnitID?.rawValue), \(bind: event.status.rawValue),
                    \(bind: event.reason), \(bind: detail))
                    """
            }
            try await db.raw("INSERT INTO item_events (\(unsafeRaw: insertedEventColumns)) VALUES " + values.joined(separator: ", ")).run()
        }
    }

    static func insert(_ event: ItemEvent, of item: Item.ID, on db: any SQLDatabase) async throws {
        try await insert([(event, item)], on: db)
    }
}
