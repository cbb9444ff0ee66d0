import Foundation
import Hummingbird
import Logging
import MinyiCore
import MinyiStorage

/// The capabilities, in the order their navigation links and routes are added. A new capability is one more line.
let featureTypes: [any Feature.Type] = [
    SiteFeature.self, SessionsFeature.self, ItemsFeature.self, ResultsFeature.self, LedgerFeature.self, BusinessFeature.self,
    BulletinsFeature.self, EchoCardsFeature.self, DashboardFeature.self, AnalysisFeature.self, OrganisationFeature.self, CommunityFeature.self,
    OpinionFeature.self, BallotsFeature.self, ProjectsFeature.self, AssessmentFeature.self, SearchFeature.self, AlertsFeature.self,
    Open311Feature.self,
    PolicingCommunityFeature.self, OperationsFeature.self,
]

/// Builds every capability over the shared parts.
func buildFeatures(dependencies: AppDependencies, config: AppConfig) -> (features: [any Feature], context: FeatureContext) {
    let authenticator = Authenticator(organisation: dependencies.organisation, auth: dependencies.auth, now: dependencies.now)
    let limiter = RateLimiter(perMinute: config.publicRequestsPerMinute, addresses: ClientAddresses(trusted: config.trustedProxies))
    let throttle = GuessThrottle(auth: dependencies.auth, login: config.loginGuesses, pin: config.pinGuesses)
    let login = StaffLogin(organisation: dependencies.organisation, passwords: dependencies.passwords, throttle: throttle)
    let navigation = featureTypes.flatMap { $0.navigation }.sorted { $0.order < $1.order }
    var support = WebSupport(
        auth: dependencies.auth, organisation: dependencies.organisation, csrf: CSRF(secret: dependencies.keys.csrf),
        secureCookies: config.secureCookies, dueSoon: config.dueSoon, maxFormBytes: config.maxBodyBytes, navigation: navigation,
        now: dependencies.now)
    support.receipts = ReceiptCookie(secret: dependencies.keys.csrf)
    support.publicURL = config.publicURL
    support.publicNavigation = featureTypes.flatMap { $0.publicNavigation }.sorted { $0.order < $1.order }
    let web = WebController(
        items: dependencies.items, organisation: dependencies.organisation, echoCards: dependencies.echoCards, business: dependencies.business,
        bulletins: dependencies.bulletins, auth: dependencies.auth, audit: dependencies.audit, login: login, throttle: throttle,
        support: support,
        rateLimiter: limiter, sessionLifetime: config.sessionLifetime,
        categoryModel: CategoryModel(items: dependencies.items, claims: dependencies.claims),
        origins: ItemOrigins(), bulletinSections: BulletinSections(), now: dependencies.now)
    let metrics = AppMetrics()
    dependencies.database.observeCommits { batch, duration in metrics.commit(batch: batch, duration: duration) }
    let context = FeatureContext(
        dependencies: dependencies, config: config, authenticator: authenticator, rateLimiter: limiter, throttle: throttle, login: login, web: web,
        metrics: metrics)
    return (featureTypes.map { $0.init(context) }, context)
}

/// Builds the router with every capability's routes; `main` and the tests both use it.
public func buildRouter(dependencies: AppDependencies, config: AppConfig, routes: RouteTable = RouteTable()) -> Router<AppRequestContext> {
    let (features, context) = buildFeatures(dependencies: dependencies, config: config)
    return makeRouter(features, context, routes: routes)
}

func makeRouter(_ features: [any Feature], _ context: FeatureContext, routes: RouteTable) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestMetricsMiddleware(metrics: context.metrics))
    router.add(middleware: ErrorMiddleware())
    if context.config.logRequests { router.add(middleware: LogRequestsMiddleware(.info)) }
    let builder = RouteBuilder(router: router, table: routes, support: context.web.support, authenticator: context.authenticator)
    for feature in features { feature.addRoutes(to: builder) }
    return router
}

/// Builds the whole application: every capability's routes and services, and migrations before the server starts.
public func buildApplication(config: AppConfig, dependencies: AppDependencies) -> some ApplicationProtocol {
    let (features, context) = buildFeatures(dependencies: dependencies, config: config)
    var app = Application(
        router: makeRouter(features, context, routes: RouteTable()),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Minyi"), logger: dependencies.logger)
    for feature in features { app.addServices(feature.services) }
    app.beforeServerStarts {
        try await Migrator(database: dependencies.database, logger: dependencies.logger).migrate()
    }
    return app
}
