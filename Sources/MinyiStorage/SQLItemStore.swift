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

/// The bureau's PIN secret, already mixed into an HMAC that each PIN copies (the copy shares the hash state until it
/// is written to), so a PIN costs the hashing of its number only.
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

    // MARK: Intake

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
        } catch where idempotencyKey != nil && PostgresBackend.isUniqueViolation(error) {
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
                    \(bind: row.idempotencyKey), \(bind: row.idempotencyHash), \(bind: item.status.rawValue), \(bind: item.round), \(bind: item.callbackAttempts),
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
                let detail = detailJSON(event.detail)
                return """
                    (\(bind: row.item.rawValue), \(bind: event.sequence), \(bind: event.kind.rawValue), \(bind: event.at.epochSeconds),
                    \(bind: event.actorID?.rawValue), \(bind: event.actorUnitID?.rawValue), \(bind: event.status.rawValue),
                    \(bind: event.reason), \(bind: detail))
                    """
            }
            try await db.raw("INSERT INTO item_events (\(unsafeRaw: insertedEventColumns)) VALUES " + values.joined(separator: ", ")).run()
        }
    }

    /// An event's details as stored: a JSON object, keys sorted.
    static func detailJSON(_ detail: [String: String]) -> String {
        "{" + detail.sorted { $0.key < $1.key }.map { JSONText.quote($0.key) + ":" + JSONText.quote($0.value) }.joined(separator: ",") + "}"
    }

    static func insert(_ event: ItemEvent, of item: Item.ID, on db: any SQLDatabase) async throws {
        try await insert([(event, item)], on: db)
    }

    // MARK: Reading

    /// The item with a tracking number.
    public func item(number: String) async throws -> StoredItem? {
        try await database.read { db in
            try await db.raw("SELECT * FROM items WHERE number = \(bind: number)").first().map(Self.decodeStored)
        }
    }

    /// The item registered from an echo card.
    public func item(echoCard serial: String) async throws -> StoredItem? {
        try await database.read { db in
            try await db.raw("SELECT * FROM items WHERE echo_card = \(bind: serial)").first().map(Self.decodeStored)
        }
    }

    /// The item's history, oldest first.
    public func events(of id: Item.ID) async throws -> [ItemEvent] {
        try await database.read { db in
            try await db.raw("SELECT * FROM item_events WHERE item_id = \(bind: id.rawValue) ORDER BY seq").all().map(Self.decodeEvent)
        }
    }

    /// One page of a queue and how many items match in all.
    public struct QueuePage: Sendable {
        public var items: [StoredItem]
        /// How many items match, counted no further than the queue was asked to count.
        public var total: Int
        /// False when more items match than were counted: `total` is then a lower bound ("10000+").
        public var totalIsExact: Bool
    }

    /// How far a queue's total is counted unless the caller asks for less. Counting every match would make each page
    /// cost as much as the bureau's whole history; beyond this the total shows as "10000+".
    public static let exactCountLimit = 10_000

    /// The items within the actor's jurisdiction that match the filter: emergencies first, then newest first.
    ///
    /// A filter that matches few items (up to `countLimit`) is read through the indexes on place and assigned
    /// unit and sorted. One that matches more is read newest first along the time indexes, stopping after the page,
    /// instead of sorting every match: the jurisdiction is then checked row by row, which is cheap because most rows
    /// match. `countingUpTo` sets how far the total is counted, and so how many matches may be sorted.
    public func queue(
        _ filter: QueueFilter, for actor: Actor, at now: Date, countingUpTo countLimit: Int = SQLItemStore.exactCountLimit
    ) async throws -> QueuePage {
        let emergencies = Self.emergencies(database.dialect)
        let items = Self.items(filter, database.dialect)
        return try await database.read { db in
            let (whereClause, scanned) = try await Self.whereClauses(filter, for: actor, at: now, on: db)
            let limit = max(1, min(filter.limit, 100_000)), offset = max(0, filter.offset)
            let matched = try await Self.count("SELECT 1 FROM " + items + whereClause, upTo: countLimit + 1, on: db)
            let total = min(matched, countLimit)
            if matched <= countLimit {
                let rows = try await db.raw(
                    "SELECT * FROM " + items + whereClause
                        + " ORDER BY emergency DESC, created_at DESC LIMIT \(literal: limit) OFFSET \(literal: offset)"
                ).all()
                return QueuePage(items: try rows.map(Self.decodeStored), total: total, totalIsExact: true)
            }
            // Many matches: emergencies (few) then the rest, each newest first.
            let emergencyCount = try await Self.count(
                "SELECT 1 FROM " + emergencies + scanned + " AND emergency = 1", upTo: offset + limit, on: db)
            var rows: [any SQLRow] = []
            if offset < emergencyCount {
                rows += try await db.raw(
                    "SELECT * FROM " + emergencies + scanned
                        + " AND emergency = 1 ORDER BY created_at DESC LIMIT \(literal: limit) OFFSET \(literal: offset)"
                ).all()
            }
            if rows.count < limit && !filter.emergencyOnly {
                rows += try await db.raw(
                    "SELECT * FROM items" + scanned
                        + " AND emergency = 0 ORDER BY created_at DESC"
                        + " LIMIT \(literal: limit - rows.count) OFFSET \(literal: max(0, offset - emergencyCount))"
                ).all()
            }
            return QueuePage(items: try rows.map(Self.decodeStored), total: total, totalIsExact: false)
        }
    }

    /// Every item within the actor's jurisdiction that matches the filter (its limit and offset aside), newest
    /// registration first, read a page at a time so that an export of any size holds one page in memory.
    public func export(
        _ filter: QueueFilter, for actor: Actor, at now: Date, pageSize: Int = 1000, countingUpTo countLimit: Int = SQLItemStore.exactCountLimit
    ) -> ItemExport {
        ItemExport(store: self, filter: filter, actor: actor, now: now, pageSize: max(1, pageSize), countLimit: countLimit)
    }

    /// The pages of an export. Each page is its own read, which continues after the last item of the page before
    /// (by registration time, then ID), so items registered meanwhile neither shift nor repeat what follows.
    public struct ItemExport: Sendable {
        let store: SQLItemStore
        let filter: QueueFilter
        let actor: Actor
        let now: Date
        let pageSize: Int
        let countLimit: Int
        /// Whether the filter matches more than `countLimit` items: the pages are then read along the time index.
        private var long: Bool?
        private var after: (createdAt: Int, id: String)?
        private var done = false

        init(store: SQLItemStore, filter: QueueFilter, actor: Actor, now: Date, pageSize: Int, countLimit: Int) {
            self.store = store
            self.filter = filter
            self.actor = actor
            self.now = now
            self.pageSize = pageSize
            self.countLimit = countLimit
        }

        /// The next page, or nil after the last.
        public mutating func next() async throws -> [StoredItem]? {
            guard !done else { return nil }
            let (filter, actor, now, pageSize, countLimit, known, after) = (filter, actor, now, pageSize, countLimit, long, after)
            let (rows, long) = try await store.database.read { db -> ([StoredItem], Bool) in
                let (indexed, scanned) = try await SQLItemStore.whereClauses(filter, for: actor, at: now, on: db)
                let long: Bool
                if let known {
                    long = known
                } else {
                    long = try await SQLItemStore.count("SELECT 1 FROM items" + indexed, upTo: countLimit + 1, on: db) > countLimit
                }
                var query = "SELECT * FROM items" + (long ? scanned : indexed)
                if let after {
                    query = query + " AND created_at <= \(bind: after.createdAt) AND (created_at < \(bind: after.createdAt) OR id < \(bind: after.id))"
                }
                query = query + " ORDER BY created_at DESC, id DESC LIMIT \(literal: pageSize)"
                return (try await db.raw(query).all().map(SQLItemStore.decodeStored), long)
            }
            self.long = long
            if rows.count < pageSize { done = true }
            guard let last = rows.last else { return nil }
            self.after = (last.item.createdAt.epochSeconds, last.item.id.rawValue)
            return rows
        }
    }

    /// The items table as a queue with the filter reads it: emergencies through their own small index
    /// (`items_emergency`).
    static func items(_ filter: QueueFilter, _ dialect: DatabaseDialect) -> SQLQueryString {
        filter.emergencyOnly ? emergencies(dialect) : "items"
    }

    static func emergencies(_ dialect: DatabaseDialect) -> SQLQueryString { "items" + dialect.indexed(by: "items_emergency") }

    /// How many rows `select` gives, counting no further than `limit`.
    static func count(_ select: SQLQueryString, upTo limit: Int, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM (" + select + " LIMIT \(literal: max(1, limit))) AS matched").first().map { try $0.int("n") } ?? 0
    }

    /// How many items match the filter, counting no further than `limit`: for figures shown as "1000+", whose cost
    /// must not grow with the bureau's history.
    public func count(_ filter: QueueFilter, for actor: Actor, at now: Date, upTo limit: Int) async throws -> Int {
        try await database.read { db in
            try await Self.count(
                "SELECT 1 FROM " + Self.items(filter, database.dialect) + Self.whereClauses(filter, for: actor, at: now, on: db).indexed, upTo: limit,
                on: db)
        }
    }

    /// The `WHERE` clause of a queue: the actor's jurisdiction (or own unit) and the filter. `scanned` is the same with
    /// the paths written so that no index on them can serve it (`path || ''`), which leaves the database to read along
    /// an index that gives the order asked for.
    static func whereClauses(
        _ filter: QueueFilter, for actor: Actor, at now: Date, on db: any SQLDatabase
    ) async throws -> (indexed: SQLQueryString, scanned: SQLQueryString) {
        var unitPath: String?
        if let unit = filter.unit {
            guard let unit = try await SQLOrganisationStore.unit(on: db, id: unit) else {
                throw ValidationError.invalid(field: "unit", message: "未知的单位 \(unit) (unknown unit)")
            }
            unitPath = unit.path
        }
        func clause(place: SQLQueryString, assigned: SQLQueryString) -> SQLQueryString {
            var conditions: [SQLQueryString] = []
            let scope = actor.jurisdiction.path + "%"
            let own = actor.unit.path + "%"
            conditions.append("(" + place + " LIKE \(bind: scope) OR " + assigned + " LIKE \(bind: scope) OR " + assigned + " LIKE \(bind: own))")
            if let status = filter.status { conditions.append("status = \(bind: status.rawValue)") }
            if !filter.statuses.isEmpty { conditions.append("status IN (\(binds: filter.statuses.map(\.rawValue)))") }
            if let category = filter.category { conditions.append("category = \(bind: category.rawValue)") }
            if let channel = filter.channel { conditions.append("channel = \(bind: channel.rawValue)") }
            if let from = filter.from { conditions.append("created_at >= \(bind: from.epochSeconds)") }
            if let to = filter.to { conditions.append("created_at < \(bind: to.epochSeconds)") }
            if let unitPath { conditions.append(assigned + " LIKE \(bind: unitPath + "%")") }
            if filter.emergencyOnly { conditions.append("emergency = 1") }
            if filter.callbackDue { conditions.append("status = 'replied' AND callback_due <= \(bind: now.epochSeconds)") }
            if filter.overdueOnly {
                // Late now: a deadline missed and not caught up with (the breach moved the deadlines on), or one just
                // past that the deadline scan has not recorded yet.
                let t = now.epochSeconds
                conditions.append(
                    "(late_since IS NOT NULL OR (status = 'dispatched' AND response_due < \(bind: t)) OR (status IN ('dispatched', 'accepted', 'supervised') AND handling_due < \(bind: t)))"
                )
            }
            if let window = filter.dueWithin {
                let t = now.epochSeconds, end = now.addingTimeInterval(window).epochSeconds
                conditions.append(
                    """
                    (late_since IS NULL AND ((status = 'dispatched' AND response_due > \(bind: t) AND response_due <= \(bind: end))
                        OR (status IN ('dispatched', 'accepted', 'supervised') AND handling_due > \(bind: t) AND handling_due <= \(bind: end)
                            AND NOT (status = 'dispatched' AND response_due <= \(bind: t)))
                        OR (status = 'replied' AND callback_due > \(bind: t) AND callback_due <= \(bind: end))))
                    """)
            }
            return SQLQueryString(" WHERE ") + conditions.joined(separator: " AND ")
        }
        return (clause(place: "place_path", assigned: "assigned_path"), clause(place: "(place_path || '')", assigned: "(assigned_path || '')"))
    }

    /// The measure facts of items registered in [from, to) and assigned to the unit's subtree, read from the items
    /// themselves: the reference the rollups (`tally(under:from:to:)`) are checked against.
    public func facts(under unit: PoliceUnit, from: Date, to: Date) async throws -> [ItemFacts] {
        try await database.read { db in try await Self.facts(on: db, under: unit, from: from, to: to) }
    }

    static func facts(on db: any SQLDatabase, under unit: PoliceUnit, from: Date, to: Date) async throws -> [ItemFacts] {
        let rows = try await db.raw(
            """
            SELECT status, answered_on_spot, response_due, accepted_at, first_replied_at, callback_result, first_callback_result, breached FROM items
            WHERE assigned_path LIKE \(bind: unit.path + "%") AND created_at >= \(bind: from.epochSeconds) AND created_at < \(bind: to.epochSeconds)
            """
        ).all()
        return try rows.map { row in
            guard let status = ItemStatus(rawValue: try row.string("status")) else { throw StorageError.corrupt("status") }
            return ItemFacts(
                status: status, answeredOnSpot: try row.int("answered_on_spot") == 1, responseDue: try row.optionalDate("response_due"),
                acceptedAt: try row.optionalDate("accepted_at"), firstRepliedAt: try row.optionalDate("first_replied_at"),
                callbackResult: try row.optionalString("callback_result").flatMap(CallbackResult.init(rawValue:)),
                firstCallbackResult: try row.optionalString("first_callback_result").flatMap(CallbackResult.init(rawValue:)),
                breached: try row.int("breached") == 1)
        }
    }

    /// Supervision orders to units within the actor's jurisdiction, open ones first.
    public func supervisionOrders(for actor: Actor, openOnly: Bool) async throws -> [SupervisionOrder] {
        try await database.read { db in
            let rows = try await db.raw(
                """
                SELECT o.*, i.number FROM supervision_orders o JOIN items i ON i.id = o.item_id JOIN units u ON u.id = o.unit_id
                WHERE u.path LIKE \(bind: actor.jurisdiction.path + "%")\(unsafeRaw: openOnly ? " AND o.resolved_at IS NULL" : "")
                ORDER BY o.resolved_at IS NULL DESC, o.due ASC LIMIT 500
                """
            ).all()
            return try rows.map(Self.decodeOrder)
        }
    }

    /// The supervision orders of one item, oldest first.
    public func supervisionOrders(of item: Item.ID) async throws -> [SupervisionOrder] {
        try await database.read { db in
            try await db.raw(
                "SELECT o.*, i.number FROM supervision_orders o JOIN items i ON i.id = o.item_id WHERE o.item_id = \(bind: item.rawValue) ORDER BY o.issued_at"
            ).all().map(Self.decodeOrder)
        }
    }

    // MARK: Lifecycle

    /// Gives a command to an item, checking role and jurisdiction, in one transaction with its event.
    public func apply(_ command: ItemCommand, to number: String, by actor: Actor?, at now: Date) async throws -> Transition {
        let dialect = database.dialect
        let newID = self.newID
        return try await database.write { db in
            guard let row = try await db.raw("SELECT * FROM items WHERE number = \(bind: number)" + dialect.lockRows).first() else {
                throw StorageError.notFound(what: "事项", id: number)
            }
            let stored = try Self.decodeStored(row)
            if let actor {
                try Access.authorize(
                    command.name, by: actor, number: number, placePath: stored.placePath, assignedPath: stored.assignedPath)
            }
            return try await Self.apply(command, to: stored, by: actor, at: now, on: db, newID: newID)
        }
    }

    /// Applies a command inside an open transaction.
    static func apply(
        _ command: ItemCommand, to stored: StoredItem, by actor: Actor?, at now: Date, on db: any SQLDatabase,
        newID: @Sendable () -> String, tallies: TallyChanges? = nil
    ) async throws -> Transition {
        guard let category = try await SQLOrganisationStore.category(on: db, code: stored.item.category) else {
            throw StorageError.corrupt("category \(stored.item.category)")
        }
        var assignedPath = stored.assignedPath
        switch command {
        case .dispatch(let unitID):
            guard let unit = try await SQLOrganisationStore.unit(on: db, id: unitID) else {
                throw ValidationError.invalid(field: "unit", message: "未知的单位 \(unitID) (unknown unit)")
            }
            if let actor, !actor.jurisdiction.contains(unit) {
                throw AccessError.outsideJurisdiction("单位 \(unit.name)")
            }
            assignedPath = unit.path
        case .answer:
            if let actor { assignedPath = actor.unit.path }
        case .merge(let target, _):
            // The target must be as visible to the officer as the item itself: an item the officer cannot read is
            // answered as unknown, so that merging does not tell what exists elsewhere.
            guard let targetRow = try await db.raw("SELECT status, place_path, assigned_path FROM items WHERE number = \(bind: target)").first(),
                try actor.map({ $0.sees(placePath: try targetRow.string("place_path"), assignedPath: try targetRow.optionalString("assigned_path")) }) ?? true
            else {
                throw ValidationError.invalid(field: "into", message: "要合并到的事项 \(target) 不存在或不在您的辖区 (unknown item, or outside your jurisdiction)")
            }
            if try targetRow.string("status") == ItemStatus.merged.rawValue {
                throw ValidationError.invalid(field: "into", message: "事项 \(target) 本身已被合并 (target is itself merged)")
            }
        case .returnToCommand:
            assignedPath = nil
        case .recategorize(let code, _):
            guard try await SQLOrganisationStore.category(on: db, code: code) != nil else {
                throw ValidationError.invalid(field: "category", message: "未知的类别 \(code) (unknown category)")
            }
        default:
            break
        }
        var transition = try Lifecycle.apply(command, to: stored.item, category: category, by: actor, at: now)
        if case .overdue(let kind) = command {
            let claimed = try await db.raw(
                """
                INSERT INTO deadline_breaches (item_id, kind, round, at)
                VALUES (\(bind: stored.item.id.rawValue), \(bind: kind.rawValue), \(bind: stored.item.round), \(bind: now.epochSeconds))
                ON CONFLICT (item_id, kind, round) DO NOTHING RETURNING item_id
                """
            ).first()
            guard claimed != nil else { throw StorageError.conflict("事项 \(stored.item.number) 本轮超期已处理 (breach already recorded)") }
        }
        try await save(transition.item, assignedPath: assignedPath, expectedVersion: stored.item.version, on: db)
        let changes = tallies ?? TallyChanges()
        changes.changed(from: stored, to: transition.item, assignedPath: assignedPath)
        if tallies == nil { try await changes.write(on: db) }
        if case .overdue(.callback) = command, let centre = try await Self.callbackCentre(on: db) {
            transition.supervision?.unitID = centre
        }
        let lateCauses = transition.supervision?.cause == .overdueCallback ? ["overdue_callback"] : ["overdue_response", "overdue_handling"]
        if case .overdue = command, let request = transition.supervision,
            let open = try await db.raw(
                """
                SELECT id, level FROM supervision_orders WHERE item_id = \(bind: stored.item.id.rawValue) AND resolved_at IS NULL
                    AND cause IN (\(binds: lateCauses)) ORDER BY issued_at DESC LIMIT 1
                """
            ).first()
        {
            // Late again while the first order for lateness is still open: that order is escalated (to the unit's
            // lead, then the leaders) with the new deadline, instead of a second order beside it.
            let level = min(try open.int("level") + 1, 2)
            try await db.raw(
                """
                UPDATE supervision_orders SET level = \(bind: level), due = \(bind: request.due.epochSeconds), cause = \(bind: request.cause.rawValue),
                    reason = \(bind: request.reason), round = \(bind: transition.item.round)
                WHERE id = \(bind: try open.string("id"))
                """
            ).run()
            transition.event.detail["escalated_to"] = level == 1 ? "unit_lead" : "leader"
            transition.supervision = nil
        }
        try await insert(transition.event, of: stored.item.id, on: db)
        if let request = transition.supervision {
            try await db.raw(
                """
                INSERT INTO supervision_orders (id, item_id, unit_id, cause, reason, issued_at, issued_by, due, round)
                VALUES (\(bind: newID()), \(bind: stored.item.id.rawValue), \(bind: request.unitID.rawValue), \(bind: request.cause.rawValue),
                    \(bind: request.reason), \(bind: now.epochSeconds), \(bind: actor?.officer.id.rawValue), \(bind: request.due.epochSeconds),
                    \(bind: transition.item.round))
                """
            ).run()
        }
        if case .callback = command {
            // The callback was made: an order for its lateness is done with.
            try await db.raw(
                """
                UPDATE supervision_orders SET resolved_at = \(bind: now.epochSeconds)
                WHERE item_id = \(bind: stored.item.id.rawValue) AND cause = 'overdue_callback' AND resolved_at IS NULL
                """
            ).run()
        }
        if transition.item.status.isTerminal {
            try await db.raw(
                "UPDATE supervision_orders SET resolved_at = \(bind: now.epochSeconds) WHERE item_id = \(bind: stored.item.id.rawValue) AND resolved_at IS NULL"
            ).run()
        }
        return transition
    }

    static func save(_ item: Item, assignedPath: String?, expectedVersion: Int, on db: any SQLDatabase) async throws {
        let updated = try await db.raw(
            """
            UPDATE items SET status = \(bind: item.status.rawValue), category = \(bind: item.category.rawValue), assigned_unit_id = \(bind: item.assignedUnitID?.rawValue),
                assigned_path = \(bind: assignedPath), response_due = \(bind: item.responseDue?.epochSeconds),
                handling_due = \(bind: item.handlingDue?.epochSeconds), round = \(bind: item.round),
                accepted_at = \(bind: item.acceptedAt?.epochSeconds), first_replied_at = \(bind: item.firstRepliedAt?.epochSeconds),
                replied_at = \(bind: item.repliedAt?.epochSeconds), answered_on_spot = \(bind: item.answeredOnSpot ? 1 : 0),
                reply_outcome = \(bind: item.replyOutcome?.rawValue), reply_text = \(bind: item.replyText),
                public_reason = \(bind: item.publicReason), callback_due = \(bind: item.callbackDue?.epochSeconds),
                callback_attempts = \(bind: item.callbackAttempts), callback_result = \(bind: item.callbackResult?.rawValue),
                first_callback_result = \(bind: item.firstCallbackResult?.rawValue),
                merged_into = \(bind: item.mergedInto), closed_at = \(bind: item.closedAt?.epochSeconds),
                breached = \(bind: item.breached ? 1 : 0), late_since = \(bind: item.lateSince?.epochSeconds), late_for = \(bind: item.lateFor?.rawValue),
                updated_at = \(bind: item.updatedAt.epochSeconds), version = \(bind: item.version)
            WHERE id = \(bind: item.id.rawValue) AND version = \(bind: expectedVersion) RETURNING id
            """
        ).first()
        guard updated != nil else { throw StorageError.conflict("事项 \(item.number) 已被他人修改，请刷新后重试 (changed concurrently)") }
    }

    // MARK: Deadlines

    /// Finds items past a deadline, records the breach once, and issues a supervision order. Safe to run on several
    /// instances at once: rows are claimed in the database, and each breach (item, deadline, round) is recorded once.
    @discardableResult
    public func scanDeadlines(at now: Date, batch: Int = 200) async throws -> Int {
        let t = now.epochSeconds
        let units = try await scan(
            """
            SELECT * FROM items WHERE (status = 'dispatched' AND response_due < \(bind: t))
                OR (status IN ('dispatched', 'accepted', 'supervised') AND handling_due < \(bind: t))
            """, batch: batch, at: now, breach: { $0.overdue(at: now) })
        return units + (try await scanCallbacks(at: now, batch: batch))
    }

    /// How long a callback may stay undone after it falls due before the callback centre gets an order, and again
    /// before the order is escalated (to the centre's lead, then the leaders).
    public static let callbackGrace: TimeInterval = 86400

    /// Callbacks left undone a day past due: an order to the callback centre, escalated each further day (three at
    /// most). Each step is a breach claimed once, so several instances can scan at once.
    func scanCallbacks(at now: Date, batch: Int) async throws -> Int {
        let grace = Int(Self.callbackGrace)
        let breaches: SQLQueryString = "(SELECT COUNT(*) FROM deadline_breaches b WHERE b.item_id = items.id AND b.kind = 'callback')"
        // Due, plus a day for each step already taken, has passed.
        let stepDue: SQLQueryString = "callback_due + \(bind: grace) * (1 + " + breaches + ")"
        return try await scan(
            "SELECT * FROM items WHERE status = 'replied' AND callback_due < \(bind: now.epochSeconds - grace) AND " + stepDue
                + " < \(bind: now.epochSeconds) AND " + breaches + " < 3",
            batch: batch, at: now, breach: { _ in .callback })
    }

    /// Claims the items `query` selects a batch at a time (skipping rows another instance holds) and records each
    /// one's breach, if `breach` finds one; returns how many breaches were recorded.
    private func scan(_ query: SQLQueryString, batch: Int, at now: Date, breach: @escaping @Sendable (Item) -> DeadlineKind?) async throws -> Int {
        let dialect = database.dialect
        let newID = self.newID
        var total = 0
        while true {
            let count = try await database.write { db -> Int in
                let rows = try await db.raw(query + " ORDER BY id LIMIT \(literal: batch)" + dialect.claimRows).all()
                var acted = 0
                let tallies = TallyChanges()
                for row in rows {
                    let stored = try Self.decodeStored(row)
                    guard let kind = breach(stored.item) else { continue }
                    do {
                        _ = try await Self.apply(.overdue(kind), to: stored, by: nil, at: now, on: db, newID: newID, tallies: tallies)
                        acted += 1
                    } catch StorageError.conflict {
                        continue
                    }
                }
                try await tallies.write(on: db)
                return acted
            }
            total += count
            if count < batch { return total }
        }
    }

    /// The unit whose officers make the callbacks (民意访评中心): the one nearest the top of the tree with an active
    /// callback agent.
    static func callbackCentre(on db: any SQLDatabase) async throws -> PoliceUnit.ID? {
        try await db.raw(
            """
            SELECT o.unit_id FROM officers o JOIN units u ON u.id = o.unit_id
            WHERE o.active = 1 AND o.roles LIKE '%callback_agent%' ORDER BY LENGTH(u.path), u.id LIMIT 1
            """
        ).first().map { .init(try $0.string("unit_id")) }
    }

    // MARK: Personal data

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

    // MARK: Public lookup

    /// The item, when the PIN matches (an echo card's serial works like a tracking number: its PIN is printed on the
    /// card). Guessing is slowed by the caller (`GuessThrottle`), by address and by number, not here.
    public func lookup(number: String, pin: String) async throws -> StoredItem? {
        let expected = self.pin(for: number)
        let found = SQLEchoCardStore.isSerial(number) ? try await item(echoCard: number) : try await item(number: number)
        guard let stored = found, constantTimeEquals(pin, expected) else { return nil }
        return stored
    }

    // MARK: Decoding

    static func decodeStored(_ row: any SQLRow) throws -> StoredItem {
        StoredItem(item: try decodeItem(row), placePath: try row.string("place_path"), assignedPath: try row.optionalString("assigned_path"))
    }

    static func decodeItem(_ row: any SQLRow) throws -> Item {
        func value<T: RawRepresentable>(_ column: String, _ type: T.Type) throws -> T where T.RawValue == String {
            guard let value = T(rawValue: try row.string(column)) else { throw StorageError.corrupt("\(column)") }
            return value
        }
        let contact = Contact(
            name: try row.optionalString("contact_name"), phone: try row.optionalString("contact_phone"),
            idNumber: try row.optionalString("contact_id_number"))
        var item = Item(
            id: .init(try row.string("id")), number: try row.string("number"), kind: try value("kind", ItemKind.self),
            category: .init(try row.string("category")), channel: try value("channel", Channel.self), text: try row.string("text"),
            placeID: .init(try row.string("place_id")), address: try row.optionalString("address"), latitude: try row.optionalDouble("latitude"),
            longitude: try row.optionalDouble("longitude"), contact: contact.isEmpty ? nil : contact, emergency: try row.int("emergency") == 1,
            echoCard: try row.optionalString("echo_card"), createdAt: try row.date("created_at"))
        item.status = try value("status", ItemStatus.self)
        item.assignedUnitID = try row.optionalString("assigned_unit_id").map { .init($0) }
        item.responseDue = try row.optionalDate("response_due")
        item.handlingDue = try row.optionalDate("handling_due")
        item.round = try row.int("round")
        item.acceptedAt = try row.optionalDate("accepted_at")
        item.firstRepliedAt = try row.optionalDate("first_replied_at")
        item.repliedAt = try row.optionalDate("replied_at")
        item.answeredOnSpot = try row.int("answered_on_spot") == 1
        item.replyOutcome = try row.optionalString("reply_outcome").flatMap(ReplyOutcome.init(rawValue:))
        item.replyText = try row.optionalString("reply_text")
        item.publicReason = try row.optionalString("public_reason")
        item.callbackDue = try row.optionalDate("callback_due")
        item.callbackAttempts = try row.int("callback_attempts")
        item.callbackResult = try row.optionalString("callback_result").flatMap(CallbackResult.init(rawValue:))
        item.firstCallbackResult = try row.optionalString("first_callback_result").flatMap(CallbackResult.init(rawValue:))
        item.mergedInto = try row.optionalString("merged_into")
        item.closedAt = try row.optionalDate("closed_at")
        item.breached = try row.int("breached") == 1
        item.lateSince = try row.optionalDate("late_since")
        item.lateFor = try row.optionalString("late_for").flatMap(DeadlineKind.init(rawValue:))
        item.updatedAt = try row.date("updated_at")
        item.version = try row.int("version")
        return item
    }

    static func decodeEvent(_ row: any SQLRow) throws -> ItemEvent {
        guard let kind = ItemEvent.Kind(rawValue: try row.string("kind")), let status = ItemStatus(rawValue: try row.string("status")) else {
            throw StorageError.corrupt("event")
        }
        let detail = (try? JSONDecoder().decode([String: String].self, from: Data(try row.string("detail").utf8))) ?? [:]
        return ItemEvent(
            sequence: try row.int("seq"), kind: kind, at: try row.date("at"), actorID: try row.optionalString("actor_id").map { .init($0) },
            actorUnitID: try row.optionalString("actor_unit_id").map { .init($0) }, status: status, reason: try row.optionalString("reason"),
            detail: detail)
    }

    static func decodeOrder(_ row: any SQLRow) throws -> SupervisionOrder {
        guard let cause = SupervisionOrder.Cause(rawValue: try row.string("cause")) else { throw StorageError.corrupt("cause") }
        return SupervisionOrder(
            id: .init(try row.string("id")), itemID: .init(try row.string("item_id")), itemNumber: try row.string("number"),
            unitID: .init(try row.string("unit_id")), cause: cause, reason: try row.string("reason"), issuedAt: try row.date("issued_at"),
            issuedBy: try row.optionalString("issued_by").map { .init($0) }, due: try row.date("due"), resolvedAt: try row.optionalDate("resolved_at"),
            level: try row.int("level"))
    }
}

func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
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
