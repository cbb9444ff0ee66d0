import MinyiCore
import SQLKit

/// Safety alerts and prevention tips: each alert, the communities it is for, and its append-only events (published,
/// marked as sent to a community's group, withdrawn). Withdrawing sets `withdrawn_at` in the same transaction as its
/// event; nothing is deleted.
struct CreateSafetyAlerts: Migration {
    let version = 27

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                """
                CREATE TABLE safety_alerts (
                    id TEXT PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES units(id), unit_path TEXT NOT NULL, topic TEXT NOT NULL,
                    urgency TEXT NOT NULL, severity TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, valid_from BIGINT NOT NULL,
                    valid_until BIGINT NOT NULL, withdrawn_at BIGINT, created_at BIGINT NOT NULL, created_by TEXT NOT NULL)
                """,
                "CREATE INDEX safety_alerts_unit ON safety_alerts(unit_path, valid_from)",
                """
                CREATE TABLE safety_alert_areas (
                    alert_id TEXT NOT NULL REFERENCES safety_alerts(id), community_id TEXT NOT NULL REFERENCES units(id),
                    valid_from BIGINT NOT NULL, PRIMARY KEY (alert_id, community_id))
                """,
                "CREATE INDEX safety_alert_areas_community ON safety_alert_areas(community_id, valid_from)",
                """
                CREATE TABLE safety_alert_events (
                    alert_id TEXT NOT NULL REFERENCES safety_alerts(id), seq BIGINT NOT NULL, at BIGINT NOT NULL, actor_id TEXT NOT NULL,
                    kind TEXT NOT NULL, community_id TEXT, note TEXT, PRIMARY KEY (alert_id, seq))
                """,
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE safety_alert_events", "DROP TABLE safety_alert_areas", "DROP TABLE safety_alerts"], on: db)
    }
}
