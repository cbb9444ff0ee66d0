import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The callback queue over business records (民意访评中心): services of other police systems, called back like items. The
/// pages' models are in `BusinessCallbacks+Model.swift`, their markup in `BusinessCallbacks+View.swift`.
extension WebController {
    static func recordPath(_ id: String) -> String {
        "/staff/business-callbacks/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
    }

    func recordID(_ context: AppRequestContext) -> String {
        let raw = context.parameters.get("record") ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// `GET /staff/business-callbacks`
    @Sendable func businessCallbacks(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        return WebSupport.page(
            try await businessQueueModel(
                actor: actor, notice: request.uri.queryParameters["done"].map { web.t("已记录 \($0)。", "Recorded \($0).") }
            ).render(web), web)
    }

    /// `POST /staff/business-callbacks/claim`: takes up to `count` unclaimed records, so agents never call twice.
    @Sendable func claimBusinessCallbacks(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let form = try await support.form(request, web)
        let count = form["count"].flatMap { Int($0) } ?? 10
        _ = try await business.claim(max(1, min(count, 50)), for: actor, at: now())
        return WebSupport.redirect("/staff/business-callbacks")
    }

    /// `GET /staff/business-callbacks/{record}`: the record, the resident's phone (the read audited), the attempts, the form.
    @Sendable func businessCallback(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        return WebSupport.page(try await businessRecordModel(web, actor: actor, id: recordID(context), error: nil).render(web), web)
    }

    /// `POST /staff/business-callbacks/{record}/attempt`
    @Sendable func recordBusinessAttempt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let id = recordID(context)
        let form = try await support.form(request, web)
        do {
            var check = Validator()
            let outcome = form["outcome"].flatMap(BusinessCallback.Outcome.init(rawValue:))
            if outcome == nil { check.fail("outcome", "请选择拨打结果 (choose the outcome)") }
            let satisfaction = form["satisfaction"].flatMap(CallbackResult.init(rawValue:))
            if outcome == .answered, satisfaction == nil { check.fail("satisfaction", "接通时请选择满意程度 (choose how satisfied, when answered)") }
            if satisfaction == .dissatisfied, form["comment"] == nil {
                check.fail("comment", "群众不满意时，请写明不满意的原因 (write down why the resident is dissatisfied)")
            }
            let scores = Self.scores(from: form, check: &check)
            try check.finish()
            guard let outcome else { throw ValidationErrors(check.errors) }
            let stored = try await business.recordAttempt(
                outcome, satisfaction: satisfaction, scores: scores, comment: form["comment"], of: id, by: actor, at: now())
            let done = stored.itemNumber.map { "\(id) → \($0)" } ?? id
            return WebSupport.redirect("/staff/business-callbacks?done=" + (done.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        } catch {
            let report = ErrorReport(error)
            if report.unexpected { throw error }
            var model = try await businessRecordModel(web, actor: actor, id: id, error: report.fields.isEmpty ? web.localized(report.message) : nil)
            model.sheet = FormSheet(web, sent: form, report: report)
            return WebSupport.page(model.render(web), web, status: report.status)
        }
    }
}
