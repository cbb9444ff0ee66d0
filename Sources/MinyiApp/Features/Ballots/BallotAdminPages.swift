import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The staff's side of the ballot: setting it up (bureau level) and entering paper batches.
extension BallotPages {
    /// `GET /staff/ballots`
    @Sendable func adminList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        return WebSupport.page(try await BallotAdminListModel.load(actor: try context.staff(), pages: self).render(page), page)
    }

    /// `POST /staff/ballots`: sets up a ballot; bad input comes back with the form kept.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            try form.checkEncoding()
            let year = Int(form.raw("year").trimmed) ?? 0
            let opens = form["opens_at"].flatMap(Format.parseLocalTime)
            let closes = form["closes_at"].flatMap(Format.parseLocalTime)
            let campaign = try BallotCampaign.validated(
                id: .init("B\(year)-" + RowID.make(at: now()).suffix(6)), year: year, title: form["title"], opensAt: opens, closesAt: closes,
                maxChoices: form["max_choices"].map { Int($0.trimmed) ?? -1 })
            try await ballots.createCampaign(campaign, by: actor, at: now())
            return WebSupport.redirect("/staff/ballots/\(campaign.id.rawValue)")
        } catch let error where error is ValidationError || error is ValidationErrors {
            var model = try await BallotAdminListModel.load(actor: actor, pages: self)
            model.form = form
            model.errors = ErrorReport(error).fields.mapValues { page.localized($0) }
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }

    /// `GET /staff/ballots/{campaign}`
    @Sendable func adminShow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let notice = request.uri.queryParameters["entered"].map { page.t("已录入批次 \($0)。", "Batch \($0) entered.") }
        let model = try await BallotAdminModel.load(try Self.campaignID(context), actor: try context.staff(), pages: self, notice: notice)
        return WebSupport.page(model.render(page), page)
    }

    /// `POST /staff/ballots/{campaign}/candidates`: adds a project while the ballot has not opened.
    @Sendable func addCandidate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let id = try Self.campaignID(context)
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            try form.checkEncoding()
            var check = Validator()
            let title = form.raw("title")
            if title.trimmed.isEmpty || title.count > 200 {
                check.fail("title", "请填写项目名称（最多 200 字） (name the project, up to 200 characters)")
            }
            if form.raw("summary").count > 2000 { check.fail("summary", "简介最多 2000 字 (at most 2,000 characters)") }
            try check.finish()
            _ = try await ballots.addCandidate(
                to: id, title: title, summary: form.raw("summary"), unitID: .init(form.raw("unit")),
                category: form["category"].map { MinyiCore.Category.Code($0) }, by: actor, at: now())
            return WebSupport.redirect("/staff/ballots/\(id.rawValue)#candidates")
        } catch let errors as ValidationErrors {
            var model = try await BallotAdminModel.load(id, actor: actor, pages: self)
            model.candidateForm = form
            model.errors = errors.byField.mapValues { page.localized($0) }
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        } catch {
            guard let refusal = Self.refusal(error) else { throw error }
            var model = try await BallotAdminModel.load(id, actor: actor, pages: self)
            model.candidateForm = form
            model.error = (refusal.field, page.localized(refusal.message))
            return WebSupport.page(model.render(page), page, status: refusal.field.isEmpty ? .conflict : .unprocessableContent)
        }
    }

    /// `POST /staff/ballots/{campaign}/paper`: a batch of paper ballots, all or nothing, every bad line named.
    @Sendable func enterPaper(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let id = try Self.campaignID(context)
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            try form.checkEncoding()
            guard let campaign = try await ballots.campaign(id) else { throw AppError.notFound("票选不存在 (no such ballot)") }
            let input = try PaperBatchInput.parse(
                number: form["number"], voters: form.raw("voters"), sheets: form.raw("sheets"), campaign: campaign,
                candidates: try await ballots.candidates(of: id))
            let batch = try await ballots.enterPaperBatch(input, for: id, by: actor, at: now())
            let number = batch.number.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return WebSupport.redirect("/staff/ballots/\(id.rawValue)?entered=\(number)")
        } catch {
            guard let refusal = Self.refusal(error) else { throw error }
            var model = try await BallotAdminModel.load(id, actor: actor, pages: self)
            model.paperForm = form
            model.error = (refusal.field, page.localized(refusal.message))
            return WebSupport.page(model.render(page), page, status: refusal.field.isEmpty ? .conflict : .unprocessableContent)
        }
    }
}
