import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The item page of the staff console, with the actions the officer may take on it now.
extension WebController {
    static func number(_ context: AppRequestContext) throws -> String {
        let raw = TrackingNumber.normalise(context.parameters.get("number") ?? "")
        guard TrackingNumber.isWellFormed(raw) else { throw AppError.notFound("查询号格式不正确 (malformed tracking number)") }
        return raw
    }

    /// The item if the actor may see it; otherwise the same "not found" as for a number that does not exist.
    func visibleItem(_ number: String, to actor: Actor, _ web: WebRequest) async throws -> StoredItem {
        guard let stored = try await items.item(number: number), actor.sees(placePath: stored.placePath, assignedPath: stored.assignedPath) else {
            throw AppError.notFound(web.t("事项 \(number) 不存在或不在您的辖区。", "Item \(number) does not exist or is outside your jurisdiction."))
        }
        return stored
    }

    /// `GET /staff/items/{number}`
    @Sendable func staffItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let stored = try await visibleItem(try Self.number(context), to: actor, web)
        let done = request.uri.queryParameters["done"].flatMap { ItemCommand.Name(rawValue: String($0)) }
        let notice = done.map { _ in web.t("已完成。", "Done.") }
        return WebSupport.page(try await itemPage(web, actor: actor, stored: stored, contact: nil, notice: notice, error: nil), web)
    }

    /// `POST /staff/items/{number}/{command}`: one lifecycle step; errors come back on the item page.
    func command(_ name: ItemCommand.Name) -> @Sendable (Request, AppRequestContext) async throws -> Response {
        { request, context in
            let web = try context.webRequest()
            let actor = try support.requireStaff(web)
            let number = try Self.number(context)
            let form = try await support.form(request, web, keepingMalformed: true)
            let stored = try await visibleItem(number, to: actor, web)
            do {
                try form.checkEncoding()
                let command = try Self.makeCommand(name, form: form)
                _ = try await items.apply(command, to: number, by: actor, at: now())
                var back = "/staff/items/\(number)?done=\(name.rawValue)"
                if form["back"] == "callbacks" { back = "/staff/callbacks?done=\(number)" }
                if let path = WebSupport.localPath(form["back"]), path.hasPrefix("/staff/analysis") { back = path }
                return WebSupport.redirect(back)
            } catch {
                let report = ErrorReport(error)
                if report.unexpected { throw error }
                let current = try await items.item(number: number) ?? stored
                let page = try await itemPage(web, actor: actor, stored: current, contact: nil, notice: nil, error: web.localized(report.message))
                return WebSupport.page(page, web, status: report.status)
            }
        }
    }

    static func makeCommand(_ name: ItemCommand.Name, form: Form) throws -> ItemCommand {
        func required(_ field: String) throws -> String {
            guard let value = form[field] else {
                throw ValidationError.invalid(field: field, message: "请填写\(fieldName(field)) (\(field) is required)")
            }
            return value
        }
        func outcome() throws -> ReplyOutcome {
            guard let raw = form["outcome"], let outcome = ReplyOutcome(rawValue: raw) else {
                throw ValidationError.invalid(field: "outcome", message: "请选择答复结果 (choose an outcome)")
            }
            return outcome
        }
        switch name {
        case .answer: return .answer(outcome: try outcome(), text: try required("text"), publicReason: form["public_reason"])
        case .dispatch: return .dispatch(unit: .init(try required("unit")))
        case .accept: return .accept
        case .reply: return .reply(outcome: try outcome(), text: try required("text"), publicReason: form["public_reason"])
        case .return: return .returnToCommand(reason: try required("reason"))
        case .merge: return .merge(into: TrackingNumber.normalise(try required("into")), reason: form["reason"])
        case .reject: return .reject(reason: try required("reason"))
        case .callback:
            guard let raw = form["result"], let result = CallbackResult(rawValue: raw) else {
                throw ValidationError.invalid(field: "result", message: "请选择回访结果 (choose a result)")
            }
            return .callback(result: result, comment: form["comment"], scores: try scores(from: form))
        case .supervise: return .supervise(reason: try required("reason"))
        case .close: return .close(reason: try required("reason"))
        case .recategorize: return .recategorize(category: .init(try required("category")), reason: form["reason"])
        case .overdue: throw AppError.forbidden("超期由系统记录 (recorded by the system only)")
        }
    }

    /// The scores given in a callback form.
    static func scores(from form: Form) throws -> CallbackScores {
        var scores: [CallbackScores.Indicator: Int] = [:]
        for indicator in CallbackScores.Indicator.allCases {
            guard let raw = form["score." + indicator.rawValue] else { continue }
            guard let value = Int(raw) else {
                throw ValidationError.invalid(field: "score.\(indicator.rawValue)", message: "评分应为 1–5 (score must be 1 to 5)")
            }
            scores[indicator] = value
        }
        return try CallbackScores(scores)
    }

    static func fieldName(_ field: String) -> String {
        switch field {
        case "text": "答复内容"
        case "reason": "原因"
        case "unit": "承办单位"
        case "into": "合并到的查询号"
        case "category": "类别"
        default: field
        }
    }

    /// `POST /staff/items/{number}/reveal`: the full contact, for roles that need it; the read is audited.
    @Sendable func reveal(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let number = try Self.number(context)
        let form = try await support.form(request, web)
        let stored = try await visibleItem(number, to: actor, web)
        let contact = try await items.revealContact(of: number, by: actor, purpose: form["purpose"] ?? "查看", at: now())
        return WebSupport.page(try await itemPage(web, actor: actor, stored: stored, contact: contact, notice: nil, error: nil), web)
    }

    /// `GET /staff/callbacks/{number}`: the callback agent's page: the phone shown in full (the read audited), the result form.
    @Sendable func callbackItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let number = try Self.number(context)
        let stored = try await visibleItem(number, to: actor, web)
        let contact = stored.item.contact == nil ? nil : try await items.revealContact(of: number, by: actor, purpose: "回访", at: now())
        return WebSupport.page(
            try await itemPage(web, actor: actor, stored: stored, contact: contact, notice: nil, error: nil, callbackMode: true), web)
    }
}
