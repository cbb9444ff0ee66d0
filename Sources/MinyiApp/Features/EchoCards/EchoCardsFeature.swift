import Hummingbird
import MinyiCore

/// Echo cards (回音卡): batches of numbered cards issued to a unit, printed, registered from once each.
struct EchoCardsFeature: Feature {
    let web: WebController

    init(_ context: FeatureContext) { web = context.web }

    static var navigation: [Layout.NavLink] {
        [.init(order: 90, path: "/staff/echo-cards", zh: "回音卡", en: "Echo cards", permission: .useEchoCards)]
    }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/staff/echo-cards", .useEchoCards, web.echoCardBatches)
        routes.page(.post, "/staff/echo-cards", .issueEchoCards, web.issueEchoCards)
        routes.page(.get, "/staff/echo-cards/{batch}", .useEchoCards, web.echoCardSheet)
        routes.page(.get, "/staff/echo-cards/{batch}/print", .useEchoCards, web.echoCardPrint)
    }
}
