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
    }

    struct Output: Sendable {
        var item: Item
        var created: Bool
        var pair: (Item, Bool) { (item, created) }
    }

    static func execute(_ inputs: [Input], on db: any SQLDatabase) async throws -> [Result<Output, any Error>] {
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
        if !cards.isEmpty {
            for row in try await db.raw("SELECT echo_card FROM items WHERE echo_card IN (\(binds: cards))").all() {
                if let card = try row.optionalString("echo_card") { usedCards.insert(card) }
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
        try await SQLItemStore.insert(items, on: db)
        try await SQLItemStore.insert(events, on: db)
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
