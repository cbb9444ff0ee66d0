import Foundation
import MinyiCore
import SQLKit

/// The year's projects, delivered in public. A project changes only by a dated update (who, when, what, the progress
/// and status after), appended in the same transaction as the change; updates are never rewritten. Officers update
/// the projects of their jurisdiction only.
public struct SQLProjectStore: Sendable {
    let database: any DatabaseBackend
    let newID: @Sendable () -> String

    public init(database: any DatabaseBackend, newID: @escaping @Sendable () -> String = { RowID.make() }) {
        self.database = database
        self.newID = newID
    }

    /// Makes the chosen projects of a closed ballot the year's projects (the `maxChoices` with the most votes), each
    /// due at the end of the ballot's year and given to the unit that proposed it. Adopting twice adds nothing.
    public func adopt(_ campaignID: BallotCampaign.ID, by actor: Actor, at now: Date) async throws -> [YearProject] {
        try await database.write { db in
            guard let campaign = try await SQLBallotStore.campaign(campaignID, on: db) else {
                throw StorageError.notFound(what: "票选", id: campaignID.rawValue)
            }
            guard campaign.resultsVisible(at: now) else {
                throw StorageError.conflict("投票结束后才能确定项目 (the projects are set once voting has closed)")
            }
            let result = try await SQLBallotStore.result(of: campaign, on: db)
            let votes = Dictionary(uniqueKeysWithValues: result.counts.map { ($0.candidate.id, $0.votes) })
            let due = Deadlines.start(year: campaign.year + 1, month: 1).addingTimeInterval(-1)
            var adopted: [YearProject] = []
            for candidate in result.chosen(campaign.maxChoices) {
                guard let unit = try await SQLOrganisationStore.unit(on: db, id: candidate.unitID) else { continue }
                let project = YearProject(
                    id: .init(newID()), year: campaign.year, title: candidate.title, summary: candidate.summary, unitID: unit.id,
                    campaignID: campaign.id, candidateID: candidate.id, votes: votes[candidate.id], status: .planned, progress: 0, due: due,
                    deliveredAt: nil)
                let inserted = try await db.raw(
                    """
                    INSERT INTO year_projects (id, year, title, summary, unit_id, unit_path, campaign_id, candidate_id, votes, status, progress, \
                    due, delivered_at, created_at, version)
                    VALUES (\(bind: project.id.rawValue), \(bind: project.year), \(bind: project.title), \(bind: project.summary), \
                    \(bind: unit.id.rawValue), \(bind: unit.path), \(bind: campaign.id.rawValue), \(bind: candidate.id.rawValue), \
                    \(bind: project.votes), 'planned', 0, \(bind: due.epochSeconds), NULL, \(bind: now.epochSeconds), 1)
                    ON CONFLICT (campaign_id, candidate_id) DO NOTHING RETURNING id
                    """
                ).first()
                guard inserted != nil else { continue }
                try await Self.append(
                    ProjectUpdate(
                        projectID: project.id, seq: 1, at: now, actorID: actor.officer.id,
                        text: "经群众投票选定（得票 \(project.votes ?? 0)），由\(unit.name)承办，\(campaign.year) 年底前完成。", progress: 0,
                        status: .planned, photoCaption: nil), on: db)
                adopted.append(project)
            }
            return adopted
        }
    }

    static func append(_ update: ProjectUpdate, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO project_updates (project_id, seq, at, actor_id, text, progress, status, caption)
            VALUES (\(bind: update.projectID.rawValue), \(bind: update.seq), \(bind: update.at.epochSeconds), \(bind: update.actorID?.rawValue), \
            \(bind: update.text), \(bind: update.progress), \(bind: update.status.rawValue), \(bind: update.photoCaption))
            """
        ).run()
    }

    // MARK: Reading

    public func projects(year: Int? = nil) async throws -> [YearProject] {
        try await database.read { db in
            let filter: SQLQueryString = year.map { "WHERE year = \(bind: $0)" } ?? ""
            return try await db.raw("SELECT * FROM year_projects \(filter) ORDER BY year DESC, votes DESC, id").all().map(Self.decode)
        }
    }

    public func project(_ id: YearProject.ID) async throws -> YearProject? {
        try await database.read { db in try await Self.project(id, on: db)?.project }
    }

    static func project(_ id: YearProject.ID, on db: any SQLDatabase) async throws -> (project: YearProject, unitPath: String, version: Int)? {
        guard let row = try await db.raw("SELECT * FROM year_projects WHERE id = \(bind: id.rawValue)").first() else { return nil }
        return (try decode(row), try row.string("unit_path"), try row.int("version"))
    }

    static func decode(_ row: any SQLRow) throws -> YearProject {
        guard let status = YearProject.Status(rawValue: try row.string("status")) else {
            throw StorageError.corrupt("year_projects.status \(try row.string("status"))")
        }
        return YearProject(
            id: .init(try row.string("id")), year: try row.int("year"), title: try row.string("title"), summary: try row.string("summary"),
            unitID: .init(try row.string("unit_id")), campaignID: try row.optionalString("campaign_id").map { .init($0) },
            candidateID: try row.optionalString("candidate_id").map { .init($0) }, votes: try row.optionalInt("votes"), status: status,
            progress: try row.int("progress"), due: Date(epochSeconds: try row.int("due")),
            deliveredAt: try row.optionalInt("delivered_at").map { Date(epochSeconds: $0) })
    }

    public func milestones(of id: YearProject.ID) async throws -> [ProjectMilestone] {
        try await database.read { db in
            try await db.raw("SELECT * FROM project_milestones WHERE project_id = \(bind: id.rawValue) ORDER BY due, seq").all().map { row in
                ProjectMilestone(
                    seq: try row.int("seq"), title: try row.string("title"), due: Date(epochSeconds: try row.int("due")),
                    doneAt: try row.optionalInt("done_at").map { Date(epochSeconds: $0) })
            }
        }
    }

    /// A project's updates, newest first; or, without a project, the newest updates of every project (the feed).
    public func updates(of id: YearProject.ID? = nil, limit: Int = 200) async throws -> [ProjectUpdate] {
        try await database.read { db in
            // A project's own updates in the order they were appended; the feed's by time.
            let filter: SQLQueryString =
                id.map { "WHERE project_id = \(bind: $0.rawValue) ORDER BY seq DESC" } ?? "ORDER BY at DESC, project_id, seq DESC"
            return try await db.raw("SELECT * FROM project_updates \(filter) LIMIT \(bind: limit)").all().map { row in
                guard let status = YearProject.Status(rawValue: try row.string("status")) else {
                    throw StorageError.corrupt("project_updates.status \(try row.string("status"))")
                }
                return ProjectUpdate(
                    projectID: .init(try row.string("project_id")), seq: try row.int("seq"), at: Date(epochSeconds: try row.int("at")),
                    actorID: try row.optionalString("actor_id").map { .init($0) }, text: try row.string("text"), progress: try row.int("progress"),
                    status: status, photoCaption: try row.optionalString("caption"))
            }
        }
    }

    /// The items residents raised about the project, with their status.
    public func items(of id: YearProject.ID) async throws -> [(number: String, status: ItemStatus)] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT p.item_number, i.status FROM project_items p JOIN items i ON i.number = p.item_number
                WHERE p.project_id = \(bind: id.rawValue) ORDER BY p.linked_at
                """
            ).all().map { row in
                (try row.string("item_number"), ItemStatus(rawValue: try row.string("status")) ?? .registered)
            }
        }
    }

    /// The project an item was linked to, if any.
    public func project(ofItem number: String) async throws -> YearProject? {
        try await database.read { db in
            try await db.raw(
                "SELECT y.* FROM project_items p JOIN year_projects y ON y.id = p.project_id WHERE p.item_number = \(bind: number)"
            ).first().map(Self.decode)
        }
    }
}
