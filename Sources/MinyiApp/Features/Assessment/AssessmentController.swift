import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The yearly assessment over the API: read within the jurisdiction; the other components' scores imported in bulk
/// from another system (all or none).
struct AssessmentController: Sendable {
    let pages: AssessmentPages
    let maxBodyBytes: Int

    struct LineView: Codable {
        struct Value: Codable {
            var score: Double?
            var n: Int?
            var missing: Bool
        }
        var subject: String
        var name: String
        var total: Double?
        var partial: Double
        var missing: [String]
        var values: [String: Value]

        init(_ line: AssessmentLine, name: String) {
            subject = line.subject
            self.name = name
            total = line.total
            partial = line.partial
            missing = line.missing
            values = line.values.mapValues { value in
                switch value {
                case .score(let score, let n): Value(score: score, n: n, missing: false)
                case .missing(let n): Value(score: nil, n: n, missing: true)
                }
            }
        }
    }

    struct AssessmentView: Codable {
        struct Component: Codable {
            var key: String
            var name: String
            var source: String
            var weight: Double
        }
        var year: Int
        var issued: Bool
        var issuedAt: Date?
        var publicWeight: Double?
        var minimumN: Int?
        var components: [Component]
        var units: [LineView]
        var officers: [LineView]
    }

    /// `GET /api/v1/assessment/{year}`: the scheme and the ranked lines (issued, or computed now).
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let model = try await AssessmentModel.load(year: try AssessmentPages.year(context), actor: actor, pages: pages)
        let name = { (id: String) in model.names[id] ?? id }
        return try JSON.response(
            AssessmentView(
                year: model.year, issued: model.issued != nil, issuedAt: model.issued?.issuedAt, publicWeight: model.scheme?.publicWeight,
                minimumN: model.scheme?.minimumN,
                components: (model.scheme?.components ?? []).map {
                    .init(key: $0.key, name: $0.nameZh, source: $0.source.rawValue, weight: $0.weight)
                },
                units: model.units.map { LineView($0, name: name($0.subject)) }, officers: model.officers.map { LineView($0, name: name($0.subject)) }
            ))
    }

    struct EntriesRequest: Decodable {
        struct Entry: Decodable {
            var kind: String?
            var subject: String?
            var component: String?
            var score: Double?
        }
        var entries: [Entry]?
    }

    /// `POST /api/v1/assessment/{year}/entries`: `{entries: [{kind, subject, component, score}]}`, all or none; a bad
    /// entry is named by its position (line = index + 1).
    @Sendable func enter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let year = try AssessmentPages.year(context)
        let body = try await JSON.decode(EntriesRequest.self, from: request, limit: maxBodyBytes)
        guard let raw = body.entries, !raw.isEmpty, raw.count <= 10_000 else {
            throw ValidationError.invalid(field: "entries", message: "应有 1–10000 条 (1 to 10,000 entries)")
        }
        var entries: [SQLAssessmentStore.Entry] = []
        for (index, entry) in raw.enumerated() {
            guard let kind = entry.kind.flatMap(AssessmentSubjectKind.init(rawValue:)), let subject = entry.subject,
                let component = entry.component, let score = entry.score
            else {
                throw ValidationError.invalid(
                    field: "entries[\(index)]",
                    message: "第 \(index + 1) 条缺少 kind、subject、component 或 score (entry \(index + 1) is incomplete)")
            }
            entries.append(.init(line: index + 1, kind: kind, subject: subject, component: component, score: score))
        }
        try await pages.assessments.enter(entries, year: year, by: actor, at: pages.now())
        return Response(status: .created)
    }
}
