import MinyiCore
import SQLKit

/// The year's projects delivered in public: each with its milestones, its append-only updates (who, when, what, the
/// progress and status after), and the items residents raised about it.
struct CreateProjects: Migration {
    let version = 20

    func apply(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            [
                """
                CREATE TABLE year_projects (
                    id TEXT PRIMARY KEY, year BIGINT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES units(id),
                    unit_path TEXT NOT NULL, campaign_id TEXT REFERENCES ballot_campaigns(id), candidate_id TEXT, votes BIGINT, status TEXT NOT NULL,
                    progress BIGINT NOT NULL, due BIGINT NOT NULL, delivered_at BIGINT, created_at BIGINT NOT NULL, version BIGINT NOT NULL,
                    UNIQUE (campaign_id, candidate_id))
                """,
                "CREATE INDEX year_projects_year ON year_projects(year, id)",
                """
                CREATE TABLE project_milestones (
                    project_id TEXT NOT NULL REFERENCES year_projects(id), seq BIGINT NOT NULL, title TEXT NOT NULL, due BIGINT NOT NULL,
                    done_at BIGINT, PRIMARY KEY (project_id, seq))
                """,
                """
                CREATE TABLE project_updates (
                    project_id TEXT NOT NULL REFERENCES year_projects(id), seq BIGINT NOT NULL, at BIGINT NOT NULL, actor_id TEXT,
                    text TEXT NOT NULL, progress BIGINT NOT NULL, status TEXT NOT NULL, caption TEXT, PRIMARY KEY (project_id, seq))
                """,
                "CREATE INDEX project_updates_at ON project_updates(at)",
                """
                CREATE TABLE project_items (
                    project_id TEXT NOT NULL REFERENCES year_projects(id), item_number TEXT NOT NULL, linked_by TEXT NOT NULL,
                    linked_at BIGINT NOT NULL, PRIMARY KEY (project_id, item_number))
                """,
                "CREATE INDEX project_items_item ON project_items(item_number)",
            ], on: db)
    }

    func revert(on db: any SQLDatabase, dialect: DatabaseDialect) async throws {
        try await run(
            ["DROP TABLE project_items", "DROP TABLE project_updates", "DROP TABLE project_milestones", "DROP TABLE year_projects"], on: db)
    }
}
