import Foundation
import Logging
import MinyiCore
import SQLKit

/// A supervision order to a unit as a whole, from a bulletin that found it below the threshold.
public struct UnitSupervisionOrder: Sendable, Hashable {
    public var id: String
    public var unitID: PoliceUnit.ID
    public var weekStart: Date
    public var reason: String
    public var issuedAt: Date
    public var due: Date
}

/// Weekly summaries and bulletins: computed once from the week's records, stored as issued, never recomputed.
public struct SQLBulletinStore: Sendable {
    let database: any DatabaseBackend
    let newID: @Sendable () -> String

    /// The default score below which a unit gets a supervision order.
    public static let defaultThreshold = 0.8

    public init(database: any DatabaseBackend, newID: @escaping @Sendable () -> String = { RowID.make() }) {
        self.database = database
        self.newID = newID
    }

    /// Issues the bulletin of the week starting `weekStart`, unless it exists: figures for every station and
    /// department, the ranking, and a supervision order (due in 7 days) to each unit below the threshold — all in one
    /// transaction. Returns the bulletin as stored (the earlier one when it already existed).
    @discardableResult
    public func issue(
        week: (start: Date, end: Date), threshold: Double = defaultThreshold, minimumItems: Int = Bulletin.defaultMinimumItems, by actor: Actor?,
        at now: Date
    ) async throws -> Bulletin {
        guard (0...1).contains(threshold) else { throw ValidationError.invalid(field: "threshold", message: "阈值应在 0–1 之间 (0 to 1)") }
        let newID = self.newID
        let dialect = database.dialect
        return try await database.write { db in
            try await dialect.lock(.bulletin, on: db)
            if let existing = try await Self.bulletin(on: db, weekStart: week.start) { return existing }
            let units = try await db.raw("SELECT * FROM units WHERE kind IN ('station', 'department') ORDER BY path").all()
                .map(SQLOrganisationStore.decodeUnit)
            var figures: [BulletinUnit] = []
            for unit in units {
                figures.append(try await Self.figures(of: unit, week: week, on: db))
            }
            // The units that issue supervision orders (where the inspectors work) are not sent one by the bulletin.
            let exempt = try await db.raw("SELECT DISTINCT unit_id FROM officers WHERE roles LIKE '%inspector%' AND active = 1").all()
                .map { PoliceUnit.ID(try $0.string("unit_id")) }
            let bulletin = Bulletin(
                weekStart: week.start, weekEnd: week.end, issuedAt: now, threshold: threshold, units: figures, minimumItems: minimumItems,
                exempt: Set(exempt))
            let content = String(decoding: try JSONEncoder.sorted.encode(bulletin), as: UTF8.self)
            try await db.raw(
                """
                INSERT INTO bulletins (week_start, week_end, issued_at, issued_by, threshold, content)
                VALUES (\(bind: week.start.epochSeconds), \(bind: week.end.epochSeconds), \(bind: now.epochSeconds), \
                \(bind: actor?.officer.id.rawValue),
                        \(bind: threshold), \(bind: content))
                """
            ).run()
            for unitID in bulletin.belowThreshold {
                let score = bulletin.units.first { $0.unitID == unitID }?.score ?? 0
                let reason = String(
                    format: "%@ 周通报综合得分 %.1f%%，低于 %.0f%%，请于 7 日内整改并书面报告",
                    Deadlines.monthLabel(week.start) + "-" + Self.dayLabel(week.start),
                    score * 100, threshold * 100)
                try await db.raw(
                    """
                    INSERT INTO unit_supervision_orders (id, unit_id, week_start, reason, issued_at, due)
                    VALUES (\(bind: newID()), \(bind: unitID.rawValue), \(bind: week.start.epochSeconds), \(bind: reason), \(bind: now.epochSeconds),
                            \(bind: now.addingTimeInterval(7 * 86400).epochSeconds))
                    """
                ).run()
            }
            return bulletin
        }
    }

    static func dayLabel(_ date: Date) -> String {
        let day = Deadlines.calendar.component(.day, from: date)
        return (day < 10 ? "0" : "") + String(day)
    }

    /// One unit's figures for the week (see `BulletinUnit` for what each counts).
    static func figures(of unit: PoliceUnit, week: (start: Date, end: Date), on db: any SQLDatabase) async throws -> BulletinUnit {
        let scope = unit.path + "%"
        let from = week.start.epochSeconds
        let to = week.end.epochSeconds
        func count(_ query: SQLQueryString) async throws -> Int {
            try await db.raw(query).first().map { try $0.int("n") } ?? 0
        }
        // The rates count the items due in the week: their first handling deadline (registration plus the category's days)
        // falls in it. An item registered too late to be closed by Monday is counted in the bulletin of the week it falls
        // due, never against the unit before.
        let counted = try await SQLItemStore.facts(on: db, under: unit, from: week.start, to: week.end, byDeadline: true)
        let notYetDue = try await count(
            """
            SELECT COUNT(*) AS n FROM items i JOIN categories c ON c.code = i.category
            WHERE i.assigned_path LIKE \(bind: scope) AND i.created_at >= \(bind: from) AND i.created_at < \(bind: to)
                AND i.created_at + c.handling_days * 86400 >= \(bind: to) AND i.status NOT IN ('merged', 'rejected')
            """)
        let itemEvents: SQLQueryString = """
            FROM item_events e JOIN items i ON i.id = e.item_id
            WHERE i.assigned_path LIKE \(bind: scope) AND e.at >= \(bind: from) AND e.at < \(bind: to)
            """
        // An item's callback falls due at 00:00 the day after its reply, so replies from a day before the week to a day
        // before its end fell due within it. Done counts those of them called back since, so done never exceeds due.
        let replies: SQLQueryString = """
            FROM item_events e JOIN items i ON i.id = e.item_id
            WHERE i.assigned_path LIKE \(bind: scope) AND e.kind IN ('replied', 'answered')
                AND e.at >= \(bind: from - 86400) AND e.at < \(bind: to - 86400)
            """
        let repliedItems = try await count("SELECT COUNT(*) AS n " + replies)
        let itemCallbacksDone = try await count(
            "SELECT COUNT(*) AS n " + replies
                + """
                 AND EXISTS (SELECT 1 FROM item_events c WHERE c.item_id = e.item_id AND c.kind = 'callback' AND c.at > e.at \
                AND c.detail NOT LIKE '%"result":"unreachable"%')
                """)
        let businessDueRecords: SQLQueryString = """
            FROM business_records r WHERE r.unit_path LIKE \(bind: scope) AND r.callback_status <> 'skipped'
                AND r.callback_due >= \(bind: from) AND r.callback_due < \(bind: to)
            """
        let businessDue = try await count("SELECT COUNT(*) AS n " + businessDueRecords)
        let businessDone = try await count(
            "SELECT COUNT(*) AS n " + businessDueRecords
                + " AND EXISTS (SELECT 1 FROM business_callback_attempts a WHERE a.record_id = r.record_id AND a.outcome = 'answered')")
        let businessAttempts: SQLQueryString = """
            FROM business_callback_attempts a JOIN business_records r ON r.record_id = a.record_id
            WHERE r.unit_path LIKE \(bind: scope) AND a.at >= \(bind: from) AND a.at < \(bind: to)
            """
        let itemDissatisfied = try await count(
            "SELECT COUNT(*) AS n " + itemEvents + " AND e.kind = 'callback' AND e.detail LIKE '%\"result\":\"dissatisfied\"%'")
        let itemFollowedUp = try await count(
            "SELECT COUNT(*) AS n " + itemEvents
                + " AND e.kind = 'callback' AND e.detail LIKE '%\"result\":\"dissatisfied\"%' AND i.status IN ('replied', 'closed')")
        let businessDissatisfied = try await count("SELECT COUNT(*) AS n " + businessAttempts + " AND a.satisfaction = 'dissatisfied'")
        let businessFollowedUp = try await count(
            "SELECT COUNT(*) AS n " + businessAttempts
                + """
                 AND a.satisfaction = 'dissatisfied' AND EXISTS (SELECT 1 FROM items f WHERE f.number = r.item_number AND f.status IN \
                ('replied', 'closed'))
                """
        )
        let overdue = try await count("SELECT COUNT(*) AS n " + itemEvents + " AND e.kind = 'overdue'")
        let orders = try await count(
            """
            SELECT COUNT(*) AS n FROM supervision_orders o JOIN units u ON u.id = o.unit_id
            WHERE u.path LIKE \(bind: scope) AND o.issued_at >= \(bind: from) AND o.issued_at < \(bind: to)
            """)
        return BulletinUnit(
            unitID: unit.id, unitName: unit.name, measures: Measures(facts: counted), callbacksDue: repliedItems + businessDue,
            callbacksDone: itemCallbacksDone + businessDone, dissatisfied: itemDissatisfied + businessDissatisfied,
            dissatisfiedFollowedUp: itemFollowedUp + businessFollowedUp, overdue: overdue, supervisionOrders: orders,
            notYetDue: notYetDue)
    }

    static func bulletin(on db: any SQLDatabase, weekStart: Date) async throws -> Bulletin? {
        guard let row = try await db.raw("SELECT content FROM bulletins WHERE week_start = \(bind: weekStart.epochSeconds)").first() else {
            return nil
        }
        return try JSONDecoder().decode(Bulletin.self, from: Data(try row.string("content").utf8))
    }

    public func bulletin(weekStart: Date) async throws -> Bulletin? {
        try await database.read { try await Self.bulletin(on: $0, weekStart: weekStart) }
    }

    /// Issued bulletins' weeks, newest first.
    public func weeks(limit: Int = 104) async throws -> [Date] {
        try await database.read { db in
            try await db.raw("SELECT week_start FROM bulletins ORDER BY week_start DESC LIMIT \(literal: limit)").all().map {
                try $0.date("week_start")
            }
        }
    }

    /// Unit supervision orders within the jurisdiction, newest first.
    public func unitOrders(within jurisdiction: PoliceUnit) async throws -> [UnitSupervisionOrder] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT o.* FROM unit_supervision_orders o JOIN units u ON u.id = o.unit_id
                WHERE u.path LIKE \(bind: jurisdiction.path + "%") ORDER BY o.issued_at DESC, o.unit_id LIMIT 200
                """
            ).all().map { row in
                UnitSupervisionOrder(
                    id: try row.string("id"), unitID: .init(try row.string("unit_id")), weekStart: try row.date("week_start"),
                    reason: try row.string("reason"), issuedAt: try row.date("issued_at"), due: try row.date("due"))
            }
        }
    }
}

extension RepeatingService {
    /// Issues each Monday's bulletin by itself: on every tick, the last whole week's bulletin is issued unless it
    /// exists (safe with several instances: the first one issues it, the others find it).
    public static func weeklyBulletin(
        bulletins: SQLBulletinStore, organisation: SQLOrganisationStore, interval: Duration, now: @escaping @Sendable () -> Date, logger: Logger,
        claims: PeriodClaims? = nil
    ) -> RepeatingService {
        RepeatingService(name: "Weekly bulletin", interval: interval, logger: logger, claims: claims) {
            let at = now()
            let week = Bulletin.previousWeek(before: at)
            guard try await bulletins.bulletin(weekStart: week.start) == nil, try await !organisation.units().isEmpty else { return }
            let threshold = Double(try await organisation.setting("bulletin_threshold") { String(SQLBulletinStore.defaultThreshold) })
            let minimum = Int(try await organisation.setting("bulletin_minimum_items") { String(Bulletin.defaultMinimumItems) })
            let bulletin = try await bulletins.issue(
                week: week, threshold: threshold ?? SQLBulletinStore.defaultThreshold, minimumItems: minimum ?? Bulletin.defaultMinimumItems, by: nil,
                at: at)
            logger.info(
                "Issued the weekly bulletin", metadata: ["week": "\(Deadlines.monthLabel(week.start))", "below": "\(bulletin.belowThreshold.count)"])
        }
    }
}
