import SQLKit

/// Items (the current state), their append-only events, supervision orders and deadline breaches.
struct CreateItems: Migration {
    let version = 3

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
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
