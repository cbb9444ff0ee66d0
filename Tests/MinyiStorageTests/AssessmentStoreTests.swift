import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

/// The yearly assessment on both databases: the public's sources read from the year's tallies, entered scores,
/// a thin sample missing, and the assessment issued once and kept as issued.
struct AssessmentStoreTests {
    @Test(arguments: TestDatabase.dialects)
    func anAssessmentIsComputedFromTheYearsSourcesAndIssuedOnce(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let campaign = try await SurveyStoreTests.campaign(world)
            // handler_a: 30 answers, 27 satisfied → surveys 90 (the only indicator asked). handler_b: 5 answers, too few.
            for i in 0..<35 {
                try await world.stores.surveys.record(
                    .init(
                        unitID: i < 30 ? "S01-C1" : "S02-C1", officerID: i < 30 ? "o-handler_a" : "o-handler_b", channel: .phone, surveyor: "孙回访",
                        at: world.t0, answers: .init(satisfaction: i < 27 || i >= 30 ? .satisfied : .dissatisfied)),
                    in: campaign.id, by: world.callbackAgent, at: world.t0)
            }
            let assessments = world.stores.assessments
            let scheme = try AssessmentScheme.validated(
                year: 2026,
                components: [
                    .init(key: "surveys", nameZh: "民意评警", nameEn: "Surveys", source: .surveys, weight: 0.6),
                    .init(key: "workload", nameZh: "工作量", nameEn: "Workload", source: .entered, weight: 0.4),
                ], minimumN: 30)
            await #expect(throws: ValidationError.self) {
                try await assessments.configure(scheme, reason: " ", by: world.admin, at: world.t0)
            }
            try await assessments.configure(scheme, reason: "按市局通知", by: world.admin, at: world.t0)
            #expect(try await assessments.scheme(year: 2026) == scheme)
            // Entered scores: a component the scheme enters, 0–100, within the jurisdiction.
            await #expect(throws: ValidationError.self) {
                try await assessments.enter(60, component: "surveys", for: .officer, "o-handler_a", year: 2026, by: world.admin, at: world.t0)
            }
            await #expect(throws: ValidationError.self) {
                try await assessments.enter(101, component: "workload", for: .officer, "o-handler_a", year: 2026, by: world.admin, at: world.t0)
            }
            try await assessments.enter(50, component: "workload", for: .officer, "o-handler_a", year: 2026, by: world.admin, at: world.t0)
            try await assessments.enter(60, component: "workload", for: .officer, "o-handler_a", year: 2026, by: world.admin, at: world.t0)
            try await assessments.enter(80, component: "workload", for: .officer, "o-handler_b", year: 2026, by: world.admin, at: world.t0)

            let bureau = try #require(try await world.organisation.units().first { $0.kind == .bureau })
            let inputs = try await assessments.inputs(year: 2026, under: bureau)
            // 0.6 · 90 + 0.4 · 60 (the newer entry) = 78.
            let a = scheme.line(for: "o-handler_a", try #require(inputs.officers["o-handler_a"]))
            #expect(a.total.map { ($0 * 1000).rounded() / 1000 } == 78)
            let b = scheme.line(for: "o-handler_b", try #require(inputs.officers["o-handler_b"]))
            #expect(b.total == nil && b.missing == ["surveys"] && b.values["surveys"] == .missing(n: 5))
            let s01 = scheme.line(for: "S01", try #require(inputs.units["S01"]))
            #expect(s01.values["surveys"] == .score(90, n: 30))

            let issued = IssuedAssessment(
                year: 2026, scheme: scheme, officers: AssessmentScheme.ranked([b, a]), units: [s01], issuedBy: world.leader.officer.id,
                issuedAt: world.t0)
            try await assessments.issue(issued)
            await #expect(throws: StorageError.self) { try await assessments.issue(issued) }
            // Kept as issued: nothing more is entered or configured for the year.
            await #expect(throws: StorageError.self) {
                try await assessments.enter(99, component: "workload", for: .officer, "o-handler_b", year: 2026, by: world.admin, at: world.t0)
            }
            await #expect(throws: StorageError.self) {
                try await assessments.configure(scheme, reason: "改", by: world.admin, at: world.t0)
            }
            let kept = try #require(try await assessments.issued(year: 2026))
            #expect(kept.officers.map(\.subject) == ["o-handler_a", "o-handler_b"] && kept.officers == issued.officers)
            #expect(kept.scheme == scheme)
        }
    }
}
