import Foundation
import MinyiCore
import SQLKit

/// Who an assessment line is about.
public enum AssessmentSubjectKind: String, Sendable, Hashable, Codable, CaseIterable {
    case officer, unit
}

/// An assessment as issued: the scheme it was computed under and its lines, kept as they were.
public struct IssuedAssessment: Sendable, Hashable, Codable {
    public var year: Int
    public var scheme: AssessmentScheme
    public var officers: [AssessmentLine]
    public var units: [AssessmentLine]
    public var issuedBy: Officer.ID
    public var issuedAt: Date

    public init(
        year: Int, scheme: AssessmentScheme, officers: [AssessmentLine], units: [AssessmentLine], issuedBy: Officer.ID, issuedAt: Date
    ) {
        self.year = year
        self.scheme = scheme
        self.officers = officers
        self.units = units
        self.issuedBy = issuedBy
        self.issuedAt = issuedAt
    }
}

/// The yearly assessment (年度考评): the scheme of each year (every change kept, with who and why), the scores
/// entered per officer and unit (every entry kept, the newest counting), what the public's sources say of each
/// subject, and the assessment issued once and kept as issued.
public struct SQLAssessmentStore: Sendable {
    let database: any DatabaseBackend

    public init(database: any DatabaseBackend) { self.database = database }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    /// Puts a checked scheme in force for its year; the one before stays in the history. Refused once the year's
    /// assessment is issued.
    public func configure(_ scheme: AssessmentScheme, reason: String, by actor: Actor, at now: Date) async throws {
        guard !reason.trimmed.isEmpty else { throw ValidationError.invalid(field: "reason", message: "请说明调整原因 (say why)") }
        let components = String(decoding: try Self.encoder.encode(scheme.components), as: UTF8.self)
        try await database.write { db in
            guard try await db.raw("SELECT 1 AS one FROM assessment_issues WHERE year = \(bind: scheme.year)").first() == nil else {
                throw StorageError.conflict("\(scheme.year) 年度考评已发布，方案不能再改 (the year's assessment is issued)")
            }
            let last = try await db.raw("SELECT MAX(seq) AS last FROM assessment_schemes WHERE year = \(bind: scheme.year)").first()?
                .optionalInt("last")
            try await db.raw(
                """
                INSERT INTO assessment_schemes (year, seq, components, minimum_n, configured_by, configured_at, reason)
                VALUES (\(bind: scheme.year), \(bind: (last ?? 0) + 1), \(bind: components), \(bind: scheme.minimumN), \
                \(bind: actor.officer.id.rawValue), \(bind: now.epochSeconds), \(bind: reason))
                """
            ).run()
        }
    }

    /// The scheme in force for the year.
    public func scheme(year: Int) async throws -> AssessmentScheme? {
        try await database.read { db in
            guard
                let row = try await db.raw(
                    "SELECT components, minimum_n FROM assessment_schemes WHERE year = \(bind: year) ORDER BY seq DESC LIMIT 1"
                ).first()
            else { return nil }
            let components = try Self.decoder.decode([AssessmentScheme.Component].self, from: Data(try row.string("components").utf8))
            return AssessmentScheme(year: year, components: components, minimumN: try row.int("minimum_n"))
        }
    }

    /// One entered score: a component the scheme says is entered, for an officer (by ID or username) or a unit.
    public struct Entry: Sendable, Hashable {
        public var line: Int
        public var kind: AssessmentSubjectKind
        public var subject: String
        public var component: String
        public var score: Double

        public init(line: Int = 1, kind: AssessmentSubjectKind, subject: String, component: String, score: Double) {
            self.line = line
            self.kind = kind
            self.subject = subject
            self.component = component
            self.score = score
        }
    }

    /// Enters a score (0–100) of a component the scheme says is entered, for an officer or a unit of the actor's
    /// jurisdiction; the entry before stays in the history.
    public func enter(
        _ score: Double, component: String, for kind: AssessmentSubjectKind, _ subject: String, year: Int, by actor: Actor?, at now: Date
    ) async throws {
        try await enter([Entry(kind: kind, subject: subject, component: component, score: score)], year: year, by: actor, at: now)
    }

    /// Enters scores, all or none: every bad entry is named by its line.
    public func enter(_ entries: [Entry], year: Int, by actor: Actor?, at now: Date) async throws {
        guard let scheme = try await scheme(year: year) else {
            throw StorageError.conflict("\(year) 年度尚未配置考评方案 (the year has no scheme yet)")
        }
        try await database.write { db in
            guard try await db.raw("SELECT 1 AS one FROM assessment_issues WHERE year = \(bind: year)").first() == nil else {
                throw StorageError.conflict("\(year) 年度考评已发布 (the year's assessment is issued)")
            }
            var problems: [(field: String, text: String)] = []
            for entry in entries {
                let at = entries.count > 1 ? "第 \(entry.line) 行：" : ""
                let atEn = entries.count > 1 ? "line \(entry.line): " : ""
                guard entry.score.isFinite, (0...100).contains(entry.score) else {
                    problems.append(("score", "\(at)分数应为 0–100 (\(atEn)a score is 0 to 100)"))
                    continue
                }
                guard scheme.components.contains(where: { $0.key == entry.component && $0.source == .entered }) else {
                    problems.append(("component", "\(at)\(entry.component) 不是录入项目 (\(atEn)not an entered component)"))
                    continue
                }
                let found: (id: String, path: String)?
                switch entry.kind {
                case .unit:
                    found = try await SQLOrganisationStore.unit(on: db, id: .init(entry.subject)).map { ($0.id.rawValue, $0.path) }
                case .officer:
                    found = try await db.raw(
                        """
                        SELECT o.id, u.path FROM officers o JOIN units u ON u.id = o.unit_id
                        WHERE o.id = \(bind: entry.subject) OR o.username = \(bind: entry.subject)
                        """
                    ).first().map { (try $0.string("id"), try $0.string("path")) }
                }
                guard let found, actor.map({ $0.jurisdiction.contains(path: found.path) }) ?? true else {
                    problems.append(("subject", "\(at)\(entry.subject) 不存在或不在您的辖区 (\(atEn)not found in your jurisdiction)"))
                    continue
                }
                let last = try await db.raw(
                    """
                    SELECT MAX(seq) AS last FROM assessment_entries WHERE year = \(bind: year) AND kind = \(bind: entry.kind.rawValue) \
                    AND subject = \(bind: found.id) AND component = \(bind: entry.component)
                    """
                ).first()?.optionalInt("last")
                try await db.raw(
                    """
                    INSERT INTO assessment_entries (year, kind, subject, component, seq, score, entered_by, entered_at)
                    VALUES (\(bind: year), \(bind: entry.kind.rawValue), \(bind: found.id), \(bind: entry.component), \(bind: (last ?? 0) + 1), \
                    \(bind: entry.score), \(bind: actor?.officer.id.rawValue), \(bind: now.epochSeconds))
                    """
                ).run()
            }
            // Any problem undoes every entry (the transaction ends with the error).
            if let first = problems.first {
                throw ValidationError.invalid(field: first.field, message: problems.map(\.text).joined(separator: "\n"))
            }
        }
    }

    /// Issues the year's assessment once; the lines are kept exactly as issued.
    public func issue(_ issued: IssuedAssessment) async throws {
        let scheme = String(decoding: try Self.encoder.encode(issued.scheme), as: UTF8.self)
        let lines = String(decoding: try Self.encoder.encode(["officers": issued.officers, "units": issued.units]), as: UTF8.self)
        try await database.write { db in
            let written = try await db.raw(
                """
                INSERT INTO assessment_issues (year, scheme, lines, issued_by, issued_at)
                VALUES (\(bind: issued.year), \(bind: scheme), \(bind: lines), \(bind: issued.issuedBy.rawValue), \
                \(bind: issued.issuedAt.epochSeconds))
                ON CONFLICT (year) DO NOTHING RETURNING year
                """
            ).first()
            guard written != nil else { throw StorageError.conflict("\(issued.year) 年度考评已发布 (already issued)") }
        }
    }

    public func issued(year: Int) async throws -> IssuedAssessment? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM assessment_issues WHERE year = \(bind: year)").first() else { return nil }
            let scheme = try Self.decoder.decode(AssessmentScheme.self, from: Data(try row.string("scheme").utf8))
            let lines = try Self.decoder.decode([String: [AssessmentLine]].self, from: Data(try row.string("lines").utf8))
            return IssuedAssessment(
                year: year, scheme: scheme, officers: lines["officers"] ?? [], units: lines["units"] ?? [],
                issuedBy: .init(try row.string("issued_by")), issuedAt: Date(epochSeconds: try row.int("issued_at")))
        }
    }
}
