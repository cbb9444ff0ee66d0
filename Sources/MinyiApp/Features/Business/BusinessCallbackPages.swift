import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The callback queue over business records (民意访评中心): services of other police systems, called back like items.
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
            try await businessQueuePage(
                web, actor: actor, notice: request.uri.queryParameters["done"].map { web.t("已记录 \($0)。", "Recorded \($0).") }), web)
    }

    func businessQueuePage(_ web: WebRequest, actor: Actor, notice: String?) async throws -> HTML {
        let at = now()
        let records = try await business.dueCallbacks(for: actor, at: at, limit: 200)
        let types = Dictionary(uniqueKeysWithValues: try await business.types().map { ($0.code, $0) })
        let catalogue = try await catalogue()
        let mine = records.filter { $0.agentID == actor.officer.id }
        let open = records.filter { $0.agentID == nil }
        func table(_ rows: [StoredBusinessRecord]) -> HTML {
            guard !rows.isEmpty else { return "<p class=\"card\">\(web.t("没有。", "None."))</p>" }
            let body: [HTML] = rows.map { stored in
                let type = types[stored.record.businessType]
                return """
                    <tr><td><a href="\(Self.recordPath(stored.record.recordID))">\(stored.record.recordID)</a></td>
                    <td>\(type.map { web.lang == .zh ? $0.nameZh : $0.nameEn } ?? stored.record.businessType)</td>\
                    <td>\(catalogue.unitName(stored.record.unitID))</td>
                    <td class="hide-narrow">\(Format.date(stored.record.occurredAt))</td><td>\(stored.due.map { Format.dateTime($0) } ?? "—")</td>\
                    <td class="num">\(stored.attempts)</td></tr>
                    """
            }
            return """
                <div class="table-wrap"><table class="business"><thead><tr><th>\(web.t("业务编号", "Record"))</th><th>\(web.t("业务类型", "Type"))</th>\
                <th>\(web.t("办理单位", "Unit"))</th>
                <th class="hide-narrow">\(web.t("办理日期", "Date"))</th><th>\(web.t("应回访", "Due"))</th><th class="num">\(web.t("已拨打", "Calls"))</th>\
                </tr></thead><tbody>\(body)</tbody></table></div>
                """
        }
        return Layout.page(
            web, title: web.t("业务回访", "Service callbacks"), staff: true,
            """
            <h1>\(web.t("业务回访", "Callbacks after services"))</h1>
            \(Layout.noticeBox(notice))
            <p class="hint">\(web.t("报警、户籍、证件、车驾管等业务办理后次日回访；敏感业务（家暴、性侵、未成年人等）不回访。无人接听最多拨打 3 次。", "Crime reports, household registration, ID cards, vehicles … are called back the day after; sensitive cases (domestic violence, sexual offences, minors …) never are. No answer: at most three calls."))</p>
            <h2>\(web.t("我领取的", "Mine")) <span class="muted">(\(mine.count))</span></h2>
            \(table(mine))
            <h2>\(web.t("待领取", "Not yet taken")) <span class="muted">(\(open.count))</span></h2>
            <form method="post" action="/staff/business-callbacks/claim" class="no-print">\(web.csrfField)\
            <input type="hidden" name="count" value="10">
            <button type="submit">\(web.t("领取 10 件", "Take 10"))</button></form>
            \(table(open))
            """)
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
        return WebSupport.page(try await businessRecordPage(web, actor: actor, id: recordID(context), error: nil), web)
    }

    func businessRecordPage(_ web: WebRequest, actor: Actor, id: String, error: String?) async throws -> HTML {
        guard let stored = try await business.record(id), actor.jurisdiction.contains(path: stored.unitPath) else {
            throw AppError.notFound(web.t("业务记录 \(id) 不存在或不在您的辖区。", "Record \(id) does not exist or is outside your jurisdiction."))
        }
        let record = stored.record
        let catalogue = try await catalogue()
        let type = try await business.types().first { $0.code == record.businessType }
        let phone: String? =
            stored.status == .scheduled && !record.sensitive
            ? try await business.revealPhone(of: id, by: actor, at: now()) : record.contactPhone.map(Contact.maskPhone)
        let attempts: [HTML] = try await business.attempts(of: id).map { attempt in
            let scores = CallbackScores.Indicator.allCases.compactMap { i in
                attempt.scores[i].map { (web.lang == .zh ? i.nameZh : i.nameEn) + " \($0)" }
            }
            return """
                <li><div class="when">\(Layout.time(attempt.at, web))</div>\
                <strong>\(web.lang == .zh ? attempt.outcome.nameZh : attempt.outcome.nameEn)</strong>
                \(attempt.satisfaction.map { " · \(web.lang == .zh ? $0.nameZh : $0.nameEn)" as HTML })
                \(scores.isEmpty ? .empty : "<div>\(scores.joined(separator: web.lang == .zh ? "，" : ", "))</div>" as HTML)\(attempt.comment.map { "<div>\($0)</div>" as HTML })</li>
                """
        }
        var form: HTML = .empty
        if stored.status == .scheduled {
            func options<T: RawRepresentable>(_ values: [T], _ name: (T) -> String) -> [HTML] where T.RawValue == String {
                values.map { "<option value=\"\($0.rawValue)\">\(name($0))</option>" }
            }
            let scores = Self.scoreFields(web)
            form = """
                <form method="post" action="\(Self.recordPath(id))/attempt" class="card" id="attempt-form">\(web.csrfField)
                <h2>\(web.t("记录本次回访", "Record this call"))</h2>
                <label for="f-outcome">\(web.t("拨打结果", "Call outcome"))</label>
                <select id="f-outcome" name="outcome">\(options(BusinessCallback.Outcome.allCases) { web.lang == .zh ? $0.nameZh : $0.nameEn })\
                </select>
                <label for="f-satisfaction">\(web.t("满意程度（接通时填写）", "Satisfaction (when answered)"))</label>
                <select id="f-satisfaction" name="satisfaction"><option value="">—\
                </option>\(options(CallbackResult.allCases.filter(\.isAnswered)) { web.lang == .zh ? $0.nameZh : $0.nameEn })</select>
                <label for="f-comment">\(web.t("群众意见（不满意时必填）", "What the resident said (required when dissatisfied)"))</label>
                <textarea id="f-comment" name="comment" rows="3"></textarea>
                <fieldset><legend>\(web.t("评分（1–5 分，选填）", "Scores (1–5, optional)"))</legend><div class="filters">\(scores)</div></fieldset>
                <button type="submit">\(web.t("记录", "Record"))</button></form>
                """
        }
        return Layout.page(
            web, title: record.recordID, staff: true,
            """
            <h1>\(web.t("业务回访", "Service callback")) · <span id="record-id">\(record.recordID)</span></h1>
            \(Layout.errorBox(error))
            <div class="grid"><div class="card"><dl class="facts">
            <dt>\(web.t("业务类型", "Type"))</dt><dd>\(type.map { web.lang == .zh ? $0.nameZh : $0.nameEn } ?? record.businessType)</dd>
            <dt>\(web.t("办理单位", "Unit"))</dt><dd>\(catalogue.unitName(record.unitID))</dd>
            <dt>\(web.t("经办民警", "Officer"))</dt><dd>\(record.officer ?? "—")</dd>
            <dt>\(web.t("办理日期", "Date"))</dt><dd>\(Format.dateTime(record.occurredAt))</dd>
            <dt>\(web.t("回访状态", "Callback"))</dt>\
            <dd id="record-status">\(web.lang == .zh ? stored.status.nameZh : stored.status.nameEn) (\(web.t("已拨打", "calls")) \(stored.attempts))\
            </dd>
            \(stored.itemNumber.map { "<dt>\(web.t("转为事项", "Opened item"))</dt><dd><a href=\"/staff/items/\($0)\" id=\"record-item\">\($0)</a></dd>" as HTML })
            </dl></div>
            <div class="card"><h2>\(web.t("群众", "Resident"))</h2><dl class="facts"><dt>\(web.t("姓名", "Name"))</dt><dd>\(record.contactName ?? "—")\
            </dd>
            <dt>\(web.t("电话", "Phone"))</dt><dd id="record-phone">\(phone ?? "—")</dd></dl>
            \(stored.status == .scheduled ? "<p class=\"hint\">\(web.t("本次查看已记录。", "This look has been logged."))</p>" as HTML : .empty)\
            </div></div>
            \(form)
            <div class="card"><h2>\(web.t("回访记录", "Calls"))\
            </h2>\(attempts.isEmpty ? "<p class=\"muted\">\(web.t("尚未拨打。", "No calls yet."))</p>" as HTML
                : "<ol class=\"timeline\">\(attempts)</ol>" as HTML)</div>
            """)
    }

    /// `POST /staff/business-callbacks/{record}/attempt`
    @Sendable func recordBusinessAttempt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let id = recordID(context)
        let form = try await support.form(request, web)
        do {
            guard let raw = form["outcome"], let outcome = BusinessCallback.Outcome(rawValue: raw) else {
                throw ValidationError.invalid(field: "outcome", message: "请选择拨打结果 (choose the outcome)")
            }
            let stored = try await business.recordAttempt(
                outcome, satisfaction: form["satisfaction"].flatMap(CallbackResult.init(rawValue:)), scores: try Self.scores(from: form),
                comment: form["comment"], of: id, by: actor, at: now())
            let done = stored.itemNumber.map { "\(id) → \($0)" } ?? id
            return WebSupport.redirect("/staff/business-callbacks?done=" + (done.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        } catch {
            let report = ErrorReport(error)
            if report.unexpected { throw error }
            return WebSupport.page(
                try await businessRecordPage(web, actor: actor, id: id, error: web.localized(report.message)), web, status: report.status)
        }
    }
}
