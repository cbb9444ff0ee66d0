import Foundation
import MinyiCore
import MinyiStorage

/// The category suggester, trained on the bureau's past decisions and retrained as they accumulate (at most every
/// `maxAge`), with its accuracy on held-out decisions. With several instances on one database, the instance that
/// claims a training period trains the model and stores it; the others load the stored one, so the training is done
/// once per period between them.
actor CategoryModel {
    struct Trained: Sendable, Codable {
        var model: CategorySuggester
        var evaluation: CategorySuggester.Evaluation
        var trainedAt: Date
    }

    static let name = "Category suggester"
    private let items: SQLItemStore
    private let claims: PeriodClaims?
    private let maxAge: TimeInterval
    private var trained: Trained?
    /// How many times this instance trained the model (for tests and the log).
    private(set) var trainings = 0

    init(items: SQLItemStore, claims: PeriodClaims? = nil, maxAge: TimeInterval = 600) {
        self.items = items
        self.claims = claims
        self.maxAge = maxAge
    }

    func isFresh(_ candidate: Trained?, at now: Date) -> Bool {
        guard let candidate else { return false }
        return now.timeIntervalSince(candidate.trainedAt) < maxAge && candidate.trainedAt <= now
    }

    func current(at now: Date) async throws -> Trained {
        if isFresh(trained, at: now), let trained { return trained }
        // Another instance may have trained it already this period.
        let stored = try await items.storedModel(Self.name).flatMap { try? JSONDecoder().decode(Trained.self, from: Data($0.model.utf8)) }
        if isFresh(stored, at: now), let stored {
            trained = stored
            return stored
        }
        let claimed = try await claims?.claim(Self.name, interval: .seconds(Int64(maxAge))) ?? true
        if !claimed, let stored {
            // The instance that claimed this period is training it now; the last one serves meanwhile.
            trained = stored
            return stored
        }
        let started = ContinuousClock.now
        let decisions = try await items.categoryDecisions()
        let fresh = Trained(
            model: CategorySuggester(training: decisions), evaluation: CategorySuggester.evaluate(decisions, holdOutEvery: 5), trainedAt: now)
        trainings += 1
        trained = fresh
        if claimed, let data = try? JSONEncoder().encode(fresh) {
            try await items.storeModel(Self.name, model: String(decoding: data, as: UTF8.self), trainedAt: now)
            try await claims?.finish(Self.name, duration: ContinuousClock.now - started, failed: false)
        }
        return fresh
    }
}
