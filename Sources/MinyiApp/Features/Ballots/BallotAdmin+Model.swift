import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The staff's list of ballots: each with its window and turnout so far, and the form to set up a new one.
struct BallotAdminListModel: Sendable {
    var campaigns: [(campaign: BallotCampaign, turnout: Int)]
    var mayManage: Bool
    var now: Date
    var form: Form?
    var error: (field: String, message: String)?
    /// Every faulty field of the form that came back, in the page's language.
    var errors: [String: String] = [:]

    static func load(actor: Actor, pages: BallotPages) async throws -> BallotAdminListModel {
        var rows: [(campaign: BallotCampaign, turnout: Int)] = []
        for campaign in try await pages.ballots.campaigns() {
            rows.append((campaign, try await pages.ballots.turnout(of: campaign.id).values.reduce(0, +)))
        }
        return BallotAdminListModel(campaigns: rows, mayManage: Permission.manageBallots.isHeld(by: actor), now: pages.now())
    }
}

/// One ballot as staff run it: its projects and the concerns that suggest more (while it has not opened), the turnout
/// and the paper batches (while open), the results (once closed).
struct BallotAdminModel: Sendable {
    var campaign: BallotCampaign
    var candidates: [BallotCandidate]
    var turnout: [BallotChannel: Int]
    var batches: [PaperBatch]
    var result: BallotResult?
    /// The most-raised concerns of the twelve months before the ballot opens, to suggest projects from.
    var concerns: [CategoryCount]
    var catalogue: WebController.Catalogue
    var mayManage: Bool
    var mayEnterPaper: Bool
    var now: Date
    var notice: String?
    var candidateForm: Form?
    var paperForm: Form?
    var error: (field: String, message: String)?
    /// Every faulty field of the form that came back, in the page's language.
    var errors: [String: String] = [:]

    var phase: BallotCampaign.Phase { campaign.phase(at: now) }

    static func load(_ id: BallotCampaign.ID, actor: Actor, pages: BallotPages, notice: String? = nil) async throws -> BallotAdminModel {
        guard let campaign = try await pages.ballots.campaign(id) else { throw AppError.notFound("票选不存在 (no such ballot)") }
        let now = pages.now()
        let catalogue = try await pages.web.catalogue()
        var concerns: [CategoryCount] = []
        if let bureau = catalogue.units.first(where: { $0.kind == .bureau }) {
            let yearBefore = Deadlines.month(containing: campaign.opensAt, offsetBy: -12).start
            concerns = Array(try await pages.items.categoryCounts(under: bureau, from: yearBefore, to: campaign.opensAt).prefix(8))
        }
        return BallotAdminModel(
            campaign: campaign, candidates: try await pages.ballots.candidates(of: id), turnout: try await pages.ballots.turnout(of: id),
            batches: try await pages.ballots.batches(of: id),
            result: campaign.resultsVisible(at: now) ? try await pages.ballots.result(of: id, at: now) : nil, concerns: concerns,
            catalogue: catalogue, mayManage: Permission.manageBallots.isHeld(by: actor),
            mayEnterPaper: Permission.enterPaperBallots.isHeld(by: actor), now: now, notice: notice)
    }

    func fieldClass(_ name: String) -> String { error?.field == name || errors[name] != nil ? "field field-error" : "field" }

    /// The message beside a faulty field of the candidate form.
    func candidateMessage(_ name: String) -> HTML { errors[name].map { "<p class=\"msg\" id=\"err-\(name)\">\($0)</p>" } ?? .empty }
}
