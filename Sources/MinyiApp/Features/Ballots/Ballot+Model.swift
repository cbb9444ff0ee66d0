import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The public list of ballots: open ones first, then those closed with their results.
struct BallotListModel: Sendable {
    var campaigns: [BallotCampaign]
    var now: Date
}

/// One ballot as a resident sees it, at each step: the projects and the window; the form to verify (ID number and
/// phone); the choices with the code; the receipt. Once closed, the counts and the turnout.
struct BallotModel: Sendable {
    enum Step: Sendable {
        case verify
        case vote(token: String)
        case receipt(String)
    }

    var campaign: BallotCampaign
    var candidates: [BallotCandidate]
    var result: BallotResult?
    var catalogue: WebController.Catalogue
    var now: Date
    var step: Step = .verify
    /// What the resident typed, kept when a step is refused.
    var form: Form?
    var error: (field: String, message: String)?
    /// Every faulty field of the verification form, in the page's language.
    var errors: [String: String] = [:]

    var phase: BallotCampaign.Phase { campaign.phase(at: now) }

    static func load(_ id: BallotCampaign.ID, pages: BallotPages) async throws -> BallotModel {
        guard let campaign = try await pages.ballots.campaign(id) else { throw AppError.notFound("票选不存在 (no such ballot)") }
        let now = pages.now()
        return BallotModel(
            campaign: campaign, candidates: try await pages.ballots.candidates(of: id),
            result: campaign.resultsVisible(at: now) ? try await pages.ballots.result(of: id, at: now) : nil,
            catalogue: try await pages.web.catalogue(), now: now)
    }

    func value(_ name: String) -> String { form?.raw(name) ?? "" }
    func fieldClass(_ name: String) -> String { error?.field == name || errors[name] != nil ? "field field-error" : "field" }

    /// The message beside a faulty field.
    func message(_ name: String) -> HTML { errors[name].map { "<p class=\"msg\" id=\"err-\(name)\">\($0)</p>" } ?? .empty }
}

/// The receipt check: the code as typed and, once checked, whether a ballot with it was counted.
struct ReceiptModel: Sendable {
    var typed: String = ""
    var checked = false
    var counted: BallotCampaign?
}
