import Foundation
import MinyiCore
import SQLKit

extension SQLCommunityStore {
    // MARK: Rules

    /// The bureau's visit rules, in their order.
    public func rules() async throws -> [VisitRule] {
        try await database.read { db in
            try await db.raw("SELECT * FROM visit_rules ORDER BY position, id").all().map(Self.decodeRule)
        }
    }

    /// Adds a rule or changes the one with the same ID (bureau level: the caller holds the permission).
    public func saveRule(_ rule: VisitRule) async throws {
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO visit_rules (id, kind, subject, months, window_days, priority, name, active, position)
                VALUES (\(bind: rule.id.rawValue), \(bind: rule.trigger.kind), \(bind: rule.trigger.subject), \(bind: rule.trigger.months), \
                \(bind: rule.windowDays), \(bind: rule.priority), \(bind: rule.nameZh), \(bind: rule.active ? 1 : 0), \
                (SELECT COALESCE(MAX(position), -1) + 1 FROM visit_rules))
                ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, subject = excluded.subject, months = excluded.months, \
                window_days = excluded.window_days, priority = excluded.priority, name = excluded.name, active = excluded.active
                """
            ).run()
        }
    }

    static func decodeRule(_ row: any SQLRow) throws -> VisitRule {
        guard
            let trigger = VisitRule.Trigger(
                kind: try row.string("kind"), subject: try row.string("subject"), months: try row.optionalInt("months"))
        else { throw StorageError.corrupt("visit rule \(try row.string("id"))") }
        return VisitRule(
            id: .init(try row.string("id")), trigger: trigger, windowDays: try row.int("window_days"), priority: try row.int("priority"),
            nameZh: try row.string("name"), active: try row.int("active") == 1)
    }

    // MARK: The scan

    /// Applies every active rule at `now`, making the visits it calls for due, each once however often the scan runs
    /// and on however many instances (a due visit is unique by household, rule and window): the current period's
    /// visit for every household with a periodic rule's tag; a visit for each household whose member is the resident of
    /// a recent item or business record of an event rule. Returns how many due visits were made.
    @discardableResult
    public func scanRules(at now: Date) async throws -> Int {
        let rules = try await rules().filter(\.active)
        let scan = newID()
        return try await database.write { db in
            try await DatabaseDialect(db).lock(.visitRules, on: db)
            var made = 0
            for rule in rules {
                made += try await Self.apply(rule, scan: scan, at: now, on: db)
            }
            if made > 0 { try await VisitTallies.countDue(scan: scan, on: db) }
            return made
        }
    }

    private static func apply(_ rule: VisitRule, scan: String, at now: Date, on db: any SQLDatabase) async throws -> Int {
        let before = try await count(rule, on: db)
        let id = rule.id.rawValue
        let insert: SQLQueryString = """
            INSERT INTO due_visits (id, household_id, rule_id, window_key, reason, unit_id, unit_path, officer_id, earliest, due, priority, \
            status, created_at, scan_id)
            """
        let rest: SQLQueryString = " CAST(\(bind: rule.nameZh) AS TEXT), h.unit_id, h.unit_path, h.officer_id, "
        /// The due visit an event rule makes for household `h`: keyed by the event (`kind:key`), due within the rule's
        /// days of when the event happened (`at`).
        func eventSelect(kind: String, key: String, at: String) -> SQLQueryString {
            """
             SELECT CAST(\(bind: id + ":" + kind + ":") AS TEXT) || \(unsafeRaw: key) || ':' || h.id, h.id, CAST(\(bind: id) AS TEXT), \
            CAST(\(bind: kind + ":") AS TEXT) || \(unsafeRaw: key),
            """ + rest
                + """
                \(unsafeRaw: at), \(unsafeRaw: at) + CAST(\(bind: rule.windowDays * 86400) AS BIGINT), CAST(\(bind: rule.priority) AS BIGINT), \
                'open', CAST(\(bind: now.epochSeconds) AS BIGINT), CAST(\(bind: scan) AS TEXT)
                """
        }
        switch rule.trigger {
        case .every(let months, let tag):
            let window = VisitWindow.period(months: months, containing: now)
            try await db.raw(
                insert
                    + """
                     SELECT CAST(\(bind: id + ":" + window.key + ":") AS TEXT) || h.id, h.id, CAST(\(bind: id) AS TEXT), \
                    CAST(\(bind: window.key) AS TEXT),
                    """ + rest
                    + """
                    CAST(\(bind: window.earliest.epochSeconds) AS BIGINT), CAST(\(bind: window.due.epochSeconds) AS BIGINT), \
                    CAST(\(bind: rule.priority) AS BIGINT), 'open', CAST(\(bind: now.epochSeconds) AS BIGINT), \
                    CAST(\(bind: scan) AS TEXT)
                    FROM households h WHERE h.tags LIKE \(bind: "%," + tag.rawValue + ",%")
                    ON CONFLICT (household_id, rule_id, window_key) DO NOTHING
                    """
            ).run()
        case .itemCategory(let code):
            // Items whose window is still open: registered within the rule's days before now.
            let since = now.addingTimeInterval(-TimeInterval(rule.windowDays) * 86400).epochSeconds
            // The join starts from the smaller side, so that the scan costs what the smaller side holds: the items of the
            // window (counted from the day rollups) or the households' phones. (SQLite keeps a CROSS JOIN's order;
            // PostgreSQL plans the join itself.) The scan runs inside the writer's transaction, where every
            // millisecond holds up every submission.
            let windowStart = Deadlines.dayStart(of: Date(timeIntervalSince1970: TimeInterval(since))).epochSeconds
            let items =
                try await db.raw(
                    "SELECT CAST(COALESCE(SUM(received), 0) AS BIGINT) AS n FROM \(unsafeRaw: ItemTallies.source(DatabaseDialect(db))) "
                        + "WHERE grain = 'd' AND period >= \(bind: windowStart)"
                ).first()?.int("n") ?? 0
            let phones = try await db.raw("SELECT COUNT(*) AS n FROM household_phones").first()?.int("n") ?? 0
            let itemsFirst: SQLQueryString = " FROM items i CROSS JOIN household_phones p JOIN households h ON h.id = p.household_id"
            // From the phones, items are found by their phone: on PostgreSQL through the phone table (while the server
            // has emptied it, after a crash, from the items of the window); on SQLite through the phone index beside the
            // file (`PhoneIndex`) and then the items it has not reached yet.
            let sources: [(from: SQLQueryString, condition: SQLQueryString)] =
                if items <= phones {
                    [(itemsFirst, "")]
                } else if DatabaseDialect(db) == .sqlite {
                    [
                        (
                            " FROM household_phones p CROSS JOIN phones.item_phones x CROSS JOIN items i JOIN households h ON h.id = p.household_id",
                            " AND x.phone = p.phone AND i.id = x.item_id"
                        ),
                        // The items the index has not reached, by row number (NOT INDEXED: not the window's items
                        // by time, which SQLite would otherwise pick, and which are all of them at a high rate).
                        (
                            " FROM items i NOT INDEXED CROSS JOIN household_phones p JOIN households h ON h.id = p.household_id",
                            " AND i.rowid > (SELECT up_to FROM phones.indexed)"
                        ),
                    ]
                } else if try await SQLItemStore.phoneTableComplete(on: db) {
                    // Each phone's items looked up by the phone (LATERAL, and OFFSET 0 so that PostgreSQL keeps it a
                    // lookup): with statistics older than the minute's intake, the planner once scanned the items of
                    // the window instead, 1.7 s of a core at half a million items.
                    [
                        (
                            " FROM household_phones p JOIN households h ON h.id = p.household_id CROSS JOIN LATERAL"
                                + " (SELECT i.* FROM item_phones x JOIN items i ON i.id = x.item_id WHERE x.phone = p.phone OFFSET 0) i",
                            ""
                        )
                    ]
                } else {
                    [(itemsFirst, "")]
                }
            for source in sources {
                try await db.raw(
                    insert + eventSelect(kind: "item", key: "i.number", at: "i.created_at") + source.from
                        + """
                         WHERE p.phone = i.contact_phone AND i.category = \(bind: code.rawValue) AND i.created_at > \(bind: since) \
                        AND i.created_at <= \(bind: now.epochSeconds)
                        """ + source.condition + " ON CONFLICT (household_id, rule_id, window_key) DO NOTHING"
                ).run()
            }
        case .businessRecord(let type):
            let since = now.addingTimeInterval(-TimeInterval(rule.windowDays) * 86400).epochSeconds
            try await db.raw(
                insert + eventSelect(kind: "record", key: "r.record_id", at: "r.occurred_at")
                    + """
                     FROM business_records r JOIN household_phones p ON p.phone = r.contact_phone JOIN households h ON h.id = p.household_id
                    WHERE r.business_type = \(bind: type) AND r.occurred_at > \(bind: since) AND r.occurred_at <= \(bind: now.epochSeconds)
                    ON CONFLICT (household_id, rule_id, window_key) DO NOTHING
                    """
            ).run()
        }
        return try await count(rule, on: db) - before
    }

    private static func count(_ rule: VisitRule, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM due_visits WHERE rule_id = \(bind: rule.id.rawValue)").first()?.int("n") ?? 0
    }
}

extension SQLCommunityStore {
    /// Ties a household to an item an event rule covers (the other party to a dispute, whose phone the item does not
    /// carry): the rule makes the household due as it does the item's own resident, from the item's registration.
    /// Returns how many due visits were made (none when the household was already due for the item).
    @discardableResult
    public func linkItem(_ number: String, to id: Household.ID, by actor: Actor, at now: Date) async throws -> Int {
        let rules = try await rules().filter(\.active)
        let scan = newID()
        return try await database.write { db in
            guard let stored = try await Self.household(id, on: db), actor.jurisdiction.contains(path: stored.unitPath) else {
                throw StorageError.notFound(what: "住户", id: id.rawValue)
            }
            guard let item = try await db.raw("SELECT category, created_at, place_path FROM items WHERE number = \(bind: number)").first(),
                actor.jurisdiction.contains(path: try item.string("place_path"))
            else {
                throw ValidationError.invalid(
                    field: "item", message: "事项 \(number) 不存在或不在您的辖区 (no such item in your jurisdiction)")
            }
            let category = try item.string("category")
            let matching = rules.filter { rule in
                if case .itemCategory(let code) = rule.trigger { return code.rawValue == category }
                return false
            }
            guard !matching.isEmpty else {
                throw ValidationError.invalid(
                    field: "item", message: "没有走访规则适用于这类事项 (no visit rule covers this item's category)")
            }
            let created = try item.date("created_at")
            var made = 0
            for rule in matching {
                let window = VisitWindow.after(created, days: rule.windowDays, key: "item:" + number)
                let rows = try await db.raw(
                    """
                    INSERT INTO due_visits (id, household_id, rule_id, window_key, reason, unit_id, unit_path, officer_id, earliest, due, \
                    priority, status, created_at, scan_id)
                    VALUES (\(bind: rule.id.rawValue + ":" + window.key + ":" + id.rawValue), \(bind: id.rawValue), \(bind: rule.id.rawValue), \
                    \(bind: window.key), \(bind: rule.nameZh), \(bind: stored.household.unitID.rawValue), \(bind: stored.unitPath), \
                    \(bind: stored.household.officerID?.rawValue), \(bind: window.earliest.epochSeconds), \(bind: window.due.epochSeconds), \
                    \(bind: rule.priority), 'open', \(bind: now.epochSeconds), \(bind: scan))
                    ON CONFLICT (household_id, rule_id, window_key) DO NOTHING RETURNING id
                    """
                ).all()
                made += rows.count
            }
            if made > 0 { try await VisitTallies.countDue(scan: scan, on: db) }
            return made
        }
    }
}
