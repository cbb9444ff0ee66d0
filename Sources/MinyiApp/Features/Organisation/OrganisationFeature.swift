import Hummingbird
import MinyiCore

/// The organisation and catalogue (public), measures, supervision orders and the audit log over the API.
struct OrganisationFeature: Feature {
    let api: OrganisationController

    init(_ context: FeatureContext) {
        let dependencies = context.dependencies
        api = OrganisationController(
            organisation: dependencies.organisation, items: dependencies.items, audit: dependencies.audit, now: dependencies.now)
    }

    func addRoutes(to routes: RouteBuilder) {
        routes.api(.get, "/api/v1/measures", .staff, api.measures)
        routes.api(.get, "/api/v1/units", nil, api.units)
        routes.api(.get, "/api/v1/categories", nil, api.categories)
        routes.api(.post, "/api/v1/categories/{code}/deadlines", .setDeadlines, api.setDeadlines)
        routes.api(.get, "/api/v1/supervision-orders", .readSupervision, api.supervisionOrders)
        routes.api(.get, "/api/v1/audit", .readAudit, api.auditLog)
    }
}
