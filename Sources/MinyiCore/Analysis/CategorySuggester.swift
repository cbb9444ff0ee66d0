import Foundation

/// Suggests a category from an item's text, learned from the bureau's own past decisions: a multinomial naive Bayes
/// model on character unigrams and bigrams (Chinese is written without spaces, so words are not split out). It only
/// suggests; a person always confirms.
public struct CategorySuggester: Sendable, Codable {
    /// One past decision: the text and the category a person settled on.
    public struct Example: Sendable, Hashable {
        public var text: String
        public var category: Category.Code

        public init(text: String, category: Category.Code) {
            self.text = text
            self.category = category
        }
    }

    /// A suggested category with the model's probability for it.
    public struct Suggestion: Sendable, Hashable {
        public var category: Category.Code
        public var probability: Double
    }

    /// How a model did on examples it was not trained on.
    public struct Evaluation: Sendable, Hashable, Codable {
        public var trained: Int
        public var tested: Int
        public var correct: Int
        /// Correct answers among the top three suggestions.
        public var correctInTopThree: Int

        public var accuracy: Double? { tested == 0 ? nil : Double(correct) / Double(tested) }
        public var topThreeAccuracy: Double? { tested == 0 ? nil : Double(correctInTopThree) / Double(tested) }
    }

    private var documents: [Category.Code: Int] = [:]
    private var featureCounts: [Category.Code: [String: Int]] = [:]
    private var featureTotals: [Category.Code: Int] = [:]
    private var vocabulary: Set<String> = []
    public private(set) var exampleCount = 0

    public init() {}

    public init(training examples: some Sequence<Example>) {
        for example in examples { learn(example) }
    }

    /// Adds one decision to the model.
    public mutating func learn(_ example: Example) {
        exampleCount += 1
        documents[example.category, default: 0] += 1
        var counts = featureCounts[example.category, default: [:]]
        for feature in Self.features(of: example.text) {
            counts[feature, default: 0] += 1
            featureTotals[example.category, default: 0] += 1
            vocabulary.insert(feature)
        }
        featureCounts[example.category] = counts
    }

    /// The categories, most likely first, with probabilities that add up to one; empty before any training.
    public func suggest(_ text: String, limit: Int = 3) -> [Suggestion] {
        guard exampleCount > 0 else { return [] }
        let features = Self.features(of: text)
        let vocabularySize = Double(vocabulary.count + 1)
        var scores: [(Category.Code, Double)] = []
        for (category, count) in documents {
            var score = log(Double(count) / Double(exampleCount))
            let counts = featureCounts[category] ?? [:]
            let total = Double(featureTotals[category] ?? 0)
            for feature in features {
                score += log((Double(counts[feature] ?? 0) + 1) / (total + vocabularySize))
            }
            scores.append((category, score))
        }
        scores.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.rawValue < $1.0.rawValue }
        let best = scores[0].1
        let norm = scores.reduce(0.0) { $0 + exp($1.1 - best) }
        return scores.prefix(limit).map { Suggestion(category: $0.0, probability: exp($0.1 - best) / norm) }
    }

    /// Trains on all examples but every `k`-th (in the order given, e.g. oldest first) and tests on those held out.
    public static func evaluate(_ examples: [Example], holdOutEvery k: Int = 5) -> Evaluation {
        let k = max(2, k)
        var model = CategorySuggester()
        var held: [Example] = []
        for (index, example) in examples.enumerated() {
            if index % k == k - 1 { held.append(example) } else { model.learn(example) }
        }
        var correct = 0
        var topThree = 0
        for example in held {
            let suggestions = model.suggest(example.text, limit: 3)
            if suggestions.first?.category == example.category { correct += 1 }
            if suggestions.contains(where: { $0.category == example.category }) { topThree += 1 }
        }
        return Evaluation(trained: model.exampleCount, tested: held.count, correct: correct, correctInTopThree: topThree)
    }

    /// Character unigrams and bigrams of the text's letters and digits (punctuation and spaces split runs).
    static func features(of text: String) -> [String] {
        var features: [String] = []
        var previous: Character?
        for character in text.lowercased() {
            guard character.isLetter || character.isNumber else {
                previous = nil
                continue
            }
            features.append(String(character))
            if let previous { features.append(String([previous, character])) }
            previous = character
        }
        return features
    }
}
