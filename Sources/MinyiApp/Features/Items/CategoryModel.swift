import Foundation
import MinyiCore
import MinyiStorage

/// The category suggester, trained on the bureau's past decisions and retrained as they accumulate (at most every
/// `maxAge`), with its accuracy on held-out decisions.
actor CategoryModel {
    struct Trained: Sendable {
        var model: CategorySuggester
        var evaluation: CategorySuggester.Evaluation
        var trainedAt: Date
    }

    private let items: SQLItemStore
    private let maxAge: TimeInterval
    private var trained: Trained?

    init(items: SQLItemStore, maxAge: TimeInterval = 600) {
        self.items = items
        self.maxAge = maxAge
    }

    func current(at now: Date) async throws -> Trained {
        if let trained, now.timeIntervalSince(trained.trainedAt) < maxAge, trained.trainedAt <= now { return trained }
        let decisions = try await items.categoryDecisions()
        let fresh = Trained(
            model: CategorySuggester(training: decisions), evaluation: CategorySuggester.evaluate(decisions, holdOutEvery: 5), trainedAt: now)
        trained = fresh
        return fresh
    }
}
