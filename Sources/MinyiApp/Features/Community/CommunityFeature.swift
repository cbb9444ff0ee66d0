import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage
import ServiceLifecycle

/// Community policing (社区警务): households, the mandatory visits (五必访) the rules make due, and visits whose concerns
/// become items.
struct CommunityFeature: Feature {
    let pages: CommunityPages
    let meetings: MeetingPages
    let bulletin: VisitBulletin
    let api: CommunityController
    /// The visit rules' scan.
    let services: [any Service]

    init(_ context: FeatureContext) {
        let dependencies = context.dependencies
        pages = CommunityPages(web: context.web, community: dependencies.community, now: dependencies.now)
        meetings = MeetingPages(
            web: context.web, community: dependencies.community, rateLimiter: context.rateLimiter, now: dependencies.now)
        let bulletin = VisitBulletin(web: context.web, community: dependencies.community, now: dependencies.now)
        self.bulletin = bulletin
        context.web.bulletinSections.register { week, actor, page in try await bulletin.section(week: week, actor: actor, page: page) }
        api = CommunityController(
            community: dependencies.community, organisation: dependencies.organisation, maxBodyBytes: context.config.maxBodyBytes,
            now: dependencies.now)
        let community = dependencies.community
        let now = dependencies.now
        context.web.origins.register { number, actor in
            try await community.visit(openedItem: number, for: actor).map { visit in
                ItemOrigin(
                    zh: "来自 \(Format.date(visit.at)) 的走访", en: "from the visit of \(Format.date(visit.at))",
                    href: "/staff/households/\(visit.householdID.rawValue)#visits")
            }
        }
        context.web.origins.register { number, actor in
            try await community.meeting(raised: number, for: actor).map { meeting in
                ItemOrigin(zh: "来自会议：\(meeting.title)", en: "raised at: \(meeting.title)", href: "/staff/meetings/\(meeting.id.rawValue)")
            }
        }
        services = [
            RepeatingService(
                name: "Visit rules", interval: context.config.deadlineScanInterval, logger: dependencies.logger, claims: dependencies.claims
            ) {
                try await community.scanRules(at: now())
            }
        ]
    }

    static var navigation: [Layout.NavLink] {
        [
            .init(order: 45, path: "/staff/visits", zh: "走访", en: "Visits", permission: .visit),
            .init(order: 46, path: "/staff/households", zh: "住户", en: "Households", permission: .readHouseholds),
            .init(order: 47, path: "/staff/coverage", zh: "走访覆盖", en: "Coverage", permission: .readCoverage),
            .init(order: 48, path: "/staff/pairs", zh: "结对", en: "Pairing", permission: .readPairs),
            .init(order: 49, path: "/staff/meetings", zh: "述职评议", en: "Meetings", permission: .manageMeetings),
        ]
    }

    /// Households with their groups, a year of visits with gaps, and the due visits of this month.
    static func seedDemo(_ bureau: DemoBureau) async throws { try await bureau.demo.seedCommunity(bureau) }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/staff/visits", .visit, pages.dueList)
        routes.page(.get, "/staff/visits/diary", .readCoverage, pages.diary)
        routes.page(.post, "/staff/visits/due/{due}/supervise", .superviseVisits, bulletin.supervise)
        routes.page(.get, "/staff/coverage", .readCoverage, pages.coverage)
        routes.page(.get, "/staff/pairs", .readPairs, pages.pairs)
        routes.page(.post, "/staff/pairs/{pairing}/activities", .staff, pages.recordPairActivity)
        routes.page(.get, "/staff/meetings", .manageMeetings, meetings.list)
        routes.page(.post, "/staff/meetings", .manageMeetings, meetings.plan)
        routes.page(.get, "/staff/meetings/{meeting}", .manageMeetings, meetings.show)
        routes.page(.post, "/staff/meetings/{meeting}/status", .manageMeetings, meetings.setStatus)
        routes.page(.post, "/staff/meetings/{meeting}/codes", .manageMeetings, meetings.issueCodes)
        routes.page(.post, "/staff/meetings/{meeting}/concerns", .manageMeetings, meetings.raiseConcern)
        routes.page(.get, "/meetings", nil, meetings.publicList)
        routes.page(.get, "/meetings/{meeting}", nil, meetings.publicShow)
        routes.page(.get, "/meetings/{meeting}/rate", nil, meetings.rateForm)
        routes.page(.post, "/meetings/{meeting}/rate", nil, meetings.rate)
        routes.page(.get, "/staff/households", .readHouseholds, pages.householdList)
        routes.page(.get, "/staff/households/{household}", .readHouseholds, pages.household)
        routes.page(.post, "/staff/households/{household}/reveal", .readContact, pages.reveal)
        routes.page(.post, "/staff/households/{household}/visits", .visit, pages.recordVisit)
        routes.page(.post, "/staff/households/{household}/plans", .visit, pages.planVisit)
        routes.page(.post, "/staff/households/{household}/items", .visit, pages.linkItem)
        routes.api(.get, "/api/v1/households", .readHouseholds, api.list)
        routes.api(.post, "/api/v1/households", .manageHouseholds, api.create)
        routes.api(.get, "/api/v1/households/{household}", .readHouseholds, api.show)
        routes.api(.post, "/api/v1/households/{household}", .manageHouseholds, api.update)
        routes.api(.post, "/api/v1/households/{household}/visits", .visit, api.recordVisit)
        routes.api(.post, "/api/v1/households/{household}/plans", .visit, api.planVisit)
        routes.api(.post, "/api/v1/households/{household}/items", .visit, api.linkItem)
        routes.api(.get, "/api/v1/visits/due", .visit, api.due)
        routes.api(.get, "/api/v1/community-settings", .readHouseholds, api.settings)
        routes.api(.post, "/api/v1/community-settings", .setVisitRules, api.saveSettings)
        routes.api(.get, "/api/v1/coverage", .readCoverage, api.coverage)
        routes.api(.get, "/api/v1/pairs", .readPairs, api.pairs)
        routes.api(.post, "/api/v1/pairs", .managePairs, api.createPair)
        routes.api(.post, "/api/v1/pairs/{pairing}/activities", .staff, api.recordActivity)
        routes.api(.get, "/api/v1/meetings/{meeting}", .manageMeetings, api.meeting)
        routes.api(.get, "/api/v1/areas", .readHouseholds, api.areas)
        routes.api(.post, "/api/v1/areas", .assignAreas, api.assignArea)
        routes.api(.get, "/api/v1/visit-rules", .readHouseholds, api.rules)
        routes.api(.post, "/api/v1/visit-rules", .setVisitRules, api.saveRule)
    }
}
