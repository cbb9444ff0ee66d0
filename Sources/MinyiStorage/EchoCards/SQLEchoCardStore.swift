import Foundation
import MinyiCore
import SQLKit

/// A batch of echo cards issued to a unit.
public struct EchoCardBatch: Sendable, Hashable {
    public var id: String
    public var unitID: PoliceUnit.ID
    public var count: Int
    public var firstSerial: String
    public var lastSerial: String
    public var issuedAt: Date
    /// How many of the batch's cards have come back as items.
    public var used: Int
}

/// One echo card and, once it has come back, the item registered from it.
public struct EchoCard: Sendable, Hashable {
    public var serial: String
    public var unitID: PoliceUnit.ID
    public var itemNumber: String?
}

/// Echo cards (回音卡): serials issued in batches to a unit; an item may be registered from each card once.
public struct SQLEchoCardStore: Sendable {
    let database: any DatabaseBackend
    let newID: @Sendable () -> String

    /// The most cards one batch may hold.
    public static let maxBatch = 1000

    public init(database: any DatabaseBackend, newID: @escaping @Sendable () -> String = { RowID.make() }) {
        self.database = database
        self.newID = newID
    }

    /// A card's serial: the bureau's code, `H`, and a six-digit sequence, such as `KFQ-H000123`.
    public static func serial(bureau: String, sequence: Int) -> String {
        let digits = String(sequence)
        return "\(bureau)-H" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// Whether the text has the shape of a card serial, such as `KFQ-H000123`.
    public static func isSerial(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...8).contains(parts[0].count), parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            parts[1].count >= 7, parts[1].first == "H", parts[1].dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })
        else { return false }
        return true
    }

    /// Issues `count` new cards to a unit, numbered on from the bureau's last card, in one transaction.
    public func issue(count: Int, to unit: PoliceUnit.ID, by actor: Actor?, at now: Date) async throws -> EchoCardBatch {
        guard (1...Self.maxBatch).contains(count) else {
            throw ValidationError.invalid(field: "count", message: "每批 1–\(Self.maxBatch) 张 (1 to \(Self.maxBatch) cards per batch)")
        }
        let id = newID()
        return try await database.write { db in
            guard let target = try await SQLOrganisationStore.unit(on: db, id: unit) else {
                throw ValidationError.invalid(field: "unit", message: "未知的单位 \(unit) (unknown unit)")
            }
            if let actor, !actor.jurisdiction.contains(path: target.path) {
                throw AccessError.outsideJurisdiction("单位 \(unit)")
            }
            let bureau = target.lineage.first?.rawValue ?? target.id.rawValue
            let scope = "echo:\(bureau)"
            let last = try await Counters.add(count, to: scope, on: db)
            let first = last - count + 1
            try await db.raw(
                """
                INSERT INTO echo_card_batches (id, unit_id, first_seq, count, issued_at, issued_by)
                VALUES (\(bind: id), \(bind: unit.rawValue), \(bind: first), \(bind: count), \(bind: now.epochSeconds), \
                \(bind: actor?.officer.id.rawValue))
                """
            ).run()
            for chunk in stride(from: first, through: last, by: 200) {
                let rows = (chunk...min(last, chunk + 199)).map { sequence -> SQLQueryString in
                    "(\(bind: Self.serial(bureau: bureau, sequence: sequence)), \(bind: sequence), \(bind: id), \(bind: unit.rawValue))"
                }
                try await db.raw("INSERT INTO echo_cards (serial, seq, batch_id, unit_id) VALUES " + rows.joined(separator: ", ")).run()
            }
            return EchoCardBatch(
                id: id, unitID: unit, count: count, firstSerial: Self.serial(bureau: bureau, sequence: first),
                lastSerial: Self.serial(bureau: bureau, sequence: last), issuedAt: now, used: 0)
        }
    }

    /// The batches issued within a jurisdiction, newest first.
    public func batches(within jurisdiction: PoliceUnit) async throws -> [EchoCardBatch] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT b.id, b.unit_id, b.count, b.issued_at, MIN(c.serial) AS first_serial, MAX(c.serial) AS last_serial,
                    COUNT(i.id) AS used
                FROM echo_card_batches b JOIN units u ON u.id = b.unit_id JOIN echo_cards c ON c.batch_id = b.id
                LEFT JOIN items i ON i.echo_card = c.serial
                WHERE u.path LIKE \(bind: jurisdiction.path + "%")
                GROUP BY b.id, b.unit_id, b.count, b.issued_at ORDER BY b.issued_at DESC, b.id LIMIT 200
                """
            ).all().map { row in
                EchoCardBatch(
                    id: try row.string("id"), unitID: .init(try row.string("unit_id")), count: try row.int("count"),
                    firstSerial: try row.string("first_serial"), lastSerial: try row.string("last_serial"),
                    issuedAt: try row.date("issued_at"), used: try row.int("used"))
            }
        }
    }

    /// The cards of a batch within the jurisdiction, in order; nil when there is no such batch there.
    public func cards(batch: String, within jurisdiction: PoliceUnit) async throws -> [EchoCard]? {
        try await database.read { db in
            let rows = try await db.raw(
                """
                SELECT c.serial, c.unit_id, i.number FROM echo_cards c JOIN units u ON u.id = c.unit_id
                LEFT JOIN items i ON i.echo_card = c.serial
                WHERE c.batch_id = \(bind: batch) AND u.path LIKE \(bind: jurisdiction.path + "%") ORDER BY c.seq
                """
            ).all()
            if rows.isEmpty { return nil }
            return try rows.map {
                EchoCard(serial: try $0.string("serial"), unitID: .init(try $0.string("unit_id")), itemNumber: try $0.optionalString("number"))
            }
        }
    }
}
