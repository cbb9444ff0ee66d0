import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage
import ServiceLifecycle
import Synchronization

/// A capability of the app (items, the ledger, bulletins …). It adds its own web and API routes, each with the
/// permission it needs, its links in the staff navigation, and its background services; `buildRouter` and
/// `buildApplication` go over the features, so adding a capability touches no other capability's files.
protocol Feature: Sendable {
    /// The capability's links in the staff navigation (known before any feature is built: every page shows them).
    static var navigation: [Layout.NavLink] { get }
    /// The capability's links on the residents' square, after the square's own.
    static var publicNavigation: [Layout.NavLink] { get }
    /// Builds the capability from what it uses.
    init(_ context: FeatureContext)
    /// Adds the capability's routes.
    func addRoutes(to routes: RouteBuilder)
    /// Work the capability runs on a schedule.
    var services: [any Service] { get }
    /// Adds the capability's demo data to the demo bureau (`minyi demo`, `minyi serve --demo`).
    static func seedDemo(_ bureau: DemoBureau) async throws
}

extension Feature {
    static var navigation: [Layout.NavLink] { [] }
    static var publicNavigation: [Layout.NavLink] { [] }
    var services: [any Service] { [] }
    static func seedDemo(_ bureau: DemoBureau) async throws {}
}

/// Where an item came from, as another capability knows it (the visit or the meeting that opened it): shown on the
/// item's page, so that the link goes both ways without the items capability knowing the others.
struct ItemOrigin: Sendable {
    var zh: String
    var en: String
    var href: String
}

/// The capabilities' ways of finding an item's origin; each registers one when it is built.
final class ItemOrigins: Sendable {
    typealias Finder = @Sendable (_ number: String, _ actor: Actor) async throws -> ItemOrigin?
    private let finders = Mutex<[Finder]>([])

    func register(_ finder: @escaping Finder) { finders.withLock { $0.append(finder) } }

    /// Every origin of the item the actor may see.
    func origins(of number: String, for actor: Actor) async throws -> [ItemOrigin] {
        var found: [ItemOrigin] = []
        for finder in finders.withLock({ $0 }) {
            if let origin = try await finder(number, actor) { found.append(origin) }
        }
        return found
    }
}

/// Sections other capabilities add to the weekly bulletin (the visits falling due in the week …), each registered when
/// the capability is built, so the bulletin knows none of them.
final class BulletinSections: Sendable {
    typealias Section = @Sendable (_ week: (start: Date, end: Date), _ actor: Actor, _ web: WebRequest) async throws -> HTML
    private let sections = Mutex<[Section]>([])

    func register(_ section: @escaping Section) { sections.withLock { $0.append(section) } }

    func render(week: (start: Date, end: Date), for actor: Actor, _ web: WebRequest) async throws -> [HTML] {
        var html: [HTML] = []
        for section in sections.withLock({ $0 }) { html.append(try await section(week, actor, web)) }
        return html
    }
}

/// What every capability is built from: the process's dependencies and configuration, and the parts the
/// capabilities share (the caller's identity, limits, the page kit).
struct FeatureContext: Sendable {
    let dependencies: AppDependencies
    let config: AppConfig
    let authenticator: Authenticator
    let rateLimiter: RateLimiter
    let throttle: GuessThrottle
    let login: StaffLogin
    /// The shared kit of the server-rendered pages (the page handlers are its extensions, one file per page).
    let web: WebController
    /// The application's metrics (`/metrics`).
    let metrics: AppMetrics
}

/// Every route as registered: method, path, whether it is the API's, and the permission it needs (nil for the
/// public, or where the handler decides by item, as the lifecycle commands do). The OpenAPI test holds the document
/// to the API's routes; the permission test goes over every route.
public final class RouteTable: Sendable {
    public struct Entry: Sendable, Hashable {
        public var method: String
        public var path: String
        public var isAPI: Bool
        public var permission: Permission?
    }

    private let entries = Mutex<[Entry]>([])

    public init() {}

    /// Every route.
    public var all: [Entry] { entries.withLock { $0 } }

    /// The API's routes.
    public var routes: [(method: String, path: String)] { all.filter(\.isAPI).map { ($0.method, $0.path) } }

    func add(_ entry: Entry) { entries.withLock { $0.append(entry) } }
}

/// Adds routes to the router and records them in the table. Before a handler runs, its route resolves the caller
/// once and holds them to the route's permission: a page's request (`context.web`, and the officer, redirected to
/// the login page when there is none), an API call's officer (401 without credentials, 403 without the permission).
struct RouteBuilder {
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    let router: Router<AppRequestContext>
    let table: RouteTable
    let support: WebSupport
    let authenticator: Authenticator

    /// A web page or form target.
    func page(_ method: HTTPRequest.Method, _ path: String, _ permission: Permission?, _ handler: @escaping Handler) {
        table.add(.init(method: method.rawValue, path: path, isAPI: false, permission: permission))
        let support = self.support
        router.on(RouterPath(path), method: method) { request, context in
            var context = context
            let web = try await support.context(for: request)
            context.web = web
            do {
                context.officer = try permission.map { try support.requireStaff(web, permission: $0) } ?? web.actor
                return try await handler(request, context)
            } catch let error where !(error is WebRedirect) {
                // An expected refusal shows in the reader's layout (the staff console for an officer); the rest goes on
                // to the error middleware, which logs it.
                let report = ErrorReport(error)
                guard !report.unexpected, web.actor != nil else { throw error }
                var response = WebSupport.errorPage(report, web: web, requestID: nil)
                if report.status == .tooManyRequests { response.headers[.retryAfter] = String(report.retryAfter ?? 60) }
                return response
            }
        }
    }

    /// A route of another standard's interface (Open311), which answers every refusal in that standard's own format
    /// and checks its own credentials: neither a page nor a call of our API.
    func standard(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        table.add(.init(method: method.rawValue, path: path, isAPI: false, permission: nil))
        router.on(RouterPath(path), method: method, use: handler)
    }

    /// An API call (described in the OpenAPI document).
    func api(_ method: HTTPRequest.Method, _ path: String, _ permission: Permission?, _ handler: @escaping Handler) {
        table.add(.init(method: method.rawValue, path: path, isAPI: true, permission: permission))
        guard let permission else {
            router.on(RouterPath(path), method: method, use: handler)
            return
        }
        let authenticator = self.authenticator
        router.on(RouterPath(path), method: method) { request, context in
            var context = context
            let actor = try await authenticator.require(request)
            try Access.require(permission, of: actor)
            context.officer = actor
            return try await handler(request, context)
        }
    }
}
