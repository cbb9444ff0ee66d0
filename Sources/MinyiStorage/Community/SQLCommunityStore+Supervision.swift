import Foundation
import MinyiCore
import SQLKit

/// How a unit did on the mandatory visits falling due in a week.
public struct WeekVisitCounts: Sendable, Hashable {
    public var due = 0
    public var onTime = 0
    public var late = 0
    /// Still not made, past due.
    public var open = 0
    public var supervised = 0

    public init() {}
}

extension SQLCommunityStore {
    /// The mandatory visits that fell due in a week, by the police office (or station) of their community, within the
    /// actor's jurisdiction; and the overdue ones still open, oldest first (what a supervision order may be sent for).
    public func visitsOfWeek(
        _ week: (start: Date, end: Date), for actor: Actor, at now: Date
    ) async throws -> (units: [PoliceUnit.ID: WeekVisitCounts], overdue: [DueVisitRow]) {
        try await database.read { db in
            var units: [PoliceUnit.ID: WeekVisitCounts] = [:]
            let rows = try await db.raw(
                """
                SELECT unit_path, status, supervised_at FROM due_visits WHERE due >= \(bind: week.start.epochSeconds) \
                AND due < \(bind: week.end.epochSeconds) AND rule_id <> 'plan' AND unit_path LIKE \(bind: actor.jurisdiction.path + "%")
                """
            ).all()
            for row in rows {
                // The path is /bureau/station/office/community/: counted under the office.
                let parts = try row.string("unit_path").split(separator: "/")
                let office = PoliceUnit.ID(String(parts.count >= 3 ? parts[2] : parts.last ?? ""))
                var counts = units[office] ?? WeekVisitCounts()
                counts.due += 1
                switch try row.string("status") {
                case "done": counts.onTime += 1
                case "late": counts.late += 1
                default: counts.open += 1
                }
                if try row.optionalInt("supervised_at") != nil { counts.supervised += 1 }
                units[office] = counts
            }
            let overdue = try await db.raw(
                """
                SELECT d.*, h.address, h.tags FROM due_visits d JOIN households h ON h.id = d.household_id
                WHERE d.status = 'open' AND d.due \
                < \(bind: min(now, week.end).epochSeconds) AND d.unit_path LIKE \(bind: actor.jurisdiction.path + "%")
                ORDER BY d.due, d.id LIMIT 30
                """
            ).all().map { row in
                DueVisitRow(
                    due: try Self.decodeDue(row), address: try row.string("address"),
                    tags: Set(try row.string("tags").split(separator: ",").compactMap { HouseholdTag(rawValue: String($0)) }))
            }
            return (units, overdue)
        }
    }

    /// A supervision order (督办) on an overdue mandatory visit of the actor's jurisdiction: the due list shows it until
    /// the visit is made.
    public func supervise(_ id: DueVisit.ID, reason: String, by actor: Actor, at now: Date) async throws {
        try ValidationError.checkPlain(reason, field: "reason")
        let reason = reason.trimmed
        guard !reason.isEmpty, reason.count <= 200 else {
            throw ValidationError.invalid(field: "reason", message: "请写明督办事由（最多 200 字）(a reason of at most 200 characters)")
        }
        try await database.write { db in
            guard let row = try await db.raw("SELECT unit_path, status, due FROM due_visits WHERE id = \(bind: id.rawValue)").first(),
                actor.jurisdiction.contains(path: try row.string("unit_path"))
            else { throw StorageError.notFound(what: "走访任务", id: id.rawValue) }
            guard try row.string("status") == "open", try row.date("due") < now else {
                throw StorageError.conflict("只有逾期未走访的任务可以督办 (only an overdue visit can be supervised)")
            }
            try await db.raw(
                """
                UPDATE due_visits SET supervised_at = \(bind: now.epochSeconds), supervised_by = \(bind: actor.officer.id.rawValue), \
                supervision_reason = \(bind: reason) WHERE id = \(bind: id.rawValue)
                """
            ).run()
        }
    }
}
