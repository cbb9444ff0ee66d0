import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Open311 GeoReport v2 (`/open311/v2/`): other systems file and follow requests here as they do with FixMyStreet or
/// Mark-a-Spot; each request is an item of the `open311` channel.
struct Open311Feature: Feature {
    let api: Open311Controller

    init(_ context: FeatureContext) {
        let dependencies = context.dependencies
        let support = context.web.support
        api = Open311Controller(
            items: dependencies.items, open311: dependencies.open311, organisation: dependencies.organisation, auth: dependencies.auth,
            rateLimiter: context.rateLimiter, maxBodyBytes: context.config.maxBodyBytes, publicBase: { support.publicBase($0) },
            now: dependencies.now)
    }

    func addRoutes(to routes: RouteBuilder) {
        routes.standard(.get, "/open311/v2/{resource}", api.resource)
        routes.standard(.post, "/open311/v2/{resource}", api.resource)
        routes.standard(.get, "/open311/v2/{resource}/{file}", api.member)
    }
}
