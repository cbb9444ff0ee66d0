import Foundation
import MinyiCore
import SQLKit

/// A due visit with what the list shows of its household.
public struct DueVisitRow: Sendable, Hashable {
    public var due: DueVisit
    public var address: String
    public var tags: Set<HouseholdTag>

    public init(due: DueVisit, address: String, tags: Set<HouseholdTag>) {
        self.due = due
        self.address = address
        self.tags = tags
    }
}

/// What recording a visit gave: the visit, and whether it was already recorded by the same request (a retried form).
public struct RecordedVisit: Sendable, Hashable {
    public var visit: Visit
    public var replayed: Bool
    /// The due visits it resolved, with how.
    public var resolved: [DueVisit.ID: DueVisitStatus]
}

extension SQLCommunityStore {
    /// The settings key of the night-visit hours.
    static let nightKey = "night_visits"

    /// The bureau's night-visit hours (default Monday, Wednesday and Friday 20:00–21:00).
    public func nightSchedule() async throws -> NightSchedule {
        try await database.read { db in
            try await db.raw("SELECT value FROM settings WHERE key = \(bind: Self.nightKey)").first()
                .flatMap { NightSchedule(text: try $0.string("value")) } ?? .standard
        }
    }

    /// Sets the night-visit hours (visits already recorded keep how they were counted).
    public func setNightSchedule(_ schedule: NightSchedule) async throws {
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO settings (key, value) VALUES (\(bind: Self.nightKey), \(bind: schedule.text))
                ON CONFLICT (key) DO UPDATE SET value = \(bind: schedule.text)
                """
            ).run()
        }
    }

    // MARK: Visits

    /// Records a visit to a household of the actor's jurisdiction, in one transaction: the visit; the household's due
    /// visits it resolves (on time or late; only a visit that met the household counts); and, when the officer chose a
    /// category, an item opened from what was heard (channel "home visit", linked both ways). The same `requestKey`
    /// again (a retried form) gives back the first record instead of a second.
    public func recordVisit(
        to id: Household.ID, _ report: VisitReport, requestKey: String?, by actor: Actor, at now: Date
    ) async throws -> RecordedVisit {
        let visitID = Visit.ID(newID())
        let itemID = newID()
        let night = try await nightSchedule().contains(report.at)
        let fingerprint = Self.fingerprint(of: report, household: id)
        return try await database.write { db in
            if let requestKey, let row = try await db.raw("SELECT * FROM visits WHERE request_key = \(bind: requestKey)").first() {
                guard try row.optionalString("request_hash") == fingerprint else {
                    throw ValidationError.invalid(
                        field: "request_key", message: "这个表单已提交过不同的内容，请重新打开表单 (this form was already sent with other content)")
                }
                return RecordedVisit(visit: try Self.decodeVisit(row), replayed: true, resolved: [:])
            }
            guard let stored = try await Self.household(id, on: db), actor.jurisdiction.contains(path: stored.unitPath) else {
                throw StorageError.notFound(what: "住户", id: id.rawValue)
            }
            var visit = Visit(
                id: visitID, householdID: id, officerID: actor.officer.id, unitID: stored.household.unitID, at: report.at, night: night,
                outcome: report.outcome, heard: report.heard, diary: report.diary, itemNumber: nil)
            if let category = report.itemCategory, let heard = report.heard {
                visit.itemNumber = try await openItem(
                    id: itemID, from: visit, heard: heard, category: category, household: stored, by: actor, at: now, on: db)
            }
            try await db.raw(
                """
                INSERT INTO visits (id, household_id, officer_id, unit_id, unit_path, at, night, outcome, heard, diary, item_category, item_number,
                    request_key, request_hash, created_at)
                VALUES (\(bind: visitID.rawValue), \(bind: id.rawValue), \(bind: actor.officer.id.rawValue), \
                \(bind: stored.household.unitID.rawValue), \
                \(bind: stored.unitPath), \(bind: report.at.epochSeconds), \(bind: night ? 1 : 0), \(bind: report.outcome.rawValue), \
                \(bind: report.heard), \(bind: report.diary), \(bind: report.itemCategory?.rawValue), \(bind: visit.itemNumber), \
                \(bind: requestKey), \(bind: fingerprint), \(bind: now.epochSeconds))
                """
            ).run()
            try await VisitTallies.count(visit, on: db)
            var resolved: [DueVisit.ID: DueVisitStatus] = [:]
            if report.outcome.counts {
                let open = try await db.raw(
                    """
                    SELECT id, rule_id, earliest, due, unit_id, officer_id FROM due_visits \
                    WHERE household_id = \(bind: id.rawValue) AND status = 'open' \
                    AND earliest <= \(bind: report.at.epochSeconds)
                    """
                ).all()
                for row in open {
                    let window = (earliest: try row.date("earliest"), due: try row.date("due"))
                    guard let status = DueVisitStatus.resolution(of: window, visitedAt: report.at) else { continue }
                    let dueID = DueVisit.ID(try row.string("id"))
                    try await db.raw(
                        """
                        UPDATE due_visits SET status = \(bind: status.rawValue), visit_id = \(bind: visitID.rawValue), \
                        resolved_at = \(bind: report.at.epochSeconds) WHERE id = \(bind: dueID.rawValue)
                        """
                    ).run()
                    resolved[dueID] = status
                    // Planned visits are the officer's own: the mandatory visits' counts leave them out.
                    guard try row.string("rule_id") != Self.plannedRule.rawValue else { continue }
                    try await VisitTallies.countResolved(
                        status, due: window.due, unit: .init(try row.string("unit_id")),
                        officer: try row.optionalString("officer_id").map { Officer.ID($0) }, on: db)
                }
                try await db.raw(
                    """
                    UPDATE households SET last_visit_at = \(bind: report.at.epochSeconds) WHERE id = \(bind: id.rawValue) \
                    AND (last_visit_at IS NULL OR last_visit_at < \(bind: report.at.epochSeconds))
                    """
                ).run()
            }
            return RecordedVisit(visit: visit, replayed: false, resolved: resolved)
        }
    }

    /// The item opened from what a visit heard: registered for the command centre like any other, placed in the
    /// household's community, with the head of the household (the first member with a phone) as its contact.
    private func openItem(
        id: String, from visit: Visit, heard: String, category: MinyiCore.Category.Code, household: StoredHousehold, by actor: Actor, at now: Date,
        on db: any SQLDatabase
    ) async throws -> String {
        guard try await db.raw("SELECT code FROM categories WHERE code = \(bind: category.rawValue)").first() != nil else {
            throw ValidationError.invalid(field: "category", message: "未知的类别 \(category) (unknown category)")
        }
        guard let place = try await SQLOrganisationStore.unit(on: db, id: household.household.unitID) else {
            throw StorageError.notFound(what: "社区", id: household.household.unitID.rawValue)
        }
        let head = household.household.members.first { $0.phone != nil } ?? household.household.members.first
        let contact = try? Contact.validated(name: head?.name, phone: head?.phone, idNumber: nil)
        let submission = try Submission(
            kind: .opinion, category: category, channel: .homeVisit, text: heard, placeID: place.id, address: household.household.address,
            contact: contact)
        let input = Intake.Input(
            id: .init(id), submission: submission, place: place, idempotencyKey: "visit:" + visit.id.rawValue, idempotencyHash: "home-visit",
            actorID: actor.officer.id, actorUnitID: actor.unit.id, at: now)
        let tallies = TallyChanges()
        switch try await Intake.execute([input], on: db, tallies: tallies)[0] {
        case .success(let output):
            try await tallies.write(on: db)
            return output.item.number
        case .failure(let error):
            throw error
        }
    }

    /// A household's visits, newest first.
    public func visits(of id: Household.ID, for actor: Actor, limit: Int = 100) async throws -> [Visit] {
        try await database.read { db in
            guard let stored = try await Self.household(id, on: db), actor.jurisdiction.contains(path: stored.unitPath) else { return [] }
            return try await db.raw("SELECT * FROM visits WHERE household_id = \(bind: id.rawValue) ORDER BY at DESC LIMIT \(bind: limit)").all()
                .map(Self.decodeVisit)
        }
    }

    /// The visit an item was opened from, when the actor may see it.
    public func visit(openedItem number: String, for actor: Actor) async throws -> Visit? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM visits WHERE item_number = \(bind: number)").first(),
                actor.jurisdiction.contains(path: try row.string("unit_path"))
            else { return nil }
            return try Self.decodeVisit(row)
        }
    }

    /// An officer's visits (the visit diary, 民情日记), newest first, within the actor's jurisdiction, with each
    /// household's address.
    public func diary(of officer: Officer.ID, for actor: Actor, before: Date? = nil, limit: Int = 100) async throws -> [(
        visit: Visit,
        address: String
    )] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT v.*, h.address FROM visits v JOIN households h ON h.id = v.household_id
                WHERE v.officer_id = \(bind: officer.rawValue) AND v.unit_path LIKE \(bind: actor.jurisdiction.path + "%") \
                AND v.at < \(bind: (before ?? .distantFuture).epochSeconds)
                ORDER BY v.at DESC LIMIT \(bind: limit)
                """
            ).all().map { (try Self.decodeVisit($0), try $0.string("address")) }
        }
    }

    // MARK: Due visits

    /// The due list: open due visits, soonest due first and, on the same day, the more urgent first. An officer sees
    /// the households they look after, and the unassigned ones of their jurisdiction (of their areas, when they were
    /// assigned some in the layered assignment); a unit lead asking for `everyone` sees all of it.
    public func dueVisits(for actor: Actor, everyone: Bool, limit: Int = 200) async throws -> [DueVisitRow] {
        let limit = max(1, min(1000, limit))
        return try await database.read { db in
            let scope = actor.jurisdiction.path + "%"
            let areas = try await db.raw("SELECT unit_path FROM area_assignments WHERE officer_id = \(bind: actor.officer.id.rawValue)").all()
                .map { try $0.string("unit_path") + "%" }
            // Each part read along an index in the list's order (open visits by officer, due, priority), so the cost
            // is the page's, not the number of open visits: the officer's own, then the unassigned ones, merged.
            func part(_ condition: SQLQueryString) async throws -> [DueVisitRow] {
                try await db.raw(
                    """
                    SELECT d.*, h.address, h.tags FROM due_visits d JOIN households h ON h.id = d.household_id
                    WHERE d.status = 'open' AND d.unit_path LIKE \(bind: scope) AND
                    """ + " " + condition + " ORDER BY d.due, d.priority DESC, d.id LIMIT \(bind: limit)"
                ).all().map { row in
                    DueVisitRow(
                        due: try Self.decodeDue(row), address: try row.string("address"),
                        tags: Set(try row.string("tags").split(separator: ",").compactMap { HouseholdTag(rawValue: String($0)) }))
                }
            }
            let rows: [DueVisitRow]
            if everyone {
                rows = try await part("1 = 1")
            } else {
                let areaCondition: SQLQueryString =
                    areas.isEmpty ? "1 = 1" : "(" + areas.map { "d.unit_path LIKE \(bind: $0)" as SQLQueryString }.joined(separator: " OR ") + ")"
                rows = try await part("d.officer_id = \(bind: actor.officer.id.rawValue)") + part("d.officer_id IS NULL AND " + areaCondition)
            }
            return Array(
                rows.sorted { ($0.due.due, -$0.due.priority, $0.due.id.rawValue) < ($1.due.due, -$1.due.priority, $1.due.id.rawValue) }
                    .prefix(limit))
        }
    }

    /// A household's due visits, open ones first.
    public func dueVisits(of id: Household.ID, for actor: Actor) async throws -> [DueVisit] {
        try await database.read { db in
            guard let stored = try await Self.household(id, on: db), actor.jurisdiction.contains(path: stored.unitPath) else { return [] }
            return try await db.raw(
                """
                    SELECT * FROM due_visits WHERE household_id = \(bind: id.rawValue) ORDER BY CASE status WHEN 'open' THEN 0 ELSE 1 END, due DESC \
                    LIMIT 50
                    """
            ).all().map(Self.decodeDue)
        }
    }

    static func decodeVisit(_ row: any SQLRow) throws -> Visit {
        guard let outcome = VisitOutcome(rawValue: try row.string("outcome")) else { throw StorageError.corrupt("visit outcome") }
        return Visit(
            id: .init(try row.string("id")), householdID: .init(try row.string("household_id")), officerID: .init(try row.string("officer_id")),
            unitID: .init(try row.string("unit_id")), at: try row.date("at"), night: try row.int("night") == 1, outcome: outcome,
            heard: try row.optionalString("heard"), diary: try row.optionalString("diary"), itemNumber: try row.optionalString("item_number"))
    }

    static func decodeDue(_ row: any SQLRow) throws -> DueVisit {
        guard let status = DueVisitStatus(rawValue: try row.string("status")) else { throw StorageError.corrupt("due visit status") }
        return DueVisit(
            id: .init(try row.string("id")), householdID: .init(try row.string("household_id")), ruleID: .init(try row.string("rule_id")),
            reason: try row.string("reason"), unitID: .init(try row.string("unit_id")),
            officerID: try row.optionalString("officer_id").map { Officer.ID($0) }, earliest: try row.date("earliest"), due: try row.date("due"),
            priority: try row.int("priority"), status: status, visitID: try row.optionalString("visit_id").map { Visit.ID($0) },
            supervision: try row.optionalString("supervision_reason"))
    }

    /// What makes a retried form the same request: the household and everything the officer wrote.
    static func fingerprint(of report: VisitReport, household: Household.ID) -> String {
        [
            household.rawValue, report.outcome.rawValue, String(report.at.epochSeconds), report.heard ?? "", report.diary ?? "",
            report.itemCategory?.rawValue ?? "",
        ].map { String($0.utf8.count) + ":" + $0 }.joined()
    }
}

extension SQLCommunityStore {
    /// The rule ID of visits an officer plans (计划走访) rather than a rule makes due.
    public static let plannedRule: VisitRule.ID = "plan"

    /// An officer plans a visit to a household of their jurisdiction on a day: it joins their due list for that day
    /// (a visit that day resolves it; later, late), apart from the mandatory visits' counts.
    public func planVisit(to id: Household.ID, on day: Date, note: String?, by actor: Actor, at now: Date) async throws -> DueVisit {
        try ValidationError.checkPlain(note, field: "note")
        let note = note?.trimmed.isEmpty == false ? note?.trimmed : nil
        if let note, note.count > 100 { throw ValidationError.invalid(field: "note", message: "最多 100 字 (at most 100 characters)") }
        let start = Deadlines.dayStart(of: day)
        guard start >= Deadlines.dayStart(of: now), start <= now.addingTimeInterval(90 * 86400) else {
            throw ValidationError.invalid(field: "on", message: "请选择今天起 90 天内的日期 (a day from today to 90 days ahead)")
        }
        let dueID = DueVisit.ID(newID())
        return try await database.write { db in
            guard let stored = try await Self.household(id, on: db), actor.jurisdiction.contains(path: stored.unitPath) else {
                throw StorageError.notFound(what: "住户", id: id.rawValue)
            }
            let reason = "计划走访" + (note.map { "：" + $0 } ?? "")
            let key = "plan:\(Deadlines.monthLabel(start))-\(start.epochSeconds):\(actor.officer.id.rawValue)"
            let end = start.addingTimeInterval(86400 - 1)
            try await db.raw(
                """
                INSERT INTO due_visits (id, household_id, rule_id, window_key, reason, unit_id, unit_path, officer_id, earliest, due, priority, \
                status, created_at)
                VALUES (\(bind: dueID.rawValue), \(bind: id.rawValue), \(bind: Self.plannedRule.rawValue), \(bind: key), \(bind: reason), \
                \(bind: stored.household.unitID.rawValue), \(bind: stored.unitPath), \(bind: actor.officer.id.rawValue), \
                \(bind: start.epochSeconds), \
                \(bind: end.epochSeconds), 1, 'open', \(bind: now.epochSeconds))
                ON CONFLICT (household_id, rule_id, window_key) DO NOTHING
                """
            ).run()
            return DueVisit(
                id: dueID, householdID: id, ruleID: Self.plannedRule, reason: reason, unitID: stored.household.unitID, officerID: actor.officer.id,
                earliest: start, due: end, priority: 1, status: .open, visitID: nil)
        }
    }
}
