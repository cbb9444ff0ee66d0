import Foundation
import MinyiCore
import SQLKit

/// An officer's area in the layered assignment: leaders answer for towns or communities, middle cadres for villages,
/// officers for households (`households.officer_id`).
public struct AreaAssignment: Sendable, Hashable {
    public var officerID: Officer.ID
    public var unitID: PoliceUnit.ID
    public var assignedAt: Date
}

extension SQLCommunityStore {
    /// Assigns an officer an area of the actor's jurisdiction (a station, office or community); the officer must serve
    /// there or above it.
    public func assign(_ officer: Officer.ID, area: PoliceUnit.ID, by actor: Actor, at now: Date) async throws -> AreaAssignment {
        try await database.write { db in
            guard let unit = try await SQLOrganisationStore.unit(on: db, id: area), unit.kind.isTerritorial, actor.jurisdiction.contains(unit) else {
                throw ValidationError.invalid(field: "unit", message: "单位 \(area) 不在您的辖区 (not in your jurisdiction)")
            }
            let path = try await Self.unitPath(ofOfficer: officer, field: "officer", on: db)
            guard unit.path.hasPrefix(path) || path.hasPrefix(unit.path) else {
                throw ValidationError.invalid(field: "officer", message: "该民警不在这个片区 (the officer does not serve this area)")
            }
            try await db.raw(
                """
                INSERT INTO area_assignments (officer_id, unit_id, unit_path, assigned_by, assigned_at)
                VALUES (\(bind: officer.rawValue), \(bind: unit.id.rawValue), \(bind: unit.path), \(bind: actor.officer.id.rawValue), \
                \(bind: now.epochSeconds))
                ON CONFLICT (officer_id, unit_id) DO NOTHING
                """
            ).run()
            return AreaAssignment(officerID: officer, unitID: unit.id, assignedAt: now)
        }
    }

    /// The areas assigned within the actor's jurisdiction (or one officer's).
    public func areas(for actor: Actor, officer: Officer.ID? = nil) async throws -> [AreaAssignment] {
        try await database.read { db in
            var query: SQLQueryString = "SELECT * FROM area_assignments WHERE unit_path LIKE \(bind: actor.jurisdiction.path + "%")"
            if let officer { query = query + " AND officer_id = \(bind: officer.rawValue)" }
            return try await db.raw(query + " ORDER BY unit_path, officer_id").all().map { row in
                AreaAssignment(
                    officerID: .init(try row.string("officer_id")), unitID: .init(try row.string("unit_id")), assignedAt: try row.date("assigned_at"))
            }
        }
    }
}
