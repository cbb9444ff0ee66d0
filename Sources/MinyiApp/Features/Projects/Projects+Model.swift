import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The year's projects as the public follows them: each with its unit, its progress and status, late or not.
struct ProjectListModel: Sendable {
    var year: Int
    var years: [Int]
    var projects: [YearProject]
    var catalogue: WebController.Catalogue
    var now: Date
    /// Closed ballots whose projects have not been set yet (staff who may set them see a button).
    var adoptable: [BallotCampaign] = []
    var staff = false

    static func load(_ request: Request, pages: ProjectPages) async throws -> ProjectListModel {
        let now = pages.now()
        let all = try await pages.projects.projects()
        let years = Array(Set(all.map(\.year))).sorted(by: >)
        let asked = request.uri.queryParameters["year"].flatMap { Int($0) }
        let year = asked ?? years.first(where: { $0 <= Deadlines.year(of: now) }) ?? years.first ?? Deadlines.year(of: now)
        return ProjectListModel(
            year: year, years: years, projects: all.filter { $0.year == year }, catalogue: try await pages.web.catalogue(), now: now)
    }
}

/// One project: its facts, milestones, the dated updates and the items residents raised about it; for its unit's staff,
/// the forms to report.
struct ProjectModel: Sendable {
    var project: YearProject
    var milestones: [ProjectMilestone]
    var updates: [ProjectUpdate]
    var items: [(number: String, status: ItemStatus)]
    var catalogue: WebController.Catalogue
    var now: Date
    var staff = false
    var mayReport = false
    var form: Form?
    var error: (field: String, message: String)?
    /// Every faulty field of the form that came back, in the page's language.
    var errors: [String: String] = [:]
    var notice: String?

    static func load(_ id: YearProject.ID, pages: ProjectPages) async throws -> ProjectModel {
        guard let project = try await pages.projects.project(id) else { throw AppError.notFound("实事项目不存在 (no such project)") }
        return ProjectModel(
            project: project, milestones: try await pages.projects.milestones(of: id), updates: try await pages.projects.updates(of: id),
            items: try await pages.projects.items(of: id), catalogue: try await pages.web.catalogue(), now: pages.now())
    }

    func fieldClass(_ name: String) -> String { error?.field == name || errors[name] != nil ? "field field-error" : "field" }

    /// The message beside a faulty field.
    func message(_ name: String) -> HTML { errors[name].map { "<p class=\"msg\" id=\"err-\(name)\">\($0)</p>" } ?? .empty }
}
