import Foundation
import Hummingbird
import Logging
import MinyiCore
import MinyiStorage
import ServiceLifecycle

/// Staff log in and out (web and API), each role starts where its work is, and failed guesses are pruned.
struct SessionsFeature: Feature {
    let web: WebController
    let api: SessionController
    /// Pruning the failed guesses.
    let services: [any Service]

    init(_ context: FeatureContext) {
        let dependencies = context.dependencies
        let config = context.config
        web = context.web
        api = SessionController(
            organisation: dependencies.organisation, auth: dependencies.auth, audit: dependencies.audit, login: context.login,
            rateLimiter: context.rateLimiter, sessionLifetime: config.sessionLifetime,
            maxBodyBytes: config.maxBodyBytes, now: dependencies.now)
        services = [
            RepeatingService.pruneGuesses(
                auth: dependencies.auth, interval: .seconds(600), now: dependencies.now,
                logger: dependencies.logger, claims: dependencies.claims)
        ]
    }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/staff", .staff, web.staffHome)
        routes.page(.get, "/staff/login", nil, web.loginForm)
        routes.page(.post, "/staff/login", nil, web.login)
        routes.page(.post, "/staff/logout", nil, web.logout)
        routes.api(.post, "/api/v1/sessions", nil, api.create)
        routes.api(.delete, "/api/v1/sessions", .staff, api.delete)
        routes.api(.get, "/api/v1/me", .staff, api.me)
    }
}
