import Hummingbird
import MinyiCore

/// The public results page (办理公开): each station's figures and the public reasons of unsolved items.
struct ResultsFeature: Feature {
    let web: WebController

    init(_ context: FeatureContext) { web = context.web }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/results", nil, web.results)
    }
}
