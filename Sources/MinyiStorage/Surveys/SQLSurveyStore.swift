import Foundation
import MinyiCore
import SQLKit

/// One subject's tallies (a community, a station, an officer, a month), as scores are read from them.
public struct SurveyTallies: Sendable, Hashable {
    public var key: String
    public var tallies: [SurveyIndicator: IndicatorTally]
    /// Responses (the most answers any one indicator got).
    public var n: Int { tallies.values.map(\.n).max() ?? 0 }

    public init(key: String, tallies: [SurveyIndicator: IndicatorTally]) {
        self.key = key
        self.tallies = tallies
    }
}

/// Survey campaigns (民意评警) and their responses. A response holds the answers, the community, the officer rated,
/// the channel and the surveyor, never who answered: the resident's identity stays with whoever sampled them. Each
/// response adds to the campaign's tallies in its own transaction, so scores are read from the tallies however many
/// responses there are.
public struct SQLSurveyStore: Sendable {
    let database: any DatabaseBackend
    let newID: @Sendable () -> String

    public init(database: any DatabaseBackend, newID: @escaping @Sendable () -> String = { RowID.make() }) {
        self.database = database
        self.newID = newID
    }

    public func createCampaign(_ campaign: SurveyCampaign, by actor: Actor, at now: Date) async throws {
        try await database.write { db in
            guard let unit = try await SQLOrganisationStore.unit(on: db, id: campaign.unitID), actor.jurisdiction.contains(unit) else {
                throw ValidationError.invalid(field: "unit", message: "单位不存在或不在您的辖区 (no such unit in your jurisdiction)")
            }
            try await db.raw(
                """
                INSERT INTO survey_campaigns (id, title, starts_at, ends_at, unit_id, target_per_unit, created_by, created_at)
                VALUES (\(bind: campaign.id.rawValue), \(bind: campaign.title), \(bind: campaign.startsAt.epochSeconds), \
                \(bind: campaign.endsAt.epochSeconds), \(bind: campaign.unitID.rawValue), \(bind: campaign.targetPerUnit), \
                \(bind: actor.officer.id.rawValue), \(bind: now.epochSeconds))
                """
            ).run()
        }
    }

    public func campaigns() async throws -> [SurveyCampaign] {
        try await database.read { db in try await db.raw("SELECT * FROM survey_campaigns ORDER BY starts_at DESC, id").all().map(Self.decode) }
    }

    public func campaign(_ id: SurveyCampaign.ID) async throws -> SurveyCampaign? {
        try await database.read { db in try await Self.campaign(id, on: db) }
    }

    static func campaign(_ id: SurveyCampaign.ID, on db: any SQLDatabase) async throws -> SurveyCampaign? {
        try await db.raw("SELECT * FROM survey_campaigns WHERE id = \(bind: id.rawValue)").first().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> SurveyCampaign {
        SurveyCampaign(
            id: .init(try row.string("id")), title: try row.string("title"), startsAt: Date(epochSeconds: try row.int("starts_at")),
            endsAt: Date(epochSeconds: try row.int("ends_at")), unitID: .init(try row.string("unit_id")),
            targetPerUnit: try row.int("target_per_unit"))
    }

    /// A response as it will be written: where, whom it rates, how and by whom it was taken, when, and the answers.
    public struct ResponseInput: Sendable, Hashable {
        public var unitID: PoliceUnit.ID
        public var officerID: Officer.ID?
        public var channel: SurveyChannel
        /// The officer's name, or the third party's.
        public var surveyor: String
        public var at: Date
        public var answers: SurveyAnswers
        /// The source's own key of the response (a third party's ID), so a response is recorded once.
        public var importKey: String?

        public init(
            unitID: PoliceUnit.ID, officerID: Officer.ID?, channel: SurveyChannel, surveyor: String, at: Date, answers: SurveyAnswers,
            importKey: String? = nil
        ) {
            self.unitID = unitID
            self.officerID = officerID
            self.channel = channel
            self.surveyor = surveyor
            self.at = at
            self.answers = answers
            self.importKey = importKey
        }
    }

    /// Records one response (a surveyor's phone call or visit): the community must be one of the campaign's, inside
    /// its period, and within the actor's jurisdiction.
    public func record(_ input: ResponseInput, in campaignID: SurveyCampaign.ID, by actor: Actor, at now: Date) async throws {
        let answers = try input.answers.validated()
        try await database.write { db in
            guard let campaign = try await Self.campaign(campaignID, on: db) else {
                throw StorageError.notFound(what: "调查", id: campaignID.rawValue)
            }
            let unit = try await Self.community(input.unitID, of: campaign, on: db)
            guard actor.jurisdiction.contains(unit) else {
                throw ValidationError.invalid(field: "unit", message: "社区不在您的辖区 (the community is not in your jurisdiction)")
            }
            guard input.at >= campaign.startsAt, input.at < campaign.endsAt else {
                throw ValidationError.invalid(field: "at", message: "不在调查期内 (outside the campaign's period)")
            }
            var checked = input
            checked.answers = answers
            _ = try await insert(checked, in: campaign, unit: unit, by: actor.officer.id, at: now, on: db)
        }
    }

    /// The community a response is about, which must lie under the campaign's unit.
    static func community(_ id: PoliceUnit.ID, of campaign: SurveyCampaign, on db: any SQLDatabase) async throws -> PoliceUnit {
        guard let unit = try await SQLOrganisationStore.unit(on: db, id: id), unit.kind == .community,
            let root = try await SQLOrganisationStore.unit(on: db, id: campaign.unitID), root.contains(unit)
        else {
            throw ValidationError.invalid(field: "unit", message: "不是本次调查范围内的社区或村 (not a community this campaign covers)")
        }
        return unit
    }

    /// Writes a response and adds it to the tallies; false when its import key was recorded already.
    func insert(
        _ input: ResponseInput, in campaign: SurveyCampaign, unit: PoliceUnit, by actor: Officer.ID?, at now: Date, on db: any SQLDatabase
    ) async throws -> Bool {
        let answers = input.answers
        let written = try await db.raw(
            """
            INSERT INTO survey_responses (id, campaign_id, unit_id, unit_path, officer_id, channel, surveyor, at, saw_police, knows_officer, \
            attitude, safety, satisfaction, comment, import_key, recorded_by, recorded_at)
            VALUES (\(bind: SQLBallotStore.randomID()), \(bind: campaign.id.rawValue), \(bind: unit.id.rawValue), \(bind: unit.path), \
            \(bind: input.officerID?.rawValue), \(bind: input.channel.rawValue), \(bind: input.surveyor), \(bind: input.at.epochSeconds), \
            \(bind: answers.sawPolice.map { $0 ? 1 : 0 }), \(bind: answers.knowsOfficer.map { $0 ? 1 : 0 }), \(bind: answers.attitude), \
            \(bind: answers.safety), \(bind: answers.satisfaction?.rawValue), \(bind: answers.comment), \
            \(bind: input.importKey.map { campaign.id.rawValue + ":" + $0 }), \(bind: actor?.rawValue), \(bind: now.epochSeconds))
            ON CONFLICT (import_key) DO NOTHING RETURNING id
            """
        ).first()
        guard written != nil else { return false }
        var tallies: [SurveyIndicator: IndicatorTally] = [:]
        answers.add(to: &tallies)
        let month = Deadlines.monthStart(of: input.at).epochSeconds
        for (indicator, tally) in tallies {
            try await db.raw(
                """
                INSERT INTO survey_tallies (campaign_id, month, unit_id, unit_path, officer_id, indicator, n, yes, total, squares)
                VALUES (\(bind: campaign.id.rawValue), \(bind: month), \(bind: unit.id.rawValue), \(bind: unit.path), \
                \(bind: input.officerID?.rawValue ?? ""), \(bind: indicator.rawValue), \(bind: tally.n), \(bind: tally.yes), \(bind: tally.sum), \
                \(bind: tally.sumOfSquares))
                ON CONFLICT (campaign_id, month, unit_id, officer_id, indicator) DO UPDATE SET n = survey_tallies.n + excluded.n, \
                yes = survey_tallies.yes + excluded.yes, total = survey_tallies.total + excluded.total, \
                squares = survey_tallies.squares + excluded.squares
                """
            ).run()
        }
        return true
    }

    /// How to group the tallies.
    public enum Grouping: Sendable {
        /// By community (or any unit: each tally counts for the unit of `units` whose path holds it).
        case units([PoliceUnit])
        case officer
        case month
        case whole
    }

    /// The campaign's tallies under `unit`, grouped.
    public func tallies(of campaignID: SurveyCampaign.ID, under unit: PoliceUnit, by grouping: Grouping) async throws -> [SurveyTallies] {
        let rows = try await database.read { db in
            try await db.raw(
                """
                SELECT month, unit_path, officer_id, indicator, CAST(SUM(n) AS BIGINT) AS n, CAST(SUM(yes) AS BIGINT) AS yes, SUM(total) AS total, \
                SUM(squares) AS squares
                FROM survey_tallies WHERE campaign_id = \(bind: campaignID.rawValue) AND unit_path LIKE \(bind: unit.path + "%")
                GROUP BY month, unit_path, officer_id, indicator
                """
            ).all()
        }
        var grouped: [String: [SurveyIndicator: IndicatorTally]] = [:]
        for row in rows {
            guard let indicator = SurveyIndicator(rawValue: try row.string("indicator")) else { continue }
            let path = try row.string("unit_path")
            let key: String?
            switch grouping {
            case .units(let units): key = units.first { path.hasPrefix($0.path) }?.id.rawValue
            case .officer: key = try row.string("officer_id")
            case .month: key = String(try row.int("month"))
            case .whole: key = ""
            }
            guard let key else { continue }
            let tally = IndicatorTally(
                n: try row.int("n"), yes: try row.int("yes"), sum: try row.decode(column: "total", as: Double.self),
                sumOfSquares: try row.decode(column: "squares", as: Double.self))
            grouped[key, default: [:]][indicator] = (grouped[key]?[indicator] ?? IndicatorTally()) + tally
        }
        return grouped.map { SurveyTallies(key: $0.key, tallies: $0.value) }.sorted { $0.key < $1.key }
    }
}
