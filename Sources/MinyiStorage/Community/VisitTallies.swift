import Foundation
import MinyiCore
import SQLKit

/// The visit counters, kept as visits are recorded and visits fall due, by month and by year, per community (with
/// `officer_id` empty) and per officer: what the coverage pages read, at a cost that does not grow with history.
/// A household counts once per period however often it is met (checked against its own visits, so a visit recorded
/// late counts in its own period).
public enum VisitTallies {
    public enum Grain: String, CaseIterable, Sendable, Hashable {
        case month
        case year

        /// The first moment of the period containing `date`.
        public func start(of date: Date) -> Date {
            switch self {
            case .month: Deadlines.monthStart(of: date)
            case .year: Deadlines.start(year: Deadlines.year(of: date), month: 1)
            }
        }

        public func end(of date: Date) -> Date {
            switch self {
            case .month: Deadlines.month(containing: date).end
            case .year: Deadlines.start(year: Deadlines.year(of: date) + 1, month: 1)
            }
        }
    }

    /// Changes to the counters, added up before they are written.
    struct Changes {
        struct Key: Hashable {
            var grain: Grain
            var period: Int
            var unit: String
            var officer: String
        }

        struct Counts {
            var householdsVisited = 0
            var visits = 0
            var met = 0
            var night = 0
            var due = 0
            var dueOnTime = 0
            var dueLate = 0
        }

        var counts: [Key: Counts] = [:]

        /// Adds to the community's row and the officer's, for both grains of the period containing `date`.
        mutating func add(
            at date: Date, unit: PoliceUnit.ID, officer: Officer.ID?,
            _ change: (
                inout Counts, _ grain: Grain,
                _ isOfficer: Bool
            ) -> Void
        ) {
            for grain in Grain.allCases {
                let period = grain.start(of: date).epochSeconds
                for who in [""] + [officer?.rawValue].compactMap({ $0 }) {
                    let key = Key(grain: grain, period: period, unit: unit.rawValue, officer: who)
                    change(&counts[key, default: Counts()], grain, !who.isEmpty)
                }
            }
        }

        func write(on db: any SQLDatabase) async throws {
            for (key, c) in counts {
                try await db.raw(
                    """
                    INSERT INTO visit_tallies (grain, period, unit_id, officer_id, households_visited, visits, met, night, due, due_on_time, due_late)
                    VALUES (\(bind: key.grain.rawValue), \(bind: key.period), \(bind: key.unit), \(bind: key.officer), \(bind: c.householdsVisited), \
                    \(bind: c.visits), \(bind: c.met), \(bind: c.night), \(bind: c.due), \(bind: c.dueOnTime), \(bind: c.dueLate))
                    ON CONFLICT (grain, period, unit_id, officer_id) DO UPDATE SET
                        households_visited = visit_tallies.households_visited + excluded.households_visited,
                        visits = visit_tallies.visits + excluded.visits, met = visit_tallies.met + excluded.met,
                        night = visit_tallies.night + excluded.night, due = visit_tallies.due + excluded.due,
                        due_on_time = visit_tallies.due_on_time + excluded.due_on_time, due_late = visit_tallies.due_late + excluded.due_late
                    """
                ).run()
            }
        }
    }

    /// Counts a recorded visit: the visit, and when it met the household, the household once per period (for the
    /// community, and for the officer who went).
    static func count(_ visit: Visit, on db: any SQLDatabase) async throws {
        // Whether this is the household's first met visit of each period: for the community, and by this officer.
        var first: [Grain: (community: Bool, officer: Bool)] = [:]
        if visit.outcome.counts {
            for grain in Grain.allCases {
                let rows = try await db.raw(
                    """
                    SELECT officer_id FROM visits WHERE household_id = \(bind: visit.householdID.rawValue) AND outcome = 'met' \
                    AND at >= \(bind: grain.start(of: visit.at).epochSeconds) AND at < \(bind: grain.end(of: visit.at).epochSeconds) \
                    AND id <> \(bind: visit.id.rawValue)
                    """
                ).all()
                let officers = Set(try rows.map { try $0.string("officer_id") })
                first[grain] = (rows.isEmpty, !officers.contains(visit.officerID.rawValue))
            }
        }
        var changes = Changes()
        changes.add(at: visit.at, unit: visit.unitID, officer: visit.officerID) { counts, grain, isOfficer in
            counts.visits += 1
            guard visit.outcome.counts else { return }
            counts.met += 1
            if visit.night { counts.night += 1 }
            if let once = first[grain], isOfficer ? once.officer : once.community { counts.householdsVisited += 1 }
        }
        try await changes.write(on: db)
    }

    /// Counts due visits as they are made, in the period they fall due.
    static func countDue(scan: String, on db: any SQLDatabase) async throws {
        var changes = Changes()
        for row in try await db.raw("SELECT unit_id, officer_id, due FROM due_visits WHERE scan_id = \(bind: scan)").all() {
            changes.add(
                at: try row.date("due"), unit: .init(try row.string("unit_id")), officer: try row.optionalString("officer_id").map { Officer.ID($0) }
            ) { counts, _, _ in counts.due += 1 }
        }
        try await changes.write(on: db)
    }

    /// Counts a due visit resolved on time or late, in the period it fell due.
    static func countResolved(_ status: DueVisitStatus, due: Date, unit: PoliceUnit.ID, officer: Officer.ID?, on db: any SQLDatabase) async throws {
        var changes = Changes()
        changes.add(at: due, unit: unit, officer: officer) { counts, _, _ in
            if status == .done { counts.dueOnTime += 1 } else if status == .late { counts.dueLate += 1 }
        }
        try await changes.write(on: db)
    }

    /// Moves a household between communities in the household counts.
    static func countHousehold(into unit: PoliceUnit, from previous: PoliceUnit.ID?, on db: any SQLDatabase) async throws {
        if let previous {
            try await db.raw("UPDATE household_counts SET households = households - 1 WHERE unit_id = \(bind: previous.rawValue)").run()
        }
        try await db.raw(
            """
            INSERT INTO household_counts (unit_id, unit_path, households) VALUES (\(bind: unit.id.rawValue), \(bind: unit.path), 1)
            ON CONFLICT (unit_id) DO UPDATE SET households = household_counts.households + 1
            """
        ).run()
    }
}
