import Foundation
import MinyiCore
import Testing

/// Scores that say how sure they are, the yearly assessment's weights, and the ballot's rules.
struct OpinionTests {
    func rounded(_ value: Double, _ places: Double = 1000) -> Double { (value * places).rounded() / places }

    @Test func wilsonIntervalsMatchHandComputedValues() throws {
        // 27 of 30: centre (0.9 + z²/60) / (1 + z²/30) = 0.8546, half-width 0.1108.
        let a = try #require(Estimate.share(27, of: 30))
        #expect(rounded(a.low) == 0.744)
        #expect(rounded(a.high) == 0.965)
        #expect(a.value == 0.9)
        // 10 of 10: the textbook interval would be 100%–100%; Wilson's is 72.2%–100%.
        let b = try #require(Estimate.share(10, of: 10))
        #expect(rounded(b.low) == 0.722)
        #expect(b.high == 1)
        // 0 of 5 mirrors 5 of 5.
        let c = try #require(Estimate.share(0, of: 5))
        let d = try #require(Estimate.share(5, of: 5))
        #expect(c.low == 0)
        #expect(rounded(c.high) == rounded(1 - d.low))
        #expect(Estimate.share(1, of: 0) == nil)
        #expect(Estimate.share(4, of: 3) == nil)
    }

    @Test func aMeanScoreHasAnIntervalWithinTheScale() throws {
        var tally = IndicatorTally()
        for score in [5, 5, 4, 5, 3, 5, 4, 5] { tally.add(score: score) }
        let estimate = try #require(tally.estimate(for: .attitude))
        #expect(estimate.value == 4.5)
        // Sample variance of the eight: (162 − 8 · 20.25) / 7 = 0.5714; half-width 1.96 · √(0.5714 / 8) = 0.524.
        #expect(rounded(estimate.low) == 3.976)
        #expect(estimate.high == 5)
    }

    @Test func belowTheMinimumSampleAScoreIsNotRanked() {
        var tally = IndicatorTally()
        for index in 0..<29 { tally.add(yes: index % 10 != 0) }
        let small = IndicatorScore(indicator: .familiarity, tally: tally, minimumN: 30)
        #expect(small.tooSmall)
        #expect(small.rankable == nil)
        #expect(small.estimate != nil)
        tally.add(yes: true)
        let enough = IndicatorScore(indicator: .familiarity, tally: tally, minimumN: 30)
        #expect(!enough.tooSmall)
        #expect(enough.rankable == 27.0 / 30)
    }

    static func component(_ key: String, _ source: AssessmentScheme.Component.Source, _ weight: Double) -> AssessmentScheme.Component {
        .init(key: key, nameZh: key, nameEn: key, source: source, weight: weight)
    }

    @Test func weightsGivingThePublicLessThanFiftyOnePercentAreRefused() throws {
        let refused = #expect(throws: ValidationError.self) {
            try AssessmentScheme.validated(
                year: 2026,
                components: [
                    Self.component("surveys", .surveys, 0.4), Self.component("callbacks", .callbacks, 0.1), Self.component("work", .entered, 0.5),
                ])
        }
        #expect(refused?.field == "components")
        #expect(refused?.message.contains("50.0%") == true)
        #expect(throws: ValidationError.self) {
            try AssessmentScheme.validated(year: 2026, components: [Self.component("surveys", .surveys, 0.6), Self.component("work", .entered, 0.3)])
        }
        let scheme = try AssessmentScheme.validated(
            year: 2026, components: [Self.component("surveys", .surveys, 0.51), Self.component("work", .entered, 0.49)])
        #expect(scheme.publicWeight == 0.51)
    }

    @Test func anAssessmentOnAHandComputedExample() throws {
        let scheme = try AssessmentScheme.validated(
            year: 2026,
            components: [
                Self.component("surveys", .surveys, 0.4), Self.component("callbacks", .callbacks, 0.15), Self.component("meetings", .meetings, 0.05),
                Self.component("workload", .entered, 0.25), Self.component("discipline", .entered, 0.15),
            ], minimumN: 30)
        // 0.4 · 90 + 0.15 · 80 + 0.05 · 70 + 0.25 · 60 + 0.15 · 100 = 36 + 12 + 3.5 + 15 + 15 = 81.5
        let full = scheme.line(
            for: "wang",
            AssessmentInput(parts: [
                "surveys": .init(score: 90, n: 120), "callbacks": .init(score: 80, n: 45), "meetings": .init(score: 70, n: 30),
                "workload": .init(score: 60, n: nil), "discipline": .init(score: 100, n: nil),
            ]))
        #expect(full.total.map { rounded($0) } == 81.5)
        #expect(full.missing.isEmpty)
        // The same officer with only 12 meeting ratings: the meetings are missing, not re-weighted away.
        let thin = scheme.line(
            for: "li",
            AssessmentInput(parts: [
                "surveys": .init(score: 90, n: 120), "callbacks": .init(score: 80, n: 45), "meetings": .init(score: 70, n: 12),
                "workload": .init(score: 60, n: nil), "discipline": .init(score: 100, n: nil),
            ]))
        #expect(thin.total == nil)
        #expect(thin.missing == ["meetings"])
        #expect(rounded(thin.partial) == 78)
        #expect(thin.values["meetings"] == .missing(n: 12))
        #expect(AssessmentScheme.ranked([thin, full]).map(\.subject) == ["wang", "li"])
        // A 1–5 mean of 4.6 scores 90; a share of 0.9 scores 90.
        #expect(rounded(AssessmentScheme.score(of: Estimate(value: 4.6, n: 40, low: 4.4, high: 4.8), share: false)) == 90)
        #expect(AssessmentScheme.score(of: Estimate(value: 0.9, n: 40, low: 0.8, high: 0.95), share: true) == 90)
    }

    static let campaign = BallotCampaign(
        id: "c", year: 2026, title: "2026 十件实事", opensAt: Date(timeIntervalSince1970: 1_000), closesAt: Date(timeIntervalSince1970: 2_000),
        maxChoices: 3)
    static let candidates = (1...5).map {
        BallotCandidate(id: .init("p\($0)"), campaignID: "c", number: $0, title: "项目 \($0)", summary: "", unitID: "u", category: nil)
    }

    @Test func aBallotChoosesAtLeastOneAndAtMostNOfItsOwnProjectsOnce() throws {
        #expect(try BallotRules.choices(["p3", "p1"], of: Self.candidates, campaign: Self.campaign) == ["p1", "p3"])
        #expect(try BallotRules.choices(["p1", "p2", "p5"], of: Self.candidates, campaign: Self.campaign).count == 3)
        let tooMany = #expect(throws: ValidationError.self) {
            try BallotRules.choices(["p1", "p2", "p3", "p4"], of: Self.candidates, campaign: Self.campaign)
        }
        #expect(tooMany?.message.contains("最多选择 3 个项目") == true)
        #expect(throws: ValidationError.self) { try BallotRules.choices([], of: Self.candidates, campaign: Self.campaign) }
        #expect(throws: ValidationError.self) { try BallotRules.choices(["p1", "p1"], of: Self.candidates, campaign: Self.campaign) }
        #expect(throws: ValidationError.self) { try BallotRules.choices(["p9"], of: Self.candidates, campaign: Self.campaign) }
    }

    @Test func resultsAreHiddenUntilTheWindowCloses() {
        #expect(Self.campaign.phase(at: Date(timeIntervalSince1970: 999)) == .upcoming)
        #expect(Self.campaign.phase(at: Date(timeIntervalSince1970: 1_000)) == .open)
        #expect(!Self.campaign.resultsVisible(at: Date(timeIntervalSince1970: 1_999)))
        #expect(Self.campaign.resultsVisible(at: Date(timeIntervalSince1970: 2_000)))
    }

    @Test func idNumbersAreCheckedAndReceiptsReadAsTyped() throws {
        let valid = "11010519491231002" + String(try #require(Contact.idCheckCharacter("11010519491231002")))
        #expect(try BallotRules.idNumber(" " + valid.lowercased() + " ") == valid)
        let wrongCheck = "11010519491231002" + (valid.last == "1" ? "2" : "1")
        #expect(throws: ValidationError.self) { try BallotRules.idNumber(wrongCheck) }
        #expect(BallotRules.receipt("abc-def-ghj-kmn") == "ABCDEFGHJKMN")
        #expect(BallotRules.receipt("ABCDEFGHJKM0") == nil)
        #expect(BallotRules.formatted(receipt: "ABCDEFGHJKMN") == "ABC-DEF-GHJ-KMN")
    }

    @Test func aPaperBatchReadsLinesAsABrowserSendsThemAndNamesEveryBadLine() throws {
        let first17 = ["11010519491231002", "11010519491231003"]
        let ids = try first17.map { $0 + String(try #require(Contact.idCheckCharacter($0))) }
        // A browser sends a textarea's lines with CR LF.
        let batch = try PaperBatchInput.parse(
            number: " 7 ", voters: ids.joined(separator: "\r\n") + "\r\n", sheets: "p-1 1，3\r\nP-2\t2", campaign: Self.campaign,
            candidates: Self.candidates)
        #expect(batch.number == "7" && batch.voters.map(\.idNumber) == ids)
        #expect(batch.sheets.map(\.serial) == ["P-1", "P-2"] && batch.sheets.map(\.numbers) == [[1, 3], [2]])
        let bad = #expect(throws: ValidationError.self) {
            try PaperBatchInput.parse(
                number: "8", voters: ids[0] + "\n123", sheets: "P-1 1 2 3 4\nP-1 2\nP-3 9", campaign: Self.campaign, candidates: Self.candidates)
        }
        let lines = bad?.message.split(separator: "\n") ?? []
        #expect(lines.count == 4)
        #expect(lines.contains { $0.hasPrefix("选民第 2 行") } && lines.contains { $0.hasPrefix("选票第 1 行") })
        #expect(lines.contains { $0.hasPrefix("选票第 2 行") } && lines.contains { $0.hasPrefix("选票第 3 行") })
    }
}
