import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The project ballot's pages: residents verify, vote and check their receipt (the public pages work without
/// JavaScript on a phone); staff set the ballot up and enter paper batches.
struct BallotPages: Sendable {
    let web: WebController
    let ballots: SQLBallotStore
    let items: SQLItemStore
    let codes: any CodeSender
    /// Public form posts are limited per address, like every public form.
    let rateLimiter: RateLimiter
    let now: @Sendable () -> Date

    var support: WebSupport { web.support }

    static func campaignID(_ context: AppRequestContext) throws -> BallotCampaign.ID {
        guard let raw = context.parameters.get("campaign"), !raw.isEmpty, raw.count <= 64 else { throw AppError.notFound("票选不存在") }
        return .init(raw)
    }

    /// A refusal a resident can act on (already voted, too many codes, closed) shown in the form, not as an error page.
    static func refusal(_ error: any Error) -> (field: String, message: String)? {
        switch error {
        case let error as ValidationError: (error.field, error.message)
        case StorageError.conflict(let message): ("", message)
        default: nil
        }
    }

    // MARK: Residents

    /// `GET /ballots`
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let at = now()
        let campaigns = try await ballots.campaigns().sorted {
            ($0.phase(at: at) == .open ? 0 : 1, -$0.opensAt.timeIntervalSince1970) < (
                $1.phase(at: at) == .open ? 0 : 1, -$1.opensAt.timeIntervalSince1970
            )
        }
        return WebSupport.page(BallotListModel(campaigns: campaigns, now: at).render(page), page)
    }

    /// `GET /ballots/{campaign}`: the projects and the form to verify; once closed, the results.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        return WebSupport.page(try await BallotModel.load(try Self.campaignID(context), pages: self).render(page), page)
    }

    /// `POST /ballots/{campaign}/verify`: checks the ID number, sends a code to the phone, and shows the ballot.
    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        try rateLimiter.check(request, context, at: now())
        let form = try await support.form(request, page, keepingMalformed: true)
        var model = try await BallotModel.load(try Self.campaignID(context), pages: self)
        model.form = form
        do {
            // Both fields checked, so that both faults show at once.
            var check = Validator()
            form.checkEncoding(into: &check)
            let idNumber = check.check { () throws(ValidationError) in try BallotRules.idNumber(form["id_number"]) }
            let phone = check.check { () throws(ValidationError) in try BallotRules.phone(form["phone"]) }
            try check.finish()
            guard let idNumber, let phone else { throw ValidationErrors(check.errors) }
            let verification = try await ballots.beginVerification(of: idNumber, for: model.campaign.id, at: now())
            try await codes.send(code: verification.code, to: phone, idNumber: idNumber, purpose: "ballot \(model.campaign.id.rawValue)")
            model.form = nil
            model.step = .vote(token: verification.token)
            return WebSupport.page(model.render(page), page)
        } catch let errors as ValidationErrors {
            model.errors = errors.byField.mapValues { page.localized($0) }
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        } catch {
            guard let refusal = Self.refusal(error) else { throw error }
            model.error = (refusal.field, page.localized(refusal.message))
            return WebSupport.page(model.render(page), page, status: refusal.field.isEmpty ? .conflict : .unprocessableContent)
        }
    }

    /// `POST /ballots/{campaign}/vote`: the code and the choices; the receipt once cast, the form kept when refused.
    @Sendable func vote(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        try rateLimiter.check(request, context, at: now())
        let form = try await support.form(request, page, keepingMalformed: true)
        var model = try await BallotModel.load(try Self.campaignID(context), pages: self)
        let token = form["token"] ?? ""
        do {
            try form.checkEncoding()
            let receipt = try await ballots.cast(
                token: token, code: form.raw("code"), choices: form.all("choices").map { BallotCandidate.ID($0) }, for: model.campaign.id,
                at: now())
            // On to the receipt's own page (Back and Reload never send the ballot again); only this browser may see it.
            return web.receiptRedirect(to: "/ballots/\(model.campaign.id.rawValue)/voted", number: receipt, page)
        } catch {
            guard let refusal = Self.refusal(error) else { throw error }
            model.form = form
            model.error = (refusal.field, page.localized(refusal.message))
            // An expired or spent verification, or a voter already on the roll, starts again from the first step.
            let again = refusal.field.isEmpty || refusal.field == "verification"
            model.step = again ? .verify : .vote(token: token)
            if again { model.form = nil }
            return WebSupport.page(model.render(page), page, status: refusal.field.isEmpty ? .conflict : .unprocessableContent)
        }
    }

    /// `GET /ballots/{campaign}/voted`: the receipt of the ballot this browser just cast, while its cookie lasts.
    @Sendable func voted(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        var model = try await BallotModel.load(try Self.campaignID(context), pages: self)
        guard let receipt = web.receiptValue(request, page) else { return WebSupport.redirect("/ballots/\(model.campaign.id.rawValue)") }
        model.step = .receipt(receipt)
        return WebSupport.page(model.render(page), page)
    }

    /// `GET /ballots/receipt`
    @Sendable func receiptForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        return WebSupport.page(ReceiptModel().render(page), page)
    }

    /// `POST /ballots/receipt`: whether a ballot with this receipt was counted (and nothing of its choices).
    @Sendable func checkReceipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        try rateLimiter.check(request, context, at: now())
        let form = try await support.form(request, page, keepingMalformed: true)
        let typed = form.raw("receipt")
        let counted = try await ballots.campaign(ofReceipt: typed)
        let model = ReceiptModel(typed: typed, checked: true, counted: counted)
        return WebSupport.page(model.render(page), page, status: counted == nil ? .notFound : .ok)
    }
}
