import Hummingbird
import MinyiCore

/// Finding an item (by number, by words of its text, by the resident's phone — that look audited) and the
/// auditor's page over the audit log.
struct SearchFeature: Feature {
    let web: WebController

    init(_ context: FeatureContext) { web = context.web }

    static var navigation: [Layout.NavLink] {
        [
            .init(order: 5, path: "/staff/search", zh: "查找", en: "Find", permission: .staff),
            .init(order: 120, path: "/staff/audit", zh: "审计", en: "Audit", permission: .readAudit),
        ]
    }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/staff/search", .staff, web.searchPage)
        routes.page(.post, "/staff/search", .staff, web.search)
        routes.page(.get, "/staff/audit", .readAudit, web.auditPage)
    }
}
