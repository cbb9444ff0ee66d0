import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Safety alerts and prevention tips (警情提示), per community and topic: on the square, in Atom feeds and as CAP 1.2
/// messages, with the message each community's group chat gets and a record of where it went.
struct AlertsFeature: Feature {
    let pages: AlertPages

    init(_ context: FeatureContext) {
        let dependencies = context.dependencies
        pages = AlertPages(
            web: context.web, alerts: dependencies.alerts, organisation: dependencies.organisation, newID: { RowID.make() }, now: dependencies.now)
    }

    static var navigation: [Layout.NavLink] {
        [.init(order: 44, path: "/staff/alerts", zh: "警情提示", en: "Alerts", permission: .staff)]
    }

    static var publicNavigation: [Layout.NavLink] {
        [.init(order: 44, path: "/alerts", zh: "警情提示", en: "Alerts", permission: nil)]
    }

    static func seedDemo(_ bureau: DemoBureau) async throws { try await bureau.demo.seedAlerts(bureau) }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/alerts", nil, pages.list)
        routes.page(.get, "/alerts/feed.atom", nil, pages.feed)
        routes.page(.get, "/alerts/{alert}", nil, pages.show)
        routes.page(.get, "/alerts/{alert}/cap.xml", nil, pages.cap)
        routes.page(.get, "/staff/alerts", .staff, pages.staffList)
        routes.page(.post, "/staff/alerts", .publishAlerts, pages.publish)
        routes.page(.get, "/staff/alerts/{alert}", .staff, pages.staffShow)
        routes.page(.post, "/staff/alerts/{alert}/sent", .publishAlerts, pages.markSent)
        routes.page(.post, "/staff/alerts/{alert}/withdraw", .publishAlerts, pages.withdraw)
    }
}
