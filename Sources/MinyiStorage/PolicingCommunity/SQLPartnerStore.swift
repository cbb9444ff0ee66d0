import Foundation
import MinyiCore
import SQLKit

/// An activity as recorded, with who recorded it.
public struct RecordedActivity: Sendable, Hashable {
    public var id: String
    public var partnerID: Partner.ID
    public var kind: PartnerActivity.Kind
    public var at: Date
    public var hours: Double
    public var points: Int
    public var useful: Bool
    public var note: String?
    public var taskID: SharedTask.ID?
    public var recordedBy: Officer.ID
}

/// A member's hours and points over a period.
public struct PartnerTally: Sendable, Hashable {
    public var hours: Double
    public var points: Int
    public var activities: Int
}

/// The policing community's members, their activities and shared tasks. Officers act within their jurisdiction only
/// (the member's or the task's area is the target); informants are read and written only by those who handle them,
/// and never appear in the lists other roles read, in tasks or in exports.
public struct SQLPartnerStore: Sendable {
    let database: any DatabaseBackend
    let newID: @Sendable () -> String

    public init(database: any DatabaseBackend, newID: @escaping @Sendable () -> String = { RowID.make() }) {
        self.database = database
        self.newID = newID
    }

    static func mayHandle(_ kind: Partner.Kind, _ actor: Actor) -> Bool { kind != .informant || Permission.handleInformants.isHeld(by: actor) }

    /// The area, when it is a community or an office within the actor's jurisdiction.
    static func area(_ id: PoliceUnit.ID, for actor: Actor, on db: any SQLDatabase) async throws -> PoliceUnit {
        guard let unit = try await SQLOrganisationStore.unit(on: db, id: id), unit.kind == .community || unit.kind == .office else {
            throw ValidationError.invalid(field: "area", message: "未知的社区 \(id) (unknown area)")
        }
        guard actor.jurisdiction.contains(unit) else { throw AccessError.outsideJurisdiction("社区 \(unit.name)") }
        return unit
    }

    // MARK: Members

    public func register(_ partner: Partner, by actor: Actor, at now: Date) async throws {
        guard Self.mayHandle(partner.kind, actor) else { throw AccessError.missingRole(needed: Permission.handleInformants.roles) }
        try await database.write { db in
            let area = try await Self.area(partner.areaID, for: actor, on: db)
            try await db.raw(
                """
                INSERT INTO partners (id, kind, name, phone, area_id, area_path, skills, availability, note, created_at, created_by)
                VALUES (\(bind: partner.id.rawValue), \(bind: partner.kind.rawValue), \(bind: partner.name), \(bind: partner.phone), \
                \(bind: area.id.rawValue), \(bind: area.path), \(bind: partner.skills.map(\.rawValue).joined(separator: ",")), \
                \(bind: partner.availability.map(\.rawValue).joined(separator: ",")), \(bind: partner.note), \(bind: now.epochSeconds), \
                \(bind: actor.officer.id.rawValue))
                """
            ).run()
        }
    }

    /// The members of the actor's jurisdiction of the given kinds, by area and name. Informants only when asked for
    /// and only to those who handle them.
    public func partners(under actor: Actor, kinds: [Partner.Kind] = [.volunteer, .organisation, .assistant]) async throws -> [Partner] {
        let kinds = kinds.filter { Self.mayHandle($0, actor) }
        guard !kinds.isEmpty else { return [] }
        return try await database.read { db in
            try await db.raw(
                """
                SELECT * FROM partners WHERE area_path LIKE \(bind: actor.jurisdiction.path + "%") AND kind IN (\(binds: kinds.map(\.rawValue)))
                ORDER BY area_path, name, id
                """
            ).all().map(Self.decode)
        }
    }

    /// A member the actor may see: within their jurisdiction, and an informant only to those who handle them.
    public func partner(_ id: Partner.ID, for actor: Actor) async throws -> Partner? {
        try await database.read { db in try await Self.partner(id, for: actor, on: db) }
    }

    static func partner(_ id: Partner.ID, for actor: Actor, on db: any SQLDatabase) async throws -> Partner? {
        guard let row = try await db.raw("SELECT * FROM partners WHERE id = \(bind: id.rawValue)").first(),
            actor.jurisdiction.contains(path: try row.string("area_path"))
        else { return nil }
        let partner = try decode(row)
        return mayHandle(partner.kind, actor) ? partner : nil
    }

    static func decode(_ row: any SQLRow) throws -> Partner {
        guard let kind = Partner.Kind(rawValue: try row.string("kind")) else { throw StorageError.corrupt("partners.kind") }
        func list(_ column: String) throws -> [String] { try row.string(column).split(separator: ",").map(String.init) }
        return Partner(
            id: .init(try row.string("id")), kind: kind, name: try row.string("name"), phone: try row.optionalString("phone"),
            areaID: .init(try row.string("area_id")), skills: try list("skills").compactMap(Partner.Skill.init(rawValue:)),
            availability: try list("availability").compactMap(Partner.Availability.init(rawValue:)), note: try row.optionalString("note"))
    }

    // MARK: Activities

    /// Records what a member did; the points follow the rule (`PartnerActivity.points`).
    @discardableResult
    public func log(
        _ kind: PartnerActivity.Kind, hours: Double, useful: Bool, note: String?, for id: Partner.ID, at: Date, by actor: Actor, now: Date
    ) async throws -> RecordedActivity {
        let activity = RecordedActivity(
            id: newID(), partnerID: id, kind: kind, at: at, hours: hours, points: PartnerActivity.points(kind: kind, hours: hours, useful: useful),
            useful: useful, note: note, taskID: nil, recordedBy: actor.officer.id)
        try await database.write { db in
            guard try await Self.partner(id, for: actor, on: db) != nil else { throw StorageError.notFound(what: "成员", id: id.rawValue) }
            try await Self.insert(activity, on: db, now: now)
        }
        return activity
    }

    static func insert(_ activity: RecordedActivity, on db: any SQLDatabase, now: Date) async throws {
        try await db.raw(
            """
            INSERT INTO partner_activities (id, partner_id, kind, at, half_hours, points, useful, note, task_id, recorded_by, recorded_at)
            VALUES (\(bind: activity.id), \(bind: activity.partnerID.rawValue), \(bind: activity.kind.rawValue), \(bind: activity.at.epochSeconds), \
            \(bind: Int((activity.hours * 2).rounded())), \(bind: activity.points), \(bind: activity.useful ? 1 : 0), \(bind: activity.note), \
            \(bind: activity.taskID?.rawValue), \(bind: activity.recordedBy.rawValue), \(bind: now.epochSeconds))
            """
        ).run()
    }

    /// A member's activities, newest first (the caller has checked the member may be seen).
    public func activities(of id: Partner.ID, limit: Int = 200) async throws -> [RecordedActivity] {
        try await database.read { db in
            try await db.raw("SELECT * FROM partner_activities WHERE partner_id = \(bind: id.rawValue) ORDER BY at DESC, id LIMIT \(bind: limit)")
                .all().map { row in
                    guard let kind = PartnerActivity.Kind(rawValue: try row.string("kind")) else {
                        throw StorageError.corrupt("partner_activities.kind")
                    }
                    return RecordedActivity(
                        id: try row.string("id"), partnerID: .init(try row.string("partner_id")), kind: kind,
                        at: Date(epochSeconds: try row.int("at")),
                        hours: Double(try row.int("half_hours")) / 2, points: try row.int("points"), useful: try row.int("useful") != 0,
                        note: try row.optionalString("note"), taskID: try row.optionalString("task_id").map { .init($0) },
                        recordedBy: .init(try row.string("recorded_by")))
                }
        }
    }

    /// Hours and points per member of the jurisdiction since `since`: of the members, or with `informants` of the
    /// informants alone (for those who handle them; nothing for anyone else).
    public func tallies(under actor: Actor, since: Date, informants: Bool = false) async throws -> [Partner.ID: PartnerTally] {
        guard !informants || Self.mayHandle(.informant, actor) else { return [:] }
        let kinds = (informants ? [Partner.Kind.informant] : [.volunteer, .organisation, .assistant]).map(\.rawValue)
        return try await database.read { db in
            let rows = try await db.raw(
                """
                SELECT a.partner_id, CAST(SUM(a.half_hours) AS BIGINT) AS half_hours, CAST(SUM(a.points) AS BIGINT) AS points, COUNT(*) AS n
                FROM partner_activities a JOIN partners p ON p.id = a.partner_id
                WHERE p.area_path LIKE \(bind: actor.jurisdiction.path + "%") AND p.kind IN (\(binds: kinds)) AND a.at >= \(bind: since.epochSeconds)
                GROUP BY a.partner_id
                """
            ).all()
            var tallies: [Partner.ID: PartnerTally] = [:]
            for row in rows {
                tallies[.init(try row.string("partner_id"))] = PartnerTally(
                    hours: Double(try row.int("half_hours")) / 2, points: try row.int("points"), activities: try row.int("n"))
            }
            return tallies
        }
    }
}
