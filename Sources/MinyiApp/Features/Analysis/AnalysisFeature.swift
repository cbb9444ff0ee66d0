import Hummingbird
import MinyiCore

/// The monthly analysis (研判): categories against earlier periods, top concerns, hot communities, clusters.
struct AnalysisFeature: Feature {
    let web: WebController

    init(_ context: FeatureContext) { web = context.web }

    static var navigation: [Layout.NavLink] { [.init(order: 110, path: "/staff/analysis", zh: "研判", en: "Analysis", permission: .staff)] }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/staff/analysis", .staff, web.analysis)
    }
}
