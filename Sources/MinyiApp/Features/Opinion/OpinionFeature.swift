import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Residents rate the police (民意评警): survey campaigns, their answers by phone, face to face or from a third party,
/// and scores that say how sure they are.
struct OpinionFeature: Feature {
    let pages: OpinionPages
    let api: SurveyController

    init(_ context: FeatureContext) {
        pages = OpinionPages(
            web: context.web, surveys: context.dependencies.surveys, community: context.dependencies.community, rateLimiter: context.rateLimiter,
            minimumN: context.config.surveyMinimumN,
            now: context.dependencies.now)
        api = SurveyController(pages: pages, maxBodyBytes: context.config.maxBodyBytes)
    }

    static var navigation: [Layout.NavLink] {
        [
            .init(order: 59, path: "/staff/opinion", zh: "民意评警", en: "Ratings", permission: .readOpinion),
            .init(order: 59, path: "/staff/survey-answers", zh: "评警录入", en: "Survey answers", permission: .recordSurveys),
        ]

    }

    static var publicNavigation: [Layout.NavLink] {
        [.init(order: 59, path: "/opinion", zh: "民意评警", en: "Ratings", permission: nil)]
    }

    /// A finished campaign with a year of answers from a third party and the callback centre.
    static func seedDemo(_ bureau: DemoBureau) async throws { try await bureau.demo.seedOpinion(bureau) }

    func addRoutes(to routes: RouteBuilder) {
        routes.page(.get, "/opinion", nil, pages.publicScores)
        routes.page(.get, "/staff/opinion", .readOpinion, pages.scores)
        routes.page(.post, "/staff/opinion", .manageSurveys, pages.create)
        routes.page(.get, "/staff/survey-answers", .recordSurveys, pages.recordNewest)
        routes.page(.get, "/staff/opinion/{campaign}/record", .recordSurveys, pages.recordPage)
        routes.page(.post, "/staff/opinion/{campaign}/responses", .recordSurveys, pages.record)
        routes.page(.post, "/staff/opinion/{campaign}/codes", .recordSurveys, pages.issueCodes)
        routes.page(.post, "/staff/opinion/{campaign}/sample", .recordSurveys, pages.drawSample)
        routes.page(.post, "/staff/opinion/{campaign}/claim", .recordSurveys, pages.claimSamples)
        routes.page(.get, "/staff/opinion/{campaign}/calls/{sample}", .recordSurveys, pages.call)
        routes.page(.post, "/staff/opinion/{campaign}/calls/{sample}", .recordSurveys, pages.recordCall)
        routes.page(.get, "/survey/{campaign}", nil, pages.surveyForm)
        routes.page(.post, "/survey/{campaign}", nil, pages.answer)
        routes.api(.get, "/api/v1/surveys", .readOpinion, api.list)
        routes.api(.post, "/api/v1/surveys", .manageSurveys, api.create)
        routes.api(.post, "/api/v1/surveys/{campaign}/responses", .recordSurveys, api.record)
        routes.api(.get, "/api/v1/surveys/{campaign}/scores", .readOpinion, api.scores)
    }
}
