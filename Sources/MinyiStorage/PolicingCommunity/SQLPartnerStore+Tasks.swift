import Foundation
import MinyiCore
import SQLKit

/// A shared task as stored, with who took it.
public struct StoredTask: Sendable, Hashable {
    public var task: SharedTask
    public var takers: [(partner: Partner.ID, at: Date)]
    public var createdBy: Officer.ID
    public var closedAt: Date?

    public static func == (lhs: StoredTask, rhs: StoredTask) -> Bool { lhs.task == rhs.task && lhs.closedAt == rhs.closedAt }
    public func hash(into hasher: inout Hasher) { hasher.combine(task) }
}

extension SQLPartnerStore {
    /// Shares a task with the volunteers of an area of the actor's jurisdiction.
    public func share(_ task: SharedTask, by actor: Actor, at now: Date) async throws {
        try await database.write { db in
            let area = try await Self.area(task.areaID, for: actor, on: db)
            try await db.raw(
                """
                INSERT INTO shared_tasks (id, unit_id, area_id, area_path, kind, title, text, starts_at, needed, status, outcome, created_by, \
                created_at, closed_by, closed_at)
                VALUES (\(bind: task.id.rawValue), \(bind: actor.unit.id.rawValue), \(bind: area.id.rawValue), \(bind: area.path), \
                \(bind: task.kind.rawValue), \(bind: task.title), \(bind: task.text), \(bind: task.startsAt.epochSeconds), \(bind: task.needed), \
                'open', NULL, \(bind: actor.officer.id.rawValue), \(bind: now.epochSeconds), NULL, NULL)
                """
            ).run()
        }
    }

    /// The tasks of the actor's jurisdiction, newest first.
    public func tasks(under actor: Actor, limit: Int = 100) async throws -> [StoredTask] {
        try await database.read { db in
            let rows = try await db.raw(
                """
                SELECT * FROM shared_tasks WHERE area_path LIKE \(bind: actor.jurisdiction.path + "%")
                ORDER BY starts_at DESC, id LIMIT \(bind: limit)
                """
            ).all()
            var tasks: [StoredTask] = []
            for row in rows { tasks.append(try await Self.decodeTask(row, on: db)) }
            return tasks
        }
    }

    public func task(_ id: SharedTask.ID, for actor: Actor) async throws -> StoredTask? {
        try await database.read { db in try await Self.task(id, for: actor, on: db) }
    }

    /// The task, locked for the rest of the transaction when `lock` (a change serialises with any other on it).
    static func task(_ id: SharedTask.ID, for actor: Actor, lock: Bool = false, on db: any SQLDatabase) async throws -> StoredTask? {
        let locking: SQLQueryString = lock ? DatabaseDialect(db).lockRows : ""
        guard let row = try await db.raw("SELECT * FROM shared_tasks WHERE id = \(bind: id.rawValue)\(locking)").first(),
            actor.jurisdiction.contains(path: try row.string("area_path"))
        else { return nil }
        return try await decodeTask(row, on: db)
    }

    static func decodeTask(_ row: any SQLRow, on db: any SQLDatabase) async throws -> StoredTask {
        guard let kind = SharedTask.Kind(rawValue: try row.string("kind")), let status = SharedTask.Status(rawValue: try row.string("status")) else {
            throw StorageError.corrupt("shared_tasks")
        }
        let id = try row.string("id")
        let takers = try await db.raw("SELECT partner_id, taken_at FROM shared_task_takers WHERE task_id = \(bind: id) ORDER BY taken_at, partner_id")
            .all().map { (Partner.ID(try $0.string("partner_id")), Date(epochSeconds: try $0.int("taken_at"))) }
        let task = SharedTask(
            id: .init(id), unitID: .init(try row.string("unit_id")), areaID: .init(try row.string("area_id")), kind: kind,
            title: try row.string("title"),
            text: try row.string("text"), startsAt: Date(epochSeconds: try row.int("starts_at")), needed: try row.int("needed"), status: status,
            outcome: try row.optionalString("outcome"))
        return StoredTask(
            task: task, takers: takers, createdBy: .init(try row.string("created_by")),
            closedAt: try row.optionalInt("closed_at").map { Date(epochSeconds: $0) })
    }

    /// The members who may take a task: those of its area who take tasks (never informants), by name.
    public func candidates(for task: StoredTask, actor: Actor) async throws -> [Partner] {
        try await database.read { db in
            let area = try await SQLOrganisationStore.unit(on: db, id: task.task.areaID)
            return try await db.raw(
                """
                SELECT * FROM partners WHERE area_path LIKE \(bind: (area?.path ?? "/none/") + "%") AND kind <> 'informant' ORDER BY name, id
                """
            ).all().map(Self.decode)
        }
    }

    /// Records that a member of the task's area took it.
    public func take(_ id: SharedTask.ID, partner: Partner.ID, by actor: Actor, at now: Date) async throws {
        try await database.write { db in
            guard let task = try await Self.task(id, for: actor, lock: true, on: db) else {
                throw StorageError.notFound(what: "任务", id: id.rawValue)
            }
            guard task.task.status == .open else { throw StorageError.conflict("任务已结束 (the task is over)") }
            guard let member = try await Self.partner(partner, for: actor, on: db), member.kind.takesTasks,
                let row = try await db.raw("SELECT area_path FROM partners WHERE id = \(bind: partner.rawValue)").first(),
                let area = try await SQLOrganisationStore.unit(on: db, id: task.task.areaID), area.contains(path: try row.string("area_path"))
            else { throw ValidationError.invalid(field: "partner", message: "请选择本社区的志愿者 (choose a volunteer of the task's area)") }
            guard !task.takers.contains(where: { $0.partner == partner }) else {
                throw StorageError.conflict("\(member.name) 已认领 (already taken by them)")
            }
            try await db.raw(
                """
                INSERT INTO shared_task_takers (task_id, partner_id, taken_at, recorded_by)
                VALUES (\(bind: id.rawValue), \(bind: partner.rawValue), \(bind: now.epochSeconds), \(bind: actor.officer.id.rawValue))
                """
            ).run()
        }
    }

    /// Ends a task with what came of it; when done, every member who took it is credited `hours` of task work.
    public func close(_ id: SharedTask.ID, done: Bool, outcome: String, hours: Double, by actor: Actor, at now: Date) async throws {
        try await database.write { db in
            guard let task = try await Self.task(id, for: actor, lock: true, on: db) else {
                throw StorageError.notFound(what: "任务", id: id.rawValue)
            }
            guard task.task.status == .open else { throw StorageError.conflict("任务已结束 (the task is over)") }
            try await db.raw(
                """
                UPDATE shared_tasks SET status = \(bind: done ? "done" : "cancelled"), outcome = \(bind: outcome), \
                closed_by = \(bind: actor.officer.id.rawValue), closed_at = \(bind: now.epochSeconds)
                WHERE id = \(bind: id.rawValue) AND status = 'open'
                """
            ).run()
            guard done else { return }
            for taker in task.takers {
                try await Self.insert(
                    RecordedActivity(
                        id: newID(), partnerID: taker.partner, kind: .task, at: task.task.startsAt, hours: hours,
                        points: PartnerActivity.points(kind: .task, hours: hours, useful: false), useful: false, note: task.task.title,
                        taskID: id, recordedBy: actor.officer.id), on: db, now: now)
            }
        }
    }
}
