import Hummingbird
import MinyiCore

/// The ledger (台账): every item of the jurisdiction with filters, and its CSV export.
struct LedgerFeature: Feature {
    let web: WebController

    init(_ context: FeatureContext) { web = context.web }

    static var navigation: [Layout.NavLink] { [.init(order: 70, path: "/staff/ledger", zh: "台账", en: "Ledger", permission: .staff)] }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/staff/ledger", .staff, web.ledger)
        routes.page(.get, "/staff/ledger.csv", .staff, web.ledgerCSV)
    }
}
