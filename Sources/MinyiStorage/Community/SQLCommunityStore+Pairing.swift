import Foundation
import MinyiCore
import SQLKit

/// A pair as the lists show it: with the household's address and how the pair stands now.
public struct PairRow: Sendable, Hashable {
    public var pairing: Pairing
    public var address: String
    public var unitID: PoliceUnit.ID
    public var standing: PairStanding
}

/// One thing a cadre did for a paired household.
public struct PairActivity: Sendable, Hashable {
    public var id: String
    public var pairingID: Pairing.ID
    public var kind: PairActivityKind
    public var at: Date
    public var note: String?
    public var officerID: Officer.ID
}

extension SQLCommunityStore {
    static let cadenceKey = "pairing_cadence"

    /// The bureau's pairing cadence (default: contact weekly, visit monthly, two deeds a year).
    public func pairingCadence() async throws -> PairingCadence {
        try await database.read { db in
            try await db.raw("SELECT value FROM settings WHERE key = \(bind: Self.cadenceKey)").first()
                .flatMap { PairingCadence(text: try $0.string("value")) } ?? .standard
        }
    }

    public func setPairingCadence(_ cadence: PairingCadence) async throws {
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO settings (key, value) VALUES (\(bind: Self.cadenceKey), \(bind: cadence.text))
                ON CONFLICT (key) DO UPDATE SET value = \(bind: cadence.text)
                """
            ).run()
        }
    }

    /// Pairs a cadre with a household of the actor's jurisdiction; the cadre must serve where the household is.
    public func pair(officer: Officer.ID, with household: Household.ID, by actor: Actor, at now: Date) async throws -> Pairing {
        let id = Pairing.ID(newID())
        return try await database.write { db in
            guard let stored = try await Self.household(household, on: db), actor.jurisdiction.contains(path: stored.unitPath) else {
                throw ValidationError.invalid(
                    field: "household",
                    message: "住户 \(household) 不存在或不在您的辖区 (no such household in your jurisdiction)")
            }
            guard let unit = try await SQLOrganisationStore.unit(on: db, id: stored.household.unitID) else {
                throw StorageError.notFound(what: "社区", id: stored.household.unitID.rawValue)
            }
            try await Self.checkOfficer(officer, within: unit, on: db)
            if try await db.raw(
                "SELECT id FROM pairings WHERE officer_id = \(bind: officer.rawValue) AND household_id = \(bind: household.rawValue)"
            ).first() != nil {
                throw ValidationError.invalid(field: "household", message: "该民警已与这户结对 (already paired)")
            }
            try await db.raw(
                """
                INSERT INTO pairings (id, officer_id, household_id, unit_path, since, active, created_by)
                VALUES (\(bind: id.rawValue), \(bind: officer.rawValue), \(bind: household.rawValue), \(bind: stored.unitPath), \
                \(bind: now.epochSeconds), 1, \(bind: actor.officer.id.rawValue))
                """
            ).run()
            return Pairing(id: id, officerID: officer, householdID: household, since: now)
        }
    }

    /// Records a contact or a deed of a pair: by the paired cadre, or a unit lead of the household's jurisdiction.
    /// A deed says what was done. The same `requestKey` again records nothing twice.
    public func recordPairActivity(
        _ kind: PairActivityKind, for pairing: Pairing.ID, at when: Date, note: String?, requestKey: String?, by actor: Actor, now: Date
    ) async throws -> PairActivity {
        try ValidationError.checkPlain(note, field: "note")
        let note = note?.trimmed.isEmpty == false ? note?.trimmed : nil
        if kind == .deed, note == nil {
            throw ValidationError.invalid(field: "note", message: "请写明办了什么实事 (say what was done)")
        }
        if let note, note.count > 500 { throw ValidationError.invalid(field: "note", message: "最多 500 字 (at most 500 characters)") }
        guard when <= now.addingTimeInterval(600), when >= now.addingTimeInterval(-60 * 86400) else {
            throw ValidationError.invalid(field: "at", message: "只能记录 60 天内的事 (within the last 60 days)")
        }
        let id = newID()
        return try await database.write { db in
            if let requestKey, let row = try await db.raw("SELECT * FROM pair_activities WHERE request_key = \(bind: requestKey)").first() {
                return try Self.decodeActivity(row)
            }
            guard let row = try await db.raw("SELECT * FROM pairings WHERE id = \(bind: pairing.rawValue)").first(),
                actor.jurisdiction.contains(path: try row.string("unit_path"))
            else { throw StorageError.notFound(what: "结对", id: pairing.rawValue) }
            let cadre = Officer.ID(try row.string("officer_id"))
            guard cadre == actor.officer.id || actor.officer.hasAny([.unitLead, .leader]) else {
                throw AccessError.missingRole(needed: [.unitLead, .leader])
            }
            try await db.raw(
                """
                INSERT INTO pair_activities (id, pairing_id, kind, at, note, officer_id, request_key, created_at)
                VALUES (\(bind: id), \(bind: pairing.rawValue), \(bind: kind.rawValue), \(bind: when.epochSeconds), \(bind: note), \
                \(bind: cadre.rawValue), \(bind: requestKey), \(bind: now.epochSeconds))
                """
            ).run()
            return PairActivity(id: id, pairingID: pairing, kind: kind, at: when, note: note, officerID: cadre)
        }
    }

    /// The pairs of the actor's jurisdiction (or one cadre's), each judged at `now`; `behindOnly` keeps those falling behind.
    public func pairs(for actor: Actor, officer: Officer.ID? = nil, behindOnly: Bool = false, at now: Date) async throws -> [PairRow] {
        let cadence = try await pairingCadence()
        let week = Bulletin.week(containing: now)
        let lastWeek = week.start.addingTimeInterval(-7 * 86400)
        let month = Deadlines.month(containing: now)
        let lastMonth = Deadlines.month(containing: month.start, offsetBy: -1).start
        let year = Deadlines.start(year: Deadlines.year(of: now), month: 1)
        let from = min(lastWeek, lastMonth, year).epochSeconds
        return try await database.read { db in
            var conditions: [SQLQueryString] = ["p.active = 1", "p.unit_path LIKE \(bind: actor.jurisdiction.path + "%")"]
            if let officer { conditions.append("p.officer_id = \(bind: officer.rawValue)") }
            let pairs = try await db.raw(
                SQLQueryString("SELECT p.*, h.address, h.unit_id FROM pairings p JOIN households h ON h.id = p.household_id WHERE ")
                    + conditions.joined(separator: " AND ") + " ORDER BY p.unit_path, h.address"
            ).all()
            guard !pairs.isEmpty else { return [] }
            var counts: [String: PairActivityCounts] = [:]
            func bucket(_ at: Int, kind: String, into c: inout PairActivityCounts) {
                let t = at
                let inWeek = t >= week.start.epochSeconds && t < week.end.epochSeconds
                let inLastWeek = t >= lastWeek.epochSeconds && t < week.start.epochSeconds
                switch kind {
                case "contact":
                    if inWeek { c.contactsThisWeek += 1 }
                    if inLastWeek { c.contactsLastWeek += 1 }
                case "deed":
                    if t >= year.epochSeconds && t <= now.epochSeconds { c.deedsThisYear += 1 }
                default:
                    if inWeek { c.visitsThisWeek += 1 }
                    if inLastWeek { c.visitsLastWeek += 1 }
                    if t >= month.start.epochSeconds && t < month.end.epochSeconds { c.visitsThisMonth += 1 }
                    if t >= lastMonth.epochSeconds && t < month.start.epochSeconds { c.visitsLastMonth += 1 }
                }
            }
            let ids = try pairs.map { try $0.string("id") }
            for row in try await db.raw(
                "SELECT pairing_id, kind, at FROM pair_activities WHERE pairing_id IN (\(binds: ids)) AND at >= \(bind: from)"
            ).all() {
                bucket(try row.int("at"), kind: try row.string("kind"), into: &counts[try row.string("pairing_id"), default: PairActivityCounts()])
            }
            // The cadre's visits to the household count as the pair's visits.
            for row in try await db.raw(
                """
                SELECT p.id AS pairing_id, v.at FROM pairings p JOIN visits v ON v.household_id = p.household_id AND v.officer_id = p.officer_id
                WHERE p.id IN (\(binds: ids)) AND v.outcome = 'met' AND v.at >= \(bind: from)
                """
            ).all() {
                bucket(try row.int("at"), kind: "visit", into: &counts[try row.string("pairing_id"), default: PairActivityCounts()])
            }
            return try pairs.compactMap { row in
                let pairing = Pairing(
                    id: .init(try row.string("id")), officerID: .init(try row.string("officer_id")),
                    householdID: .init(try row.string("household_id")), since: try row.date("since"))
                let standing = PairStanding.judge(
                    cadence: cadence, since: pairing.since, counts: counts[pairing.id.rawValue] ?? PairActivityCounts(), at: now)
                if behindOnly && !standing.isBehind { return nil }
                return PairRow(pairing: pairing, address: try row.string("address"), unitID: .init(try row.string("unit_id")), standing: standing)
            }
        }
    }

    /// A pair's contacts and deeds, newest first.
    public func activities(of pairing: Pairing.ID, for actor: Actor) async throws -> [PairActivity] {
        try await database.read { db in
            guard let row = try await db.raw("SELECT unit_path FROM pairings WHERE id = \(bind: pairing.rawValue)").first(),
                actor.jurisdiction.contains(path: try row.string("unit_path"))
            else { return [] }
            return try await db.raw("SELECT * FROM pair_activities WHERE pairing_id = \(bind: pairing.rawValue) ORDER BY at DESC LIMIT 200").all()
                .map(Self.decodeActivity)
        }
    }

    static func decodeActivity(_ row: any SQLRow) throws -> PairActivity {
        guard let kind = PairActivityKind(rawValue: try row.string("kind")) else { throw StorageError.corrupt("pair activity kind") }
        return PairActivity(
            id: try row.string("id"), pairingID: .init(try row.string("pairing_id")), kind: kind, at: try row.date("at"),
            note: try row.optionalString("note"), officerID: .init(try row.string("officer_id")))
    }
}
