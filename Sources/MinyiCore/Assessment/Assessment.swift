import Foundation

/// The yearly assessment (年度考评) of officers and units: components with weights, the public's (surveys, callbacks,
/// meeting ratings) weighing at least 51% of the whole.
public struct AssessmentScheme: Sendable, Hashable, Codable {
    public struct Component: Sendable, Hashable, Codable {
        /// Where the component's score comes from.
        public enum Source: String, Sendable, Hashable, Codable, CaseIterable {
            /// Survey responses (民意评警), all five indicators.
            case surveys
            /// Callback satisfaction after items and services.
            case callbacks
            /// Ratings given at meetings where officers report to the people.
            case meetings
            /// Scores entered or imported per officer and unit (workload, cases, discipline …).
            case entered

            /// Whether the residents give this score: the public's share is the sum of these weights.
            public var isPublic: Bool { self != .entered }
        }

        /// A short key, unique in the scheme (`surveys`, `callbacks`, `workload` …); entered scores name it.
        public var key: String
        public var nameZh: String
        public var nameEn: String
        public var source: Source
        public var weight: Double

        public init(key: String, nameZh: String, nameEn: String, source: Source, weight: Double) {
            self.key = key
            self.nameZh = nameZh
            self.nameEn = nameEn
            self.source = source
            self.weight = weight
        }
    }

    public var year: Int
    public var components: [Component]
    /// Below this many answers a public component is missing, not scored.
    public var minimumN: Int

    /// The least the public's weights may add up to.
    public static let publicShareFloor = 0.51

    public var publicWeight: Double { components.filter(\.source.isPublic).map(\.weight).reduce(0, +) }

    /// A scheme as configured, refused unless its weights are between 0 and 1, add up to 1, and the public's add up to
    /// at least 0.51.
    public static func validated(year: Int, components: [Component], minimumN: Int = 30) throws(ValidationError) -> AssessmentScheme {
        guard !components.isEmpty else { throw .invalid(field: "components", message: "至少需要一个考评项目 (at least one component)") }
        var keys = Set<String>()
        for (index, component) in components.enumerated() {
            let field = "components[\(index)]"
            guard !component.key.isEmpty, component.key.count <= 40, keys.insert(component.key).inserted else {
                throw .invalid(field: field + ".key", message: "项目代码为空或重复 (each component needs its own key)")
            }
            guard component.weight.isFinite, (0...1).contains(component.weight) else {
                throw .invalid(field: field + ".weight", message: "权重应在 0–1 之间 (a weight is between 0 and 1)")
            }
        }
        let scheme = AssessmentScheme(year: year, components: components, minimumN: minimumN)
        let total = components.map(\.weight).reduce(0, +)
        guard abs(total - 1) < 1e-9 else {
            throw .invalid(
                field: "components",
                message: "权重合计应为 1，现为 \(Self.percent(total)) (the weights must add up to 1; they add up to \(Self.percent(total)))")
        }
        guard scheme.publicWeight >= publicShareFloor - 1e-9 else {
            throw .invalid(
                field: "components",
                message: "群众评价（民意评警、回访、述职评议）权重合计应不低于 51%，现为 \(Self.percent(scheme.publicWeight)) "
                    + "(the public's weights must add up to at least 51%; they add up to \(Self.percent(scheme.publicWeight)))")
        }
        guard (1...10_000).contains(minimumN) else { throw .invalid(field: "minimum_n", message: "最小样本应为 1–10000 (1 to 10,000)") }
        return scheme
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    public init(year: Int, components: [Component], minimumN: Int) {
        self.year = year
        self.components = components
        self.minimumN = minimumN
    }
}

/// What the assessment knows of one officer or unit: each component's score on 0–100 with the sample it rests on, the
/// public sources' under their source's name (`surveys`, `callbacks`, `meetings`), entered scores under their key.
public struct AssessmentInput: Sendable, Hashable {
    public struct Part: Sendable, Hashable {
        public var score: Double
        /// How many answers it rests on; nil for entered scores, which have no sample.
        public var n: Int?

        public init(score: Double, n: Int?) {
            self.score = score
            self.n = n
        }
    }

    public var parts: [String: Part]

    public init(parts: [String: Part]) { self.parts = parts }
}

/// One officer's or unit's line in the assessment.
public struct AssessmentLine: Sendable, Hashable, Codable {
    public enum Value: Sendable, Hashable, Codable {
        case score(Double, n: Int?)
        /// No data, or a sample under the minimum: shown as missing, never re-weighted away.
        case missing(n: Int?)
    }

    public var subject: String
    public var values: [String: Value]
    /// The weighted total when no component is missing; nil otherwise, so that an incomplete line is never ranked as if
    /// its present parts were the whole.
    public var total: Double?
    /// The weighted sum of the components present, shown beside an incomplete line.
    public var partial: Double
    public var missing: [String]

    public init(subject: String, values: [String: Value], total: Double?, partial: Double, missing: [String]) {
        self.subject = subject
        self.values = values
        self.total = total
        self.partial = partial
        self.missing = missing
    }
}

extension AssessmentScheme {
    /// A survey or rating tally turned into a score on 0–100: a share as a percentage, a 1–5 mean as (mean − 1) / 4.
    public static func score(of estimate: Estimate, share: Bool) -> Double {
        share ? estimate.value * 100 : (estimate.value - 1) / 4 * 100
    }

    /// The line of one subject: each component's score, missing when absent or under the minimum sample, and the
    /// weighted total when none is missing.
    public func line(for subject: String, _ input: AssessmentInput) -> AssessmentLine {
        var values: [String: AssessmentLine.Value] = [:]
        var missing: [String] = []
        var partial = 0.0
        for component in components {
            let part = input.parts[component.source == .entered ? component.key : component.source.rawValue]
            guard let part, part.n.map({ $0 >= minimumN }) ?? true else {
                values[component.key] = .missing(n: part?.n)
                if component.weight > 0 { missing.append(component.key) }
                continue
            }
            values[component.key] = .score(part.score, n: part.n)
            partial += component.weight * part.score
        }
        return AssessmentLine(subject: subject, values: values, total: missing.isEmpty ? partial : nil, partial: partial, missing: missing)
    }

    /// Lines ranked: complete lines by total, highest first; incomplete ones after them, by subject.
    public static func ranked(_ lines: [AssessmentLine]) -> [AssessmentLine] {
        lines.sorted { a, b in
            switch (a.total, b.total) {
            case (let x?, let y?): x != y ? x > y : a.subject < b.subject
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a.subject < b.subject
            }
        }
    }
}

extension AssessmentScheme {
    /// A scheme as typed, a component a line: `key name source weight` (`surveys 民意评警 surveys 0.4`); every bad line
    /// named.
    public static func parse(_ text: String, year: Int, minimumN: Int?) throws(ValidationError) -> AssessmentScheme {
        var components: [Component] = []
        var problems: [String] = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let parts = raw.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "，" }).map(String.init)
            guard !parts.isEmpty else { continue }
            guard parts.count == 4, let source = Component.Source(rawValue: parts[2]), let weight = Double(parts[3]) else {
                problems.append(
                    "第 \(index + 1) 行应为“代码 名称 来源 权重”，来源为 surveys、callbacks、meetings 或 entered "
                        + "(line \(index + 1): key, name, source — surveys, callbacks, meetings or entered — and weight)")
                continue
            }
            components.append(Component(key: parts[0], nameZh: parts[1], nameEn: parts[1], source: source, weight: weight))
        }
        if !problems.isEmpty { throw .invalid(field: "components", message: problems.joined(separator: "\n")) }
        return try validated(year: year, components: components, minimumN: minimumN ?? 30)
    }

    /// The scheme as the form shows it, a component a line.
    public var text: String {
        components.map { "\($0.key) \($0.nameZh) \($0.source.rawValue) \($0.weight)" }.joined(separator: "\n")
    }
}
