import SQLKit

// Column types are chosen to mean the same on both databases: TEXT, BIGINT (SQLite's INTEGER), DOUBLE PRECISION.
// Moments are BIGINT seconds since 1970; flags are BIGINT 0/1.

/// Units (the jurisdiction tree and departments) and settings.
struct CreateOrganisation: Migration {
    let version = 1
    let name = "CreateOrganisation"

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run([
            "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            """
            CREATE TABLE units (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, parent_id TEXT REFERENCES units(id),
                path TEXT NOT NULL UNIQUE, population BIGINT, phone TEXT, address TEXT)
            """,
            "CREATE INDEX units_parent ON units(parent_id)",
            """
            CREATE TABLE officers (
                id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, name TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES units(id),
                roles TEXT NOT NULL, password_hash TEXT NOT NULL, active BIGINT NOT NULL DEFAULT 1, created_at BIGINT NOT NULL)
            """,
        ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE officers", "DROP TABLE units", "DROP TABLE settings"], on: db)
    }
}

/// Categories with their deadlines, and the dispatch catalogue.
struct CreateCatalogue: Migration {
    let version = 2
    let name = "CreateCatalogue"

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run([
            """
            CREATE TABLE categories (
                code TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL, grp TEXT NOT NULL,
                response_hours BIGINT NOT NULL, handling_days BIGINT NOT NULL, position BIGINT NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE dispatch_rules (
                category TEXT NOT NULL REFERENCES categories(code), place_id TEXT REFERENCES units(id),
                target_id TEXT NOT NULL REFERENCES units(id))
            """,
            "CREATE INDEX dispatch_rules_category ON dispatch_rules(category)",
            "CREATE TABLE counters (scope TEXT PRIMARY KEY, value BIGINT NOT NULL)",
        ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE counters", "DROP TABLE dispatch_rules", "DROP TABLE categories"], on: db)
    }
}

/// Items (the current state), their append-only events, supervision orders and deadline breaches.
struct CreateItems: Migration {
    let version = 3
    let name = "CreateItems"

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run([
            """
            CREATE TABLE items (
                id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, category TEXT NOT NULL REFERENCES categories(code),
                channel TEXT NOT NULL, text TEXT NOT NULL, place_id TEXT NOT NULL REFERENCES units(id), place_path TEXT NOT NULL,
                address TEXT, latitude DOUBLE PRECISION, longitude DOUBLE PRECISION,
                contact_name TEXT, contact_phone TEXT, contact_id_number TEXT,
                emergency BIGINT NOT NULL, echo_card TEXT UNIQUE, idempotency_key TEXT UNIQUE,
                status TEXT NOT NULL, assigned_unit_id TEXT REFERENCES units(id), assigned_path TEXT,
                response_due BIGINT, handling_due BIGINT, round BIGINT NOT NULL,
                accepted_at BIGINT, first_replied_at BIGINT, replied_at BIGINT, answered_on_spot BIGINT NOT NULL DEFAULT 0,
                reply_outcome TEXT, reply_text TEXT, public_reason TEXT,
                callback_due BIGINT, callback_attempts BIGINT NOT NULL, callback_result TEXT,
                merged_into TEXT, closed_at BIGINT, breached BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version BIGINT NOT NULL)
            """,
            "CREATE INDEX items_status ON items(status, created_at)",
            "CREATE INDEX items_assigned ON items(assigned_path, created_at)",
            "CREATE INDEX items_place ON items(place_path, created_at)",
            "CREATE INDEX items_created ON items(created_at)",
            "CREATE INDEX items_response_due ON items(status, response_due)",
            "CREATE INDEX items_handling_due ON items(status, handling_due)",
            "CREATE INDEX items_callback_due ON items(status, callback_due)",
            """
            CREATE TABLE item_events (
                item_id TEXT NOT NULL REFERENCES items(id), seq BIGINT NOT NULL, kind TEXT NOT NULL, at BIGINT NOT NULL,
                actor_id TEXT, actor_unit_id TEXT, status TEXT NOT NULL, reason TEXT, detail TEXT NOT NULL,
                PRIMARY KEY (item_id, seq))
            """,
            """
            CREATE TABLE supervision_orders (
                id TEXT PRIMARY KEY, item_id TEXT NOT NULL REFERENCES items(id), unit_id TEXT NOT NULL REFERENCES units(id),
                cause TEXT NOT NULL, reason TEXT NOT NULL, issued_at BIGINT NOT NULL, issued_by TEXT, due BIGINT NOT NULL,
                resolved_at BIGINT, round BIGINT NOT NULL)
            """,
            "CREATE INDEX supervision_orders_item ON supervision_orders(item_id)",
            "CREATE INDEX supervision_orders_unit ON supervision_orders(unit_id, resolved_at)",
            """
            CREATE TABLE deadline_breaches (
                item_id TEXT NOT NULL REFERENCES items(id), kind TEXT NOT NULL, round BIGINT NOT NULL, at BIGINT NOT NULL,
                PRIMARY KEY (item_id, kind, round))
            """,
        ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            ["DROP TABLE deadline_breaches", "DROP TABLE supervision_orders", "DROP TABLE item_events", "DROP TABLE items"], on: db)
    }
}

/// Staff sessions, integration keys and failed logins.
struct CreateAuth: Migration {
    let version = 4
    let name = "CreateAuth"

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run([
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY, officer_id TEXT NOT NULL REFERENCES officers(id),
                created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)
            """,
            "CREATE INDEX sessions_expiry ON sessions(expires_at)",
            """
            CREATE TABLE api_keys (
                key_hash TEXT PRIMARY KEY, name TEXT NOT NULL, officer_id TEXT NOT NULL REFERENCES officers(id), created_at BIGINT NOT NULL)
            """,
            "CREATE TABLE login_failures (username TEXT NOT NULL, at BIGINT NOT NULL)",
            "CREATE INDEX login_failures_user ON login_failures(username, at)",
            "CREATE TABLE lookup_failures (number TEXT NOT NULL, at BIGINT NOT NULL)",
            "CREATE INDEX lookup_failures_number ON lookup_failures(number, at)",
        ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE lookup_failures", "DROP TABLE login_failures", "DROP TABLE api_keys", "DROP TABLE sessions"], on: db)
    }
}

/// Who looked at residents' personal data, and other security-relevant acts.
struct CreateAuditLog: Migration {
    let version = 5
    let name = "CreateAuditLog"

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run([
            """
            CREATE TABLE audit_log (
                id TEXT PRIMARY KEY, at BIGINT NOT NULL, actor_id TEXT, action TEXT NOT NULL, target TEXT, detail TEXT)
            """,
            "CREATE INDEX audit_log_at ON audit_log(at)",
            "CREATE INDEX audit_log_target ON audit_log(target)",
        ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE audit_log"], on: db)
    }
}

/// Echo cards (回音卡): serial numbers issued in batches to a unit, each usable for one item.
struct CreateEchoCards: Migration {
    let version = 6
    let name = "CreateEchoCards"

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run([
            """
            CREATE TABLE echo_card_batches (
                id TEXT PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES units(id), first_seq BIGINT NOT NULL, count BIGINT NOT NULL,
                issued_at BIGINT NOT NULL, issued_by TEXT)
            """,
            """
            CREATE TABLE echo_cards (
                serial TEXT PRIMARY KEY, seq BIGINT NOT NULL UNIQUE, batch_id TEXT NOT NULL REFERENCES echo_card_batches(id),
                unit_id TEXT NOT NULL REFERENCES units(id))
            """,
            "CREATE INDEX echo_cards_batch ON echo_cards(batch_id, seq)",
        ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE echo_cards", "DROP TABLE echo_card_batches"], on: db)
    }
}

/// Business records imported from other police systems, their callback attempts, and the imports themselves.
struct CreateBusinessRecords: Migration {
    let version = 7
    let name = "CreateBusinessRecords"

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run([
            """
            CREATE TABLE business_types (
                code TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL, callback_days BIGINT NOT NULL, category TEXT)
            """,
            """
            INSERT INTO business_types (code, name_zh, name_en, callback_days, category) VALUES
                ('case_report', '案件报警', 'Crime report', 1, 'case'),
                ('household', '户籍', 'Household registration', 1, 'household'),
                ('id_card', '身份证', 'ID card', 1, 'household'),
                ('exit_entry', '出入境', 'Exit and entry', 1, NULL),
                ('vehicle', '车驾管', 'Vehicles and driving licences', 1, 'traffic'),
                ('traffic', '交通事故', 'Traffic accident', 1, 'traffic'),
                ('permit', '治安许可', 'Public-security permit', 1, NULL)
            """,
            """
            CREATE TABLE business_imports (
                id TEXT PRIMARY KEY, at BIGINT NOT NULL, actor_id TEXT, source TEXT NOT NULL,
                imported BIGINT NOT NULL, skipped BIGINT NOT NULL, rejected BIGINT NOT NULL)
            """,
            """
            CREATE TABLE business_records (
                record_id TEXT PRIMARY KEY, business_type TEXT NOT NULL REFERENCES business_types(code),
                unit_id TEXT NOT NULL REFERENCES units(id), unit_path TEXT NOT NULL, officer TEXT,
                contact_name TEXT, contact_phone TEXT, occurred_at BIGINT NOT NULL, sensitive BIGINT NOT NULL,
                import_id TEXT NOT NULL, callback_status TEXT NOT NULL, callback_due BIGINT, callback_agent TEXT,
                callback_attempts BIGINT NOT NULL DEFAULT 0, satisfaction TEXT, item_number TEXT, updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX business_records_due ON business_records(callback_status, callback_due)",
            "CREATE INDEX business_records_unit ON business_records(unit_path, occurred_at)",
            """
            CREATE TABLE business_callback_attempts (
                record_id TEXT NOT NULL REFERENCES business_records(record_id), seq BIGINT NOT NULL, at BIGINT NOT NULL,
                agent_id TEXT, outcome TEXT NOT NULL, satisfaction TEXT, scores TEXT, comment TEXT,
                PRIMARY KEY (record_id, seq))
            """,
        ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            ["DROP TABLE business_callback_attempts", "DROP TABLE business_records", "DROP TABLE business_imports", "DROP TABLE business_types"],
            on: db)
    }
}

/// Weekly bulletins, kept as issued, and the supervision orders they send to units below the threshold.
struct CreateBulletins: Migration {
    let version = 8
    let name = "CreateBulletins"

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run([
            """
            CREATE TABLE bulletins (
                week_start BIGINT PRIMARY KEY, week_end BIGINT NOT NULL, issued_at BIGINT NOT NULL, issued_by TEXT, threshold DOUBLE PRECISION NOT NULL,
                content TEXT NOT NULL)
            """,
            """
            CREATE TABLE unit_supervision_orders (
                id TEXT PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES units(id), week_start BIGINT NOT NULL REFERENCES bulletins(week_start),
                reason TEXT NOT NULL, issued_at BIGINT NOT NULL, due BIGINT NOT NULL, resolved_at BIGINT, UNIQUE (unit_id, week_start))
            """,
        ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE unit_supervision_orders", "DROP TABLE bulletins"], on: db)
    }
}

/// The rollups the dashboard, measures, bulletins and monthly analysis read (see `ItemTallies`), counted once from
/// the items already there.
struct CreateItemTallies: Migration {
    let version = 9
    let name = "CreateItemTallies"

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run([ItemTallies.createTable], on: db)
        try await ItemTallies.rebuild(on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE item_tallies"], on: db)
    }
}

/// Indexes by time for the Monday bulletin, which counts one week's events, callback attempts and supervision
/// orders: without them each count would read all of history.
struct IndexEventsByTime: Migration {
    let version = 10
    let name = "IndexEventsByTime"

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                "CREATE INDEX item_events_kind_at ON item_events(kind, at)",
                "CREATE INDEX supervision_orders_issued ON supervision_orders(issued_at)",
                "CREATE INDEX business_callback_attempts_at ON business_callback_attempts(at)",
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            ["DROP INDEX item_events_kind_at", "DROP INDEX supervision_orders_issued", "DROP INDEX business_callback_attempts_at"], on: db)
    }
}

/// The deadline and assignment indexes hold only the items that have a deadline or a unit. A new submission has
/// neither, so registering it no longer writes to four indexes; every query on these columns compares them, which
/// lets both databases still use the smaller indexes.
struct IndexOnlyItemsWithDeadlines: Migration {
    let version = 11
    let name = "IndexOnlyItemsWithDeadlines"

    private static let indexes = [
        ("items_assigned", "assigned_path, created_at", "assigned_path"), ("items_response_due", "status, response_due", "response_due"),
        ("items_handling_due", "status, handling_due", "handling_due"), ("items_callback_due", "status, callback_due", "callback_due"),
    ]

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            Self.indexes.flatMap { name, columns, present in
                ["DROP INDEX \(name)", "CREATE INDEX \(name) ON items(\(columns)) WHERE \(present) IS NOT NULL"]
            }, on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(Self.indexes.flatMap { name, columns, _ in ["DROP INDEX \(name)", "CREATE INDEX \(name) ON items(\(columns))"] }, on: db)
    }
}

/// Emergencies by time, in an index that holds only them: a long queue lists its emergencies first, newest first,
/// without reading the other items. A new submission that is not an emergency writes nothing to it.
struct IndexEmergencies: Migration {
    let version = 12
    let name = "IndexEmergencies"

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["CREATE INDEX items_emergency ON items(created_at) WHERE emergency = 1"], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP INDEX items_emergency"], on: db)
    }
}
