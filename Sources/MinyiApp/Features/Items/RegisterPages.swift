import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

extension WebController {
    // MARK: Registering items from other channels

    /// `GET /staff/register`: staff register walk-ins, calls, letters, echo cards, meetings, visits and group chats.
    @Sendable func registerForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        var values = Form()
        if let card = request.uri.queryParameters["echo_card"] {
            values = Form(fields: ["channel": [Channel.echoCard.rawValue], "echo_card": [String(card)]])
        }
        let form = SubmissionForm(web: web, catalogue: try await catalogue(), values: values, errors: [:], staff: true)
        return WebSupport.page(SubmitModel(form: form, staff: true).render(web), web)
    }

    /// `POST /staff/register`
    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let form = try await support.form(request, web, keepingMalformed: true)
        if form.has("_suggest") {
            // Only a suggestion: the form comes back with the typed text and the proposals; nothing is registered.
            let suggestions = try await categoryModel.current(at: now()).model.suggest(form.raw("text"))
            let catalogue = try await catalogue()
            let hint: HTML =
                suggestions.isEmpty
                ? "<p class=\"hint\">\(web.t("暂无建议。", "No suggestion yet."))</p>"
                : """
                <p class="hint" id="category-suggestion">\(web.t("按内容建议：",
                    "Suggested from the text: "))\(suggestions.map { catalogue.categoryName($0.category, web) + String(format: " %.0f%%",
                    $0.probability * 100) }.joined(separator: web.lang == .zh ? "，" : ", "))\(web.t("（请确认后选择）", " (choose it yourself)"))</p>
                """
            var sheet = SubmissionForm(web: web, catalogue: catalogue, values: form, errors: [:], staff: true)
            sheet.categoryHint = hint
            return WebSupport.page(SubmitModel(form: sheet, staff: true).render(web), web)
        }
        do {
            let channel = form["channel"].flatMap(Channel.init(rawValue:)).flatMap { $0 == .web ? nil : $0 }
            guard let channel else {
                // The other fields are checked too, so that every error shows at once.
                var errors = [ValidationError.invalid(field: "channel", message: "请选择渠道 (choose the channel)")]
                do { _ = try SubmissionForm.submission(from: form, channel: .phone) } catch { errors += error.errors }
                throw ValidationErrors(errors)
            }
            let submission = try SubmissionForm.submission(from: form, channel: channel)
            let submitted = try await items.submit(submission, idempotencyKey: form["_key"].map { "web:" + $0 }, by: actor, at: now())
            return receiptRedirect(to: "/staff/registered", number: submitted.item.number, web)
        } catch let error where error is ValidationError || error is ValidationErrors {
            let (values, errors) = SubmissionForm.showing(error, in: form, web)
            let sheet = SubmissionForm(web: web, catalogue: try await catalogue(), values: values, errors: errors, staff: true)
            return WebSupport.page(SubmitModel(form: sheet, staff: true).render(web), web, status: .unprocessableContent)
        }
    }

    /// `GET /staff/registered`: the number and PIN of the item just registered, to read out or write on the card.
    @Sendable func registered(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        guard let submitted = try await receiptItem(request, web) else { return WebSupport.redirect("/staff/register") }
        return WebSupport.page(ConfirmationModel(submitted: submitted, staff: true).render(web), web)
    }
}
