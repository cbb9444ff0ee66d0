import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The year's projects in public (list, page, Atom feeds) and for the staff who deliver them.
struct ProjectPages: Sendable {
    let web: WebController
    let projects: SQLProjectStore
    let ballots: SQLBallotStore
    let now: @Sendable () -> Date

    var support: WebSupport { web.support }

    static func projectID(_ context: AppRequestContext) throws -> YearProject.ID {
        guard let raw = context.parameters.get("project"), !raw.isEmpty, raw.count <= 64 else { throw AppError.notFound("实事项目不存在") }
        return .init(raw)
    }

    // MARK: Public

    /// `GET /projects?year=`
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        return WebSupport.page(try await ProjectListModel.load(request, pages: self).render(page), page)
    }

    /// `GET /projects/{project}`
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        return WebSupport.page(try await ProjectModel.load(try Self.projectID(context), pages: self).render(page), page)
    }

    /// `GET /projects/feed.atom`: the newest updates of every project.
    @Sendable func feed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let all = try await projects.projects()
        let updates = try await projects.updates(limit: 100)
        return try await atom(
            title: "惠民十件实事进展", id: "urn:minyi:projects", selfPath: "/projects/feed.atom", alternatePath: "/projects", updates: updates,
            projects: all)
    }

    /// `GET /projects/{project}/feed.atom`
    @Sendable func projectFeed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.projectID(context)
        guard let project = try await projects.project(id) else { throw AppError.notFound("实事项目不存在 (no such project)") }
        return try await atom(
            title: "\(project.title) 进展", id: "urn:minyi:project:\(id.rawValue)", selfPath: "/projects/\(id.rawValue)/feed.atom",
            alternatePath: "/projects/\(id.rawValue)", updates: try await projects.updates(of: id, limit: 100), projects: [project])
    }

    func atom(title: String, id: String, selfPath: String, alternatePath: String, updates: [ProjectUpdate], projects: [YearProject])
        async throws -> Response
    {
        let catalogue = try await web.catalogue()
        let data = ProjectFeed.atom(
            title: title, id: id, selfPath: selfPath, alternatePath: alternatePath, updates: updates,
            projects: Dictionary(uniqueKeysWithValues: projects.map { ($0.id, $0) }), unitName: { catalogue.unitName($0) }, now: now())
        var headers = HTTPFields()
        headers[.contentType] = "application/atom+xml; charset=utf-8"
        headers[.cacheControl] = "max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Staff

    /// `GET /staff/projects?year=`
    @Sendable func staffList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        var model = try await ProjectListModel.load(request, pages: self)
        model.staff = true
        if Permission.manageBallots.isHeld(by: actor) {
            let adopted = Set(try await projects.projects().compactMap(\.campaignID))
            model.adoptable = try await ballots.campaigns().filter { $0.resultsVisible(at: now()) && !adopted.contains($0.id) }
        }
        return WebSupport.page(model.render(page), page)
    }

    /// `POST /staff/projects/adopt`: a closed ballot's chosen projects become the year's.
    @Sendable func adopt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let form = try await support.form(request, page)
        let adopted = try await projects.adopt(.init(form.raw("campaign")), by: actor, at: now())
        return WebSupport.redirect("/staff/projects" + (adopted.first.map { "?year=\($0.year)" } ?? ""))
    }

    /// `GET /staff/projects/{project}`
    @Sendable func staffShow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await staffModel(try Self.projectID(context), actor: try context.staff(), web: page, notice: nil)
        return WebSupport.page(model.render(page), page)
    }

    func staffModel(_ id: YearProject.ID, actor: Actor, web: WebRequest, notice: String?) async throws -> ProjectModel {
        var model = try await ProjectModel.load(id, pages: self)
        model.staff = true
        let unit = model.catalogue.byID[model.project.unitID]
        model.mayReport = Permission.manageProjects.isHeld(by: actor) && unit.map { actor.jurisdiction.contains($0) } == true
        model.notice = notice
        return model
    }

    /// Runs a staff change of a project; a refusal comes back on the project's page with the form kept.
    func change(_ request: Request, context: AppRequestContext, _ body: (Form, Actor, YearProject.ID) async throws -> Void) async throws
        -> Response
    {
        let page = try context.webRequest()
        let actor = try context.staff()
        let id = try Self.projectID(context)
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            try form.checkEncoding()
            try await body(form, actor, id)
            return WebSupport.redirect("/staff/projects/\(id.rawValue)")
        } catch let errors as ValidationErrors {
            var model = try await staffModel(id, actor: actor, web: page, notice: nil)
            model.form = form
            model.errors = errors.byField.mapValues { page.localized($0) }
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        } catch {
            guard let refusal = BallotPages.refusal(error) else { throw error }
            var model = try await staffModel(id, actor: actor, web: page, notice: nil)
            model.form = form
            model.error = (refusal.field, page.localized(refusal.message))
            return WebSupport.page(model.render(page), page, status: refusal.field.isEmpty ? .conflict : .unprocessableContent)
        }
    }

    /// `POST /staff/projects/{project}/updates`
    @Sendable func postUpdate(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context: context) { form, actor, id in
            // What cannot be read is named together with what the project's rules find wrong, and nothing is saved.
            var unread = Validator()
            let progress = form["progress"].flatMap { raw in
                let value = Int(raw.trimmed)
                if value == nil { unread.fail("progress", "进度应为 0–100 的整数 (a whole number 0 to 100)") }
                return value
            }
            let status = form["status"].flatMap { raw in
                let value = YearProject.Status(rawValue: raw)
                if value == nil { unread.fail("status", "请选择状态 (choose a status)") }
                return value
            }
            let text = form["text"].map { _ in form.raw("text") }
            let correction = form["correction"] == "1"
            if !unread.isEmpty, let project = try await projects.project(id) {
                do {
                    _ = try ProjectUpdate.validated(
                        text: text, progress: progress, status: status, photoCaption: form["photo_caption"], correction: correction, of: project)
                } catch let error as ValidationErrors {
                    for problem in error.errors { unread.fail(problem) }
                }
                try unread.finish()
            }
            _ = try await projects.addUpdate(
                to: id, text: text, progress: progress, status: status, photoCaption: form["photo_caption"], correction: correction, by: actor,
                at: now())
        }
    }

    /// `POST /staff/projects/{project}/milestones`
    @Sendable func addMilestone(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context: context) { form, actor, id in
            // The name and the day named together when both are missing or wrong.
            var check = Validator()
            if form["title"] == nil { check.fail("title", "请填写节点名称 (name the milestone)") }
            if form["due"].flatMap(Format.parseDay) == nil { check.fail("due", "请选择计划日期 (choose the day it is due)") }
            try check.finish()
            try await projects.addMilestone(
                to: id, title: form["title"].map { _ in form.raw("title") }, due: form["due"].flatMap(Format.parseDay), by: actor, at: now())
        }
    }

    /// `POST /staff/projects/{project}/milestones/{seq}/done`
    @Sendable func completeMilestone(_ request: Request, context: AppRequestContext) async throws -> Response {
        let seq = Int(context.parameters.get("seq") ?? "") ?? -1
        return try await change(request, context: context) { _, actor, id in
            try await projects.completeMilestone(seq, of: id, by: actor, at: now())
        }
    }

    /// `POST /staff/projects/{project}/items`
    @Sendable func linkItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context: context) { form, actor, id in
            try await projects.link(item: TrackingNumber.normalise(form.raw("number")), to: id, by: actor, at: now())
        }
    }
}
