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

        /// The smallest base a change is given against: 3 items against 0.03 reads as +9,900%, which says nothing.
        public static let minimumBase = 10

        /// Change against the month before, as a fraction (nil when that month had fewer than `minimumBase`).
        public var monthOnMonth: Double? {
            previousMonth < Self.minimumBase ? nil : Double(count - previousMonth) / Double(previousMonth)
        }
        /// Change against the same month last year, as a fraction (nil when it had fewer than `minimumBase`).
        public var yearOnYear: Double? { lastYear < Self.minimumBase ? nil : Double(count - lastYear) / Double(lastYear) }
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
        let grams = rankedBigrams(of: items.map(\.text))

        // Prefix filtering: Dice ≥ t is Jaccard ≥ t / (2 − t), and two sets that similar always share one of the
        // rarest |A| − ⌈J·|A|⌉ + 1 bigrams of each. So only texts sharing a bigram of their prefixes are compared,
        // found through an index of prefixes: far fewer pairs than all of them, with the same clusters.
        let jaccard = threshold / (2 - threshold) - 1e-9
        func prefixLength(_ count: Int) -> Int { max(0, min(count, count - Int((jaccard * Double(count)).rounded(.up)) + 1)) }
        var groups = UnionFind(count: items.count)
        // For each item, the last item it was compared with, so that a pair sharing several bigrams is compared once.
        var lastCompared = [Int](repeating: -1, count: items.count)
        let byPlace = Dictionary(grouping: items.indices, by: { items[$0].place })
        for indices in byPlace.values {
            let sorted = indices.sorted { items[$0].at < items[$1].at }
            var postings: [Int32: [Int]] = [:]
            for j in sorted {
                let prefix = grams[j].prefix(prefixLength(grams[j].count))
                for gram in prefix {
                    guard let earlier = postings[gram] else { continue }
                    // Earlier items, newest first, until one falls outside the window.
                    for i in earlier.reversed() {
                        if items[j].at.timeIntervalSince(items[i].at) > window { break }
                        guard lastCompared[i] != j else { continue }
                        lastCompared[i] = j
                        // Already in one group: comparing cannot change anything.
                        let (a, b) = (groups.root(i), groups.root(j))
                        if a == b { continue }
                        // Dice can reach the threshold only if the shorter list is long enough against the longer.
                        let (m, n) = (grams[i].count, grams[j].count)
                        if Double(2 * min(m, n)) < threshold * Double(m + n) { continue }
                        if similarity(grams[i], grams[j]) >= threshold { groups.join(a, b) }
                    }
                }
                for gram in prefix { postings[gram, default: []].append(j) }
            }
        }
        let found = Dictionary(grouping: items.indices, by: { groups.root($0) }).values
            .filter { $0.count >= minimumSize }
            .map { $0.map { items[$0] }.sorted { ($0.at, $0.number) < ($1.at, $1.number) } }
        return found.sorted { ($1.count, $0[0].at) < ($0.count, $1[0].at) }
    }

    /// Each text as the sorted list of its bigrams' ranks, where bigrams shared by fewer texts rank first: comparing
    /// two texts is then one merge of two integer lists, and a list's first entries are its rarest bigrams.
    static func rankedBigrams(of texts: [String]) -> [[Int32]] {
        var numbers: [UInt64: Int] = [:]
        let numbered: [[Int]] = texts.map { text in
            bigrams(text).map { gram in
                if let number = numbers[gram] { return number }
                numbers[gram] = numbers.count
                return numbers.count - 1
            }
        }
        var frequency = [Int](repeating: 0, count: numbers.count)
        for text in numbered { for gram in text { frequency[gram] += 1 } }
        var rank = [Int32](repeating: 0, count: numbers.count)
        for (position, gram) in (0..<numbers.count).sorted(by: { (frequency[$0], $0) < (frequency[$1], $1) }).enumerated() {
            rank[gram] = Int32(position)
        }
        return numbered.map { $0.map { rank[$0] }.sorted() }
    }

    /// The distinct pairs of neighbouring letters or digits of the text (lower-cased), each as the two Unicode scalar
    /// values in one number; punctuation and spaces break pairs.
    static func bigrams(_ text: String) -> Set<UInt64> {
        var result = Set<UInt64>()
        var previous: UInt32?
        for scalar in text.lowercased().unicodeScalars {
            let value = scalar.value
            let counts: Bool
            if (0x4E00...0x9FFF).contains(value) || (0x61...0x7A).contains(value) || (0x30...0x39).contains(value) {
                counts = true  // CJK ideographs, a–z, 0–9: most texts, without a property lookup
            } else if value < 0x80 {
                counts = false
            } else {
                switch scalar.properties.generalCategory {
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber, .letterNumber, .otherNumber:
                    counts = true
                case .nonspacingMark, .spacingMark, .enclosingMark:
                    continue  // a mark belongs to the letter before it
                default:
                    counts = false
                }
            }
            guard counts else {
                previous = nil
                continue
            }
            if let previous { result.insert(UInt64(previous) << 32 | UInt64(value)) }
            previous = value
        }
        return result
    }

    /// The Dice coefficient of two sorted lists of distinct bigram numbers.
    static func similarity(_ a: [Int32], _ b: [Int32]) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 0 }
        var i = 0
        var j = 0
        var shared = 0
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

/// Disjoint sets of indices, joined pairwise (union–find with path halving).
struct UnionFind {
    private var parent: [Int]

    init(count: Int) { parent = Array(0..<count) }

    /// The representative of the set holding `i`.
    mutating func root(_ i: Int) -> Int {
        var i = i
        while parent[i] != i {
            parent[i] = parent[parent[i]]
            i = parent[i]
        }
        return i
    }

    /// Joins the sets whose representatives are `a` and `b`.
    mutating func join(_ a: Int, _ b: Int) {
        if a != b { parent[b] = a }
    }
}
