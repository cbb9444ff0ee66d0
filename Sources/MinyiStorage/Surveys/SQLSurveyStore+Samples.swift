import Foundation
import MinyiCore
import SQLKit

/// A household drawn for the phone survey, as the callback centre's queue shows it.
public struct SurveySample: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case open, claimed, answered, unreachable, refused

        public var nameZh: String {
            switch self {
            case .open: "待领取"
            case .claimed: "待拨打"
            case .answered: "已回答"
            case .unreachable: "未接通"
            case .refused: "拒访"
            }
        }

        public var nameEn: String {
            switch self {
            case .open: "Not taken"
            case .claimed: "To call"
            case .answered: "Answered"
            case .unreachable: "Unreachable"
            case .refused: "Declined"
            }
        }
    }

    public var id: String
    public var householdID: Household.ID
    public var unitID: PoliceUnit.ID
    public var status: Status
    public var attempts: Int
}

extension SQLSurveyStore {
    /// Draws households with a phone, at random, until each community of the campaign has `perCommunity` in the sample
    /// (households drawn before stay). Returns how many were added.
    public func drawSample(_ perCommunity: Int, for campaignID: SurveyCampaign.ID, by actor: Actor) async throws -> Int {
        guard (1...10_000).contains(perCommunity) else {
            throw ValidationError.invalid(field: "per_community", message: "每社区 1–10000 户 (1 to 10,000 households a community)")
        }
        return try await database.write { db in
            guard let campaign = try await Self.campaign(campaignID, on: db),
                let root = try await SQLOrganisationStore.unit(on: db, id: campaign.unitID)
            else { throw StorageError.notFound(what: "调查", id: campaignID.rawValue) }
            let scope = actor.jurisdiction.contains(root) ? root : actor.jurisdiction
            let rows = try await db.raw(
                """
                SELECT h.id, h.unit_id, h.unit_path FROM households h
                WHERE h.unit_path LIKE \(bind: scope.path + "%") AND h.id IN (SELECT household_id FROM household_phones)
                AND h.id NOT IN (SELECT household_id FROM survey_samples WHERE campaign_id = \(bind: campaignID.rawValue))
                """
            ).all()
            var already: [String: Int] = [:]
            for row in try await db.raw(
                "SELECT unit_id, COUNT(*) AS n FROM survey_samples WHERE campaign_id = \(bind: campaignID.rawValue) GROUP BY unit_id"
            ).all() {
                already[try row.string("unit_id")] = try row.int("n")
            }
            var byUnit: [String: [(id: String, path: String)]] = [:]
            for row in rows { byUnit[try row.string("unit_id"), default: []].append((try row.string("id"), try row.string("unit_path"))) }
            var generator = SystemRandomNumberGenerator()
            var added = 0
            for (unit, households) in byUnit {
                let wanted = max(0, perCommunity - (already[unit] ?? 0))
                for household in households.shuffled(using: &generator).prefix(wanted) {
                    try await db.raw(
                        """
                        INSERT INTO survey_samples (id, campaign_id, household_id, unit_id, unit_path, status, agent_id, attempts, done_on)
                        VALUES (\(bind: SQLBallotStore.randomID()), \(bind: campaignID.rawValue), \(bind: household.id), \(bind: unit), \
                        \(bind: household.path), 'open', NULL, 0, NULL)
                        """
                    ).run()
                    added += 1
                }
            }
            return added
        }
    }

    /// Takes up to `count` households nobody has taken, so two agents never call the same one.
    public func claimSamples(_ count: Int, for campaignID: SurveyCampaign.ID, by actor: Actor) async throws -> Int {
        try await database.write { db in
            let ids = try await db.raw(
                """
                SELECT id FROM survey_samples WHERE campaign_id = \(bind: campaignID.rawValue) AND status = 'open' \
                AND unit_path LIKE \(bind: actor.jurisdiction.path + "%") ORDER BY id LIMIT \(bind: max(1, min(count, 50)))\
                \(DatabaseDialect(db).claimRows)
                """
            ).all().map { try $0.string("id") }
            for id in ids {
                try await db.raw(
                    "UPDATE survey_samples SET status = 'claimed', agent_id = \(bind: actor.officer.id.rawValue) WHERE id = \(bind: id)"
                ).run()
            }
            return ids.count
        }
    }

    /// The agent's households to call, and how many are still untaken.
    public func sampleQueue(for campaignID: SurveyCampaign.ID, agent: Actor) async throws -> (mine: [SurveySample], open: Int) {
        try await database.read { db in
            let mine = try await db.raw(
                """
                SELECT * FROM survey_samples WHERE campaign_id = \(bind: campaignID.rawValue) AND status = 'claimed' \
                AND agent_id = \(bind: agent.officer.id.rawValue) ORDER BY id
                """
            ).all().map(Self.decodeSample)
            let open =
                try await db.raw(
                    "SELECT COUNT(*) AS n FROM survey_samples WHERE campaign_id = \(bind: campaignID.rawValue) AND status = 'open'"
                ).first()?.int("n") ?? 0
            return (mine, open)
        }
    }

    public func sample(_ id: String, agent: Actor) async throws -> SurveySample {
        try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM survey_samples WHERE id = \(bind: id)").first(),
                try row.optionalString("agent_id") == agent.officer.id.rawValue
            else { throw StorageError.notFound(what: "抽样住户", id: id) }
            return try Self.decodeSample(row)
        }
    }

    static func decodeSample(_ row: any SQLRow) throws -> SurveySample {
        SurveySample(
            id: try row.string("id"), householdID: .init(try row.string("household_id")), unitID: .init(try row.string("unit_id")),
            status: SurveySample.Status(rawValue: try row.string("status")) ?? .open, attempts: try row.int("attempts"))
    }

    /// The outcome of a call to a sampled household: the answers (written as a phone response that refers to no
    /// household, timed to the day), or no answer (the household goes back to the agent's queue until three tries), or
    /// declined.
    public func completeSample(
        _ id: String, outcome: SurveySample.Status, answers: SurveyAnswers?, for campaignID: SurveyCampaign.ID, by actor: Actor, at now: Date
    ) async throws {
        let checked = try answers.map { try $0.validated() }
        guard outcome != .answered || checked != nil, [.answered, .unreachable, .refused].contains(outcome) else {
            throw ValidationError.invalid(field: "outcome", message: "请选择结果并填写回答 (choose the outcome and give the answers)")
        }
        let day = Deadlines.dayStart(of: now)
        try await database.write { db in
            guard let campaign = try await Self.campaign(campaignID, on: db),
                let row = try await db.raw(
                    """
                    SELECT * FROM survey_samples WHERE id = \(bind: id) AND campaign_id = \(bind: campaignID.rawValue) AND status = 'claimed' \
                    AND agent_id = \(bind: actor.officer.id.rawValue)\(DatabaseDialect(db).lockRows)
                    """
                ).first()
            else { throw StorageError.notFound(what: "抽样住户", id: id) }
            let sample = try Self.decodeSample(row)
            let attempts = sample.attempts + 1
            let status: SurveySample.Status = outcome == .unreachable && attempts < 3 ? .claimed : outcome
            try await db.raw(
                """
                UPDATE survey_samples SET status = \(bind: status.rawValue), attempts = \(bind: attempts), \
                done_on = \(bind: status == .claimed ? nil : day.epochSeconds) WHERE id = \(bind: id)
                """
            ).run()
            if outcome == .answered, let checked {
                let unit = try await Self.community(sample.unitID, of: campaign, on: db)
                // The household's community officer is the one rated.
                let officer = try await db.raw("SELECT officer_id FROM households WHERE id = \(bind: sample.householdID.rawValue)").first()?
                    .optionalString("officer_id")
                _ = try await insert(
                    ResponseInput(
                        unitID: unit.id, officerID: officer.map { Officer.ID($0) }, channel: .phone, surveyor: actor.officer.name, at: day,
                        answers: checked),
                    in: campaign, unit: unit, by: nil, at: day, on: db)
            }
        }
    }
}
