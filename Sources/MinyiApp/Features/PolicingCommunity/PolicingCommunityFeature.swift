import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The policing community (警务共同体): volunteers, partner organisations, security assistants and informants of each
/// area, what they did and the points it earned, and the tasks the unit shares with them.
struct PolicingCommunityFeature: Feature {
    let pages: PartnerPages
    let api: PartnerController

    init(_ context: FeatureContext) {
        let dependencies = context.dependencies
        pages = PartnerPages(
            web: context.web, partners: dependencies.partners, audit: dependencies.audit, newID: { RowID.make() }, now: dependencies.now)
        api = PartnerController(pages: pages)
    }

    static var navigation: [Layout.NavLink] {
        [.init(order: 51, path: "/staff/partners", zh: "警务共同体", en: "Community", permission: .readVolunteers)]
    }

    static func seedDemo(_ bureau: DemoBureau) async throws { try await bureau.demo.seedPartners(bureau) }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/staff/partners", .readVolunteers, pages.list)
        routes.page(.post, "/staff/partners", .manageVolunteers, pages.register)
        routes.page(.get, "/staff/partners.csv", .readVolunteers, pages.export)
        routes.page(.get, "/staff/informants", .handleInformants, pages.informants)
        routes.page(.get, "/staff/partners/{partner}", .readVolunteers, pages.show)
        routes.page(.post, "/staff/partners/{partner}/activities", .manageVolunteers, pages.logActivity)
        routes.page(.get, "/staff/tasks", .readVolunteers, pages.tasks)
        routes.page(.post, "/staff/tasks", .manageVolunteers, pages.share)
        routes.page(.get, "/staff/tasks/{task}", .readVolunteers, pages.task)
        routes.page(.post, "/staff/tasks/{task}/takers", .manageVolunteers, pages.take)
        routes.page(.post, "/staff/tasks/{task}/close", .manageVolunteers, pages.close)
        routes.api(.get, "/api/v1/partners", .readVolunteers, api.list)
    }
}
