import Foundation
import Hummingbird
import Logging
import MinyiCore
import MinyiStorage
import ServiceLifecycle

/// Items: the residents' square (submit, look up), the staff's work on an item from registration to closure, the
/// work lists, the items API, and the deadline scan.
struct ItemsFeature: Feature {
    let web: WebController
    let api: ItemController
    /// The deadline scan, and the check of PostgreSQL's phone table.
    let services: [any Service]

    init(_ context: FeatureContext) {
        let dependencies = context.dependencies
        let config = context.config
        web = context.web
        api = ItemController(
            items: dependencies.items, organisation: dependencies.organisation, authenticator: context.authenticator,
            rateLimiter: context.rateLimiter, throttle: context.throttle, dueSoon: config.dueSoon, maxBodyBytes: config.maxBodyBytes,
            now: dependencies.now)
        services = [
            RepeatingService.deadlineScan(
                items: dependencies.items, interval: config.deadlineScanInterval, now: dependencies.now, logger: dependencies.logger,
                claims: dependencies.claims),
            RepeatingService.phoneTable(items: dependencies.items, interval: config.deadlineScanInterval, logger: dependencies.logger),
        ]
    }

    static var navigation: [Layout.NavLink] {
        [
            .init(order: 10, path: "/staff/queue", zh: "指挥中心", en: "Command centre", permission: .triage),
            .init(order: 20, path: "/staff/register", zh: "登记", en: "Register", permission: .registerItems),
            .init(order: 30, path: "/staff/inbox", zh: "单位待办", en: "Unit inbox", permission: .unitWork),
            .init(order: 40, path: "/staff/callbacks", zh: "回访", en: "Callbacks", permission: .callBack),
            .init(order: 60, path: "/staff/supervision", zh: "督办", en: "Supervision", permission: .readSupervision),
        ]
    }

    /// A year of items in every state.
    static func seedDemo(_ bureau: DemoBureau) async throws { try await bureau.demo.seedItems(bureau) }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/", nil, web.home)
        routes.page(.get, "/submit", nil, web.submitForm)
        routes.page(.post, "/submit", nil, web.submit)
        routes.page(.get, "/submitted", nil, web.submitted)
        routes.page(.get, "/lookup", nil, web.lookupForm)
        routes.page(.post, "/lookup", nil, web.lookup)
        routes.page(.get, "/staff/queue", .triage, web.commandQueue)
        routes.page(.get, "/staff/inbox", .unitWork, web.inbox)
        routes.page(.post, "/staff/inbox/accept", .unitWork, web.acceptSeveral)
        routes.page(.get, "/staff/callbacks", .callBack, web.callbackQueue)
        routes.page(.get, "/staff/callbacks/{number}", .callBack, web.callbackItem)
        routes.page(.get, "/staff/supervision", .readSupervision, web.supervision)
        routes.page(.get, "/staff/register", .registerItems, web.registerForm)
        routes.page(.post, "/staff/register", .registerItems, web.register)
        routes.page(.get, "/staff/registered", .registerItems, web.registered)
        routes.page(.get, "/staff/items/{number}", .staff, web.staffItem)
        routes.page(.post, "/staff/items/{number}/reveal", .readContact, web.reveal)
        for name in ItemCommand.Name.allCases where name != .overdue {
            routes.page(.post, "/staff/items/{number}/\(name.rawValue)", nil, web.command(name))
        }
        routes.api(.post, "/api/v1/items", nil, api.create)
        routes.api(.get, "/api/v1/items", .staff, api.list)
        routes.api(.get, "/api/v1/items/{number}", nil, api.show)
        for name in ItemCommand.Name.allCases where name != .overdue {
            routes.api(.post, "/api/v1/items/{number}/\(name.rawValue)", nil, api.command(name))
        }
    }
}
