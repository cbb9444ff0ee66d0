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
        let notice = done.map { web.t("已\($0.nameZh)。", "Done: \($0.nameEn).") }
        var next: NextItem?
        if let done { next = try await nextItem(after: done, leaving: stored.item.number, for: actor) }
        return WebSupport.page(try await itemPage(web, actor: actor, stored: stored, contact: nil, notice: notice, error: nil, next: next), web)
    }

    /// Where the officer goes after a step: the next item waiting for the same step, and the list it is on.
    struct NextItem: Sendable {
        var number: String?
        var list: String
        var zh: String
        var en: String
    }

    func nextItem(after step: ItemCommand.Name, leaving number: String, for actor: Actor) async throws -> NextItem? {
        var filter: QueueFilter
        let list: NextItem
        switch step {
        case .dispatch, .answer, .merge, .reject, .recategorize:
            filter = QueueFilter(status: .registered, limit: 2)
            list = NextItem(list: "/staff/queue", zh: "指挥中心待办", en: "the command centre's queue")
        case .accept:
            filter = QueueFilter(status: .dispatched, unit: actor.unit.id, limit: 2)
            filter.byDeadline = true
            list = NextItem(list: "/staff/inbox", zh: "单位待办", en: "the unit inbox")
        case .reply, .return:
            filter = QueueFilter(statuses: [.accepted, .supervised], unit: actor.unit.id, limit: 2)
            filter.byDeadline = true
            list = NextItem(list: "/staff/inbox", zh: "单位待办", en: "the unit inbox")
        case .supervise:
            filter = QueueFilter(overdueOnly: true, limit: 2)
            filter.byDeadline = true
            list = NextItem(list: "/staff/supervision", zh: "督办", en: "supervision")
        case .callback:
            filter = QueueFilter(callbackDue: true, limit: 2)
            filter.byDeadline = true
            list = NextItem(list: "/staff/callbacks", zh: "待回访", en: "the callbacks due")
        case .close, .overdue:
            return nil
        }
        let page = try await items.queue(filter, for: actor, at: now(), countingUpTo: 2)
        var next = list
        next.number = page.items.map(\.item.number).first { $0 != number }
        return next
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
                // Errors about a field show beside it, in the form as it was sent; others above the page.
                let failed = FailedStep(name: name, form: form, errors: report.fields.mapValues { web.localized($0) })
                let page = try await itemPage(
                    web, actor: actor, stored: current, contact: nil, notice: nil, error: report.fields.isEmpty ? web.localized(report.message) : nil,
                    callbackMode: form["back"] == "callbacks", failed: failed)
                return WebSupport.page(page, web, status: report.status)
            }
        }
    }

    /// The command a form gives, every faulty field named at once.
    static func makeCommand(_ name: ItemCommand.Name, form: Form) throws -> ItemCommand {
        var check = Validator()
        form.checkEncoding(into: &check)
        func required(_ field: String, _ message: String = "请填写此项 (this must not be empty)") -> String {
            guard let value = form[field] else {
                check.fail(field, message)
                return ""
            }
            return value
        }
        func outcome() -> ReplyOutcome {
            guard let outcome = form["outcome"].flatMap(ReplyOutcome.init(rawValue:)) else {
                check.fail("outcome", "请选择答复结果 (choose an outcome)")
                return .resolved
            }
            if outcome.needsPublicReason, form["public_reason"] == nil {
                check.fail("public_reason", LifecycleError.missingPublicReason(command: name).description)
            }
            return outcome
        }
        let command: ItemCommand
        switch name {
        case .answer, .reply:
            let outcome = outcome()
            let text = required("text", "请填写答复内容 (write the reply)")
            command =
                name == .answer
                ? .answer(outcome: outcome, text: text, publicReason: form["public_reason"])
                : .reply(outcome: outcome, text: text, publicReason: form["public_reason"])
        case .dispatch: command = .dispatch(unit: .init(required("unit", "请选择承办单位 (choose the unit)")))
        case .accept: command = .accept
        case .return: command = .returnToCommand(reason: required("reason", "请写明退单原因 (say why it is not yours)"))
        case .merge:
            let into = required("into", "请填写合并到的查询号 (the number to merge into)")
            command = .merge(into: TrackingNumber.normalise(into), reason: form["reason"])
        case .reject: command = .reject(reason: required("reason", "请写明不予受理的原因 (say why)"))
        case .callback:
            let result = form["result"].flatMap(CallbackResult.init(rawValue:))
            if result == nil { check.fail("result", "请选择回访结果 (choose a result)") }
            if result == .dissatisfied, form["comment"] == nil { check.fail("comment", LifecycleError.missingComment.description) }
            let scores = scores(from: form, check: &check)
            command = .callback(result: result ?? .unreachable, comment: form["comment"], scores: scores)
        case .supervise: command = .supervise(reason: required("reason", "请写明督办事由 (say why)"))
        case .close: command = .close(reason: required("reason", "请写明销号理由 (write the reason)"))
        case .recategorize:
            let category = required("category", "请选择新类别 (choose the category)")
            command = .recategorize(category: .init(category), reason: form["reason"])
        case .overdue: throw AppError.forbidden("超期由系统记录 (recorded by the system only)")
        }
        try check.finish()
        return command
    }

    /// The scores given in a callback form, each faulty one named.
    static func scores(from form: Form, check: inout Validator) -> CallbackScores {
        var scores: [CallbackScores.Indicator: Int] = [:]
        for indicator in CallbackScores.Indicator.allCases {
            guard let raw = form["score." + indicator.rawValue] else { continue }
            guard let value = Int(raw), (1...5).contains(value) else {
                check.fail("score.\(indicator.rawValue)", "评分应为 1–5 (score must be 1 to 5)")
                continue
            }
            scores[indicator] = value
        }
        return (try? CallbackScores(scores)) ?? CallbackScores()
    }



    /// A step the officer tried that was refused: the form as sent and what is wrong with each field.
    struct FailedStep: Sendable {
        var name: ItemCommand.Name
        var form: Form
        var errors: [String: String]
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
