import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The ballot over the API: a resident's app verifies and votes as the pages do; staff set the ballot up and enter
/// paper batches from other tools.
struct BallotController: Sendable {
    let pages: BallotPages
    let maxBodyBytes: Int

    var ballots: SQLBallotStore { pages.ballots }
    var now: @Sendable () -> Date { pages.now }

    struct CandidateView: Codable {
        var id: String
        var number: Int
        var title: String
        var summary: String
        var unit: String
        var category: String?

        init(_ candidate: BallotCandidate) {
            id = candidate.id.rawValue
            number = candidate.number
            title = candidate.title
            summary = candidate.summary
            unit = candidate.unitID.rawValue
            category = candidate.category?.rawValue
        }
    }

    struct ResultView: Codable {
        struct Count: Codable {
            var candidate: String
            var number: Int
            var votes: Int
        }
        var counts: [Count]
        var participants: Int
        var online: Int
        var paper: Int

        init(_ result: BallotResult) {
            counts = result.counts.map { Count(candidate: $0.candidate.id.rawValue, number: $0.candidate.number, votes: $0.votes) }
            participants = result.participants
            online = result.turnout[.web] ?? 0
            paper = result.turnout[.paper] ?? 0
        }
    }

    struct CampaignView: Codable {
        var id: String
        var year: Int
        var title: String
        var opensAt: Date
        var closesAt: Date
        var maxChoices: Int
        var phase: String
        var participants: Int?
        var candidates: [CandidateView]?
        var result: ResultView?
    }

    func view(_ campaign: BallotCampaign, detailed: Bool) async throws -> CampaignView {
        let at = now()
        var view = CampaignView(
            id: campaign.id.rawValue, year: campaign.year, title: campaign.title, opensAt: campaign.opensAt, closesAt: campaign.closesAt,
            maxChoices: campaign.maxChoices, phase: campaign.phase(at: at).rawValue)
        if detailed {
            view.participants = try await ballots.turnout(of: campaign.id).values.reduce(0, +)
            view.candidates = try await ballots.candidates(of: campaign.id).map(CandidateView.init)
            if campaign.resultsVisible(at: at) { view.result = ResultView(try await ballots.result(of: campaign.id, at: at)) }
        }
        return view
    }

    /// `GET /api/v1/ballots`
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        var views: [CampaignView] = []
        for campaign in try await ballots.campaigns() { views.append(try await view(campaign, detailed: false)) }
        return try JSON.response(views)
    }

    /// `GET /api/v1/ballots/{campaign}`: the ballot, its projects, how many voted; the result once closed.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let campaign = try await ballots.campaign(try BallotPages.campaignID(context)) else { throw AppError.notFound("票选不存在") }
        return try JSON.response(try await view(campaign, detailed: true))
    }

    /// `GET /api/v1/ballots/{campaign}/results`: 409 until voting closes.
    @Sendable func results(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(ResultView(try await ballots.result(of: try BallotPages.campaignID(context), at: now())))
    }

    struct VerificationRequest: Decodable {
        var idNumber: String?
        var phone: String?
    }

    struct VerificationView: Codable {
        var token: String
        var expiresAt: Date
    }

    /// `POST /api/v1/ballots/{campaign}/verifications`: sends a code to the phone; answers the token to vote with.
    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> Response {
        try pages.rateLimiter.check(request, context, at: now())
        let id = try BallotPages.campaignID(context)
        let body = try await JSON.decode(VerificationRequest.self, from: request, limit: maxBodyBytes)
        let idNumber = try BallotRules.idNumber(body.idNumber)
        let phone = try BallotRules.phone(body.phone)
        let verification = try await ballots.beginVerification(of: idNumber, for: id, at: now())
        try await pages.codes.send(code: verification.code, to: phone, idNumber: idNumber, purpose: "ballot \(id.rawValue)")
        return try JSON.response(VerificationView(token: verification.token, expiresAt: verification.expiresAt), status: .created)
    }

    struct VoteRequest: Decodable {
        var token: String?
        var code: String?
        var choices: [String]?
    }

    struct ReceiptView: Codable {
        var receipt: String
    }

    /// `POST /api/v1/ballots/{campaign}/votes`
    @Sendable func vote(_ request: Request, context: AppRequestContext) async throws -> Response {
        try pages.rateLimiter.check(request, context, at: now())
        let id = try BallotPages.campaignID(context)
        let body = try await JSON.decode(VoteRequest.self, from: request, limit: maxBodyBytes)
        let receipt = try await ballots.cast(
            token: body.token ?? "", code: body.code ?? "", choices: (body.choices ?? []).map { BallotCandidate.ID($0) }, for: id, at: now())
        return try JSON.response(ReceiptView(receipt: BallotRules.formatted(receipt: receipt)), status: .created)
    }

    struct ReceiptRequest: Decodable {
        var receipt: String?
    }

    struct ReceiptCheckView: Codable {
        var counted: Bool
        var ballot: String?
    }

    /// `POST /api/v1/ballot-receipts`: whether a ballot with this receipt was counted.
    @Sendable func checkReceipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        try pages.rateLimiter.check(request, context, at: now())
        let body = try await JSON.decode(ReceiptRequest.self, from: request, limit: maxBodyBytes)
        let campaign = try await ballots.campaign(ofReceipt: body.receipt ?? "")
        return try JSON.response(ReceiptCheckView(counted: campaign != nil, ballot: campaign?.id.rawValue))
    }

    struct CampaignRequest: Decodable {
        var year: Int?
        var title: String?
        var opensAt: Date?
        var closesAt: Date?
        var maxChoices: Int?
    }

    /// `POST /api/v1/ballots` (bureau level)
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let body = try await JSON.decode(CampaignRequest.self, from: request, limit: maxBodyBytes)
        guard let year = body.year else { throw ValidationError.invalid(field: "year", message: "缺少必填字段 (required)") }
        let campaign = try BallotCampaign.validated(
            id: .init("B\(year)-" + RowID.make(at: now()).suffix(6)), year: year, title: body.title, opensAt: body.opensAt,
            closesAt: body.closesAt, maxChoices: body.maxChoices)
        try await ballots.createCampaign(campaign, by: actor, at: now())
        return try JSON.response(try await view(campaign, detailed: true), status: .created)
    }

    struct CandidateRequest: Decodable {
        var title: String?
        var summary: String?
        var unit: String?
        var category: String?
    }

    /// `POST /api/v1/ballots/{campaign}/candidates` (before voting opens)
    @Sendable func addCandidate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let body = try await JSON.decode(CandidateRequest.self, from: request, limit: maxBodyBytes)
        guard let title = body.title, !title.trimmed.isEmpty, title.count <= 200 else {
            throw ValidationError.invalid(field: "title", message: "请填写项目名称（最多 200 字） (name the project, up to 200 characters)")
        }
        guard (body.summary ?? "").count <= 2000 else {
            throw ValidationError.invalid(field: "summary", message: "简介最多 2000 字 (at most 2,000 characters)")
        }
        let candidate = try await ballots.addCandidate(
            to: try BallotPages.campaignID(context), title: title, summary: body.summary ?? "", unitID: .init(body.unit ?? ""),
            category: body.category.map { MinyiCore.Category.Code($0) }, by: actor, at: now())
        return try JSON.response(CandidateView(candidate), status: .created)
    }

    struct PaperBatchRequest: Decodable {
        struct Sheet: Decodable {
            var serial: String?
            var projects: [Int]?
        }
        var number: String?
        var voters: [String]?
        var sheets: [Sheet]?
    }

    struct PaperBatchView: Codable {
        var id: String
        var number: String
        var voters: Int
        var sheets: Int
    }

    /// `POST /api/v1/ballots/{campaign}/paper-batches`: the same rules as the page (lines are the lists' positions).
    @Sendable func enterPaper(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let id = try BallotPages.campaignID(context)
        let body = try await JSON.decode(PaperBatchRequest.self, from: request, limit: maxBodyBytes)
        guard let campaign = try await ballots.campaign(id) else { throw AppError.notFound("票选不存在") }
        let sheets = (body.sheets ?? []).map { sheet in
            ([sheet.serial ?? "?"] + (sheet.projects ?? []).map(String.init)).map { $0.isEmpty ? "?" : $0 }.joined(separator: " ")
        }
        let input = try PaperBatchInput.parse(
            number: body.number, voters: (body.voters ?? []).map { $0.isEmpty ? "?" : $0 }.joined(separator: "\n"),
            sheets: sheets.joined(separator: "\n"), campaign: campaign, candidates: try await ballots.candidates(of: id))
        let batch = try await ballots.enterPaperBatch(input, for: id, by: actor, at: now())
        return try JSON.response(PaperBatchView(id: batch.id, number: batch.number, voters: batch.voters, sheets: batch.sheets), status: .created)
    }
}
