import Foundation

/// A yearly ballot (惠民行动十件实事票选): residents choose up to `maxChoices` of the candidate projects during the
/// voting window; one resident, one ballot, online or on paper. The counts stay hidden until the window closes.
public struct BallotCampaign: Sendable, Hashable {
    public typealias ID = Identifier<BallotCampaign>

    public var id: ID
    public var year: Int
    public var title: String
    public var opensAt: Date
    public var closesAt: Date
    /// "Choose up to N" (10 of about 20 by default).
    public var maxChoices: Int

    public init(id: ID, year: Int, title: String, opensAt: Date, closesAt: Date, maxChoices: Int) {
        self.id = id
        self.year = year
        self.title = title
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.maxChoices = maxChoices
    }

    public enum Phase: String, Sendable, Hashable, Codable {
        case upcoming, open, closed

        public var nameZh: String {
            switch self {
            case .upcoming: "未开始"
            case .open: "投票中"
            case .closed: "已结束"
            }
        }

        public var nameEn: String {
            switch self {
            case .upcoming: "Not yet open"
            case .open: "Voting open"
            case .closed: "Closed"
            }
        }
    }

    public func phase(at now: Date) -> Phase {
        now < opensAt ? .upcoming : now < closesAt ? .open : .closed
    }

    /// The counts are published once the window has closed, never before: a running tally sways the late voters.
    public func resultsVisible(at now: Date) -> Bool { phase(at: now) == .closed }

    /// A campaign as asked for: a title, a window that closes after it opens, and "up to N" at least 1.
    public static func validated(
        id: ID, year: Int, title: String?, opensAt: Date?, closesAt: Date?, maxChoices: Int?
    ) throws(ValidationErrors) -> BallotCampaign {
        // Every rule checked, each fault naming its field, so that the form shows them all at once.
        var check = Validator()
        let title = title?.trimmed ?? ""
        if title.isEmpty { check.fail("title", "请填写标题 (a title is needed)") }
        if title.count > 200 { check.fail("title", "标题最多 200 字 (at most 200 characters)") }
        if !(2000...2100).contains(year) { check.fail("year", "年份不正确 (not a year)") }
        if opensAt == nil { check.fail("opens_at", "请填写开始时间 (when voting opens)") }
        if closesAt == nil { check.fail("closes_at", "请填写截止时间 (when voting closes)") }
        if let opensAt, let closesAt, closesAt <= opensAt {
            check.fail("closes_at", "截止时间应晚于开始时间 (voting must close after it opens)")
        }
        let maxChoices = maxChoices ?? 10
        if !(1...50).contains(maxChoices) { check.fail("max_choices", "可选项目数应为 1–50 (choose up to 1 to 50)") }
        try check.finish()
        guard let opensAt, let closesAt else { throw ValidationErrors(check.errors) }
        return BallotCampaign(id: id, year: year, title: title, opensAt: opensAt, closesAt: closesAt, maxChoices: maxChoices)
    }
}

/// A candidate project on the ballot, proposed by a unit or suggested from the year's most-raised concerns.
public struct BallotCandidate: Sendable, Hashable {
    public typealias ID = Identifier<BallotCandidate>

    public var id: ID
    public var campaignID: BallotCampaign.ID
    /// Its number on the ballot (1, 2, …), which paper ballots use.
    public var number: Int
    public var title: String
    public var summary: String
    /// The unit that proposed it and would deliver it.
    public var unitID: PoliceUnit.ID
    /// The category of concerns it answers, when it was suggested from them.
    public var category: Category.Code?

    public init(
        id: ID, campaignID: BallotCampaign.ID, number: Int, title: String, summary: String, unitID: PoliceUnit.ID, category: Category.Code?
    ) {
        self.id = id
        self.campaignID = campaignID
        self.number = number
        self.title = title
        self.summary = summary
        self.unitID = unitID
        self.category = category
    }
}

/// How a ballot reached the count.
public enum BallotChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case web, paper

    public var nameZh: String { self == .web ? "网上" : "纸质" }
    public var nameEn: String { self == .web ? "Online" : "Paper" }
}

/// The rules every ballot obeys, online or on paper.
public enum BallotRules {
    /// The candidates chosen, checked against the campaign: at least one, at most `maxChoices`, each on this ballot,
    /// none twice. The result is in ballot order.
    public static func choices(
        _ chosen: [BallotCandidate.ID], of candidates: [BallotCandidate], campaign: BallotCampaign, field: String = "choices"
    ) throws(ValidationError) -> [BallotCandidate.ID] {
        guard !chosen.isEmpty else { throw .invalid(field: field, message: "请至少选择一个项目 (choose at least one project)") }
        guard Set(chosen).count == chosen.count else {
            throw .invalid(field: field, message: "同一项目只能选一次 (each project once)")
        }
        guard chosen.count <= campaign.maxChoices else {
            throw .invalid(
                field: field,
                message: "最多选择 \(campaign.maxChoices) 个项目，您选了 \(chosen.count) 个 "
                    + "(choose at most \(campaign.maxChoices); you chose \(chosen.count))")
        }
        let known = Set(candidates.map(\.id))
        if let stranger = chosen.first(where: { !known.contains($0) }) {
            throw .invalid(field: field, message: "项目 \(stranger.rawValue) 不在本次票选中 (not a project of this ballot)")
        }
        let order = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, $0.number) })
        return chosen.sorted { (order[$0] ?? 0) < (order[$1] ?? 0) }
    }

    /// A voter's identity number, checked (GB 11643 check character) and in its one written form (upper-case X).
    public static func idNumber(_ raw: String?, field: String = "id_number") throws(ValidationError) -> String {
        let value = (raw ?? "").trimmed.uppercased()
        guard !value.isEmpty else { throw .invalid(field: field, message: "请填写身份证号 (enter your ID number)") }
        guard Contact.isIDNumber(value) else {
            throw .invalid(field: field, message: "身份证号不正确，请核对 (this ID number is not valid; check it)")
        }
        return value
    }

    /// A mobile number to send the verification code to.
    public static func phone(_ raw: String?, field: String = "phone") throws(ValidationError) -> String {
        let value = (raw ?? "").trimmed
        guard Contact.isMobileNumber(value) else {
            throw .invalid(field: field, message: "请填写 11 位手机号码 (enter an 11-digit mobile number)")
        }
        return value
    }

    /// The alphabet of receipt codes: no 0/O or 1/I/L to misread.
    public static let receiptAlphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    /// A receipt code's length: 12 characters of 31, about 59 bits, too many to guess.
    public static let receiptLength = 12

    /// A receipt code as typed, in its one form (upper case, without spaces and dashes); nil when it cannot be one.
    public static func receipt(_ raw: String) -> String? {
        let value = raw.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard value.count == receiptLength, value.allSatisfy(receiptAlphabet.contains) else { return nil }
        return value
    }

    /// A receipt code as shown: four groups of three.
    public static func formatted(receipt: String) -> String {
        stride(from: 0, to: receipt.count, by: 3).map { start in
            let from = receipt.index(receipt.startIndex, offsetBy: start)
            return String(receipt[from..<receipt.index(from, offsetBy: min(3, receipt.count - start))])
        }.joined(separator: "-")
    }
}

/// The published result of a closed ballot: each project's votes, the turnout by channel.
public struct BallotResult: Sendable, Hashable {
    public var counts: [(candidate: BallotCandidate, votes: Int)]
    public var turnout: [BallotChannel: Int]

    public init(counts: [(candidate: BallotCandidate, votes: Int)], turnout: [BallotChannel: Int]) {
        self.counts = counts
        self.turnout = turnout
    }

    public var participants: Int { turnout.values.reduce(0, +) }

    /// The projects chosen: the `take` with the most votes, ties broken by the ballot's order.
    public func chosen(_ take: Int) -> [BallotCandidate] {
        Array(counts.sorted { ($0.votes, -$0.candidate.number) > ($1.votes, -$1.candidate.number) }.prefix(take).map(\.candidate))
    }

    public static func == (lhs: BallotResult, rhs: BallotResult) -> Bool {
        lhs.turnout == rhs.turnout && lhs.counts.map(\.candidate) == rhs.counts.map(\.candidate)
            && lhs.counts.map(\.votes) == rhs.counts.map(\.votes)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(turnout)
        for (candidate, votes) in counts {
            hasher.combine(candidate)
            hasher.combine(votes)
        }
    }
}

/// A batch of paper ballots as an officer types it: the voters who signed the roll at the desk (one ID number a line)
/// and the sheets from the box (a line each: the sheet's serial, then the numbers of the projects ticked). The two
/// lists are kept apart, as the roll and the box are, and must hold as many entries.
public struct PaperBatchInput: Sendable, Hashable {
    public struct Sheet: Sendable, Hashable {
        public var line: Int
        public var serial: String
        public var numbers: [Int]
    }

    public var number: String
    public var voters: [(line: Int, idNumber: String)]
    public var sheets: [Sheet]

    public static func == (lhs: PaperBatchInput, rhs: PaperBatchInput) -> Bool {
        lhs.number == rhs.number && lhs.sheets == rhs.sheets && lhs.voters.map(\.idNumber) == rhs.voters.map(\.idNumber)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(number)
        hasher.combine(sheets)
        hasher.combine(voters.map(\.idNumber))
    }

    /// The batch read from the form, every line checked; all the bad lines are named at once, by list and line.
    public static func parse(number: String?, voters: String, sheets: String, campaign: BallotCampaign, candidates: [BallotCandidate])
        throws(ValidationError) -> PaperBatchInput
    {
        let number = (number ?? "").trimmed
        guard !number.isEmpty, number.count <= 40 else {
            throw .invalid(field: "number", message: "请填写批次号（最多 40 字） (enter the batch number, up to 40 characters)")
        }
        var problems: [(field: String, text: String)] = []
        var roll: [(line: Int, idNumber: String)] = []
        var seenVoters = Set<String>()
        for (index, raw) in voters.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let text = String(raw).trimmed
            guard !text.isEmpty else { continue }
            let value = text.uppercased()
            if !Contact.isIDNumber(value) {
                problems.append(("voters", "选民第 \(index + 1) 行：身份证号不正确 (voter line \(index + 1): not a valid ID number)"))
            } else if !seenVoters.insert(value).inserted {
                problems.append(("voters", "选民第 \(index + 1) 行：身份证号重复 (voter line \(index + 1): the same ID number twice)"))
            } else {
                roll.append((index + 1, value))
            }
        }
        let byNumber = Dictionary(uniqueKeysWithValues: candidates.map { ($0.number, $0) })
        var parsed: [Sheet] = []
        var seenSerials = Set<String>()
        for (index, raw) in sheets.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let parts = raw.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "，" || $0 == "、" || $0 == ":" || $0 == "：" })
            guard let first = parts.first else { continue }
            let line = index + 1
            let serial = String(first).uppercased()
            let numbers = parts.dropFirst().map { Int($0) }
            if serial.count > 40 || !serial.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
                problems.append(("sheets", "选票第 \(line) 行：编号应为字母、数字或短横线 (sheet line \(line): a serial is letters, digits, dashes)"))
            } else if !seenSerials.insert(serial).inserted {
                problems.append(("sheets", "选票第 \(line) 行：编号 \(serial) 重复 (sheet line \(line): serial \(serial) twice)"))
            } else if numbers.contains(nil) {
                problems.append(("sheets", "选票第 \(line) 行：项目应写编号数字 (sheet line \(line): write the projects' numbers)"))
            } else {
                let ids = numbers.compactMap { $0 }.map { byNumber[$0]?.id ?? BallotCandidate.ID("#\($0)") }
                do {
                    _ = try BallotRules.choices(ids, of: candidates, campaign: campaign, field: "sheets")
                    parsed.append(Sheet(line: line, serial: serial, numbers: numbers.compactMap { $0 }))
                } catch {
                    problems.append(("sheets", "选票第 \(line) 行：\(error.message)"))
                }
            }
        }
        if problems.isEmpty, roll.isEmpty {
            problems.append(("voters", "请填写签到选民的身份证号 (list the voters who signed the roll)"))
        }
        if problems.isEmpty, roll.count != parsed.count {
            problems.append(
                ("sheets",
                    "选民 \(roll.count) 人而选票 \(parsed.count) 张，应当相等 (\(roll.count) voters but \(parsed.count) sheets: they must match)"))
        }
        if let first = problems.first {
            throw .invalid(field: first.field, message: problems.map(\.text).joined(separator: "\n"))
        }
        return PaperBatchInput(number: number, voters: roll, sheets: parsed)
    }
}
