import Hummingbird
import MinyiCore

/// Business records from other police systems and the callbacks after each service (业务回访).
struct BusinessFeature: Feature {
    let web: WebController
    let api: BusinessController

    init(_ context: FeatureContext) {
        let dependencies = context.dependencies
        web = context.web
        api = BusinessController(
            business: dependencies.business, organisation: dependencies.organisation, maxBodyBytes: context.config.maxBodyBytes, now: dependencies.now
        )
    }

    static var navigation: [Layout.NavLink] {
        [.init(order: 50, path: "/staff/business-callbacks", zh: "业务回访", en: "Service callbacks", permission: .callBackServices)]
    }

    /// Two months of services from other police systems, most already called back.
    static func seedDemo(_ bureau: DemoBureau) async throws {
        try await bureau.demo.seedBusinessRecords(
            count: max(60, bureau.itemCount / 6), actors: bureau.actors, openItems: bureau.itemCount > 0, now: bureau.now)
    }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/staff/business-callbacks", .callBackServices, web.businessCallbacks)
        routes.page(.post, "/staff/business-callbacks/claim", .callBackServices, web.claimBusinessCallbacks)
        routes.page(.get, "/staff/business-callbacks/{record}", .callBackServices, web.businessCallback)
        routes.page(.post, "/staff/business-callbacks/{record}/attempt", .callBackServices, web.recordBusinessAttempt)
        routes.api(.post, "/api/v1/business-records", .importBusinessRecords, api.create)
        routes.api(.get, "/api/v1/business-types", .staff, api.types)
        routes.api(.post, "/api/v1/business-types/{code}/callback-days", .setCallbackDays, api.setCallbackDays)
    }
}
