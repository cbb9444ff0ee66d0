import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The community officer's pages: the due list, households and the visit form. Built over the shared page kit for the
/// layout and catalogue, and the community store.
struct CommunityPages: Sendable {
    let web: WebController
    let community: SQLCommunityStore
    let now: @Sendable () -> Date

    var support: WebSupport { web.support }

    /// `GET /staff/visits`: the due list, soonest first; a unit lead may see everyone's (`?all=1`).
    @Sendable func dueList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let model = try await DueListModel.load(
            everyone: request.uri.queryParameters["all"] == "1" && actor.officer.has(.unitLead), actor: actor, pages: self, now: now())
        return WebSupport.page(model.render(page), page)
    }

    /// `GET /staff/coverage?unit=&grain=month|year&month=2026-11`: coverage by community and officer, with a chart.
    @Sendable func coverage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await CoverageModel.load(request, actor: try context.staff(), pages: self, web: page, now: now())
        return WebSupport.page(model.render(page), page)
    }

    /// `GET /staff/visits/diary?officer=`: an officer's visit diary (民情日记), one's own by default.
    @Sendable func diary(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await DiaryModel.load(request, actor: try context.staff(), pages: self, web: page)
        return WebSupport.page(model.render(page), page)
    }

    /// `GET /staff/pairs[?behind=1]`: the pairs and how each keeps its cadence, those falling behind first.
    @Sendable func pairs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let notice = request.uri.queryParameters["done"].map { _ in page.t("已记录。", "Recorded.") }
        let model = try await PairsModel.load(request, actor: try context.staff(), pages: self, now: now(), notice: notice)
        return WebSupport.page(model.render(page), page)
    }

    /// `POST /staff/pairs/{pairing}/activities`: a contact or a deed, by the pair's cadre or a lead.
    @Sendable func recordPairActivity(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        guard let raw = context.parameters.get("pairing") else { throw AppError.notFound("结对不存在") }
        let form = try await support.form(request, page, keepingMalformed: true)
        let at = now()
        do {
            try form.checkEncoding()
            let kind = try parse(form["kind"], PairActivityKind.self, field: "kind")
            _ = try await community.recordPairActivity(
                kind, for: .init(raw), at: at, note: form.raw("note"), requestKey: form["request_key"], by: actor, now: at)
            return WebSupport.redirect("/staff/pairs?done=1")
        } catch let error as ValidationError {
            let model = try await PairsModel.load(request, actor: actor, pages: self, now: at, error: page.localized(error.message))
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }

    /// `GET /staff/households`: households of the jurisdiction, by community, tag and whether visited this year.
    @Sendable func householdList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let model = try await HouseholdListModel.load(request, actor: actor, pages: self, web: page, now: now())
        return WebSupport.page(model.render(page), page)
    }

    /// `GET /staff/households/{household}`: the household, its due visits and visits, and the visit form.
    @Sendable func household(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let id = try CommunityController.household(context)
        var model = try await HouseholdModel.load(id, actor: actor, pages: self, web: page, now: now())
        if let done = request.uri.queryParameters["visit"] {
            model.notice = try await model.visitNotice(String(done), web: page)
        }
        return WebSupport.page(model.render(page), page)
    }

    /// `POST /staff/households/{household}/reveal`: the members in full, the look audited.
    @Sendable func reveal(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let id = try CommunityController.household(context)
        let form = try await support.form(request, page)
        var model = try await HouseholdModel.load(id, actor: actor, pages: self, web: page, now: now())
        model.stored = try await community.revealMembers(of: id, by: actor, purpose: form["purpose"] ?? "走访", at: now())
        model.revealed = true
        return WebSupport.page(model.render(page), page)
    }

    /// `POST /staff/households/{household}/visits`: records a visit; what was heard becomes an item when a category
    /// is chosen. A retried form (same `request_key`) records nothing twice. Bad input comes back with the form kept.
    @Sendable func recordVisit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let id = try CommunityController.household(context)
        let form = try await support.form(request, page, keepingMalformed: true)
        let at = now()
        do {
            // Every field checked, so that all that is wrong shows at once.
            var check = Validator()
            form.checkEncoding(into: &check)
            let outcome = form["outcome"].flatMap(VisitOutcome.init(rawValue:))
            if outcome == nil { check.fail("outcome", "请选择走访结果 (choose how the visit went)") }
            var when = at
            if let raw = form["at"] {
                if let date = Format.parseLocalTime(raw) {
                    when = date
                } else {
                    check.fail("at", "时间格式应为 2026-11-23T20:30 (a time like 2026-11-23T20:30)")
                }
            }
            let category = form["category"].flatMap { $0.isEmpty ? nil : MinyiCore.Category.Code($0) }
            let report = check.check { () throws(ValidationError) in
                try VisitReport(
                    outcome: outcome ?? VisitOutcome.allCases[0], at: when, heard: form.raw("heard"), diary: form.raw("diary"),
                    itemCategory: category, now: at)
            }
            try check.finish()
            guard let report else { throw ValidationErrors(check.errors) }
            let recorded = try await community.recordVisit(to: id, report, requestKey: form["request_key"], by: actor, at: at)
            return WebSupport.redirect("/staff/households/\(id.rawValue)?visit=\(recorded.visit.id.rawValue)#visits")
        } catch let error where error is ValidationError || error is ValidationErrors {
            var model = try await HouseholdModel.load(id, actor: actor, pages: self, web: page, now: at)
            model.draft = VisitDraft(form: form)
            model.errors = ErrorReport(error).fields.mapValues { page.localized($0) }
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }

    /// `POST /staff/households/{household}/plans`: the officer plans a visit on a day; it joins their due list.
    @Sendable func planVisit(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await householdForm(request, context) { form, actor, id in
            guard let day = form["on"].flatMap({ Format.parseDay($0) }) else {
                throw ValidationError.invalid(field: "on", message: "请选择日期 (choose a day)")
            }
            _ = try await community.planVisit(to: id, on: day, note: form.raw("note"), by: actor, at: now())
            return "/staff/visits"
        }
    }

    /// `POST /staff/households/{household}/items`: ties the household to an item a rule covers (the other party to a
    /// dispute), which makes it due as the item's own resident is.
    @Sendable func linkItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await householdForm(request, context) { form, actor, id in
            try await community.linkItem(TrackingNumber.normalise(form.raw("number")), to: id, by: actor, at: now())
            return "/staff/households/\(id.rawValue)"
        }
    }

    /// A small form of a household's page: done, it redirects where `act` says; bad input comes back on the
    /// household's page with 422 and the field named.
    private func householdForm(
        _ request: Request, _ context: AppRequestContext, _ act: (Form, Actor, Household.ID) async throws -> String
    ) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let id = try CommunityController.household(context)
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            try form.checkEncoding()
            return WebSupport.redirect(try await act(form, actor, id))
        } catch let error as ValidationError {
            var model = try await HouseholdModel.load(id, actor: actor, pages: self, web: page, now: now())
            model.errors = [error.field: page.localized(error.message)]
            model.sent = form
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }
}

/// What the officer typed in the visit form, kept when it comes back with an error.
struct VisitDraft: Sendable {
    /// Nothing chosen in advance: a visit counts for coverage only when the officer says it met the household.
    var outcome: String = ""
    var at: String?
    var heard: String = ""
    var diary: String = ""
    var category: String = ""
    var requestKey: String?

    init() {}

    init(form: Form) {
        outcome = form["outcome"] ?? VisitOutcome.met.rawValue
        at = form["at"]
        heard = form.raw("heard")
        diary = form.raw("diary")
        category = form["category"] ?? ""
        requestKey = form["request_key"]
    }
}
