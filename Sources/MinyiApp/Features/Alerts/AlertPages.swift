import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Safety alerts: residents read them per community and topic on the square and in feeds; officers publish them for
/// their communities, paste them into each community's group, and withdraw them.
struct AlertPages: Sendable {
    let web: WebController
    let alerts: SQLAlertStore
    let organisation: SQLOrganisationStore
    let newID: @Sendable () -> String
    let now: @Sendable () -> Date

    var support: WebSupport { web.support }

    static func alertID(_ context: AppRequestContext) throws -> SafetyAlert.ID {
        guard let raw = context.parameters.get("alert"), !raw.isEmpty, raw.count <= 64 else {
            throw AppError.notFound("警情提示不存在 (no such alert)")
        }
        return .init(raw)
    }

    /// The community and topic a public page or feed is narrowed to; an unknown one is a 404 naming it.
    func filter(_ request: Request, catalogue: WebController.Catalogue) throws -> (community: PoliceUnit?, topic: SafetyAlert.Topic?) {
        var community: PoliceUnit?
        if let raw = request.uri.queryParameters["community"], !raw.isEmpty {
            guard let unit = catalogue.byID[.init(String(raw))], unit.kind == .community else {
                throw AppError.notFound("社区不存在 (no such community): \(raw)")
            }
            community = unit
        }
        var topic: SafetyAlert.Topic?
        if let raw = request.uri.queryParameters["topic"], !raw.isEmpty {
            guard let chosen = SafetyAlert.Topic(rawValue: String(raw)) else { throw AppError.notFound("主题不存在 (no such topic): \(raw)") }
            topic = chosen
        }
        return (community, topic)
    }

    /// The query that narrows a list or a feed the same way.
    static func query(community: PoliceUnit?, topic: SafetyAlert.Topic?) -> String {
        let parts = [community.map { "community=\($0.id.rawValue)" }, topic.map { "topic=\($0.rawValue)" }].compactMap { $0 }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    // MARK: Public

    /// `GET /alerts?community=&topic=&all=1`: in force now, or with `all` the past ones too.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let catalogue = try await web.catalogue()
        let (community, topic) = try filter(request, catalogue: catalogue)
        let all = request.uri.queryParameters["all"] == "1"
        let found = try await alerts.alerts(community: community?.id, topic: topic, inForce: !all, at: now(), limit: 100)
        let model = AlertListModel(catalogue: catalogue, community: community, topic: topic, all: all, alerts: found, now: now())
        return WebSupport.page(model.render(page), page)
    }

    /// `GET /alerts/{alert}`
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await AlertModel.load(try Self.alertID(context), pages: self, staff: nil, request: request)
        return WebSupport.page(model.render(page), page)
    }

    /// `GET /alerts/feed.atom?community=&topic=`: the newest alerts, withdrawn ones marked.
    @Sendable func feed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let catalogue = try await web.catalogue()
        let (community, topic) = try filter(request, catalogue: catalogue)
        let found = try await alerts.alerts(community: community?.id, topic: topic, inForce: false, at: now(), limit: 50)
        let base = support.publicBase(request)
        let query = Self.query(community: community, topic: topic)
        let title = ["警情提示", community.map { catalogue.placeName($0.id) }, topic?.nameZh].compactMap { $0 }.joined(separator: " · ")
        let data = AlertFeeds.atom(
            title: title,
            id: "urn:minyi:alerts" + (community.map { ":community:\($0.id.rawValue)" } ?? "") + (topic.map { ":topic:\($0.rawValue)" } ?? ""),
            selfURL: base + "/alerts/feed.atom" + query, alternateURL: base + "/alerts" + query, alerts: found, base: base, names: catalogue,
            now: now())
        return Self.xml(data, type: "application/atom+xml; charset=utf-8")
    }

    /// `GET /alerts/{alert}/cap.xml`: the alert as a CAP 1.2 message.
    @Sendable func cap(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let alert = try await alerts.alert(try Self.alertID(context)), alert.validFrom <= now() else {
            throw AppError.notFound("警情提示不存在 (no such alert)")
        }
        let base = support.publicBase(request)
        let host = base.split(separator: "/").last.map(String.init) ?? "minyi"
        return Self.xml(
            AlertFeeds.cap(alert, sender: "minyi@" + host, base: base, names: try await web.catalogue()), type: "application/cap+xml; charset=utf-8")
    }

    static func xml(_ data: Data, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "max-age=60"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Staff

    /// `GET /staff/alerts`: the jurisdiction's alerts, how many groups each reached, what went out where, and the form.
    @Sendable func staffList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await StaffAlertsModel.load(actor: try context.staff(), pages: self)
        return WebSupport.page(model.render(page), page)
    }

    /// `POST /staff/alerts`: publishes an alert; every faulty field comes back named, with what was typed.
    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            var check = Validator()
            form.checkEncoding(into: &check)
            func time(_ name: String) -> Date? {
                guard let raw = form[name] else { return nil }
                guard let date = Format.parseLocalTime(raw) else {
                    check.fail(name, "请按 年-月-日 时:分 填写 (a date and time)")
                    return nil
                }
                return date
            }
            let from = time("valid_from")
            let until = time("valid_until")
            let alert: SafetyAlert
            do {
                alert = try SafetyAlert.validated(
                    id: .init(newID()), unitID: actor.unit.id, communities: form.all("communities").map { .init($0) },
                    topic: form["topic"].flatMap(SafetyAlert.Topic.init(rawValue:)),
                    urgency: form["urgency"].flatMap(SafetyAlert.Urgency.init(rawValue:)),
                    severity: form["severity"].flatMap(SafetyAlert.Severity.init(rawValue:)), title: form.raw("title"), text: form.raw("text"),
                    validFrom: from, validUntil: until, now: now())
            } catch {
                // What could not be read keeps its own message; the alert's rules name the rest.
                for problem in error.errors { check.fail(problem) }
                try check.finish()
                throw error
            }
            try check.finish()
            try await alerts.publish(alert, by: actor, at: now())
            return WebSupport.redirect("/staff/alerts/\(alert.id.rawValue)")
        } catch let errors as ValidationErrors {
            var model = try await StaffAlertsModel.load(actor: actor, pages: self)
            model.sheet = FormSheet(page, values: form, errors: errors.byField.mapValues { page.localized($0) })
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }

    /// `GET /staff/alerts/{alert}`: the message for the groups, and which communities' groups it went to.
    @Sendable func staffShow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await AlertModel.load(try Self.alertID(context), pages: self, staff: try context.staff(), request: request)
        return WebSupport.page(model.render(page), page)
    }

    /// `POST /staff/alerts/{alert}/sent`: marks the alert as pasted into a community's group.
    @Sendable func markSent(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form, actor, id in
            try await alerts.markSent(id, to: .init(form.raw("community")), by: actor, at: now())
        }
    }

    /// `POST /staff/alerts/{alert}/withdraw`: withdraws it, with the reason residents will read.
    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context) { form, actor, id in
            let reason = form.raw("reason").trimmed
            var check = Validator()
            form.checkEncoding(into: &check)
            if reason.isEmpty || reason.count > 200 {
                check.fail("reason", "请写明撤回原因（最多 200 字） (why it is withdrawn, up to 200 characters)")
            }
            try check.finish()
            try await alerts.withdraw(id, reason: reason, by: actor, at: now())
        }
    }

    func change(_ request: Request, _ context: AppRequestContext, _ body: (Form, Actor, SafetyAlert.ID) async throws -> Void) async throws -> Response
    {
        let page = try context.webRequest()
        let actor = try context.staff()
        let id = try Self.alertID(context)
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            try await body(form, actor, id)
            return WebSupport.redirect("/staff/alerts/\(id.rawValue)")
        } catch let errors as ValidationErrors {
            var model = try await AlertModel.load(id, pages: self, staff: actor, request: request)
            model.sheet = FormSheet(page, values: form, errors: errors.byField.mapValues { page.localized($0) })
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        }
    }
}
