import SQLKit

/// Business records imported from other police systems, their callback attempts, and the imports themselves.
struct CreateBusinessRecords: Migration {
    let version = 7

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
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
