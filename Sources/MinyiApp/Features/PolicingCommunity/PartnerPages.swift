import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The policing community's pages: its members, what they did and the points it earned, the tasks the unit shares,
/// and, apart, the informants, seen only by those who handle them, every look audited.
struct PartnerPages: Sendable {
    let web: WebController
    let partners: SQLPartnerStore
    let audit: SQLAuditLog
    let newID: @Sendable () -> String
    let now: @Sendable () -> Date

    var support: WebSupport { web.support }

    static func partnerID(_ context: AppRequestContext) throws -> Partner.ID {
        guard let raw = context.parameters.get("partner"), !raw.isEmpty, raw.count <= 64 else {
            throw AppError.notFound("成员不存在 (no such member)")
        }
        return .init(raw)
    }

    static func taskID(_ context: AppRequestContext) throws -> SharedTask.ID {
        guard let raw = context.parameters.get("task"), !raw.isEmpty, raw.count <= 64 else { throw AppError.notFound("任务不存在 (no such task)") }
        return .init(raw)
    }

    /// The year the tallies count: the last 365 days.
    var since: Date { now().addingTimeInterval(-365 * 86400) }

    // MARK: Members

    /// `GET /staff/partners`
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await PartnersModel.load(actor: try context.staff(), pages: self, informants: false)
        return WebSupport.page(model.render(page), page)
    }

    /// `GET /staff/informants`: only to those who handle informants; the look is audited.
    @Sendable func informants(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let model = try await PartnersModel.load(actor: actor, pages: self, informants: true)
        try await audit.record(
            actor: actor.officer.id, action: "informants.list", target: actor.jurisdiction.id.rawValue, detail: "\(model.partners.count)", at: now())
        return WebSupport.page(model.render(page), page)
    }

    /// `POST /staff/partners`: registers a member; every faulty field named, what was typed kept.
    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let form = try await support.form(request, page, keepingMalformed: true)
        let kind = form["kind"].flatMap(Partner.Kind.init(rawValue:))
        do {
            var check = Validator()
            form.checkEncoding(into: &check)
            do {
                let partner = try Partner.validated(
                    id: .init(newID()), kind: kind, name: form.raw("name"), phone: form["phone"], areaID: form["area"].map { .init($0) },
                    skills: form.all("skills"), availability: form.all("availability"), note: form["note"])
                try check.finish()
                try await partners.register(partner, by: actor, at: now())
                if partner.kind == .informant {
                    try await audit.record(actor: actor.officer.id, action: "informant.add", target: partner.id.rawValue, detail: nil, at: now())
                }
                return WebSupport.redirect("/staff/partners/\(partner.id.rawValue)")
            } catch let errors as ValidationErrors {
                for problem in errors.errors { check.fail(problem) }
                try check.finish()
                throw errors
            }
        } catch let errors as ValidationErrors {
            var model = try await PartnersModel.load(
                actor: actor, pages: self, informants: kind == .informant && Permission.handleInformants.isHeld(by: actor))
            model.sheet = FormSheet(page, values: form, errors: errors.byField.mapValues { page.localized($0) })
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }

    /// `GET /staff/partners/{partner}`: an informant's page is a 404 to those who do not handle informants; looking at
    /// one, or at a member's full phone number, is audited.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await PartnerModel.load(try Self.partnerID(context), actor: try context.staff(), pages: self)
        return WebSupport.page(model.render(page), page)
    }

    /// `POST /staff/partners/{partner}/activities`
    @Sendable func logActivity(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let id = try Self.partnerID(context)
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            var check = Validator()
            form.checkEncoding(into: &check)
            let kind = form["kind"].flatMap(PartnerActivity.Kind.init(rawValue:))
            if kind == nil { check.fail("kind", "请选择活动类型 (choose what was done)") }
            let hours = check.check { () throws(ValidationError) in try PartnerActivity.hours(form["hours"] ?? (kind == .tip ? "0" : nil)) }
            let at = form["at"].flatMap(Format.parseLocalTime) ?? (form["at"] == nil ? now() : nil)
            if at == nil {
                check.fail("at", "请按 年-月-日 时:分 填写 (a date and time)")
            } else if let at, at > now() {
                check.fail("at", "时间不能晚于现在 (not in the future)")
            }
            let note = form["note"]
            if let note, note.count > 500 { check.fail("note", "备注最多 500 字 (at most 500 characters)") }
            try check.finish()
            guard let kind, let hours, let at else { return WebSupport.redirect("/staff/partners/\(id.rawValue)") }
            try await partners.log(kind, hours: hours, useful: form["useful"] == "1", note: note, for: id, at: at, by: actor, now: now())
            return WebSupport.redirect("/staff/partners/\(id.rawValue)")
        } catch let errors as ValidationErrors {
            var model = try await PartnerModel.load(id, actor: actor, pages: self)
            model.sheet = FormSheet(page, values: form, errors: errors.byField.mapValues { page.localized($0) })
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }

    /// `GET /staff/partners.csv`: members with their hours and points; informants are never exported.
    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let catalogue = try await web.catalogue()
        let members = try await partners.partners(under: actor)
        let tallies = try await partners.tallies(under: actor, since: since)
        var text = "\u{FEFF}" + CSV.row(["类别", "姓名/名称", "手机", "社区", "技能", "可服务时间", "近一年时长(小时)", "近一年积分"])
        for member in members where member.kind != .informant {
            let tally = tallies[member.id]
            text += CSV.row([
                member.kind.nameZh, member.name, member.phone.map(Contact.maskPhone) ?? "", catalogue.placeName(member.areaID),
                member.skills.map(\.nameZh).joined(separator: "、"), member.availability.map(\.nameZh).joined(separator: "、"),
                String(format: "%.1f", tally?.hours ?? 0), String(tally?.points ?? 0),
            ])
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"minyi-policing-community.csv\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: Tasks

    /// `GET /staff/tasks`
    @Sendable func tasks(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await TasksModel.load(actor: try context.staff(), pages: self)
        return WebSupport.page(model.render(page), page)
    }

    /// `POST /staff/tasks`: shares a task with an area's volunteers.
    @Sendable func share(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            var check = Validator()
            form.checkEncoding(into: &check)
            let starts = form["starts_at"].flatMap(Format.parseLocalTime)
            if form["starts_at"] != nil, starts == nil { check.fail("starts_at", "请按 年-月-日 时:分 填写 (a date and time)") }
            do {
                let task = try SharedTask.validated(
                    id: .init(newID()), unitID: actor.unit.id, areaID: form["area"].map { .init($0) },
                    kind: form["kind"].flatMap(SharedTask.Kind.init),
                    title: form.raw("title"), text: form.raw("text"), startsAt: starts, needed: form["needed"])
                try check.finish()
                try await partners.share(task, by: actor, at: now())
                return WebSupport.redirect("/staff/tasks/\(task.id.rawValue)")
            } catch let errors as ValidationErrors {
                for problem in errors.errors { check.fail(problem) }
                try check.finish()
                throw errors
            }
        } catch let errors as ValidationErrors {
            var model = try await TasksModel.load(actor: actor, pages: self)
            model.sheet = FormSheet(page, values: form, errors: errors.byField.mapValues { page.localized($0) })
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }

    /// `GET /staff/tasks/{task}`
    @Sendable func task(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await TaskModel.load(try Self.taskID(context), actor: try context.staff(), pages: self)
        return WebSupport.page(model.render(page), page)
    }

    /// `POST /staff/tasks/{task}/takers`: records that a volunteer of the area took the task.
    @Sendable func take(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await changeTask(request, context) { form, actor, id in
            guard let partner = form["partner"] else { throw ValidationError.invalid(field: "partner", message: "请选择志愿者 (choose who took it)") }
            try await partners.take(id, partner: .init(partner), by: actor, at: now())
        }
    }

    /// `POST /staff/tasks/{task}/close`: what came of it, and the hours each taker is credited.
    @Sendable func close(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await changeTask(request, context) { form, actor, id in
            var check = Validator()
            let done = form["result"] == "done"
            if form["result"] != "done" && form["result"] != "cancelled" { check.fail("result", "请选择完成或取消 (done or cancelled)") }
            let outcome = form.raw("outcome").trimmed
            if outcome.isEmpty || outcome.count > 1000 {
                check.fail("outcome", "请写明结果（最多 1000 字） (what came of it, up to 1,000 characters)")
            }
            let hours = done ? check.check { () throws(ValidationError) in try PartnerActivity.hours(form["hours"]) } : 0
            try check.finish()
            try await partners.close(id, done: done, outcome: outcome, hours: hours ?? 0, by: actor, at: now())
        }
    }

    func changeTask(_ request: Request, _ context: AppRequestContext, _ body: (Form, Actor, SharedTask.ID) async throws -> Void) async throws
        -> Response
    {
        let page = try context.webRequest()
        let actor = try context.staff()
        let id = try Self.taskID(context)
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            try form.checkEncoding()
            try await body(form, actor, id)
            return WebSupport.redirect("/staff/tasks/\(id.rawValue)")
        } catch {
            let report = ErrorReport(error)
            guard !report.fields.isEmpty else { throw error }
            var model = try await TaskModel.load(id, actor: actor, pages: self)
            model.sheet = FormSheet(page, values: form, errors: report.fields.mapValues { page.localized($0) })
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }
}
