import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The year's projects (十件实事) delivered in public: chosen by the ballot, reported on by their units with dated
/// updates, followed by anyone on their pages and in Atom feeds.
struct ProjectsFeature: Feature {
    let pages: ProjectPages
    let api: ProjectController

    init(_ context: FeatureContext) {
        let dependencies = context.dependencies
        pages = ProjectPages(web: context.web, projects: dependencies.projects, ballots: dependencies.ballots, now: dependencies.now)
        api = ProjectController(pages: pages, maxBodyBytes: context.config.maxBodyBytes)
        let projects = dependencies.projects
        context.web.origins.register { number, _ in
            try await projects.project(ofItem: number).map { project in
                ItemOrigin(zh: "关于实事项目：\(project.title)", en: "about the project: \(project.title)",
                    href: "/staff/projects/\(project.id.rawValue)")
            }
        }
    }

    static var navigation: [Layout.NavLink] {
        [.init(order: 61, path: "/staff/projects", zh: "十件实事", en: "Projects", permission: .staff)]
    }

    static var publicNavigation: [Layout.NavLink] {
        [.init(order: 61, path: "/projects", zh: "十件实事", en: "Projects", permission: nil)]
    }

    /// The closed demo ballot's projects, a year of updates: some delivered, some late.
    static func seedDemo(_ bureau: DemoBureau) async throws { try await bureau.demo.seedProjects(bureau) }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/projects", nil, pages.list)
        routes.page(.get, "/projects/feed.atom", nil, pages.feed)
        routes.page(.get, "/projects/{project}", nil, pages.show)
        routes.page(.get, "/projects/{project}/feed.atom", nil, pages.projectFeed)
        routes.page(.get, "/staff/projects", .staff, pages.staffList)
        routes.page(.post, "/staff/projects/adopt", .manageBallots, pages.adopt)
        routes.page(.get, "/staff/projects/{project}", .staff, pages.staffShow)
        routes.page(.post, "/staff/projects/{project}/updates", .manageProjects, pages.postUpdate)
        routes.page(.post, "/staff/projects/{project}/milestones", .manageProjects, pages.addMilestone)
        routes.page(.post, "/staff/projects/{project}/milestones/{seq}/done", .manageProjects, pages.completeMilestone)
        routes.page(.post, "/staff/projects/{project}/items", .manageProjects, pages.linkItem)
        routes.api(.get, "/api/v1/projects", nil, api.list)
        routes.api(.get, "/api/v1/projects/{project}", nil, api.show)
        routes.api(.post, "/api/v1/projects/{project}/updates", .manageProjects, api.postUpdate)
        routes.api(.post, "/api/v1/ballots/{campaign}/projects", .manageBallots, api.adopt)
    }
}
