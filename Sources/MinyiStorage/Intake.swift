import Foundation
import MinyiCore
import SQLKit

/// Registering submissions: concurrent submissions share their statements (one serial counter update per bureau and
/// year, one multi-row INSERT of items, one of events), so intake scales with the group commit, not per row.
struct Intake: BatchableWrite {
    struct Input: Sendable {
        var id: Item.ID
        var submission: Submission
        var place: PoliceUnit
        var idempotencyKey: String?
        var actorID: Officer.ID?
        var actorUnitID: PoliceUnit.ID?
        var at: Date

        /// The item row as JSON (without its number, which the batch assigns); SQLite reads the rows back with `json_each`.
        /// Built by the caller's task (see `init`), so the single writer only joins strings.
        private(set) var itemJSON = ""

        init(
            id: Item.ID, submission: Submission, place: PoliceUnit, idempotencyKey: String?, actorID: Officer.ID?, actorUnitID: PoliceUnit.ID?,
            at: Date
        ) {
            self.id = id
            self.submission = submission
            self.place = place
            self.idempotencyKey = idempotencyKey
            self.actorID = actorID
            self.actorUnitID = actorUnitID
            self.at = at
            self.itemJSON = makeJSON()
        }

        private func makeJSON() -> String {
            let s = submission
            let contact = s.contact
            var fields: [String] = []
            fields.append("\"id\":" + JSONText.quote(id.rawValue))
            fields.append("\"kind\":" + JSONText.quote(s.kind.rawValue))
            fields.append("\"category\":" + JSONText.quote(s.category.rawValue))
            fields.append("\"channel\":" + JSONText.quote(s.channel.rawValue))
            fields.append("\"text\":" + JSONText.quote(s.text))
            fields.append("\"place_id\":" + JSONText.quote(place.id.rawValue))
            fields.append("\"place_path\":" + JSONText.quote(place.path))
            fields.append("\"address\":" + JSONText.quote(s.address))
            fields.append("\"latitude\":" + JSONText.number(s.latitude))
            fields.append("\"longitude\":" + JSONText.number(s.longitude))
            fields.append("\"contact_name\":" + JSONText.quote(contact?.name))
            fields.append("\"contact_phone\":" + JSONText.quote(contact?.phone))
            fields.append("\"contact_id_number\":" + JSONText.quote(contact?.idNumber))
            fields.append("\"emergency\":" + (s.emergency ? "1" : "0"))
            fields.append("\"echo_card\":" + JSONText.quote(s.echoCard))
            fields.append("\"idempotency_key\":" + JSONText.quote(idempotencyKey))
            fields.append("\"at\":" + String(at.epochSeconds))
            fields.append("\"actor_id\":" + JSONText.quote(actorID?.rawValue))
            fields.append("\"actor_unit_id\":" + JSONText.quote(actorUnitID?.rawValue))
            fields.append("\"detail\":" + JSONText.quote(s.emergency ? #"{"channel":"\#(s.channel.rawValue)","emergency":"true"}"# : #"{"channel":"\#(s.channel.rawValue)"}"#))
            return "{" + fields.joined(separator: ",") + "}"
        }
    }

    struct Output: Sendable {
        var item: Item
        var created: Bool
        var pair: (Item, Bool) { (item, created) }
    }

    static func execute(_ inputs: [Input], on db: any SQLDatabase) async throws -> [Result<Output, any Error>] {
        try await execute(inputs, on: db, tallies: nil)
    }

    /// Registers the inputs; their rollup counts go to `tallies` when given (the caller writes them), else are written here.
    static func execute(_ inputs: [Input], on db: any SQLDatabase, tallies: TallyChanges?) async throws -> [Result<Output, any Error>] {
        var results = [Result<Output, any Error>?](repeating: nil, count: inputs.count)

        // Earlier submissions with the same idempotency keys, and echo cards already used.
        let keys = inputs.compactMap(\.idempotencyKey)
        var existing: [String: Item] = [:]
        if !keys.isEmpty {
            for row in try await db.raw("SELECT * FROM items WHERE idempotency_key IN (\(binds: keys))").all() {
                if let key = try row.optionalString("idempotency_key") { existing[key] = try SQLItemStore.decodeItem(row) }
            }
        }
        let cards = inputs.compactMap(\.submission.echoCard)
        var usedCards = Set<String>()
        var issuedCards = Set<String>()
        if !cards.isEmpty {
            for row in try await db.raw("SELECT echo_card FROM items WHERE echo_card IN (\(binds: cards))").all() {
                if let card = try row.optionalString("echo_card") { usedCards.insert(card) }
            }
            for row in try await db.raw("SELECT serial FROM echo_cards WHERE serial IN (\(binds: cards))").all() {
                issuedCards.insert(try row.string("serial"))
            }
        }

        // Decide what each input becomes.
        var fresh: [Int] = []
        var firstWithKey: [String: Int] = [:]
        var repeats: [(index: Int, of: Int)] = []
        for (index, input) in inputs.enumerated() {
            if let key = input.idempotencyKey {
                if let item = existing[key] {
                    results[index] = .success(Output(item: item, created: false))
                    continue
                }
                if let first = firstWithKey[key] {
                    repeats.append((index, first))
                    continue
                }
            }
            if let card = input.submission.echoCard {
                guard issuedCards.contains(card) else {
                    results[index] = .failure(ValidationError.invalid(field: "echo_card", message: "回音卡号 \(card) 不存在，请核对 (no such echo card)"))
                    continue
                }
                guard usedCards.insert(card).inserted else {
                    results[index] = .failure(ValidationError.invalid(field: "echo_card", message: "回音卡 \(card) 已使用过 (echo card already used)"))
                    continue
                }
            }
            if let key = input.idempotencyKey { firstWithKey[key] = index }
            fresh.append(index)
        }

        // Serial numbers: one counter update per bureau and year for the whole batch.
        var scopes: [String: [Int]] = [:]
        var scopeOrder: [String] = []
        for index in fresh {
            let input = inputs[index]
            let scope = "\(input.place.lineage.first?.rawValue ?? "MY")|\(Deadlines.year(of: input.at))"
            if scopes[scope] == nil { scopeOrder.append(scope) }
            scopes[scope, default: []].append(index)
        }
        var items: [(item: Item, placePath: String, idempotencyKey: String?)] = []
        var events: [(event: ItemEvent, item: Item.ID)] = []
        var created: [Int: Item] = [:]
        var firstSerial: [String: Int] = [:]
        for scope in scopeOrder {
            let indices = scopes[scope]!
            let parts = scope.split(separator: "|")
            let bureau = String(parts[0])
            let year = Int(parts[1]) ?? 0
            let counter = "number:\(bureau):\(year)"
            guard
                let row = try await db.raw(
                    """
                    INSERT INTO counters (scope, value) VALUES (\(bind: counter), \(bind: indices.count))
                    ON CONFLICT (scope) DO UPDATE SET value = counters.value + \(bind: indices.count) RETURNING value
                    """
                ).first()
            else { throw StorageError.corrupt("counter \(counter)") }
            let last = try row.int("value")
            firstSerial[scope] = last - indices.count + 1
            for (offset, index) in indices.enumerated() {
                let input = inputs[index]
                let submission = input.submission
                var item = Item(
                    id: input.id, number: TrackingNumber.make(bureau: bureau, year: year, serial: last - indices.count + 1 + offset),
                    kind: submission.kind, category: submission.category, channel: submission.channel, text: submission.text,
                    placeID: input.place.id, address: submission.address, latitude: submission.latitude, longitude: submission.longitude,
                    contact: submission.contact, emergency: submission.emergency, echoCard: submission.echoCard, createdAt: input.at)
                item.version = 1
                var detail = ["channel": submission.channel.rawValue]
                if item.emergency { detail["emergency"] = "true" }
                items.append((item, input.place.path, input.idempotencyKey))
                events.append(
                    (ItemEvent(
                        sequence: 1, kind: .registered, at: input.at, actorID: input.actorID, actorUnitID: input.actorUnitID, status: .registered,
                        reason: nil, detail: detail), item.id))
                created[index] = item
                results[index] = .success(Output(item: item, created: true))
            }
        }
        if db.dialect.name == "sqlite" {
            // One statement per table for the whole batch, reading the rows from one JSON bind built by the callers.
            for scope in scopeOrder {
                let indices = scopes[scope]!
                let bureau = String(scope.split(separator: "|")[0])
                let year = Int(scope.split(separator: "|")[1]) ?? 0
                let first = firstSerial[scope] ?? 0
                let rows = "[" + indices.map { inputs[$0].itemJSON }.joined(separator: ",") + "]"
                try await db.raw(
                    """
                    INSERT INTO items (id, number, kind, category, channel, text, place_id, place_path, address, latitude, longitude,
                        contact_name, contact_phone, contact_id_number, emergency, echo_card, idempotency_key, status, round,
                        callback_attempts, created_at, updated_at, version)
                    SELECT json_extract(value, '$.id'), \(bind: "\(bureau)-\(year)-") || printf('%06d', \(bind: first) + key),
                        json_extract(value, '$.kind'), json_extract(value, '$.category'), json_extract(value, '$.channel'),
                        json_extract(value, '$.text'), json_extract(value, '$.place_id'), json_extract(value, '$.place_path'),
                        json_extract(value, '$.address'), json_extract(value, '$.latitude'), json_extract(value, '$.longitude'),
                        json_extract(value, '$.contact_name'), json_extract(value, '$.contact_phone'), json_extract(value, '$.contact_id_number'),
                        json_extract(value, '$.emergency'), json_extract(value, '$.echo_card'), json_extract(value, '$.idempotency_key'),
                        'registered', 0, 0, json_extract(value, '$.at'), json_extract(value, '$.at'), 1
                    FROM json_each(\(bind: rows))
                    """
                ).run()
                try await db.raw(
                    """
                    INSERT INTO item_events (item_id, seq, kind, at, actor_id, actor_unit_id, status, reason, detail)
                    SELECT json_extract(value, '$.id'), 1, 'registered', json_extract(value, '$.at'), json_extract(value, '$.actor_id'),
                        json_extract(value, '$.actor_unit_id'), 'registered', NULL, json_extract(value, '$.detail')
                    FROM json_each(\(bind: rows))
                    """
                ).run()
            }
        } else {
            try await SQLItemStore.insert(items, on: db)
            try await SQLItemStore.insert(events, on: db)
        }
        let changes = tallies ?? TallyChanges()
        for entry in items { changes.added(entry.item, placePath: entry.placePath, assignedPath: nil) }
        if tallies == nil { try await changes.write(on: db) }
        for (index, first) in repeats {
            if let item = created[first] {
                results[index] = .success(Output(item: item, created: false))
            } else {
                results[index] = results[first]
            }
        }
        return results.map { $0 ?? .failure(StorageError.corrupt("intake result missing")) }
    }
}
