import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

// MARK: Residents' pages (the models in `Resident+Model.swift`, the markup in `Resident+View.swift`)

extension WebController {
    /// `GET /`: what the square is for, the three things to do, the 110 notice, the community police offices.
    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        return WebSupport.page(HomeModel(catalogue: try await catalogue()).render(web), web)
    }

    /// `GET /submit`
    @Sendable func submitForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let form = SubmissionForm(web: web, catalogue: try await catalogue(), values: Form(), errors: [:], staff: false)
        return WebSupport.page(SubmitModel(form: form, staff: false).render(web), web)
    }

    /// `POST /submit`: on bad input the form comes back with everything typed and every error beside its field; on
    /// success the browser goes on to the receipt (so Back and Reload never send the form again).
    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        try rateLimiter.check(request, context, at: now())
        let form = try await support.form(request, web, keepingMalformed: true)
        do {
            let submission = try SubmissionForm.submission(from: form, channel: .web, otherCategory: try await otherCategory())
            let submitted = try await items.submit(submission, idempotencyKey: form["_key"].map { "web:" + $0 }, by: nil, at: now())
            return receiptRedirect(to: "/submitted", number: submitted.item.number, web)
        } catch let error where error is ValidationError || error is ValidationErrors {
            let catalogue = try await catalogue()
            let (values, errors) = SubmissionForm.showing(error, in: form, web)
            let sheet = SubmissionForm(web: web, catalogue: catalogue, values: values, errors: errors, staff: false)
            return WebSupport.page(SubmitModel(form: sheet, staff: false).render(web), web, status: .unprocessableContent)
        }
    }

    /// Where a resident's "something else" is filed: the suggester's first choice for the text, else the first category
    /// (the command centre corrects it).
    func otherCategory() async throws -> (String) -> MinyiCore.Category.Code? {
        let model = try await categoryModel.current(at: now()).model
        let first = try await organisation.categories().first?.code
        return { text in model.suggest(text).first?.category ?? first }
    }

    /// On to the page showing what a form created, with the cookie that lets this browser see it.
    func receiptRedirect(to path: String, number: String, _ web: WebRequest) -> Response {
        let cookie = support.receipts.setCookie(
            number: number, browser: web.browserID + "|" + (web.sessionToken ?? ""), at: now(), secure: web.secureCookies, path: path)
        return WebSupport.redirect(path, cookies: [cookie])
    }

    /// What the receipt cookie names, for this browser; nil when there is none (or it expired).
    func receiptValue(_ request: Request, _ web: WebRequest) -> String? {
        let value = request.cookies[ReceiptCookie.name]?.value
        return support.receipts.number(in: value, browser: web.browserID + "|" + (web.sessionToken ?? ""), at: now())
    }

    /// The item the receipt cookie names, for this browser; nil when there is none (or it expired).
    func receiptItem(_ request: Request, _ web: WebRequest) async throws -> Submitted? {
        guard let number = receiptValue(request, web), let stored = try await items.item(number: number) else { return nil }
        return Submitted(item: stored.item, pin: items.pin(for: number), created: true)
    }

    /// `GET /submitted`: the number and PIN of the item this browser just sent, as long as its receipt lasts.
    @Sendable func submitted(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        guard let submitted = try await receiptItem(request, web) else { return WebSupport.redirect("/lookup") }
        return WebSupport.page(ConfirmationModel(submitted: submitted, staff: false).render(web), web)
    }

    // MARK: Look up

    /// `GET /lookup`
    @Sendable func lookupForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let number = request.uri.queryParameters["number"].map(String.init) ?? ""
        return WebSupport.page(LookupModel(number: number, error: nil).render(web), web)
    }

    /// `POST /lookup`: the item's public timeline; a wrong PIN gets a plain message, and retries are limited.
    @Sendable func lookup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        try rateLimiter.check(request, context, at: now())
        let form = try await support.form(request, web)
        let number = TrackingNumber.normalise(form["number"] ?? "")
        let wrong = web.t("查询号或查询密码不正确，请核对后再试。", "The number or the PIN is not right; check them and try again.")
        guard TrackingNumber.isWellFormed(number) || SQLEchoCardStore.isSerial(number), let pin = form["pin"] else {
            return WebSupport.page(LookupModel(number: form.raw("number"), error: wrong).render(web), web, status: .notFound)
        }
        let stored: StoredItem?
        do {
            stored = try await throttle.lookUp(number: number, pin: pin, in: items, address: rateLimiter.address(of: request, context), at: now())
        } catch AppError.throttled(let message, let retryAfter) {
            return WebSupport.page(LookupModel(number: number, error: web.localized(message)).render(web), web, retryAfter: retryAfter)
        }
        guard let stored else { return WebSupport.page(LookupModel(number: number, error: wrong).render(web), web, status: .notFound) }
        let events = try await items.events(of: stored.item.id)
        return WebSupport.page(PublicItemModel(item: stored.item, events: events, catalogue: try await catalogue()).render(web), web)
    }
}
