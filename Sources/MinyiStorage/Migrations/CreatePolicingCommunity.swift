import MinyiCore
import SQLKit

/// The policing community: its members with their area, skills and availability; what each did (appended, with the
/// hours, the points and who recorded it); the tasks shared with an area's volunteers, who took them and how they ended.
struct CreatePolicingCommunity: Migration {
    let version = 29

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                """
                CREATE TABLE partners (
                    id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, phone TEXT, area_id TEXT NOT NULL REFERENCES units(id),
                    area_path TEXT NOT NULL, skills TEXT NOT NULL, availability TEXT NOT NULL, note TEXT, created_at BIGINT NOT NULL,
                    created_by TEXT NOT NULL)
                """,
                "CREATE INDEX partners_area ON partners(area_path, kind)",
                """
                CREATE TABLE partner_activities (
                    id TEXT PRIMARY KEY, partner_id TEXT NOT NULL REFERENCES partners(id), kind TEXT NOT NULL, at BIGINT NOT NULL,
                    half_hours BIGINT NOT NULL, points BIGINT NOT NULL, useful BIGINT NOT NULL, note TEXT, task_id TEXT,
                    recorded_by TEXT NOT NULL, recorded_at BIGINT NOT NULL)
                """,
                "CREATE INDEX partner_activities_partner ON partner_activities(partner_id, at)",
                """
                CREATE TABLE shared_tasks (
                    id TEXT PRIMARY KEY, unit_id TEXT NOT NULL REFERENCES units(id), area_id TEXT NOT NULL REFERENCES units(id),
                    area_path TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, starts_at BIGINT NOT NULL,
                    needed BIGINT NOT NULL, status TEXT NOT NULL, outcome TEXT, created_by TEXT NOT NULL, created_at BIGINT NOT NULL,
                    closed_by TEXT, closed_at BIGINT)
                """,
                "CREATE INDEX shared_tasks_area ON shared_tasks(area_path, starts_at)",
                """
                CREATE TABLE shared_task_takers (
                    task_id TEXT NOT NULL REFERENCES shared_tasks(id), partner_id TEXT NOT NULL REFERENCES partners(id),
                    taken_at BIGINT NOT NULL, recorded_by TEXT NOT NULL, PRIMARY KEY (task_id, partner_id))
                """,
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(["DROP TABLE shared_task_takers", "DROP TABLE shared_tasks", "DROP TABLE partner_activities", "DROP TABLE partners"], on: db)
    }
}
