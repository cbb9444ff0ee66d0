import Foundation
import MinyiCore
import SQLKit

extension SQLAssessmentStore {
    /// What the year's sources say of each officer and station, as assessment inputs (scores on 0–100 with their n):
    /// the surveys (the mean of the five indicators' scores; n the responses), callbacks (the share satisfied or
    /// basically satisfied of the items the officer replied to, or of the station's officers), meeting ratings (the
    /// same share), and the entered scores. Read from the tallies and the year's rows, never from every response.
    public func inputs(year: Int, under root: PoliceUnit) async throws -> (
        officers: [String: AssessmentInput], units: [String: AssessmentInput], names: [String: String]
    ) {
        let from = Deadlines.start(year: year, month: 1).epochSeconds
        let to = Deadlines.start(year: year + 1, month: 1).epochSeconds
        return try await database.read { db in
            let units = try await db.raw("SELECT id, name, path, kind FROM units").all().map {
                (id: try $0.string("id"), name: try $0.string("name"), path: try $0.string("path"), kind: try $0.string("kind"))
            }
            let stations = units.filter { $0.kind == PoliceUnit.Kind.station.rawValue && $0.path.hasPrefix(root.path) }
            let officers = try await db.raw("SELECT o.id, o.name, u.path FROM officers o JOIN units u ON u.id = o.unit_id").all().map {
                (id: try $0.string("id"), name: try $0.string("name"), path: try $0.string("path"))
            }
            let officerPath = Dictionary(uniqueKeysWithValues: officers.map { ($0.id, $0.path) })
            func station(of path: String) -> String? { stations.first { path.hasPrefix($0.path) }?.id }

            // Surveys: per officer rated, and per station by the community's path.
            var surveyByOfficer: [String: [SurveyIndicator: IndicatorTally]] = [:]
            var surveyByStation: [String: [SurveyIndicator: IndicatorTally]] = [:]
            for row in try await db.raw(
                """
                SELECT officer_id, unit_path, indicator, CAST(SUM(n) AS BIGINT) AS n, CAST(SUM(yes) AS BIGINT) AS yes, SUM(total) AS total, \
                SUM(squares) AS squares FROM survey_tallies WHERE month >= \(bind: from) AND month < \(bind: to)
                GROUP BY officer_id, unit_path, indicator
                """
            ).all() {
                guard let indicator = SurveyIndicator(rawValue: try row.string("indicator")) else { continue }
                let tally = IndicatorTally(
                    n: try row.int("n"), yes: try row.int("yes"), sum: try row.decode(column: "total", as: Double.self),
                    sumOfSquares: try row.decode(column: "squares", as: Double.self))
                let officer = try row.string("officer_id")
                if !officer.isEmpty { surveyByOfficer[officer, default: [:]][indicator] = (surveyByOfficer[officer]?[indicator] ?? .init()) + tally }
                if let station = station(of: try row.string("unit_path")) {
                    surveyByStation[station, default: [:]][indicator] = (surveyByStation[station]?[indicator] ?? .init()) + tally
                }
            }
            func surveyPart(_ tallies: [SurveyIndicator: IndicatorTally]) -> AssessmentInput.Part? {
                let scores = SurveyIndicator.allCases.compactMap { indicator in
                    tallies[indicator]?.estimate(for: indicator).map { AssessmentScheme.score(of: $0, share: indicator.isShare) }
                }
                guard !scores.isEmpty else { return nil }
                return .init(score: scores.reduce(0, +) / Double(scores.count), n: tallies.values.map(\.n).max() ?? 0)
            }

            // Callbacks: the items each officer replied to that were called back, in the year.
            var callbacks: [String: (n: Int, yes: Int)] = [:]
            for row in try await db.raw(
                """
                SELECT e.actor_id, COUNT(*) AS n, SUM(CASE WHEN i.callback_result IN ('satisfied', 'basically_satisfied') THEN 1 ELSE 0 END) AS yes
                FROM items i JOIN item_events e ON e.item_id = i.id AND e.kind = 'replied'
                WHERE i.callback_result IN ('satisfied', 'basically_satisfied', 'dissatisfied') AND i.replied_at >= \(bind: from) \
                AND i.replied_at < \(bind: to) AND e.actor_id IS NOT NULL
                GROUP BY e.actor_id
                """
            ).all() {
                callbacks[try row.string("actor_id")] = (try row.decode(column: "n", as: Int.self), try row.decode(column: "yes", as: Int.self))
            }
            // Meeting ratings of the year's meetings.
            var meetings: [String: (n: Int, yes: Int)] = [:]
            for row in try await db.raw(
                """
                SELECT r.officer_id, SUM(r.satisfied) AS s, SUM(r.basically_satisfied) AS b, SUM(r.dissatisfied) AS d
                FROM meeting_results r JOIN meetings m ON m.id = r.meeting_id
                WHERE m.starts_at >= \(bind: from) AND m.starts_at < \(bind: to) GROUP BY r.officer_id
                """
            ).all() {
                let s = try row.decode(column: "s", as: Int.self)
                let b = try row.decode(column: "b", as: Int.self)
                let d = try row.decode(column: "d", as: Int.self)
                meetings[try row.string("officer_id")] = (s + b + d, s + b)
            }
            func share(_ counts: (n: Int, yes: Int)?) -> AssessmentInput.Part? {
                guard let counts, counts.n > 0 else { return nil }
                return .init(score: Double(counts.yes) / Double(counts.n) * 100, n: counts.n)
            }
            func rolled(_ counts: [String: (n: Int, yes: Int)], station id: String, path: String) -> (n: Int, yes: Int)? {
                let inside = counts.filter { officerPath[$0.key]?.hasPrefix(path) == true }.values
                guard !inside.isEmpty else { return nil }
                return (inside.map(\.n).reduce(0, +), inside.map(\.yes).reduce(0, +))
            }

            // Entered scores: the newest entry of each.
            var entered: [AssessmentSubjectKind: [String: [String: Double]]] = [:]
            for row in try await db.raw(
                """
                SELECT e.kind, e.subject, e.component, e.score FROM assessment_entries e
                WHERE e.year = \(bind: year) AND e.seq = (SELECT MAX(x.seq) FROM assessment_entries x WHERE x.year = e.year AND x.kind = e.kind \
                AND x.subject = e.subject AND x.component = e.component)
                """
            ).all() {
                guard let kind = AssessmentSubjectKind(rawValue: try row.string("kind")) else { continue }
                entered[kind, default: [:]][try row.string("subject"), default: [:]][try row.string("component")] =
                    try row.decode(column: "score", as: Double.self)
            }

            var officerInputs: [String: AssessmentInput] = [:]
            for officer in officers where officer.path.hasPrefix(root.path) {
                var parts: [String: AssessmentInput.Part] = [:]
                parts[AssessmentScheme.Component.Source.surveys.rawValue] = surveyByOfficer[officer.id].flatMap(surveyPart)
                parts[AssessmentScheme.Component.Source.callbacks.rawValue] = share(callbacks[officer.id])
                parts[AssessmentScheme.Component.Source.meetings.rawValue] = share(meetings[officer.id])
                for (key, score) in entered[.officer]?[officer.id] ?? [:] { parts[key] = .init(score: score, n: nil) }
                if !parts.isEmpty { officerInputs[officer.id] = AssessmentInput(parts: parts) }
            }
            var unitInputs: [String: AssessmentInput] = [:]
            for station in stations {
                var parts: [String: AssessmentInput.Part] = [:]
                parts[AssessmentScheme.Component.Source.surveys.rawValue] = surveyByStation[station.id].flatMap(surveyPart)
                parts[AssessmentScheme.Component.Source.callbacks.rawValue] = share(rolled(callbacks, station: station.id, path: station.path))
                parts[AssessmentScheme.Component.Source.meetings.rawValue] = share(rolled(meetings, station: station.id, path: station.path))
                for (key, score) in entered[.unit]?[station.id] ?? [:] { parts[key] = .init(score: score, n: nil) }
                unitInputs[station.id] = AssessmentInput(parts: parts)
            }
            var names = Dictionary(uniqueKeysWithValues: officers.map { ($0.id, $0.name) })
            for unit in units { names[unit.id] = unit.name }
            return (officerInputs, unitInputs, names)
        }
    }
}
