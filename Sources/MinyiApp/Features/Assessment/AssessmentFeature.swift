import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The yearly assessment (年度考评) of officers and units, the public's ratings weighing at least 51%.
struct AssessmentFeature: Feature {
    let pages: AssessmentPages
    let api: AssessmentController

    init(_ context: FeatureContext) {
        pages = AssessmentPages(web: context.web, assessments: context.dependencies.assessments, now: context.dependencies.now)
        api = AssessmentController(pages: pages, maxBodyBytes: context.config.maxBodyBytes)
    }

    static var navigation: [Layout.NavLink] {
        [.init(order: 62, path: "/staff/assessment", zh: "年度考评", en: "Assessment", permission: .readAssessment)]
    }

    /// This year's scheme and the other components' scores of the demo's officers and stations.
    static func seedDemo(_ bureau: DemoBureau) async throws { try await bureau.demo.seedAssessment(bureau) }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/staff/assessment", .readAssessment, pages.show)
        routes.page(.get, "/staff/assessment.csv", .readAssessment, pages.csv)
        routes.page(.post, "/staff/assessment/{year}/scheme", .manageAssessment, pages.configure)
        routes.page(.post, "/staff/assessment/{year}/entries", .manageAssessment, pages.enter)
        routes.page(.post, "/staff/assessment/{year}/issue", .manageAssessment, pages.issue)
        routes.api(.get, "/api/v1/assessment/{year}", .readAssessment, api.show)
        routes.api(.post, "/api/v1/assessment/{year}/entries", .manageAssessment, api.enter)
    }
}
