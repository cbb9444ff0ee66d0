import Foundation
import MinyiCore
import SQLKit
import SQLiteNIO

/// Registering submissions: concurrent submissions share one transaction and one serial-counter update per bureau and
/// year. On SQLite the writer runs them on its own connection with statements prepared once (see
/// `SQLiteWriteConnection`); elsewhere they share multi-row INSERTs.
struct Intake: SQLiteBatchableWrite {
    /// A class, so that handing it through the writer's queue and batch copies one reference, not every field.
    final class Input: Sendable {
        let id: Item.ID
        let submission: Submission
        let place: PoliceUnit
        let idempotencyKey: String?
        /// The fingerprint of what was submitted with the key (see `SQLItemStore.fingerprint`).
        let idempotencyHash: String?
        let actorID: Officer.ID?
        let actorUnitID: PoliceUnit.ID?
        let at: Date
        /// Worked out by the caller's task, so that the single writer does less: the serial-number counter's bureau and
        /// year, and the rollup rows the new item counts in.
        let bureau: String
        let year: Int
        let tallyKeys: [TallyKey]
        let emergency: Bool

        init(
            id: Item.ID, submission: Submission, place: PoliceUnit, idempotencyKey: String?, idempotencyHash: String?, actorID: Officer.ID?,
            actorUnitID: PoliceUnit.ID?, at: Date
        ) {
            self.id = id
            self.submission = submission
            self.place = place
            self.idempotencyKey = idempotencyKey
            self.idempotencyHash = idempotencyHash
            self.actorID = actorID
            self.actorUnitID = actorUnitID
            self.at = at
            bureau = place.rootID?.rawValue ?? "MY"
            year = Deadlines.year(of: at)
            tallyKeys = TallyKey.keys(createdAt: at, placePath: place.path, assignedPath: nil, category: submission.category.rawValue)
            emergency = submission.emergency
        }
    }

    /// A class for the same reason as `Input`.
    final class Output: Sendable {
        let item: Item
        let created: Bool
        var pair: (Item, Bool) { (item, created) }

        init(item: Item, created: Bool) {
            self.item = item
            self.created = created
        }
    }

    /// A new item with what its row holds besides the item, and its first event.
    struct Registered {
        var item: Item
        var placePath: String
        var idempotencyKey: String?
        var idempotencyHash: String?
        var tallyKeys: [TallyKey]
        var event: ItemEvent
    }

    /// What each input of a batch becomes, decided the same way by both executors once the earlier idempotency keys
    /// and the echo cards are known.
    struct Batch {
        let inputs: [Input]
        private var results: [Result<Output, any Error>?]
        private var fresh: [Int] = []
        private var repeats: [(index: Int, of: Int)] = []
        private var created: [Int: Item] = [:]

        init(_ inputs: [Input]) {
            self.inputs = inputs
            self.results = Array(repeating: nil, count: inputs.count)
        }

        var keys: [String] { inputs.compactMap(\.idempotencyKey) }
        var cards: [String] { inputs.compactMap(\.submission.echoCard) }

        /// Replays of earlier submissions, repeats within the batch, and echo cards that are unknown or used. A key
        /// replayed with other content (its fingerprint differs) is refused: the replay gets neither the first
        /// submission's number nor its PIN, and its own content is not silently dropped.
        mutating func decide(existing: [String: (item: Item, hash: String?)], usedCards: Set<String>, issuedCards: Set<String>) {
            var usedCards = usedCards
            var firstWithKey: [String: Int] = [:]
            for (index, input) in inputs.enumerated() {
                if let key = input.idempotencyKey {
                    if let earlier = existing[key] {
                        results[index] =
                            earlier.hash != nil && earlier.hash == input.idempotencyHash
                            ? .success(Output(item: earlier.item, created: false)) : .failure(Self.keyReused)
                        continue
                    }
                    if let first = firstWithKey[key] {
                        if inputs[first].idempotencyHash == input.idempotencyHash {
                            repeats.append((index, first))
                        } else {
                            results[index] = .failure(Self.keyReused)
                        }
                        continue
                    }
                }
                if let card = input.submission.echoCard {
                    guard issuedCards.contains(card) else {
                        results[index] = .failure(
                            ValidationError.invalid(
                                field: "echo_card",
                                message: "回音卡号 \(card) 不存在，请核对 (no such echo card)"))
                        continue
                    }
                    guard usedCards.insert(card).inserted else {
                        results[index] = .failure(
                            ValidationError.invalid(
                                field: "echo_card",
                                message: "回音卡 \(card) 已使用过 (echo card already used)"))
                        continue
                    }
                }
                if let key = input.idempotencyKey { firstWithKey[key] = index }
                fresh.append(index)
            }
        }

        static let keyReused = ValidationError.invalid(
            field: "Idempotency-Key",
            message: "Idempotency-Key 已用于另一份不同的内容，请换一个新的键"
                + " (this key was already used with a different submission)")

        /// The new inputs by serial-number counter (one per bureau and year), in the order first seen.
        func scopes() -> [(counter: String, bureau: String, year: Int, indices: [Int])] {
            var scopes: [(counter: String, bureau: String, year: Int, indices: [Int])] = []
            var position: [String: Int] = [:]
            for index in fresh {
                let input = inputs[index]
                let counter = "number:\(input.bureau):\(input.year)"
                if let at = position[counter] {
                    scopes[at].indices.append(index)
                } else {
                    position[counter] = scopes.count
                    scopes.append((counter, input.bureau, input.year, [index]))
                }
            }
            return scopes
        }

        /// Numbers a scope's inputs, the last of them `last`, and gives their rows.
        mutating func register(bureau: String, year: Int, indices: [Int], last: Int) -> [Registered] {
            indices.enumerated().map { offset, index in
                let input = inputs[index]
                let submission = input.submission
                var item = Item(
                    id: input.id, number: TrackingNumber.make(bureau: bureau, year: year, serial: last - indices.count + 1 + offset),
                    kind: submission.kind, category: submission.category, channel: submission.channel, text: submission.text,
                    placeID: input.place.id, address: submission.address, latitude: submission.latitude, longitude: submission.longitude,
                    contact: submission.contact, emergency: input.emergency, echoCard: submission.echoCard, createdAt: input.at)
                item.version = 1
                var detail = EventDetail()
                detail.channel = submission.channel
                detail.emergency = item.emergency
                created[index] = item
                results[index] = .success(Output(item: item, created: true))
                return Registered(
                    item: item, placePath: input.place.path, idempotencyKey: input.idempotencyKey, idempotencyHash: input.idempotencyHash,
                    tallyKeys: input.tallyKeys,
                    event: ItemEvent(
                        sequence: 1, kind: .registered, at: input.at, actorID: input.actorID, actorUnitID: input.actorUnitID, status: .registered,
                        reason: nil, detail: detail))
            }
        }

        /// Every input's result; repeats within the batch get their first's.
        func finish() -> [Result<Output, any Error>] {
            var results = results
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

    static func execute(_ inputs: [Input], on db: any SQLDatabase) async throws -> [Result<Output, any Error>] {
        try await execute(inputs, on: db, tallies: nil)
    }

    /// Adds `n` to a numbers' counter and returns its new value: `counters` on SQLite; on PostgreSQL `number_serials`,
    /// a row per epoch that the intake's upkeep replaces about once a second (`OutlastLongSnapshots`).
    static func count(_ n: Int, on counter: String, in db: any SQLDatabase) async throws -> Int {
        guard DatabaseDialect(db) == .postgres else { return try await Counters.add(n, to: counter, on: db) }
        return try await countingAgain(counter, on: db) {
            try await db.raw(
                """
                UPDATE number_serials SET value = value + \(bind: n) WHERE scope = \(bind: counter)
                AND epoch = (SELECT max(epoch) FROM number_serials WHERE scope = \(bind: counter)) RETURNING value
                """
            ).first()?.int("value")
        }
    }

    /// Runs `attempt`, an update of the highest epoch's row of `counter` on PostgreSQL, until it counts; returns the
    /// counter's new value. It counts nothing when that row was replaced meanwhile, or when the scope has none yet (its
    /// bureau's first item of the year): then the row is made if missing, and the next attempt sees the new row.
    static func countingAgain(_ counter: String, on db: any SQLDatabase, _ attempt: () async throws -> Int?) async throws -> Int {
        for _ in 0..<8 {
            if let value = try await attempt() { return value }
            try await db.raw(
                """
                INSERT INTO number_serials (scope, epoch, value)
                SELECT \(bind: counter), 0, 0 WHERE NOT EXISTS (SELECT 1 FROM number_serials WHERE scope = \(bind: counter))
                ON CONFLICT DO NOTHING
                """
            ).run()
        }
        throw StorageError.corrupt("counter \(counter)")
    }

    /// Registers the inputs; their rollup counts go to `tallies` when given (the caller writes them), else are written here.
    static func execute(_ inputs: [Input], on db: any SQLDatabase, tallies: TallyChanges?) async throws -> [Result<Output, any Error>] {
        var batch = Batch(inputs)
        try await lookUp(&batch, on: db)

        var registered: [Registered] = []
        for scope in batch.scopes() {
            let last = try await count(scope.indices.count, on: scope.counter, in: db)
            registered += batch.register(bureau: scope.bureau, year: scope.year, indices: scope.indices, last: last)
        }
        try await SQLItemStore.insert(registered.map { ($0.item, $0.placePath, $0.idempotencyKey, $0.idempotencyHash) }, on: db)
        try await SQLItemStore.insert(registered.map { ($0.event, $0.item.id) }, on: db)
        let changes = tallies ?? TallyChanges()
        for entry in registered { changes.add(ItemTally(entry.item), at: entry.tallyKeys) }
        if tallies == nil { try await changes.write(on: db) }
        return batch.finish()
    }

    /// Finds the earlier submissions with the batch's idempotency keys and the state of its echo cards, and decides
    /// what each input becomes.
    static func lookUp(_ batch: inout Batch, on db: any SQLDatabase) async throws {
        var existing: [String: (item: Item, hash: String?)] = [:]
        if !batch.keys.isEmpty {
            for row in try await db.raw("SELECT * FROM items WHERE idempotency_key IN (\(binds: batch.keys))").all() {
                if let key = try row.optionalString("idempotency_key") {
                    existing[key] = (try SQLItemStore.decodeItem(row), try row.optionalString("idempotency_hash"))
                }
            }
        }
        var usedCards = Set<String>()
        var issuedCards = Set<String>()
        if !batch.cards.isEmpty {
            for row in try await db.raw("SELECT echo_card FROM items WHERE echo_card IN (\(binds: batch.cards))").all() {
                if let card = try row.optionalString("echo_card") { usedCards.insert(card) }
            }
            for row in try await db.raw("SELECT serial FROM echo_cards WHERE serial IN (\(binds: batch.cards))").all() {
                issuedCards.insert(try row.string("serial"))
            }
        }
        batch.decide(existing: existing, usedCards: usedCards, issuedCards: issuedCards)
    }

    private typealias Statement = SQLiteWriteConnection.Statement
    private static let insertItem = Statement(
        """
        INSERT INTO items (\(SQLItemStore.insertedItemColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'registered', 0, \
        0, ?, ?, 1)
        """
    )
    private static let insertEvent = Statement(
        "INSERT INTO item_events (\(SQLItemStore.insertedEventColumns)) VALUES (?, 1, 'registered', ?, ?, ?, 'registered', NULL, ?)")
    private static let itemByKey = Statement("SELECT * FROM items WHERE idempotency_key = ?")
    private static let cardUsed = Statement("SELECT 1 AS used FROM items WHERE echo_card = ?")
    private static let cardIssued = Statement("SELECT 1 AS issued FROM echo_cards WHERE serial = ?")
    private static let countUp = Statement(
        "INSERT INTO counters (scope, value) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET value = counters.value + ? RETURNING value")

    /// The same on the SQLite writer's own connection: one prepared statement per row and table, no hop per statement.
    static func execute(_ inputs: [Input], on connection: SQLiteWriteConnection) throws -> [Result<Output, any Error>] {
        var batch = Batch(inputs)
        var existing: [String: (item: Item, hash: String?)] = [:]
        for key in batch.keys {
            if let row = try connection.rows(itemByKey, [.text(key)]).first {
                existing[key] = (try SQLItemStore.decodeItem(row), try row.optionalString("idempotency_hash"))
            }
        }
        var usedCards = Set<String>()
        var issuedCards = Set<String>()
        for card in batch.cards {
            if try !connection.rows(cardUsed, [.text(card)]).isEmpty { usedCards.insert(card) }
            if try !connection.rows(cardIssued, [.text(card)]).isEmpty { issuedCards.insert(card) }
        }
        batch.decide(existing: existing, usedCards: usedCards, issuedCards: issuedCards)

        let changes = TallyChanges()
        for scope in batch.scopes() {
            let count = SQLiteData.integer(scope.indices.count)
            guard
                let row = try connection.rows(countUp, [.text(scope.counter), count, count]).first
            else { throw StorageError.corrupt("counter \(scope.counter)") }
            for entry in batch.register(bureau: scope.bureau, year: scope.year, indices: scope.indices, last: try row.int("value")) {
                let item = entry.item
                let created = SQLiteData.integer(item.createdAt.epochSeconds)
                try connection.run(
                    insertItem,
                    [
                        .text(item.id.rawValue), .text(item.number), .text(item.kind.rawValue), .text(item.category.rawValue),
                        .text(item.channel.rawValue), .text(item.text), .text(item.placeID.rawValue), .text(entry.placePath),
                        .optional(item.address), .optional(item.latitude), .optional(item.longitude), .optional(item.contact?.name),
                        .optional(item.contact?.phone), .optional(item.contact?.idNumber), .integer(item.emergency ? 1 : 0),
                        .optional(item.echoCard), .optional(entry.idempotencyKey), .optional(entry.idempotencyHash), created, created,
                    ])
                let event = entry.event
                try connection.run(
                    insertEvent,
                    [
                        .text(item.id.rawValue), .integer(event.at.epochSeconds), .optional(event.actorID?.rawValue),
                        .optional(event.actorUnitID?.rawValue), .text(event.detail.json),
                    ])
                changes.add(ItemTally(item), at: entry.tallyKeys)
            }
        }
        try changes.write(on: connection)
        return batch.finish()
    }
}

extension SQLiteData {
    static func optional(_ text: String?) -> SQLiteData { text.map { .text($0) } ?? .null }
    static func optional(_ number: Double?) -> SQLiteData { number.map { .float($0) } ?? .null }
}
