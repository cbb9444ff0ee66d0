import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// A year's assessment as a reader sees it: the scheme in force, each station's and officer's line ranked (issued, or
/// computed now as a preview), and, for the bureau, the forms to configure, enter and issue.
struct AssessmentModel: Sendable {
    var year: Int
    var scheme: AssessmentScheme?
    var units: [AssessmentLine]
    var officers: [AssessmentLine]
    var issued: IssuedAssessment?
    var names: [String: String]
    var mayManage: Bool
    var schemeForm: Form?
    var entriesForm: Form?
    var error: (field: String, message: String)?
    /// Every faulty field of the scheme form that came back, in the page's language.
    var errors: [String: String] = [:]
    var notice: String?

    static func load(_ request: Request, actor: Actor, pages: AssessmentPages) async throws -> AssessmentModel {
        let now = pages.now()
        let year = request.uri.queryParameters["year"].flatMap { Int($0) } ?? Deadlines.year(of: now)
        return try await load(year: year, actor: actor, pages: pages)
    }

    static func load(year: Int, actor: Actor, pages: AssessmentPages) async throws -> AssessmentModel {
        let scheme = try await pages.assessments.scheme(year: year)
        let inputs = try await pages.assessments.inputs(year: year, under: actor.jurisdiction)
        var units: [AssessmentLine] = []
        var officers: [AssessmentLine] = []
        let issued = try await pages.assessments.issued(year: year)
        if let issued {
            // Kept as issued; a reader below the bureau sees the lines of their jurisdiction.
            units = issued.units.filter { inputs.units[$0.subject] != nil }
            officers = issued.officers.filter { inputs.officers[$0.subject] != nil }
        } else if let scheme {
            units = AssessmentScheme.ranked(inputs.units.map { scheme.line(for: $0.key, $0.value) })
            officers = AssessmentScheme.ranked(inputs.officers.map { scheme.line(for: $0.key, $0.value) })
        }
        return AssessmentModel(
            year: year, scheme: issued?.scheme ?? scheme, units: units, officers: officers, issued: issued, names: inputs.names,
            mayManage: Permission.manageAssessment.isHeld(by: actor))
    }

    func fieldClass(_ name: String) -> String { error?.field == name || errors[name] != nil ? "field field-error" : "field" }

    /// The message beside a faulty field of the scheme form (a message of several lines, one a line).
    func schemeMessage(_ name: String) -> HTML {
        guard let message = errors[name] else { return .empty }
        let lines: [HTML] = message.split(separator: "\n").map { "\(String($0))" }
        return "<p class=\"msg\" id=\"err-\(name)\">\(lines.joined(separator: "<br>"))</p>"
    }

    /// A line's cell for a component: the score with its n, or missing with the n it had.
    func cell(_ value: AssessmentLine.Value?, zh: Bool) -> (text: String, missing: Bool) {
        switch value {
        case .score(let score, let n): (String(format: "%.1f", score) + (n.map { " (n=\($0))" } ?? ""), false)
        case .missing(let n): ((zh ? "缺失" : "missing") + (n.map { " (n=\($0))" } ?? ""), true)
        case nil: ("—", true)
        }
    }
}
