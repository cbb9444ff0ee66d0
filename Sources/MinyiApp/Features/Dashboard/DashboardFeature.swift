import Hummingbird
import MinyiCore

/// The dashboard: a unit's rates, lateness and warnings, and charts over twelve months.
struct DashboardFeature: Feature {
    let web: WebController

    init(_ context: FeatureContext) { web = context.web }

    static var navigation: [Layout.NavLink] { [.init(order: 100, path: "/staff/dashboard", zh: "统计", en: "Dashboard", permission: .staff)] }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/staff/dashboard", .staff, web.dashboard)
    }
}
