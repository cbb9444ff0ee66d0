import Foundation
import Hummingbird
import Logging
import MinyiCore
import MinyiStorage

/// The API's routes as registered, so a test can hold the OpenAPI document to them.
public final class RouteTable: @unchecked Sendable {
    public init() {}
    public private(set) var routes: [(method: String, path: String)] = []
    func add(_ method: HTTPRequest.Method, _ path: String) { routes.append((method.rawValue, path)) }
}

/// Builds the router with every route; `main` and the tests both use it.
public func buildRouter(dependencies: AppDependencies, config: AppConfig, routes: RouteTable = RouteTable()) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    if config.logRequests { router.add(middleware: LogRequestsMiddleware(.info)) }

    let authenticator = Authenticator(organisation: dependencies.organisation, auth: dependencies.auth, now: dependencies.now)
    let limiter = RateLimiter(perMinute: config.publicRequestsPerMinute, addresses: ClientAddresses(trusted: config.trustedProxies))
    let throttle = GuessThrottle(auth: dependencies.auth, login: config.loginGuesses, pin: config.pinGuesses)
    let login = StaffLogin(organisation: dependencies.organisation, passwords: dependencies.passwords, throttle: throttle)
    let items = ItemController(
        items: dependencies.items, organisation: dependencies.organisation, authenticator: authenticator, rateLimiter: limiter,
        throttle: throttle, dueSoon: config.dueSoon, maxBodyBytes: config.maxBodyBytes, now: dependencies.now)
    let sessions = SessionController(
        organisation: dependencies.organisation, auth: dependencies.auth, audit: dependencies.audit, login: login,
        authenticator: authenticator, rateLimiter: limiter, sessionLifetime: config.sessionLifetime, maxBodyBytes: config.maxBodyBytes,
        now: dependencies.now)
    let organisation = OrganisationController(
        organisation: dependencies.organisation, items: dependencies.items, audit: dependencies.audit, authenticator: authenticator,
        now: dependencies.now)

    router.get("/health") { _, _ in "ok" }

    let web = WebController(
        items: dependencies.items, organisation: dependencies.organisation, echoCards: dependencies.echoCards, business: dependencies.business,
        bulletins: dependencies.bulletins,
        auth: dependencies.auth,
        audit: dependencies.audit, login: login, throttle: throttle,
        support: WebSupport(
            auth: dependencies.auth, organisation: dependencies.organisation, csrf: CSRF(secret: dependencies.keys.csrf),
            secureCookies: config.secureCookies, dueSoon: config.dueSoon, maxFormBytes: config.maxBodyBytes, now: dependencies.now),
        rateLimiter: limiter, sessionLifetime: config.sessionLifetime, categoryModel: CategoryModel(items: dependencies.items),
        now: dependencies.now)
    router.get("/assets/minyi.css", use: web.stylesheet)
    router.get("/assets/minyi.js", use: web.script)
    router.get("/lang", use: web.switchLanguage)
    router.get("/", use: web.home)
    router.get("/submit", use: web.submitForm)
    router.post("/submit", use: web.submit)
    router.get("/lookup", use: web.lookupForm)
    router.post("/lookup", use: web.lookup)
    router.get("/results", use: web.results)
    router.get("/staff", use: web.staffHome)
    router.get("/staff/login", use: web.loginForm)
    router.post("/staff/login", use: web.login)
    router.post("/staff/logout", use: web.logout)
    router.get("/staff/queue", use: web.commandQueue)
    router.get("/staff/inbox", use: web.inbox)
    router.get("/staff/callbacks", use: web.callbackQueue)
    router.get("/staff/callbacks/{number}", use: web.callbackItem)
    router.get("/staff/supervision", use: web.supervision)
    router.get("/staff/register", use: web.registerForm)
    router.post("/staff/register", use: web.register)
    router.get("/staff/items/{number}", use: web.staffItem)
    router.post("/staff/items/{number}/reveal", use: web.reveal)
    for name in ItemCommand.Name.allCases where name != .overdue {
        router.post(RouterPath("/staff/items/{number}/\(name.rawValue)"), use: web.command(name))
    }
    router.get("/staff/ledger", use: web.ledger)
    router.get("/staff/ledger.csv", use: web.ledgerCSV)
    router.get("/staff/echo-cards", use: web.echoCardBatches)
    router.post("/staff/echo-cards", use: web.issueEchoCards)
    router.get("/staff/echo-cards/{batch}", use: web.echoCardSheet)
    router.get("/staff/dashboard", use: web.dashboard)
    router.get("/staff/analysis", use: web.analysis)
    router.get("/staff/bulletins", use: web.bulletinList)
    router.post("/staff/bulletins", use: web.issueBulletin)
    router.get("/staff/bulletins/{week}", use: web.bulletinPage)
    router.get("/staff/business-callbacks", use: web.businessCallbacks)
    router.post("/staff/business-callbacks/claim", use: web.claimBusinessCallbacks)
    router.get("/staff/business-callbacks/{record}", use: web.businessCallback)
    router.post("/staff/business-callbacks/{record}/attempt", use: web.recordBusinessAttempt)

    func on(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        routes.add(method, path)
        router.on(RouterPath(path), method: method, use: handler)
    }
    on(.get, "/api/v1/openapi.json") { _, _ in
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: OpenAPI.document)))
    }
    on(.post, "/api/v1/items", items.create)
    on(.get, "/api/v1/items", items.list)
    on(.get, "/api/v1/items/{number}", items.show)
    for name in ItemCommand.Name.allCases where name != .overdue {
        on(.post, "/api/v1/items/{number}/\(name.rawValue)", items.command(name))
    }
    on(.post, "/api/v1/sessions", sessions.create)
    on(.delete, "/api/v1/sessions", sessions.delete)
    on(.get, "/api/v1/me", sessions.me)
    on(.get, "/api/v1/measures", organisation.measures)
    on(.get, "/api/v1/units", organisation.units)
    on(.get, "/api/v1/categories", organisation.categories)
    on(.post, "/api/v1/categories/{code}/deadlines", organisation.setDeadlines)
    on(.get, "/api/v1/supervision-orders", organisation.supervisionOrders)
    on(.get, "/api/v1/audit", organisation.auditLog)
    let business = BusinessController(
        business: dependencies.business, organisation: dependencies.organisation, authenticator: authenticator, maxBodyBytes: config.maxBodyBytes,
        now: dependencies.now)
    on(.post, "/api/v1/business-records", business.create)
    on(.get, "/api/v1/business-types", business.types)
    on(.post, "/api/v1/business-types/{code}/callback-days", business.setCallbackDays)
    return router
}

/// Builds the whole application: router, deadline scanner, and migrations before the server starts.
public func buildApplication(config: AppConfig, dependencies: AppDependencies) -> some ApplicationProtocol {
    let router = buildRouter(dependencies: dependencies, config: config)
    var app = Application(
        router: router, configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Minyi"),
        logger: dependencies.logger)
    app.addServices(
        RepeatingService.deadlineScan(items: dependencies.items, interval: config.deadlineScanInterval, now: dependencies.now, logger: dependencies.logger),
        RepeatingService.weeklyBulletin(
            bulletins: dependencies.bulletins, organisation: dependencies.organisation, interval: .seconds(3600), now: dependencies.now,
            logger: dependencies.logger),
        RepeatingService.pruneGuesses(auth: dependencies.auth, interval: .seconds(600), now: dependencies.now, logger: dependencies.logger))
    app.beforeServerStarts {
        try await Migrator(database: dependencies.database, logger: dependencies.logger).migrate()
    }
    return app
}
