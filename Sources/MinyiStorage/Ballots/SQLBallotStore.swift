import Crypto
import Foundation
import MinyiCore
import SQLKit

/// A verification begun: the token the voter's form carries and the code to send to their phone.
public struct BallotVerification: Sendable, Hashable {
    public var token: String
    public var code: String
    public var expiresAt: Date
}

/// A paper batch as entered: its number, and how many voters signed the roll and how many sheets it held.
public struct PaperBatch: Sendable, Hashable {
    public var id: String
    public var campaignID: BallotCampaign.ID
    public var number: String
    public var unitID: PoliceUnit.ID
    public var enteredBy: Officer.ID
    public var enteredAt: Date
    public var voters: Int
    public var sheets: Int
}

/// The project ballot (十件实事票选). One resident, one ballot: the roll holds a keyed hash (HMAC with the server's voter
/// key, per campaign) of each voter's ID number, never the number; ballots are stored apart from it, with nothing that
/// links one to its voter, and a receipt code's hash lets a voter see that theirs was counted. Paper ballots, entered
/// in numbered batches, mark the roll like online ones, so the same ID number votes once across both.
public struct SQLBallotStore: Sendable {
    let database: any DatabaseBackend
    let voterKey: PINKey
    let newID: @Sendable () -> String

    /// How long a verification code may be used.
    public static let codeLifetime: TimeInterval = 10 * 60
    /// Wrong codes before a verification is spent.
    public static let codeAttempts = 5
    /// Codes a voter may have outstanding at once (a slow text message, a second try), so a phone cannot be flooded.
    public static let outstandingCodes = 3

    public init(database: any DatabaseBackend, voterSecret: String, newID: @escaping @Sendable () -> String = { RowID.make() }) {
        self.database = database
        self.voterKey = PINKey(secret: voterSecret)
        self.newID = newID
    }

    /// The roll's key of a voter for a campaign: HMAC-SHA256 of the campaign and the ID number. Without the server's
    /// voter key, a copy of the database cannot tell whether a given ID number voted; and the keys of two campaigns
    /// differ, so years of participation cannot be joined.
    func voterKey(_ idNumber: String, campaign: BallotCampaign.ID) -> String {
        var mac = voterKey.keyed
        mac.update(data: Data((campaign.rawValue + "\n" + idNumber).utf8))
        return Data(mac.finalize()).map { String(format: "%02x", $0) }.joined()
    }

    static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A random ID with no order in it (`RowID`s begin with the time).
    static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func newReceipt() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = BallotRules.receiptAlphabet
        return String((0..<BallotRules.receiptLength).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    static func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
    }

    // MARK: Campaigns and candidates

    public func createCampaign(_ campaign: BallotCampaign, by actor: Actor, at now: Date) async throws {
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO ballot_campaigns (id, year, title, opens_at, closes_at, max_choices, created_by, created_at)
                VALUES (\(bind: campaign.id.rawValue), \(bind: campaign.year), \(bind: campaign.title), \(bind: campaign.opensAt.epochSeconds), \
                \(bind: campaign.closesAt.epochSeconds), \(bind: campaign.maxChoices), \(bind: actor.officer.id.rawValue), \(bind: now.epochSeconds))
                """
            ).run()
        }
    }

    public func campaigns() async throws -> [BallotCampaign] {
        try await database.read { db in
            try await db.raw("SELECT * FROM ballot_campaigns ORDER BY opens_at DESC, id").all().map(Self.decodeCampaign)
        }
    }

    public func campaign(_ id: BallotCampaign.ID) async throws -> BallotCampaign? {
        try await database.read { db in try await Self.campaign(id, on: db) }
    }

    static func campaign(_ id: BallotCampaign.ID, on db: any SQLDatabase) async throws -> BallotCampaign? {
        try await db.raw("SELECT * FROM ballot_campaigns WHERE id = \(bind: id.rawValue)").first().map(decodeCampaign)
    }

    static func decodeCampaign(_ row: any SQLRow) throws -> BallotCampaign {
        BallotCampaign(
            id: .init(try row.string("id")), year: try row.int("year"), title: try row.string("title"),
            opensAt: Date(epochSeconds: try row.int("opens_at")), closesAt: Date(epochSeconds: try row.int("closes_at")),
            maxChoices: try row.int("max_choices"))
    }

    /// Adds a candidate project, numbered after the last; the ballot is fixed once voting opens.
    public func addCandidate(
        to campaignID: BallotCampaign.ID, title: String, summary: String, unitID: PoliceUnit.ID, category: MinyiCore.Category.Code?,
        by actor: Actor, at now: Date
    ) async throws -> BallotCandidate {
        let id = BallotCandidate.ID(newID())
        return try await database.write { db in
            guard let campaign = try await Self.campaign(campaignID, on: db) else { throw StorageError.notFound(what: "票选",
                id: campaignID.rawValue) }
            guard campaign.phase(at: now) == .upcoming else {
                throw StorageError.conflict("投票已开始，候选项目不能再改 (voting has opened: the ballot is fixed)")
            }
            guard try await SQLOrganisationStore.unit(on: db, id: unitID) != nil else {
                throw ValidationError.invalid(field: "unit", message: "单位不存在 (no such unit)")
            }
            let last = try await db.raw(
                "SELECT MAX(number) AS last FROM ballot_candidates WHERE campaign_id = \(bind: campaignID.rawValue)"
            ).first()?.optionalInt("last")
            let number = (last ?? 0) + 1
            try await db.raw(
                """
                INSERT INTO ballot_candidates (id, campaign_id, number, title, summary, unit_id, category, created_by, created_at)
                VALUES (\(bind: id.rawValue), \(bind: campaignID.rawValue), \(bind: number), \(bind: title), \(bind: summary), \
                \(bind: unitID.rawValue), \(bind: category?.rawValue), \(bind: actor.officer.id.rawValue), \(bind: now.epochSeconds))
                """
            ).run()
            return BallotCandidate(id: id, campaignID: campaignID, number: number, title: title, summary: summary, unitID: unitID, category: category)
        }
    }

    public func candidates(of campaignID: BallotCampaign.ID) async throws -> [BallotCandidate] {
        try await database.read { db in try await Self.candidates(of: campaignID, on: db) }
    }

    static func candidates(of campaignID: BallotCampaign.ID, on db: any SQLDatabase) async throws -> [BallotCandidate] {
        try await db.raw("SELECT * FROM ballot_candidates WHERE campaign_id = \(bind: campaignID.rawValue) ORDER BY number").all().map { row in
            BallotCandidate(
                id: .init(try row.string("id")), campaignID: campaignID, number: try row.int("number"), title: try row.string("title"),
                summary: try row.string("summary"), unitID: .init(try row.string("unit_id")),
                category: try row.optionalString("category").map { .init($0) })
        }
    }

    static func openCampaign(_ id: BallotCampaign.ID, at now: Date, on db: any SQLDatabase) async throws -> BallotCampaign {
        guard let campaign = try await campaign(id, on: db) else { throw StorageError.notFound(what: "票选", id: id.rawValue) }
        switch campaign.phase(at: now) {
        case .upcoming: throw StorageError.conflict("投票尚未开始 (voting has not opened yet)")
        case .closed: throw StorageError.conflict("投票已结束 (voting has closed)")
        case .open: return campaign
        }
    }
}
