import Foundation
import MinyiCore
import SQLKit

extension SQLProjectStore {
    /// The project if the actor's jurisdiction holds its unit, else not found (an officer of another unit learns
    /// nothing more than a resident would).
    static func ownProject(_ id: YearProject.ID, for actor: Actor, on db: any SQLDatabase) async throws -> (
        project: YearProject, unitPath: String, version: Int
    ) {
        guard let found = try await project(id, on: db), actor.jurisdiction.contains(path: found.unitPath) else {
            throw StorageError.notFound(what: "实事项目", id: id.rawValue)
        }
        return found
    }

    static func nextSeq(_ id: YearProject.ID, on db: any SQLDatabase) async throws -> Int {
        let last = try await db.raw("SELECT MAX(seq) AS last FROM project_updates WHERE project_id = \(bind: id.rawValue)").first()?
            .optionalInt("last")
        return (last ?? 0) + 1
    }

    /// A dated update: the text, the progress and status after it, a photo's caption. The project and its new update
    /// are one transaction; the update is the change's record.
    public func addUpdate(
        to id: YearProject.ID, text: String?, progress: Int?, status: YearProject.Status?, photoCaption: String?, correction: Bool,
        by actor: Actor, at now: Date
    ) async throws -> ProjectUpdate {
        try await database.write { db in
            let found = try await Self.ownProject(id, for: actor, on: db)
            let checked = try ProjectUpdate.validated(
                text: text, progress: progress, status: status, photoCaption: photoCaption, correction: correction, of: found.project)
            let update = ProjectUpdate(
                projectID: id, seq: try await Self.nextSeq(id, on: db), at: now, actorID: actor.officer.id, text: checked.text,
                progress: checked.progress, status: checked.status, photoCaption: checked.caption)
            let delivered: Int? = checked.status == .delivered ? (found.project.deliveredAt ?? now).epochSeconds : nil
            let changed = try await db.raw(
                """
                UPDATE year_projects SET progress = \(bind: checked.progress), status = \(bind: checked.status.rawValue), \
                delivered_at = \(bind: delivered), version = version + 1
                WHERE id = \(bind: id.rawValue) AND version = \(bind: found.version) RETURNING id
                """
            ).first()
            guard changed != nil else { throw StorageError.conflict("项目刚被他人更新，请刷新后重试 (updated by someone else: reload)") }
            try await Self.append(update, on: db)
            return update
        }
    }

    /// Adds a milestone; recorded as an update.
    public func addMilestone(to id: YearProject.ID, title: String?, due: Date?, by actor: Actor, at now: Date) async throws {
        guard let title, !title.trimmed.isEmpty, title.count <= 200 else {
            throw ValidationError.invalid(field: "title", message: "请填写节点名称（最多 200 字） (name the milestone, up to 200 characters)")
        }
        guard let due else { throw ValidationError.invalid(field: "due", message: "请填写节点日期 (the milestone's date)") }
        try await database.write { db in
            let found = try await Self.ownProject(id, for: actor, on: db)
            let last = try await db.raw("SELECT MAX(seq) AS last FROM project_milestones WHERE project_id = \(bind: id.rawValue)").first()?
                .optionalInt("last")
            try await db.raw(
                """
                INSERT INTO project_milestones (project_id, seq, title, due, done_at)
                VALUES (\(bind: id.rawValue), \(bind: (last ?? 0) + 1), \(bind: title), \(bind: due.epochSeconds), NULL)
                """
            ).run()
            try await Self.append(
                ProjectUpdate(
                    projectID: id, seq: try await Self.nextSeq(id, on: db), at: now, actorID: actor.officer.id,
                    text: "新增节点：\(title)", progress: found.project.progress, status: found.project.status,
                    photoCaption: nil), on: db)
        }
    }

    /// Marks a milestone done; recorded as an update.
    public func completeMilestone(_ seq: Int, of id: YearProject.ID, by actor: Actor, at now: Date) async throws {
        try await database.write { db in
            let found = try await Self.ownProject(id, for: actor, on: db)
            guard
                let row = try await db.raw(
                    """
                    UPDATE project_milestones SET done_at = \(bind: now.epochSeconds)
                    WHERE project_id = \(bind: id.rawValue) AND seq = \(bind: seq) AND done_at IS NULL RETURNING title
                    """
                ).first()
            else { throw StorageError.conflict("节点不存在或已完成 (no such open milestone)") }
            try await Self.append(
                ProjectUpdate(
                    projectID: id, seq: try await Self.nextSeq(id, on: db), at: now, actorID: actor.officer.id,
                    text: "完成节点：\(try row.string("title"))", progress: found.project.progress, status: found.project.status, photoCaption: nil),
                on: db)
        }
    }

    /// Links an item a resident raised about the project (the item's page shows the project, the project's page the
    /// item); recorded as an update.
    public func link(item number: String, to id: YearProject.ID, by actor: Actor, at now: Date) async throws {
        try await database.write { db in
            let found = try await Self.ownProject(id, for: actor, on: db)
            guard try await db.raw("SELECT 1 AS one FROM items WHERE number = \(bind: number)").first() != nil else {
                throw ValidationError.invalid(field: "number", message: "事项 \(number) 不存在 (no such item)")
            }
            let linked = try await db.raw(
                """
                INSERT INTO project_items (project_id, item_number, linked_by, linked_at)
                VALUES (\(bind: id.rawValue), \(bind: number), \(bind: actor.officer.id.rawValue), \(bind: now.epochSeconds))
                ON CONFLICT (project_id, item_number) DO NOTHING RETURNING item_number
                """
            ).first()
            guard linked != nil else { return }
            try await Self.append(
                ProjectUpdate(
                    projectID: id, seq: try await Self.nextSeq(id, on: db), at: now, actorID: actor.officer.id, text: "关联群众反映 \(number)",
                    progress: found.project.progress, status: found.project.status, photoCaption: nil), on: db)
        }
    }
}
