import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import SQLKit
import Testing

/// The project ballot on both databases: one resident one ballot across web and paper, nothing linking a ballot to its
/// voter, "choose up to N", results hidden until the window closes, and ten thousand submissions at once.
struct BallotStoreTests {
    /// The `i`th voter's ID number: born 1980-01-01 in 110105, sequence `i`, with its check character.
    static func idNumber(_ i: Int) -> String {
        let first17 = "11010519800101" + String(format: "%03d", i % 1000)
        return first17 + String(Contact.idCheckCharacter(first17) ?? "0")
    }

    /// A campaign open from a day before the world's t0 to a week after, with `projects` candidates, choose up to 3.
    static func campaign(_ world: World, projects: Int = 5, maxChoices: Int = 3) async throws -> (BallotCampaign, [BallotCandidate]) {
        let campaign = BallotCampaign(
            id: "B2026", year: 2026, title: "2026 年惠民十件实事", opensAt: world.t0.addingTimeInterval(-86400),
            closesAt: world.t0.addingTimeInterval(7 * 86400), maxChoices: maxChoices)
        let ballots = world.stores.ballots
        try await ballots.createCampaign(campaign, by: world.admin, at: world.t0.addingTimeInterval(-2 * 86400))
        var candidates: [BallotCandidate] = []
        for n in 1...projects {
            candidates.append(
                try await ballots.addCandidate(
                    to: campaign.id, title: "项目 \(n)", summary: "第 \(n) 件实事", unitID: "S01", category: nil, by: world.admin,
                    at: world.t0.addingTimeInterval(-2 * 86400)))
        }
        return (campaign, candidates)
    }

    @Test(arguments: TestDatabase.dialects)
    func aBallotCannotBeLinkedToItsVoter(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let (campaign, candidates) = try await Self.campaign(world)
            var receipts: [String] = []
            for i in 0..<40 {
                receipts.append(
                    try await world.stores.ballots.cast(
                        idNumber: Self.idNumber(i), choices: [candidates[i % 5].id], for: campaign.id, at: world.t0.addingTimeInterval(Double(i))))
            }
            // The schema: the roll says who voted and how, the ballots what was chosen; no column in either refers to the
            // other, and neither holds a time.
            let columns = { (table: String) async throws -> Set<String> in
                let rows = try await database.read { db in
                    dialect == .sqlite
                        ? try await db.raw("SELECT name FROM pragma_table_info(\(bind: table))").all()
                        : try await db.raw(
                            """
                            SELECT column_name AS name FROM information_schema.columns \
                            WHERE table_name = \(bind: table) AND table_schema = current_schema()
                            """
                        ).all()
                }
                return Set(try rows.map { try $0.decode(column: "name", as: String.self) })
            }
            #expect(try await columns("ballot_roll") == ["campaign_id", "voter_key", "channel"])
            #expect(try await columns("ballots") == ["id", "campaign_id", "receipt_hash", "batch_id"])
            #expect(try await columns("ballot_choices") == ["ballot_id", "candidate_id"])
            // The rows: no voter key, ID number or plain hash of one appears among the ballots, and the ballots are not
            // kept in the order they were cast (40 in the cast order by chance: 1 in 40!).
            let roll = try await database.read { db in
                try await db.raw("SELECT voter_key FROM ballot_roll").all().map { try $0.decode(column: "voter_key", as: String.self) }
            }
            let ballots = try await database.read { db in
                try await db.raw("SELECT id, receipt_hash FROM ballots ORDER BY id").all().map {
                    (try $0.decode(column: "id", as: String.self), try $0.decode(column: "receipt_hash", as: String.self))
                }
            }
            #expect(roll.count == 40 && ballots.count == 40)
            let ids = (0..<40).map(Self.idNumber)
            for key in roll {
                #expect(!ids.contains(key))
                #expect(!ballots.contains { $0.0 == key || $0.1 == key })
            }
            #expect(Set(roll).isDisjoint(with: ids.map(SQLAuthStore.hashForTests)))
            let receiptOrder = receipts.map { SQLAuthStore.hashForTests(BallotRules.receipt($0) ?? "") }
            #expect(ballots.map(\.1) != receiptOrder)
            #expect(Set(ballots.map(\.1)) == Set(receiptOrder))
            // A receipt says the ballot was counted, and in which campaign, and nothing of its choices.
            #expect(try await world.stores.ballots.campaign(ofReceipt: BallotRules.formatted(receipt: receipts[7]).lowercased())?.id == campaign.id)
            #expect(try await world.stores.ballots.campaign(ofReceipt: "ABCDEFGHJKMN") == nil)

            // Once closed, the ballot is sealed: on PostgreSQL, where each vote's transaction left its ID (`xmin`) on the
            // roll row and the ballot row it wrote, every row then carries the sealing transaction's alone.
            if dialect == .postgres {
                let writers = { (table: String) async throws -> Set<String> in
                    try await database.read { db in
                        try await db.raw("SELECT xmin::text AS x FROM \(unsafeRaw: table)").all().map { try $0.decode(column: "x", as: String.self) }
                    }.reduce(into: Set<String>()) { $0.insert($1) }
                }
                let roll = try await writers("ballot_roll")
                let ballots = try await writers("ballots")
                #expect(roll.count == 40 && !roll.isDisjoint(with: ballots), "before sealing, one vote's rows share a writer")
            }
            #expect(try await world.stores.ballots.seal(at: campaign.closesAt.addingTimeInterval(-1)).isEmpty)
            #expect(try await world.stores.ballots.seal(at: campaign.closesAt) == [campaign.id])
            #expect(try await world.stores.ballots.seal(at: campaign.closesAt).isEmpty)
            if dialect == .postgres {
                let all = try await database.read { db in
                    try await db.raw(
                        "SELECT xmin::text AS x FROM ballot_roll UNION SELECT xmin::text FROM ballots UNION SELECT xmin::text FROM ballot_choices"
                    ).all().map { try $0.decode(column: "x", as: String.self) }
                }
                #expect(Set(all).count == 1)
            }
            #expect(try await world.stores.ballots.result(of: campaign.id, at: campaign.closesAt).participants == 40)
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func theSameIDNumberVotesOnceAcrossWebAndPaper(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let ballots = world.stores.ballots
            let (campaign, candidates) = try await Self.campaign(world)
            _ = try await ballots.cast(idNumber: Self.idNumber(1), choices: [candidates[0].id], for: campaign.id, at: world.t0)
            // Online, then on paper: the paper batch is refused whole, naming the line.
            let batch = try PaperBatchInput.parse(
                number: "P-001", voters: "\(Self.idNumber(2))\n\(Self.idNumber(1))", sheets: "S0001 1 2\nS0002 3", campaign: campaign,
                candidates: candidates)
            let refused = await #expect(throws: ValidationError.self) {
                try await ballots.enterPaperBatch(batch, for: campaign.id, by: world.clerkA, at: world.t0)
            }
            #expect(refused?.message.contains("选民第 2 行") == true)
            #expect(try await ballots.turnout(of: campaign.id) == [.web: 1])
            // On paper, then online: the verification already says so.
            let good = try PaperBatchInput.parse(
                number: "P-001", voters: "\(Self.idNumber(2))\n\(Self.idNumber(3))", sheets: "S0001 1 2\nS0002 3", campaign: campaign,
                candidates: candidates)
            let entered = try await ballots.enterPaperBatch(good, for: campaign.id, by: world.clerkA, at: world.t0)
            #expect(entered.voters == 2 && entered.sheets == 2)
            await #expect(throws: StorageError.self) {
                try await ballots.beginVerification(of: Self.idNumber(3), for: campaign.id, at: world.t0)
            }
            await #expect(throws: StorageError.self) {
                try await ballots.cast(idNumber: Self.idNumber(2), choices: [candidates[0].id], for: campaign.id, at: world.t0)
            }
            // A batch number and a sheet's serial are used once.
            let again = try PaperBatchInput.parse(
                number: "P-002", voters: Self.idNumber(4), sheets: "S0002 4", campaign: campaign, candidates: candidates)
            let reused = await #expect(throws: ValidationError.self) {
                try await ballots.enterPaperBatch(again, for: campaign.id, by: world.clerkA, at: world.t0)
            }
            #expect(reused?.message.contains("S0002") == true)
            await #expect(throws: ValidationError.self) {
                try await ballots.enterPaperBatch(good, for: campaign.id, by: world.clerkA, at: world.t0)
            }
            #expect(try await ballots.turnout(of: campaign.id) == [.web: 1, .paper: 2])
            let result = try await ballots.result(of: campaign.id, at: campaign.closesAt)
            #expect(result.participants == 3)
            #expect(result.counts.map(\.votes) == [2, 1, 1, 0, 0])
        }
    }

    @Test(arguments: TestDatabase.dialects)
    func aVerifiedVoterCastsOnceWithinTheRulesAndTheResultsWaitForTheClose(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let ballots = world.stores.ballots
            let (campaign, candidates) = try await Self.campaign(world)
            let verification = try await ballots.beginVerification(of: Self.idNumber(5), for: campaign.id, at: world.t0)
            // A wrong code counts against the verification; the ballot waits.
            await #expect(throws: ValidationError.self) {
                try await ballots.cast(token: verification.token, code: "000000x", choices: [candidates[0].id], for: campaign.id, at: world.t0)
            }
            // Choose up to 3: four are refused, and nothing is marked.
            let tooMany = await #expect(throws: ValidationError.self) {
                try await ballots.cast(
                    token: verification.token, code: verification.code, choices: candidates.prefix(4).map(\.id), for: campaign.id, at: world.t0)
            }
            #expect(tooMany?.field == "choices")
            #expect(try await ballots.turnout(of: campaign.id).isEmpty)
            let receipt = try await ballots.cast(
                token: verification.token, code: verification.code, choices: [candidates[4].id, candidates[1].id], for: campaign.id, at: world.t0)
            #expect(BallotRules.receipt(receipt) == receipt)
            // The verification is spent.
            await #expect(throws: (any Error).self) {
                try await ballots.cast(
                    token: verification.token, code: verification.code, choices: [candidates[0].id], for: campaign.id, at: world.t0)
            }
            // Hidden until the close, to everyone.
            await #expect(throws: StorageError.self) { try await ballots.result(of: campaign.id, at: campaign.closesAt.addingTimeInterval(-1)) }
            let result = try await ballots.result(of: campaign.id, at: campaign.closesAt)
            #expect(result.counts.map(\.votes) == [0, 1, 0, 0, 1])
            // After the close nobody votes.
            await #expect(throws: StorageError.self) {
                try await ballots.cast(idNumber: Self.idNumber(6), choices: [candidates[0].id], for: campaign.id, at: campaign.closesAt)
            }
            // Five wrong codes spend a verification.
            let other = try await ballots.beginVerification(of: Self.idNumber(7), for: campaign.id, at: world.t0)
            for _ in 0..<SQLBallotStore.codeAttempts {
                await #expect(throws: ValidationError.self) {
                    try await ballots.cast(token: other.token, code: "999999x", choices: [candidates[0].id], for: campaign.id, at: world.t0)
                }
            }
            let spent = await #expect(throws: ValidationError.self) {
                try await ballots.cast(token: other.token, code: other.code, choices: [candidates[0].id], for: campaign.id, at: world.t0)
            }
            #expect(spent?.message.contains("过期") == true)
        }
    }

    /// 10,000 submissions at once from 1,000 voters, each voter ten times: exactly 1,000 ballots, and every count right.
    @Test(arguments: TestDatabase.dialects)
    func tenThousandConcurrentSubmissionsFromAThousandVotersMakeAThousandBallots(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let ballots = world.stores.ballots
            let (campaign, candidates) = try await Self.campaign(world, projects: 20, maxChoices: 10)
            // Voter v chooses projects v % 20 and (v + 7) % 20.
            let choices: @Sendable (Int) -> [BallotCandidate.ID] = { v in [candidates[v % 20].id, candidates[(v + 7) % 20].id] }
            let accepted = await withTaskGroup(of: Bool.self) { group in
                for attempt in 0..<10 {
                    for voter in 0..<1000 {
                        group.addTask {
                            let at = world.t0.addingTimeInterval(Double(attempt))
                            return (try? await ballots.cast(idNumber: Self.idNumber(voter), choices: choices(voter), for: campaign.id, at: at)) != nil
                        }
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(accepted == 1000)
            let result = try await ballots.result(of: campaign.id, at: campaign.closesAt)
            #expect(result.participants == 1000)
            #expect(result.turnout == [.web: 1000])
            // Each project is chosen by the 50 voters with v % 20 == p and the 50 with (v + 7) % 20 == p.
            #expect(result.counts.map(\.votes) == Array(repeating: 100, count: 20))
            let stored = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM ballots").first()?.decode(column: "n", as: Int.self)
            }
            #expect(stored == 1000)
        }
    }
}
