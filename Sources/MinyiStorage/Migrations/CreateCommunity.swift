import MinyiCore
import SQLKit

/// Community policing: households and their history, mandatory-visit rules, the visits they make due, and visits.
struct CreateCommunity: Migration {
    let version = 18

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                """
                CREATE TABLE households (
                    id TEXT PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES units(id), unit_path TEXT NOT NULL, address TEXT NOT NULL,
                    tags TEXT NOT NULL, members TEXT NOT NULL, officer_id TEXT REFERENCES officers(id), register_key TEXT UNIQUE,
                    last_visit_at BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version BIGINT NOT NULL)
                """,
                "CREATE INDEX households_unit ON households(unit_path, id)",
                "CREATE INDEX households_officer ON households(officer_id, id)",
                """
                    CREATE TABLE household_phones (phone TEXT NOT NULL, household_id TEXT NOT NULL REFERENCES households(id), PRIMARY KEY (phone, \
                    household_id))
                    """,
                """
                CREATE TABLE household_events (
                    household_id TEXT NOT NULL REFERENCES households(id), seq BIGINT NOT NULL, kind TEXT NOT NULL, at BIGINT NOT NULL,
                    actor_id TEXT, reason TEXT, detail TEXT, PRIMARY KEY (household_id, seq))
                """,
                """
                CREATE TABLE visit_rules (
                    id TEXT PRIMARY KEY, kind TEXT NOT NULL, subject TEXT NOT NULL, months BIGINT, window_days BIGINT NOT NULL,
                    priority BIGINT NOT NULL, name TEXT NOT NULL, active BIGINT NOT NULL, position BIGINT NOT NULL)
                """,
                """
                CREATE TABLE due_visits (
                    id TEXT PRIMARY KEY, household_id TEXT NOT NULL REFERENCES households(id), rule_id TEXT NOT NULL, window_key TEXT NOT NULL,
                    reason TEXT NOT NULL, unit_id TEXT NOT NULL, unit_path TEXT NOT NULL, officer_id TEXT, earliest BIGINT NOT NULL,
                    due BIGINT NOT NULL, priority BIGINT NOT NULL, status TEXT NOT NULL, visit_id TEXT, resolved_at BIGINT,
                    created_at BIGINT NOT NULL, scan_id TEXT, supervised_at BIGINT, supervised_by TEXT, supervision_reason TEXT,
                    UNIQUE (household_id, rule_id, window_key))
                """,
                // The due list's order, by officer (NULL: unassigned) and for everyone.
                "CREATE INDEX due_visits_open_officer ON due_visits(officer_id, due, priority DESC, id) WHERE status = 'open'",
                "CREATE INDEX due_visits_open ON due_visits(due, priority DESC, id) WHERE status = 'open'",
                "CREATE INDEX due_visits_household ON due_visits(household_id, status)",
                """
                CREATE TABLE visits (
                    id TEXT PRIMARY KEY, household_id TEXT NOT NULL REFERENCES households(id), officer_id TEXT NOT NULL, unit_id TEXT NOT NULL,
                    unit_path TEXT NOT NULL, at BIGINT NOT NULL, night BIGINT NOT NULL, outcome TEXT NOT NULL, heard TEXT, diary TEXT,
                    item_category TEXT, item_number TEXT, request_key TEXT UNIQUE, request_hash TEXT, created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX visits_household ON visits(household_id, at)",
                "CREATE INDEX visits_officer ON visits(officer_id, at)",
                "CREATE INDEX visits_item ON visits(item_number)",
                "CREATE INDEX due_visits_scan ON due_visits(scan_id)",
                """
                CREATE TABLE visit_tallies (
                    grain TEXT NOT NULL, period BIGINT NOT NULL, unit_id TEXT NOT NULL, officer_id TEXT NOT NULL,
                    households_visited BIGINT NOT NULL DEFAULT 0, visits BIGINT NOT NULL DEFAULT 0, met BIGINT NOT NULL DEFAULT 0,
                    night BIGINT NOT NULL DEFAULT 0, due BIGINT NOT NULL DEFAULT 0, due_on_time BIGINT NOT NULL DEFAULT 0,
                    due_late BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (grain, period, unit_id, officer_id))
                """,
                "CREATE TABLE household_counts (unit_id TEXT PRIMARY KEY, unit_path TEXT NOT NULL, households BIGINT NOT NULL)",
                """
                CREATE TABLE pairings (
                    id TEXT PRIMARY KEY, officer_id TEXT NOT NULL REFERENCES officers(id), household_id TEXT NOT NULL REFERENCES households(id),
                    unit_path TEXT NOT NULL, since BIGINT NOT NULL, active BIGINT NOT NULL, created_by TEXT, UNIQUE (officer_id, household_id))
                """,
                "CREATE INDEX pairings_unit ON pairings(unit_path)",
                """
                CREATE TABLE pair_activities (
                    id TEXT PRIMARY KEY, pairing_id TEXT NOT NULL REFERENCES pairings(id), kind TEXT NOT NULL, at BIGINT NOT NULL, note TEXT,
                    officer_id TEXT NOT NULL, request_key TEXT UNIQUE, created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX pair_activities_pairing ON pair_activities(pairing_id, at)",
                """
                CREATE TABLE meetings (
                    id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES units(id), unit_path TEXT NOT NULL,
                    place TEXT NOT NULL, starts_at BIGINT NOT NULL, status TEXT NOT NULL, invited_deputies BIGINT NOT NULL,
                    invited_residents BIGINT NOT NULL, created_by TEXT, created_at BIGINT NOT NULL, closed_at BIGINT)
                """,
                "CREATE INDEX meetings_unit ON meetings(unit_path, starts_at)",
                """
                CREATE TABLE meeting_reporters (
                    meeting_id TEXT NOT NULL REFERENCES meetings(id), officer_id TEXT NOT NULL REFERENCES officers(id), position BIGINT NOT NULL,
                    PRIMARY KEY (meeting_id, officer_id))
                """,
                // A code handed out at the door: only its hash, and whether it was used. Nothing ties it to a rating.
                "CREATE TABLE meeting_codes (code_hash TEXT PRIMARY KEY, meeting_id TEXT NOT NULL REFERENCES meetings(id), used BIGINT NOT NULL)",
                // The ratings, added up per officer: no row per attendee, so no rating can be traced to one.
                """
                CREATE TABLE meeting_results (
                    meeting_id TEXT NOT NULL REFERENCES meetings(id), officer_id TEXT NOT NULL, satisfied BIGINT NOT NULL DEFAULT 0,
                    basically_satisfied BIGINT NOT NULL DEFAULT 0, dissatisfied BIGINT NOT NULL DEFAULT 0, \(Self.scoreColumns),
                    PRIMARY KEY (meeting_id, officer_id))
                """,
                "CREATE TABLE meeting_items (item_number TEXT PRIMARY KEY, meeting_id TEXT NOT NULL REFERENCES meetings(id))",
                // Layered assignment: a leader answers for towns or communities, a middle cadre for villages.
                """
                CREATE TABLE area_assignments (
                    officer_id TEXT NOT NULL REFERENCES officers(id), unit_id TEXT NOT NULL REFERENCES units(id), unit_path TEXT NOT NULL,
                    assigned_by TEXT, assigned_at BIGINT NOT NULL, PRIMARY KEY (officer_id, unit_id))
                """,
            ], on: db)
        for (position, rule) in VisitRule.defaults.enumerated() {
            try await db.raw(
                """
                INSERT INTO visit_rules (id, kind, subject, months, window_days, priority, name, active, position)
                VALUES (\(bind: rule.id.rawValue), \(bind: rule.trigger.kind), \(bind: rule.trigger.subject), \(bind: rule.trigger.months), \
                \(bind: rule.windowDays), \(bind: rule.priority), \(bind: rule.nameZh), 1, \(bind: position))
                """
            ).run()
        }
    }

    /// A sum and a count per indicator.
    static let scoreColumns = CallbackScores.Indicator.allCases.map {
        "\($0.rawValue)_sum BIGINT NOT NULL DEFAULT 0, \($0.rawValue)_n BIGINT NOT NULL DEFAULT 0"
    }
    .joined(separator: ", ")

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                "DROP TABLE area_assignments", "DROP TABLE meeting_items", "DROP TABLE meeting_results", "DROP TABLE meeting_codes",
                "DROP TABLE meeting_reporters",
                "DROP TABLE meetings", "DROP TABLE pair_activities", "DROP TABLE pairings", "DROP TABLE household_counts", "DROP TABLE visit_tallies",
                "DROP TABLE visits", "DROP TABLE due_visits", "DROP TABLE visit_rules", "DROP TABLE household_events",
                "DROP TABLE household_phones",
                "DROP TABLE households",
            ], on: db)
    }
}
