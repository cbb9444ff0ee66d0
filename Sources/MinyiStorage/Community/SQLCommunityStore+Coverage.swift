import Foundation
import MinyiCore
import SQLKit

/// The counts of one community, or one officer, in a period.
public struct VisitCounts: Sendable, Hashable {
    /// Households there (for a community; 0 for an officer).
    public var households = 0
    /// Households met at least once in the period.
    public var visitedHouseholds = 0
    /// Visits made, attempts included.
    public var visits = 0
    public var met = 0
    public var night = 0
    /// Mandatory visits falling due in the period, and those done in their window or late.
    public var due = 0
    public var dueOnTime = 0
    public var dueLate = 0

    public init() {}

    /// Households met at least once ÷ households.
    public var coverage: Rate { Rate(visitedHouseholds, of: households) }
    /// Mandatory visits done in their window ÷ due.
    public var onTime: Rate { Rate(dueOnTime, of: due) }

    public static func + (lhs: VisitCounts, rhs: VisitCounts) -> VisitCounts {
        var sum = lhs
        sum.households += rhs.households
        sum.visitedHouseholds += rhs.visitedHouseholds
        sum.visits += rhs.visits
        sum.met += rhs.met
        sum.night += rhs.night
        sum.due += rhs.due
        sum.dueOnTime += rhs.dueOnTime
        sum.dueLate += rhs.dueLate
        return sum
    }
}

/// Coverage under a unit in a period: each community's counts and each officer's.
public struct Coverage: Sendable, Hashable {
    public var communities: [PoliceUnit.ID: VisitCounts]
    public var officers: [Officer.ID: VisitCounts]

    /// The counts of every community under `unit` (the unit itself when it is one), summed: a household belongs to one
    /// community, so the sums of households met are exact.
    public func total(under unit: PoliceUnit, units: [PoliceUnit]) -> VisitCounts {
        units.filter { $0.kind == .community && unit.contains($0) }.reduce(VisitCounts()) { $0 + (communities[$1.id] ?? VisitCounts()) }
    }
}

extension SQLCommunityStore {
    /// Coverage under `unit` in the period of `grain` containing `date`, read from the counters.
    public func coverage(under unit: PoliceUnit, grain: VisitTallies.Grain, containing date: Date) async throws -> Coverage {
        let period = grain.start(of: date).epochSeconds
        return try await database.read { db in
            var communities: [PoliceUnit.ID: VisitCounts] = [:]
            for row in try await db.raw(
                "SELECT unit_id, households FROM household_counts WHERE unit_path LIKE \(bind: unit.path + "%")"
            ).all() {
                communities[.init(try row.string("unit_id")), default: VisitCounts()].households = try row.int("households")
            }
            var officers: [Officer.ID: VisitCounts] = [:]
            let ids = Array(communities.keys.map(\.rawValue))
            guard !ids.isEmpty else { return Coverage(communities: [:], officers: [:]) }
            let rows = try await db.raw(
                """
                SELECT * FROM visit_tallies WHERE grain = \(bind: grain.rawValue) AND period = \(bind: period) AND unit_id IN (\(binds: ids))
                """
            ).all()
            for row in rows {
                var counts = VisitCounts()
                counts.visitedHouseholds = try row.int("households_visited")
                counts.visits = try row.int("visits")
                counts.met = try row.int("met")
                counts.night = try row.int("night")
                counts.due = try row.int("due")
                counts.dueOnTime = try row.int("due_on_time")
                counts.dueLate = try row.int("due_late")
                let officer = try row.string("officer_id")
                if officer.isEmpty {
                    let unitID = PoliceUnit.ID(try row.string("unit_id"))
                    counts.households = communities[unitID]?.households ?? 0
                    communities[unitID] = counts
                } else {
                    officers[.init(officer), default: VisitCounts()] = (officers[.init(officer)] ?? VisitCounts()) + counts
                }
            }
            return Coverage(communities: communities, officers: officers)
        }
    }
}
