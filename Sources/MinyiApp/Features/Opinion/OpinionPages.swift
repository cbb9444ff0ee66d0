import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Survey scores (民意评警): per station in public, per unit and officer for staff; campaigns set up and answers
/// recorded by staff.
struct OpinionPages: Sendable {
    let web: WebController
    let surveys: SQLSurveyStore
    /// The household register the phone survey draws from.
    let community: SQLCommunityStore
    /// The web link's posts are limited per address, like every public form.
    let rateLimiter: RateLimiter
    let minimumN: Int
    let now: @Sendable () -> Date

    var support: WebSupport { web.support }

    /// `GET /opinion?campaign=`: per station, no officer.
    @Sendable func publicScores(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        return WebSupport.page(try await ScoresModel.load(request, actor: nil, pages: self).render(page), page)
    }

    /// `GET /staff/opinion?campaign=&unit=`
    @Sendable func scores(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await staffModel(
            request, actor: try context.staff(),
            notice: request.uri.queryParameters["recorded"].map { _ in
                page.t("已录入。", "Recorded.")
            })
        return WebSupport.page(model.render(page), page)
    }

    func staffModel(_ request: Request, actor: Actor, notice: String? = nil) async throws -> ScoresModel {
        var model = try await ScoresModel.load(request, actor: actor, pages: self)
        model.mayManage = Permission.manageSurveys.isHeld(by: actor)
        model.mayRecord = Permission.recordSurveys.isHeld(by: actor)
        model.notice = notice
        return model
    }

    /// `POST /staff/opinion`: a new campaign over the actor's jurisdiction.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            try form.checkEncoding()
            let campaign = try SurveyCampaign.validated(
                id: .init("S" + RowID.make(at: now()).suffix(8)), title: form["title"], startsAt: form["starts_at"].flatMap(Format.parseDay),
                endsAt: form["ends_at"].flatMap(Format.parseDay).map { $0.addingTimeInterval(86400) }, unitID: actor.jurisdiction.id,
                targetPerUnit: form["target_per_unit"].map { Int($0.trimmed) ?? -1 })
            try await surveys.createCampaign(campaign, by: actor, at: now())
            return WebSupport.redirect("/staff/opinion?campaign=\(campaign.id.rawValue)")
        } catch let error where error is ValidationError || error is ValidationErrors {
            var model = try await staffModel(request, actor: actor)
            model.campaignSheet = FormSheet(page, sent: form, report: ErrorReport(error), prefix: "f-c-")
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }

    /// `GET /staff/survey-answers`: the record page of the newest campaign (the callback centre's link).
    @Sendable func recordNewest(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let campaign = try await surveys.campaigns().first else { throw AppError.notFound("尚无调查 (no survey yet)") }
        return WebSupport.redirect("/staff/opinion/\(campaign.id.rawValue)/record")
    }

    /// `GET /staff/opinion/{campaign}/record`: the form to record answers taken by phone or face to face.
    @Sendable func recordPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await recordModel(context, actor: try context.staff())
        var shown = model
        shown.notice = request.uri.queryParameters["recorded"].map { _ in page.t("已录入。", "Recorded.") }
        shown.phoneQueue = try await phoneQueue(model.campaign, actor: try context.staff())
        return WebSupport.page(shown.renderRecordPage(page), page)
    }

    /// The campaign's record page, without reading any score.
    func recordModel(_ context: AppRequestContext, actor: Actor) async throws -> ScoresModel {
        guard let raw = context.parameters.get("campaign"), let campaign = try await surveys.campaign(.init(raw)) else {
            throw AppError.notFound("调查不存在 (no such survey)")
        }
        let catalogue = try await web.catalogue()
        guard let root = catalogue.byID[campaign.unitID] else { throw AppError.notFound("调查不存在 (no such survey)") }
        let communities = catalogue.units.filter { $0.kind == .community && root.contains($0) && actor.jurisdiction.contains($0) }
        return ScoresModel(
            campaigns: [campaign], campaign: campaign, unit: root, rows: [], officers: [], whole: .init(key: "", tallies: [:]), months: [],
            minimumN: minimumN, staff: true, mayRecord: true, communities: communities)
    }

    /// `POST /staff/opinion/{campaign}/responses`: one answer taken by phone or face to face; the form is kept on error.
    @Sendable func record(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        guard let raw = context.parameters.get("campaign") else { throw AppError.notFound("调查不存在") }
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            var check = Validator()
            if form["unit"] == nil { check.fail("unit", "请选择社区/村 (choose the community)") }
            let channel = SurveyChannel(rawValue: form["channel"] ?? "phone")
            if channel == nil { check.fail("channel", "请选择方式 (choose how it was taken)") }
            let answers = Self.answers(from: form, check: &check)
            try check.finish()
            try await surveys.record(
                .init(
                    unitID: .init(form.raw("unit")), officerID: nil, channel: channel ?? .phone, surveyor: actor.officer.name, at: now(),
                    answers: answers), in: .init(raw), by: actor, at: now())
            return WebSupport.redirect("/staff/opinion/\(raw)/record?recorded=1")
        } catch let error where error is ValidationError || error is ValidationErrors {
            var model = try await recordModel(context, actor: actor)
            model.form = form
            model.errors = ErrorReport(error).fields.mapValues { page.localized($0) }
            return WebSupport.page(model.renderRecordPage(page), page, status: .unprocessableContent)
        }
    }

    /// The answers a form took (the staff's or the resident's), every faulty one named.
    static func answers(from form: Form, check: inout Validator) -> SurveyAnswers {
        form.checkEncoding(into: &check)
        func yes(_ name: String) -> Bool? { form[name].map { $0 == "yes" } }
        let satisfaction = form["satisfaction"].flatMap { raw in
            let result = CallbackResult(rawValue: raw)
            if result == nil { check.fail("satisfaction", "请选择满意、基本满意或不满意 (satisfied, basically satisfied or dissatisfied)") }
            return result
        }
        let answers = SurveyAnswers(
            sawPolice: yes("saw_police"), knowsOfficer: yes("knows_officer"), attitude: form["attitude"].flatMap { Int($0) },
            safety: form["safety"].flatMap { Int($0) }, satisfaction: satisfaction, comment: form["comment"].map { _ in form.raw("comment") })
        for problem in answers.problems() { check.fail(problem) }
        return answers
    }

    // MARK: The web link

    func publicCampaign(_ context: AppRequestContext) async throws -> SurveyCampaign {
        guard let raw = context.parameters.get("campaign"), raw.count <= 64, let campaign = try await surveys.campaign(.init(raw)) else {
            throw AppError.notFound("问卷不存在 (no such survey)")
        }
        return campaign
    }

    /// `GET /survey/{campaign}`
    @Sendable func surveyForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        var model = PublicSurveyModel(campaign: try await publicCampaign(context))
        model.done = request.uri.queryParameters["thanks"] == "1"
        return WebSupport.page(model.render(page), page)
    }

    /// `POST /survey/{campaign}`: the answers with a one-time code; the form comes back as typed when refused.
    @Sendable func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        try rateLimiter.check(request, context, at: now())
        let campaign = try await publicCampaign(context)
        let form = try await support.form(request, page, keepingMalformed: true)
        var model = PublicSurveyModel(campaign: campaign, form: form)
        do {
            // Everything checked before the code is spent, so that every fault shows at once.
            var check = Validator()
            if form["code"] == nil { check.fail("code", "请填写问卷上的问卷码 (the code from your slip)") }
            let answers = Self.answers(from: form, check: &check)
            try check.finish()
            try await surveys.answer(code: form.raw("code"), answers: answers, in: campaign.id, at: now())
            // On to the thanks (Back and Reload never send the answers again).
            return WebSupport.redirect("/survey/\(campaign.id.rawValue)?thanks=1")
        } catch let error where error is ValidationError || error is ValidationErrors {
            model.errors = ErrorReport(error).fields.mapValues { page.localized($0) }
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }

    /// `POST /staff/opinion/{campaign}/codes`: one-time codes for a community's sampled households, printed once.
    @Sendable func issueCodes(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let form = try await support.form(request, page)
        let campaign = try await publicCampaign(context)
        let unit = PoliceUnit.ID(form.raw("unit"))
        do {
            let codes = try await surveys.issueCodes(Int(form.raw("count").trimmed) ?? 0, for: campaign.id, unit: unit, by: actor)
            return WebSupport.page(
                PublicSurveyModel.renderCodes(codes, campaign: campaign, unitName: try await web.catalogue().unitName(unit), page), page)
        } catch let error as ValidationError {
            var model = try await recordModel(context, actor: actor)
            model.error = (error.field, page.localized(error.message))
            return WebSupport.page(model.renderRecordPage(page), page, status: .unprocessableContent)
        }
    }

    // MARK: The phone survey

    func phoneQueue(_ campaign: SurveyCampaign?, actor: Actor) async throws -> PhoneQueueModel? {
        guard let campaign else { return nil }
        let queue = try await surveys.sampleQueue(for: campaign.id, agent: actor)
        var addresses: [Household.ID: String] = [:]
        for sample in queue.mine { addresses[sample.householdID] = try await community.household(sample.householdID, for: actor)?.household.address }
        return PhoneQueueModel(campaign: campaign, mine: queue.mine, open: queue.open, addresses: addresses, catalogue: try await web.catalogue())
    }

    /// `POST /staff/opinion/{campaign}/sample`: draws households for the phone survey.
    @Sendable func drawSample(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let campaign = try await publicCampaign(context)
        let form = try await support.form(request, page)
        do {
            _ = try await surveys.drawSample(Int(form.raw("per_community").trimmed) ?? 0, for: campaign.id, by: actor)
            return WebSupport.redirect("/staff/opinion/\(campaign.id.rawValue)/record")
        } catch let error as ValidationError {
            var model = try await recordModel(context, actor: actor)
            model.error = (error.field, page.localized(error.message))
            model.phoneQueue = try await phoneQueue(campaign, actor: actor)
            return WebSupport.page(model.renderRecordPage(page), page, status: .unprocessableContent)
        }
    }

    /// `POST /staff/opinion/{campaign}/claim`: takes ten households to call.
    @Sendable func claimSamples(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        _ = try await support.form(request, page)
        let campaign = try await publicCampaign(context)
        _ = try await surveys.claimSamples(10, for: campaign.id, by: try context.staff())
        return WebSupport.redirect("/staff/opinion/\(campaign.id.rawValue)/record")
    }

    func callModel(_ context: AppRequestContext, actor: Actor, at now: Date) async throws -> PhoneCallModel {
        let campaign = try await publicCampaign(context)
        let sample = try await surveys.sample(context.parameters.get("sample") ?? "", agent: actor)
        let household = try await community.revealMembers(
            of: sample.householdID, by: actor, purpose: "民意评警电话调查 \(campaign.id.rawValue)",
            at: now)
        return PhoneCallModel(
            campaign: campaign, sample: sample, address: household.household.address,
            phones: household.household.members.compactMap(\.phone), scores: try await recordModel(context, actor: actor))
    }

    /// `GET /staff/opinion/{campaign}/calls/{sample}`: the household's phone (the look audited) and the questions.
    @Sendable func call(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        return WebSupport.page(try await callModel(context, actor: try context.staff(), at: now()).render(page), page)
    }

    /// `POST /staff/opinion/{campaign}/calls/{sample}`: the call's outcome and, when answered, the answers.
    @Sendable func recordCall(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let campaign = try await publicCampaign(context)
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            var check = Validator()
            let outcome = form["outcome"].flatMap(SurveySample.Status.init(rawValue:))
            if outcome == nil { check.fail("outcome", "请选择拨打结果 (choose the outcome)") }
            // The answers count only when the resident answered; then every faulty one is named.
            var answers: SurveyAnswers?
            if outcome == .answered || outcome == nil {
                var questions = Validator()
                let taken = Self.answers(from: form, check: &questions)
                if outcome == .answered {
                    for problem in questions.errors { check.fail(problem) }
                    answers = taken
                }
            }
            try check.finish()
            guard let outcome else { throw ValidationErrors(check.errors) }
            try await surveys.completeSample(
                context.parameters.get("sample") ?? "", outcome: outcome, answers: answers, for: campaign.id, by: actor, at: now())
            return WebSupport.redirect("/staff/opinion/\(campaign.id.rawValue)/record?recorded=1")
        } catch let error where error is ValidationError || error is ValidationErrors {
            var model = try await callModel(context, actor: actor, at: now())
            model.form = form
            model.errors = ErrorReport(error).fields.mapValues { page.localized($0) }
            model.scores.errors = model.errors
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }
}
