import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Synchronization
import Testing

@testable import MinyiApp

/// Several instances' category suggesters on one database: one trains per period and stores the model, the others load
/// it, and it suggests the same categories wherever it was trained.
struct SuggesterSharingTests {
    final class Clock: Sendable {
        let seconds = Atomic<Int>(Int(World.t0.timeIntervalSince1970) + 86400)
        var now: Date { Date(timeIntervalSince1970: TimeInterval(seconds.load(ordering: .relaxed))) }
    }

    @Test(arguments: TestDatabase.dialects)
    func theSuggesterIsTrainedOncePerPeriodAcrossInstances(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            // Past decisions: noise and traffic items the dispatcher triaged.
            let decisions = [("楼下烧烤店太吵", "noise"), ("半夜装修噪音", "noise"), ("路口乱停车", "traffic"), ("红绿灯太短", "traffic")]
            for (n, (text, category)) in decisions.enumerated() {
                let submitted = try await world.items.submit(
                    try Submission(kind: .complaint, category: .init(category), channel: .web, text: text, placeID: "S01-C1"), idempotencyKey: nil,
                    by: nil, at: world.t0.addingTimeInterval(Double(n)))
                _ = try await world.items.apply(
                    .dispatch(unit: "S01"), to: submitted.item.number, by: world.dispatcher, at: world.t0.addingTimeInterval(60))
            }
            let clock = Clock()
            let models = (0..<3).map {
                CategoryModel(
                    items: world.items, claims: PeriodClaims(database: database, instance: "instance-\($0)", now: { clock.now }), maxAge: 600)
            }
            var suggestions: [[MinyiCore.Category.Code]] = []
            for model in models {
                let trained = try await model.current(at: clock.now)
                suggestions.append(trained.model.suggest("楼上太吵了", limit: 1).map(\.category))
            }
            var trainings = 0
            for model in models { trainings += await model.trainings }
            #expect(trainings == 1)
            #expect(Set(suggestions).count == 1 && suggestions.first == ["noise"])
            // The next period: trained once again, by whichever instance asks first.
            clock.seconds.add(600, ordering: .relaxed)
            for model in models.reversed() { _ = try await model.current(at: clock.now) }
            trainings = 0
            for model in models { trainings += await model.trainings }
            #expect(trainings == 2)
        }
    }
}
