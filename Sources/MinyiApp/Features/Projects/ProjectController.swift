import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The year's projects over the API: anyone reads them; the units that deliver them post updates.
struct ProjectController: Sendable {
    let pages: ProjectPages
    let maxBodyBytes: Int

    var projects: SQLProjectStore { pages.projects }

    struct ProjectView: Codable {
        struct Milestone: Codable {
            var title: String
            var due: Date
            var doneAt: Date?
        }
        struct Update: Codable {
            var seq: Int
            var at: Date
            var text: String
            var progress: Int
            var status: String
            var photoCaption: String?
        }
        var id: String
        var year: Int
        var title: String
        var summary: String
        var unit: String
        var ballot: String?
        var votes: Int?
        var status: String
        var progress: Int
        var due: Date
        var deliveredAt: Date?
        var late: Bool
        var milestones: [Milestone]?
        var updates: [Update]?

        init(_ project: YearProject, now: Date) {
            id = project.id.rawValue
            year = project.year
            title = project.title
            summary = project.summary
            unit = project.unitID.rawValue
            ballot = project.campaignID?.rawValue
            votes = project.votes
            status = project.status.rawValue
            progress = project.progress
            due = project.due
            deliveredAt = project.deliveredAt
            late = project.isLate(at: now)
        }
    }

    /// `GET /api/v1/projects?year=`
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let year = request.uri.queryParameters["year"].flatMap { Int($0) }
        return try JSON.response(try await projects.projects(year: year).map { ProjectView($0, now: pages.now()) })
    }

    /// `GET /api/v1/projects/{project}`: with its milestones and updates.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try ProjectPages.projectID(context)
        guard let project = try await projects.project(id) else { throw AppError.notFound("实事项目不存在") }
        var view = ProjectView(project, now: pages.now())
        view.milestones = try await projects.milestones(of: id).map { .init(title: $0.title, due: $0.due, doneAt: $0.doneAt) }
        view.updates = try await projects.updates(of: id).map {
            .init(seq: $0.seq, at: $0.at, text: $0.text, progress: $0.progress, status: $0.status.rawValue, photoCaption: $0.photoCaption)
        }
        return try JSON.response(view)
    }

    struct UpdateRequest: Decodable {
        var text: String?
        var progress: Int?
        var status: String?
        var photoCaption: String?
        var correction: Bool?
    }

    /// `POST /api/v1/projects/{project}/updates`
    @Sendable func postUpdate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let body = try await JSON.decode(UpdateRequest.self, from: request, limit: maxBodyBytes)
        let update = try await projects.addUpdate(
            to: try ProjectPages.projectID(context), text: body.text, progress: body.progress,
            status: try body.status.map { try parse($0, YearProject.Status.self, field: "status") }, photoCaption: body.photoCaption,
            correction: body.correction ?? false, by: actor, at: pages.now())
        return try JSON.response(
            ProjectView.Update(
                seq: update.seq, at: update.at, text: update.text, progress: update.progress, status: update.status.rawValue,
                photoCaption: update.photoCaption), status: .created)
    }

    /// `POST /api/v1/ballots/{campaign}/projects`: a closed ballot's chosen projects become the year's.
    @Sendable func adopt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let adopted = try await projects.adopt(try BallotPages.campaignID(context), by: actor, at: pages.now())
        return try JSON.response(adopted.map { ProjectView($0, now: pages.now()) }, status: .created)
    }
}
