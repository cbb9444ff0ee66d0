import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Meetings where officers report to the people: planned, held and closed by staff; rated by attendees with the code
/// they got at the door; public once closed.
struct MeetingPages: Sendable {
    let web: WebController
    let community: SQLCommunityStore
    /// Public ratings are limited per address like every public form post.
    let rateLimiter: RateLimiter
    let now: @Sendable () -> Date

    var support: WebSupport { web.support }

    static func meetingID(_ context: AppRequestContext) throws -> Meeting.ID {
        guard let raw = context.parameters.get("meeting"), !raw.isEmpty, raw.count <= 64 else { throw AppError.notFound("会议不存在") }
        return .init(raw)
    }

    // MARK: Staff

    /// `GET /staff/meetings`: the jurisdiction's meetings and the form to plan one.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await MeetingListModel.load(actor: try context.staff(), pages: self, now: now())
        return WebSupport.page(model.render(page), page)
    }

    /// `POST /staff/meetings`: plans a meeting.
    @Sendable func plan(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            // The time and the kind with the rest, so that every fault shows at once.
            var check = Validator()
            form.checkEncoding(into: &check)
            let starts = form["starts_at"].flatMap(Format.parseLocalTime)
            if starts == nil { check.fail("starts_at", "请填写会议时间 (a time like 2026-11-23T19:30)") }
            let kind = form["kind"].flatMap(Meeting.Kind.init(rawValue:))
            if kind == nil { check.fail("kind", "请选择会议形式 (choose the kind of meeting)") }
            var input: SQLCommunityStore.MeetingInput?
            do {
                input = try SQLCommunityStore.MeetingInput(
                    title: form.raw("title"), kind: kind ?? .report, unitID: .init(form["unit"] ?? ""), place: form.raw("place"),
                    startsAt: starts ?? now(), reporters: form.all("reporters").map { Officer.ID($0) },
                    invitedDeputies: Int(form["invited_deputies"] ?? "0") ?? -1, invitedResidents: Int(form["invited_residents"] ?? "0") ?? -1)
            } catch {
                for problem in error.errors { check.fail(problem) }
            }
            try check.finish()
            guard let input else { throw ValidationErrors(check.errors) }
            let meeting = try await community.planMeeting(input, by: actor, at: now())
            return WebSupport.redirect("/staff/meetings/\(meeting.id.rawValue)")
        } catch let error where error is ValidationError || error is ValidationErrors {
            var model = try await MeetingListModel.load(actor: actor, pages: self, now: now())
            model.form = form
            model.errors = ErrorReport(error).fields.mapValues { page.localized($0) }
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }

    /// `GET /staff/meetings/{meeting}`: the meeting, its results so far, and what staff do at it.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let notice = request.uri.queryParameters["raised"].map { page.t("已登记为事项 \($0)。", "Registered as item \($0).") }
        let model = try await MeetingModel.load(try Self.meetingID(context), actor: try context.staff(), pages: self, web: page, notice: notice)
        return WebSupport.page(model.render(page), page)
    }

    /// `POST /staff/meetings/{meeting}/status`: opens the meeting for ratings, or closes it.
    @Sendable func setStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let id = try Self.meetingID(context)
        let form = try await support.form(request, page)
        let status = try parse(form["to"], Meeting.Status.self, field: "to")
        try await community.setMeetingStatus(status, of: id, by: try context.staff(), at: now())
        return WebSupport.redirect("/staff/meetings/\(id.rawValue)")
    }

    /// `POST /staff/meetings/{meeting}/codes`: a printable sheet of new attendance codes (shown this once).
    @Sendable func issueCodes(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let id = try Self.meetingID(context)
        let form = try await support.form(request, page)
        let model = try await MeetingModel.load(id, actor: actor, pages: self, web: page, notice: nil)
        do {
            let codes = try await community.issueCodes(Int(form["count"] ?? "") ?? 0, for: id, by: actor)
            return WebSupport.page(model.renderCodes(codes, page), page)
        } catch let error as ValidationError {
            var model = model
            model.error = page.localized(error.message)
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }

    /// `POST /staff/meetings/{meeting}/concerns`: what an attendee raised, registered as an item of the meeting.
    @Sendable func raiseConcern(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let id = try Self.meetingID(context)
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            // Every field checked, so that the text and the phone are named together when both are wrong.
            var check = Validator()
            form.checkEncoding(into: &check)
            _ = check.check { () throws(ValidationError) in try Submission.checkText(form.raw("text")) }
            let contact = check.check { () throws(ValidationError) in
                try Contact.validated(name: form["name"], phone: form["phone"], idNumber: nil)
            }
            if form["category"] == nil { check.fail("category", "请选择类别 (choose a category)") }
            if form["place"] == nil { check.fail("place", "请选择社区/村 (choose the community)") }
            let kind = ItemKind(rawValue: form["kind"] ?? "opinion")
            if kind == nil { check.fail("kind", "请选择类型 (choose a kind)") }
            let errors = check.errors.map {
                ValidationError.invalid(field: $0.field.replacingOccurrences(of: "contact.", with: ""), message: $0.message)
            }
            if !errors.isEmpty { throw ValidationErrors(errors) }
            let submission = try Submission(
                kind: kind ?? .opinion, category: .init(form["category"] ?? ""), channel: .meeting, text: form.raw("text"),
                placeID: .init(form["place"] ?? ""), contact: contact ?? nil)
            let number = try await community.raiseConcern(at: id, submission, by: actor, at: now())
            return WebSupport.redirect("/staff/meetings/\(id.rawValue)?raised=\(number)")
        } catch let errors as ValidationErrors {
            var model = try await MeetingModel.load(id, actor: actor, pages: self, web: page, notice: nil)
            model.concern = form
            model.errors = errors.byField.mapValues { page.localized($0) }
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        } catch let error as ValidationError {
            var model = try await MeetingModel.load(id, actor: actor, pages: self, web: page, notice: nil)
            model.concern = form
            model.error = page.localized(error.message)
            model.errorField = error.field
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }

    // MARK: Public

    /// `GET /meetings`: closed meetings and their results, for everyone.
    @Sendable func publicList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let meetings = try await community.closedMeetings()
        return WebSupport.page(MeetingModel.renderPublicList(meetings, catalogue: try await web.catalogue(), page), page)
    }

    /// `GET /meetings/{meeting}`: a meeting as the public sees it: its results once it is closed.
    @Sendable func publicShow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await MeetingModel.load(try Self.meetingID(context), actor: nil, pages: self, web: page, notice: nil)
        return WebSupport.page(model.renderPublic(page), page)
    }

    /// `GET /meetings/{meeting}/rate`: the attendee's form: the code from the door, and a rating of each reporter.
    @Sendable func rateForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await MeetingModel.load(try Self.meetingID(context), actor: nil, pages: self, web: page, notice: nil)
        if request.uri.queryParameters["thanks"] == "1" { return WebSupport.page(model.renderThanks(page), page) }
        return WebSupport.page(model.renderRating(page), page)
    }

    /// `POST /meetings/{meeting}/rate`: the attendee's ratings, once per code; bad input comes back with the form kept.
    @Sendable func rate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        try rateLimiter.check(request, context, at: now())
        let id = try Self.meetingID(context)
        let form = try await support.form(request, page, keepingMalformed: true)
        var model = try await MeetingModel.load(id, actor: nil, pages: self, web: page, notice: nil)
        do {
            // The code and every officer's rating checked before the code is spent, each fault named.
            var check = Validator()
            form.checkEncoding(into: &check)
            if form["code"] == nil { check.fail("code", "请填写入场时领到的评议码 (the code you were given at the door)") }
            var ratings: [Officer.ID: MeetingRating] = [:]
            for officer in model.record.meeting.reporters {
                let key = officer.rawValue
                guard let raw = form["result-\(key)"] else { continue }
                guard let result = CallbackResult(rawValue: raw) else {
                    check.fail("rating.\(key)", "请选择满意、基本满意或不满意 (satisfied, basically satisfied or dissatisfied)")
                    continue
                }
                var values: [CallbackScores.Indicator: Int] = [:]
                for indicator in CallbackScores.Indicator.allCases {
                    if let score = form["\(indicator.rawValue)-\(key)"].flatMap({ Int($0) }) { values[indicator] = score }
                }
                let rating = check.check { () throws(ValidationError) in
                    do {
                        return try MeetingRating(result: result, scores: try CallbackScores(values))
                    } catch let error as ValidationError {
                        throw .invalid(field: "rating.\(key)", message: error.message)
                    } catch {
                        throw .invalid(field: "rating.\(key)", message: "评分应为 1–5 (a score is 1 to 5)")
                    }
                }
                if let rating { ratings[officer] = rating }
            }
            try check.finish()
            try await community.rate(id, code: form.raw("code"), ratings: ratings)
            // On to the thanks (Back and Reload never send the ratings again).
            return WebSupport.redirect("/meetings/\(id.rawValue)/rate?thanks=1")
        } catch let errors as ValidationErrors {
            model.rating = form
            model.errors = errors.byField.mapValues { page.localized($0) }
            return WebSupport.page(model.renderRating(page), page, status: .unprocessableContent)
        } catch let error as ValidationError {
            model.rating = form
            model.errors = [error.field: page.localized(error.message)]
            return WebSupport.page(model.renderRating(page), page, status: .unprocessableContent)
        }
    }
}
