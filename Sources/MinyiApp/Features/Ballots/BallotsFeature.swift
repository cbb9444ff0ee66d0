import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage
import ServiceLifecycle

/// The yearly project ballot (惠民行动十件实事票选): residents choose the police's projects, one ballot each, online or
/// on paper; the counts are published when voting closes.
struct BallotsFeature: Feature {
    let pages: BallotPages
    let api: BallotController
    /// Seals each ballot once it has closed.
    let services: [any Service]

    init(_ context: FeatureContext) {
        let dependencies = context.dependencies
        pages = BallotPages(
            web: context.web, ballots: dependencies.ballots, items: dependencies.items, codes: dependencies.codes,
            rateLimiter: context.rateLimiter, now: dependencies.now)
        api = BallotController(pages: pages, maxBodyBytes: context.config.maxBodyBytes)
        let ballots = dependencies.ballots
        let now = dependencies.now
        services = [
            RepeatingService(
                name: "Ballot sealing", interval: context.config.deadlineScanInterval, logger: dependencies.logger, claims: dependencies.claims
            ) {
                _ = try await ballots.seal(at: now())
            }
        ]
    }

    static var navigation: [Layout.NavLink] {
        [.init(order: 60, path: "/staff/ballots", zh: "实事票选", en: "Ballots", permission: .staff)]
    }

    static var publicNavigation: [Layout.NavLink] {
        [.init(order: 60, path: "/ballots", zh: "实事票选", en: "Vote", permission: nil)]
    }

    /// A closed ballot with its results and an open one.
    static func seedDemo(_ bureau: DemoBureau) async throws { try await bureau.demo.seedBallots(bureau) }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/ballots", nil, pages.list)
        routes.page(.get, "/ballots/receipt", nil, pages.receiptForm)
        routes.page(.post, "/ballots/receipt", nil, pages.checkReceipt)
        routes.page(.get, "/ballots/{campaign}", nil, pages.show)
        routes.page(.post, "/ballots/{campaign}/verify", nil, pages.verify)
        routes.page(.post, "/ballots/{campaign}/vote", nil, pages.vote)
        routes.page(.get, "/ballots/{campaign}/voted", nil, pages.voted)
        routes.page(.get, "/staff/ballots", .staff, pages.adminList)
        routes.page(.post, "/staff/ballots", .manageBallots, pages.create)
        routes.page(.get, "/staff/ballots/{campaign}", .staff, pages.adminShow)
        routes.page(.post, "/staff/ballots/{campaign}/candidates", .manageBallots, pages.addCandidate)
        routes.page(.post, "/staff/ballots/{campaign}/paper", .enterPaperBallots, pages.enterPaper)
        routes.api(.get, "/api/v1/ballots", nil, api.list)
        routes.api(.post, "/api/v1/ballots", .manageBallots, api.create)
        routes.api(.get, "/api/v1/ballots/{campaign}", nil, api.show)
        routes.api(.get, "/api/v1/ballots/{campaign}/results", nil, api.results)
        routes.api(.post, "/api/v1/ballots/{campaign}/verifications", nil, api.verify)
        routes.api(.post, "/api/v1/ballots/{campaign}/votes", nil, api.vote)
        routes.api(.post, "/api/v1/ballots/{campaign}/candidates", .manageBallots, api.addCandidate)
        routes.api(.post, "/api/v1/ballots/{campaign}/paper-batches", .enterPaperBallots, api.enterPaper)
        routes.api(.post, "/api/v1/ballot-receipts", nil, api.checkReceipt)
    }
}
