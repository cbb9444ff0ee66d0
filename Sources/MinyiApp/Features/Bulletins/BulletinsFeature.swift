import Foundation
import Hummingbird
import Logging
import MinyiCore
import MinyiStorage
import ServiceLifecycle

/// The weekly bulletin (每周通报): issued every Monday (or on demand), printable, as CSV.
struct BulletinsFeature: Feature {
    let web: WebController
    /// Issuing each Monday's bulletin.
    let services: [any Service]

    init(_ context: FeatureContext) {
        let dependencies = context.dependencies
        web = context.web
        services = [
            RepeatingService.weeklyBulletin(
                bulletins: dependencies.bulletins, organisation: dependencies.organisation, interval: .seconds(3600), now: dependencies.now,
                logger: dependencies.logger, claims: dependencies.claims)
        ]
    }

    static var navigation: [Layout.NavLink] {
        [.init(order: 80, path: "/staff/bulletins", zh: "通报", en: "Bulletins", permission: .readBulletins)]
    }

    /// The last four Mondays' bulletins, as they were issued.
    static func seedDemo(_ bureau: DemoBureau) async throws {
        var week = Bulletin.previousWeek(before: bureau.now)
        var weeks: [(start: Date, end: Date)] = []
        for _ in 0..<4 {
            weeks.append(week)
            week = Bulletin.previousWeek(before: week.start)
        }
        for week in weeks.reversed() {
            try await bureau.dependencies.bulletins.issue(week: week, by: nil, at: week.end.addingTimeInterval(8 * 3600))
        }
    }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/staff/bulletins", .readBulletins, web.bulletinList)
        routes.page(.post, "/staff/bulletins", .issueBulletin, web.issueBulletin)
        routes.page(.get, "/staff/bulletins/{week}", .readBulletins, web.bulletinPage)
        routes.page(.get, "/staff/bulletins/{week}/{part}", .readBulletins, web.bulletinPage)
    }
}
