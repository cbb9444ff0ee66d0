import Crypto
import Foundation
import MinyiCore
import SQLKit

extension SQLSurveyStore {
    static func codeHash(_ code: String, campaign: SurveyCampaign.ID) -> String {
        SHA256.hash(data: Data((campaign.rawValue + ":" + code).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Makes `count` one-time codes for the web link, for households of one community; shown once, kept as hashes.
    public func issueCodes(_ count: Int, for campaignID: SurveyCampaign.ID, unit unitID: PoliceUnit.ID, by actor: Actor) async throws -> [String] {
        guard (1...2000).contains(count) else { throw ValidationError.invalid(field: "count", message: "每次 1–2000 张 (1 to 2000 codes)") }
        var generator = SystemRandomNumberGenerator()
        let alphabet = Meeting.codeAlphabet
        let codes = (0..<count).map { _ in
            String((0..<Meeting.codeLength).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        }
        try await database.write { db in
            guard let campaign = try await Self.campaign(campaignID, on: db) else {
                throw StorageError.notFound(what: "调查", id: campaignID.rawValue)
            }
            let unit = try await Self.community(unitID, of: campaign, on: db)
            guard actor.jurisdiction.contains(unit) else {
                throw ValidationError.invalid(field: "unit", message: "社区不在您的辖区 (the community is not in your jurisdiction)")
            }
            for code in codes {
                try await db.raw(
                    """
                    INSERT INTO survey_codes (code_hash, campaign_id, unit_id, used)
                    VALUES (\(bind: Self.codeHash(code, campaign: campaignID)), \(bind: campaignID.rawValue), \(bind: unit.id.rawValue), 0)
                    """
                ).run()
            }
        }
        return codes
    }

    /// A resident's answers by the web link: the code is used once, in the same transaction as the response, which
    /// counts for the code's community and keeps nothing of the code.
    public func answer(code raw: String, answers: SurveyAnswers, in campaignID: SurveyCampaign.ID, at now: Date) async throws {
        let code = Meeting.normaliseCode(raw)
        let answers = try answers.validated()
        try await database.write { db in
            guard let campaign = try await Self.campaign(campaignID, on: db) else {
                throw StorageError.notFound(what: "调查", id: campaignID.rawValue)
            }
            guard now >= campaign.startsAt, now < campaign.endsAt else {
                throw ValidationError.invalid(field: "code", message: "不在调查期内 (the survey is not open now)")
            }
            guard
                let row = try await db.raw(
                    """
                    UPDATE survey_codes SET used = 1 WHERE code_hash = \(bind: Self.codeHash(code, campaign: campaignID)) AND used = 0
                    RETURNING unit_id
                    """
                ).first()
            else {
                throw ValidationError.invalid(field: "code", message: "问卷码不正确或已经用过 (no such code, or it was used)")
            }
            guard let unit = try await SQLOrganisationStore.unit(on: db, id: .init(try row.string("unit_id"))) else {
                throw StorageError.corrupt("survey_codes.unit_id")
            }
            _ = try await insert(
                ResponseInput(unitID: unit.id, officerID: nil, channel: .web, surveyor: "网上", at: now, answers: answers), in: campaign, unit: unit,
                by: nil, at: now, on: db)
        }
    }
}
