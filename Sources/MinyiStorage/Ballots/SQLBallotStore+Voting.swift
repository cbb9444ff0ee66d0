import Foundation
import MinyiCore
import SQLKit

extension SQLBallotStore {
    // MARK: Voting online

    /// Begins a voter's verification: the ID number is checked and hashed, a voter who already voted is told so, and a
    /// six-digit code is made for the phone. The phone itself is not kept; the code and the token only as hashes.
    public func beginVerification(of idNumber: String, for campaignID: BallotCampaign.ID, at now: Date) async throws -> BallotVerification {
        let voter = voterKey(idNumber, campaign: campaignID)
        let token = SQLAuthStore.newToken()
        let code = Self.newCode()
        let expiresAt = now.addingTimeInterval(Self.codeLifetime)
        try await database.write { db in
            _ = try await Self.openCampaign(campaignID, at: now, on: db)
            try await Self.refuseIfVoted(voter, campaignID, on: db)
            try await db.raw("DELETE FROM ballot_verifications WHERE expires_at <= \(bind: now.epochSeconds)").run()
            let outstanding =
                try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM ballot_verifications WHERE campaign_id = \(bind: campaignID.rawValue) AND voter_key = \(bind: voter)
                    """
                ).first()?.int("n") ?? 0
            guard outstanding < Self.outstandingCodes else {
                throw StorageError.conflict("验证码已发送多次，请 10 分钟后再试 (codes were sent several times: try again in 10 minutes)")
            }
            try await db.raw(
                """
                INSERT INTO ballot_verifications (token_hash, campaign_id, voter_key, code_hash, expires_at, attempts)
                VALUES (\(bind: Self.hash(token)), \(bind: campaignID.rawValue), \(bind: voter), \(bind: Self.hash(token + ":" + code)), \
                \(bind: expiresAt.epochSeconds), 0)
                """
            ).run()
        }
        return BallotVerification(token: token, code: code, expiresAt: expiresAt)
    }

    static func refuseIfVoted(_ voter: String, _ campaignID: BallotCampaign.ID, on db: any SQLDatabase) async throws {
        let voted = try await db.raw(
            "SELECT channel FROM ballot_roll WHERE campaign_id = \(bind: campaignID.rawValue) AND voter_key = \(bind: voter)"
        ).first()
        if let channel = try voted?.string("channel") {
            let how = BallotChannel(rawValue: channel) == .paper ? "（纸质选票）" : ""
            throw StorageError.conflict("该身份证号已经投过票\(how)，每人只能投一次 (this ID number has already voted; one ballot each)")
        }
    }

    /// Casts a verified voter's ballot: the code is checked (a wrong one counts against the verification), then in one
    /// transaction the roll is marked, the ballot and its choices written and the verification spent. Returns the
    /// receipt code, shown once.
    public func cast(token: String, code: String, choices: [BallotCandidate.ID], for campaignID: BallotCampaign.ID, at now: Date) async throws
        -> String
    {
        let tokenHash = Self.hash(token)
        let voter: String = try await database.write { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT voter_key, code_hash, expires_at, attempts FROM ballot_verifications
                    WHERE token_hash = \(bind: tokenHash) AND campaign_id = \(bind: campaignID.rawValue)
                    """
                ).first(), try row.int("expires_at") > now.epochSeconds, try row.int("attempts") < Self.codeAttempts
            else {
                throw ValidationError.invalid(field: "verification",
                    message: "验证已过期，请重新获取验证码 (the verification has expired: ask for a new code)")
            }
            guard try row.string("code_hash") == Self.hash(token + ":" + code.trimmed) else {
                try await db.raw("UPDATE ballot_verifications SET attempts = attempts + 1 WHERE token_hash = \(bind: tokenHash)").run()
                // The count of wrong tries must stay even though the ballot is refused: commit it, then refuse.
                return ""
            }
            return try row.string("voter_key")
        }
        guard !voter.isEmpty else { throw ValidationError.invalid(field: "code", message: "验证码不正确 (the code is not right)") }
        return try await castVerified(voter: voter, choices: choices, channel: .web, for: campaignID, at: now, spending: tokenHash)
    }

    /// Casts the ballot of a voter whose identity was checked another way (the race test, tools): the same roll, the
    /// same rules.
    public func cast(idNumber: String, choices: [BallotCandidate.ID], for campaignID: BallotCampaign.ID, at now: Date) async throws -> String {
        try await castVerified(voter: voterKey(idNumber, campaign: campaignID), choices: choices, channel: .web, for: campaignID, at: now)
    }

    func castVerified(
        voter: String, choices: [BallotCandidate.ID], channel: BallotChannel, for campaignID: BallotCampaign.ID, at now: Date,
        spending tokenHash: String? = nil
    ) async throws -> String {
        let receipt = Self.newReceipt()
        try await database.write { db in
            let campaign = try await Self.openCampaign(campaignID, at: now, on: db)
            let chosen = try BallotRules.choices(choices, of: try await Self.candidates(of: campaignID, on: db), campaign: campaign)
            try await Self.markRoll(voter, channel, campaignID, on: db)
            try await Self.writeBallot(chosen, receiptHash: Self.hash(receipt), batch: nil, campaignID, on: db)
            if let tokenHash { try await db.raw("DELETE FROM ballot_verifications WHERE token_hash = \(bind: tokenHash)").run() }
        }
        return receipt
    }

    /// Marks the voter on the roll, or refuses when they are on it already: the roll's key decides, so of ten
    /// submissions at once exactly one gets through.
    static func markRoll(_ voter: String, _ channel: BallotChannel, _ campaignID: BallotCampaign.ID, on db: any SQLDatabase) async throws {
        let marked = try await db.raw(
            """
            INSERT INTO ballot_roll (campaign_id, voter_key, channel) VALUES (\(bind: campaignID.rawValue), \(bind: voter), \(bind: channel.rawValue))
            ON CONFLICT (campaign_id, voter_key) DO NOTHING RETURNING voter_key
            """
        ).first()
        if marked == nil { try await refuseIfVoted(voter, campaignID, on: db) }
    }

    static func writeBallot(
        _ chosen: [BallotCandidate.ID], receiptHash: String?, batch: String?, _ campaignID: BallotCampaign.ID, on db: any SQLDatabase
    ) async throws {
        let id = randomID()
        // A paper ballot has no receipt; its row still needs a unique value there, unguessable and tied to nothing.
        try await db.raw(
            """
            INSERT INTO ballots (id, campaign_id, receipt_hash, batch_id)
            VALUES (\(bind: id), \(bind: campaignID.rawValue), \(bind: receiptHash ?? "paper:" + randomID()), \(bind: batch))
            """
        ).run()
        for candidate in chosen {
            try await db.raw("INSERT INTO ballot_choices (ballot_id, candidate_id) VALUES (\(bind: id), \(bind: candidate.rawValue))").run()
        }
    }

    /// The campaign a receipt code's ballot was counted in, or nil. It says nothing of the choices, so a receipt cannot
    /// prove to anyone how its holder voted.
    public func campaign(ofReceipt receipt: String) async throws -> BallotCampaign? {
        guard let receipt = BallotRules.receipt(receipt) else { return nil }
        return try await database.read { db in
            guard
                let row = try await db.raw("SELECT campaign_id FROM ballots WHERE receipt_hash = \(bind: Self.hash(receipt))").first()
            else { return nil }
            return try await Self.campaign(.init(try row.string("campaign_id")), on: db)
        }
    }

    // MARK: Counting

    /// How many voted, by channel (the roll), at any time: turnout is not a result.
    public func turnout(of campaignID: BallotCampaign.ID) async throws -> [BallotChannel: Int] {
        try await database.read { db in
            var turnout: [BallotChannel: Int] = [:]
            for row in try await db.raw(
                "SELECT channel, COUNT(*) AS n FROM ballot_roll WHERE campaign_id = \(bind: campaignID.rawValue) GROUP BY channel"
            ).all() {
                if let channel = BallotChannel(rawValue: try row.string("channel")) { turnout[channel] = try row.int("n") }
            }
            return turnout
        }
    }

    /// The counts per project and the turnout; refused before the window closes.
    public func result(of campaignID: BallotCampaign.ID, at now: Date) async throws -> BallotResult {
        try await database.read { db in
            guard let campaign = try await Self.campaign(campaignID, on: db) else {
                throw StorageError.notFound(what: "票选", id: campaignID.rawValue)
            }
            guard campaign.resultsVisible(at: now) else {
                throw StorageError.conflict("投票结束后公布结果 (the results are published when voting closes)")
            }
            return try await Self.result(of: campaign, on: db)
        }
    }

    static func result(of campaign: BallotCampaign, on db: any SQLDatabase) async throws -> BallotResult {
        let candidates = try await candidates(of: campaign.id, on: db)
        var votes: [String: Int] = [:]
        for row in try await db.raw(
            """
            SELECT c.candidate_id, COUNT(*) AS n FROM ballot_choices c JOIN ballots b ON b.id = c.ballot_id
            WHERE b.campaign_id = \(bind: campaign.id.rawValue) GROUP BY c.candidate_id
            """
        ).all() {
            votes[try row.string("candidate_id")] = try row.int("n")
        }
        var turnout: [BallotChannel: Int] = [:]
        for row in try await db.raw(
            "SELECT channel, COUNT(*) AS n FROM ballot_roll WHERE campaign_id = \(bind: campaign.id.rawValue) GROUP BY channel"
        ).all() {
            if let channel = BallotChannel(rawValue: try row.string("channel")) { turnout[channel] = try row.int("n") }
        }
        return BallotResult(counts: candidates.map { ($0, votes[$0.id.rawValue] ?? 0) }, turnout: turnout)
    }
}

extension SQLBallotStore {
    // MARK: Paper ballots

    /// Enters a batch of paper ballots, all or nothing: every voter goes on the roll (a voter who voted already, online
    /// or on paper, refuses the batch, named by line), every sheet's serial is used once, and each sheet becomes a
    /// ballot of the batch. The voters and the sheets are written apart, in no shared order.
    public func enterPaperBatch(_ input: PaperBatchInput, for campaignID: BallotCampaign.ID, by actor: Actor, at now: Date) async throws
        -> PaperBatch
    {
        let batch = PaperBatch(
            id: newID(), campaignID: campaignID, number: input.number, unitID: actor.unit.id, enteredBy: actor.officer.id, enteredAt: now,
            voters: input.voters.count, sheets: input.sheets.count)
        try await database.write { db in
            _ = try await Self.openCampaign(campaignID, at: now, on: db)
            let taken = try await db.raw(
                "SELECT 1 AS one FROM ballot_batches WHERE campaign_id = \(bind: campaignID.rawValue) AND number = \(bind: input.number)"
            ).first()
            guard taken == nil else {
                throw ValidationError.invalid(field: "number", message: "批次号 \(input.number) 已录入过 (batch \(input.number) was entered already)")
            }
            let candidates = try await Self.candidates(of: campaignID, on: db)
            let byNumber = Dictionary(uniqueKeysWithValues: candidates.map { ($0.number, $0.id) })
            var problems: [String] = []
            for voter in input.voters {
                let key = voterKey(voter.idNumber, campaign: campaignID)
                let marked = try await db.raw(
                    """
                    INSERT INTO ballot_roll (campaign_id, voter_key, channel) VALUES (\(bind: campaignID.rawValue), \(bind: key), 'paper')
                    ON CONFLICT (campaign_id, voter_key) DO NOTHING RETURNING voter_key
                    """
                ).first()
                if marked == nil {
                    problems.append("选民第 \(voter.line) 行：该身份证号已经投过票 (voter line \(voter.line): this ID number has voted already)")
                }
            }
            for sheet in input.sheets {
                let used = try await db.raw(
                    """
                    INSERT INTO ballot_sheets (campaign_id, serial) VALUES (\(bind: campaignID.rawValue), \(bind: sheet.serial))
                    ON CONFLICT (campaign_id, serial) DO NOTHING RETURNING serial
                    """
                ).first()
                if used == nil {
                    problems.append("选票第 \(sheet.line) 行：编号 \(sheet.serial) 已录入过 (sheet line \(sheet.line): serial entered already)")
                    continue
                }
                try await Self.writeBallot(sheet.numbers.compactMap { byNumber[$0] }, receiptHash: nil, batch: batch.id, campaignID, on: db)
            }
            // Any problem undoes the whole batch (the transaction ends with the error).
            if !problems.isEmpty {
                throw ValidationError.invalid(field: problems[0].hasPrefix("选民") ? "voters" : "sheets", message: problems.joined(separator: "\n"))
            }
            try await db.raw(
                """
                INSERT INTO ballot_batches (id, campaign_id, number, unit_id, entered_by, entered_at, voters, sheets)
                VALUES (\(bind: batch.id), \(bind: campaignID.rawValue), \(bind: batch.number), \(bind: batch.unitID.rawValue), \
                \(bind: batch.enteredBy.rawValue), \(bind: now.epochSeconds), \(bind: batch.voters), \(bind: batch.sheets))
                """
            ).run()
        }
        return batch
    }

    public func batches(of campaignID: BallotCampaign.ID) async throws -> [PaperBatch] {
        try await database.read { db in
            try await db.raw("SELECT * FROM ballot_batches WHERE campaign_id = \(bind: campaignID.rawValue) ORDER BY entered_at DESC, number")
                .all().map { row in
                    PaperBatch(
                        id: try row.string("id"), campaignID: campaignID, number: try row.string("number"), unitID: .init(try row.string("unit_id")),
                        enteredBy: .init(try row.string("entered_by")), enteredAt: Date(epochSeconds: try row.int("entered_at")),
                        voters: try row.int("voters"), sheets: try row.int("sheets"))
                }
        }
    }
}

extension SQLBallotStore {
    // MARK: Sealing

    /// Rewrites the roll, the ballots and their choices of every ballot closed by `now` and not yet sealed, in one
    /// transaction per ballot. While voting is open, PostgreSQL's system column `xmin` shows which roll row and which
    /// ballot one vote's transaction wrote; after the rewrite every row carries the sealing transaction's, and vacuum
    /// removes the old versions, so a copy of the database taken later cannot pair them. On SQLite, whose rows carry no
    /// writer, the rewrite changes nothing that could be seen. Returns the ballots sealed.
    public func seal(at now: Date) async throws -> [BallotCampaign.ID] {
        let due = try await database.read { db in
            try await db.raw(
                "SELECT id FROM ballot_campaigns WHERE closes_at <= \(bind: now.epochSeconds) AND sealed_at IS NULL ORDER BY id"
            ).all().map { BallotCampaign.ID(try $0.string("id")) }
        }
        for id in due {
            try await database.write { db in
                try await db.raw("UPDATE ballot_roll SET channel = channel WHERE campaign_id = \(bind: id.rawValue)").run()
                try await db.raw("UPDATE ballots SET batch_id = batch_id WHERE campaign_id = \(bind: id.rawValue)").run()
                try await db.raw(
                    """
                    UPDATE ballot_choices SET candidate_id = candidate_id
                    WHERE ballot_id IN (SELECT id FROM ballots WHERE campaign_id = \(bind: id.rawValue))
                    """
                ).run()
                try await db.raw(
                    "UPDATE ballot_campaigns SET sealed_at = \(bind: now.epochSeconds) WHERE id = \(bind: id.rawValue) AND sealed_at IS NULL"
                ).run()
            }
        }
        return due
    }
}
