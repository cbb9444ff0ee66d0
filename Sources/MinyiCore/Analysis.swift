import Foundation

/// The monthly analysis (研判): what residents raised, against the month before and the same month a year earlier;
/// the top concerns; the places with the most items per 1,000 residents.
public struct MonthlyAnalysis: Sendable, Hashable {
    /// A count with its comparisons.
    public struct Line: Sendable, Hashable {
        public var key: String
        public var count: Int
        public var previousMonth: Int
        public var lastYear: Int

        public init(key: String, count: Int, previousMonth: Int, lastYear: Int) {
            self.key = key
            self.count = count
            self.previousMonth = previousMonth
            self.lastYear = lastYear
        }

        /// Change against the month before, as a fraction (nil when that month had none).
        public var monthOnMonth: Double? { previousMonth == 0 ? nil : Double(count - previousMonth) / Double(previousMonth) }
        /// Change against the same month last year, as a fraction (nil when it had none).
        public var yearOnYear: Double? { lastYear == 0 ? nil : Double(count - lastYear) / Double(lastYear) }
    }

    /// A place and its items per 1,000 residents.
    public struct HotPlace: Sendable, Hashable {
        public var place: PoliceUnit.ID
        public var count: Int
        public var population: Int
        public var perThousand: Double
    }

    public var categories: [Line]
    public var kinds: [Line]
    public var hotPlaces: [HotPlace]
    public var total: Line

    /// Builds the analysis from counts keyed by category, by kind and by place, for the month, the month before and
    /// the same month last year. Lines are ordered by this month's count, then by name.
    public init(
        categories: (current: [String: Int], previous: [String: Int], lastYear: [String: Int]),
        kinds: (current: [String: Int], previous: [String: Int], lastYear: [String: Int]),
        places: [PoliceUnit.ID: Int], populations: [PoliceUnit.ID: Int]
    ) {
        func lines(_ counts: (current: [String: Int], previous: [String: Int], lastYear: [String: Int])) -> [Line] {
            Set(counts.current.keys).union(counts.previous.keys).union(counts.lastYear.keys).map {
                Line(key: $0, count: counts.current[$0] ?? 0, previousMonth: counts.previous[$0] ?? 0, lastYear: counts.lastYear[$0] ?? 0)
            }.sorted { ($1.count, $0.key) < ($0.count, $1.key) }
        }
        self.categories = lines(categories)
        self.kinds = lines(kinds)
        self.total = Line(
            key: "total", count: categories.current.values.reduce(0, +), previousMonth: categories.previous.values.reduce(0, +),
            lastYear: categories.lastYear.values.reduce(0, +))
        self.hotPlaces = places.compactMap { place, count in
            guard let population = populations[place], population > 0 else { return nil }
            return HotPlace(place: place, count: count, population: population, perThousand: Double(count) * 1000 / Double(population))
        }.sorted { ($1.perThousand, $0.place.rawValue) < ($0.perThousand, $1.place.rawValue) }
    }

    /// The top concerns: the categories raised most this month.
    public func topConcerns(_ limit: Int = 5) -> [Line] { Array(categories.filter { $0.count > 0 }.prefix(limit)) }
}

/// Finds clusters: many items about one problem — similar text, the same place, close in time — so they can be seen
/// together and merged.
public enum ClusterFinder {
    public struct Candidate: Sendable, Hashable {
        public var number: String
        public var text: String
        public var place: PoliceUnit.ID
        public var at: Date

        public init(number: String, text: String, place: PoliceUnit.ID, at: Date) {
            self.number = number
            self.text = text
            self.place = place
            self.at = at
        }
    }

    /// Groups of at least `minimumSize` items, each linked to another by similarity ≥ `threshold` (the Dice
    /// coefficient of their character bigrams) at the same place within `window`; oldest item first in each group,
    /// largest groups first.
    public static func clusters(
        _ items: [Candidate], threshold: Double = 0.4, window: TimeInterval = 7 * 86400, minimumSize: Int = 2
    ) -> [[Candidate]] {
        // Each distinct bigram gets a number, and each text a sorted list of them: comparing two texts is then one
        // merge of two short integer lists, which keeps a month of thousands of items fast.
        var numbers: [String: Int32] = [:]
        let grams: [[Int32]] = items.map { item in
            bigrams(item.text).map { gram in
                if let number = numbers[gram] { return number }
                let number = Int32(numbers.count)
                numbers[gram] = number
                return number
            }.sorted()
        }
        var parent = Array(items.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        let byPlace = Dictionary(grouping: items.indices, by: { items[$0].place })
        for indices in byPlace.values {
            let sorted = indices.sorted { items[$0].at < items[$1].at }
            for (position, i) in sorted.enumerated() {
                for j in sorted[(position + 1)...] {
                    if items[j].at.timeIntervalSince(items[i].at) > window { break }
                    if similarity(grams[i], grams[j]) >= threshold {
                        let (a, b) = (root(i), root(j))
                        if a != b { parent[b] = a }
                    }
                }
            }
        }
        let groups = Dictionary(grouping: items.indices, by: root).values
            .filter { $0.count >= minimumSize }
            .map { $0.map { items[$0] }.sorted { ($0.at, $0.number) < ($1.at, $1.number) } }
        return groups.sorted { ($1.count, $0[0].at) < ($0.count, $1[0].at) }
    }

    static func bigrams(_ text: String) -> Set<String> {
        var result = Set<String>()
        var previous: Character?
        for character in text.lowercased() {
            guard character.isLetter || character.isNumber else {
                previous = nil
                continue
            }
            if let previous { result.insert(String([previous, character])) }
            previous = character
        }
        return result
    }

    /// The Dice coefficient of two sorted lists of distinct bigram numbers.
    static func similarity(_ a: [Int32], _ b: [Int32]) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 0 }
        var i = 0, j = 0, shared = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                shared += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return 2 * Double(shared) / Double(a.count + b.count)
    }
}
