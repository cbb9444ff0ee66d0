import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The yearly assessment's pages: read by leaders, leads and inspectors within their jurisdiction; configured, filled
/// in and issued at bureau level.
struct AssessmentPages: Sendable {
    let web: WebController
    let assessments: SQLAssessmentStore
    let now: @Sendable () -> Date

    var support: WebSupport { web.support }

    static func year(_ context: AppRequestContext) throws -> Int {
        guard let year = context.parameters.get("year").flatMap({ Int($0) }), (2000...2100).contains(year) else {
            throw AppError.notFound("年度不正确 (no such year)")
        }
        return year
    }

    /// `GET /staff/assessment?year=`
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        var model = try await AssessmentModel.load(request, actor: try context.staff(), pages: self)
        model.notice = request.uri.queryParameters["done"].map { _ in page.t("已保存。", "Saved.") }
        return WebSupport.page(model.render(page), page)
    }

    /// Runs a bureau change; a refusal comes back on the page with what was typed.
    func change(
        _ request: Request, context: AppRequestContext, keep: WritableKeyPath<AssessmentModel, Form?>?,
        _ body: (Form, Actor, Int) async throws -> Void
    ) async throws -> Response {
        let page = try context.webRequest()
        let actor = try context.staff()
        let year = try Self.year(context)
        let form = try await support.form(request, page, keepingMalformed: true)
        do {
            try form.checkEncoding()
            try await body(form, actor, year)
            return WebSupport.redirect("/staff/assessment?year=\(year)&done=1")
        } catch let errors as ValidationErrors {
            var model = try await AssessmentModel.load(year: year, actor: actor, pages: self)
            if let keep { model[keyPath: keep] = form }
            model.errors = errors.byField.mapValues { page.localized($0) }
            return WebSupport.page(model.render(page), page, status: .unprocessableContent)
        } catch {
            guard let refusal = BallotPages.refusal(error) else { throw error }
            var model = try await AssessmentModel.load(year: year, actor: actor, pages: self)
            if let keep { model[keyPath: keep] = form }
            model.error = (refusal.field.isEmpty ? "components" : refusal.field, page.localized(refusal.message))
            return WebSupport.page(model.render(page), page, status: refusal.field.isEmpty ? .conflict : .unprocessableContent)
        }
    }

    /// `POST /staff/assessment/{year}/scheme`: refused unless the public's weights add up to at least 51%.
    @Sendable func configure(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context: context, keep: \.schemeForm) { form, actor, year in
            // The components, the sample and the reason checked together, each fault named.
            var check = Validator()
            let minimumN = form["minimum_n"].flatMap { raw in
                let n = Int(raw.trimmed)
                if n == nil { check.fail("minimum_n", "应为整数 (a whole number)") }
                return n
            }
            let scheme = check.check { () throws(ValidationError) in
                try AssessmentScheme.parse(form.raw("components"), year: year, minimumN: minimumN)
            }
            if form["reason"] == nil { check.fail("reason", "请说明调整原因 (say why)") }
            try check.finish()
            guard let scheme else { throw ValidationErrors(check.errors) }
            try await assessments.configure(scheme, reason: form.raw("reason"), by: actor, at: now())
        }
    }

    /// `POST /staff/assessment/{year}/entries`: lines of `officer|unit subject component score`, all or none.
    @Sendable func enter(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context: context, keep: \.entriesForm) { form, actor, year in
            var entries: [SQLAssessmentStore.Entry] = []
            var problems: [String] = []
            for (index, raw) in form.raw("entries").split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
                let parts = raw.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "，" }).map(String.init)
                guard !parts.isEmpty else { continue }
                guard parts.count == 4, let kind = AssessmentSubjectKind(rawValue: parts[0]), let score = Double(parts[3]) else {
                    problems.append(
                        "第 \(index + 1) 行应为“officer 或 unit、对象、项目、分数” "
                            + "(line \(index + 1): officer or unit, who, component, score)")
                    continue
                }
                entries.append(.init(line: index + 1, kind: kind, subject: parts[1], component: parts[2], score: score))
            }
            if !problems.isEmpty { throw ValidationError.invalid(field: "entries", message: problems.joined(separator: "\n")) }
            guard !entries.isEmpty else { throw ValidationError.invalid(field: "entries", message: "没有要录入的行 (nothing to enter)") }
            try await assessments.enter(entries, year: year, by: actor, at: now())
        }
    }

    /// `POST /staff/assessment/{year}/issue`: the lines as computed now, kept as issued.
    @Sendable func issue(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(request, context: context, keep: nil) { _, actor, year in
            let model = try await AssessmentModel.load(year: year, actor: actor, pages: self)
            guard let scheme = model.scheme else { throw StorageError.conflict("尚未配置考评方案 (no scheme yet)") }
            try await assessments.issue(
                IssuedAssessment(
                    year: year, scheme: scheme, officers: model.officers, units: model.units, issuedBy: actor.officer.id, issuedAt: now()))
        }
    }

    /// `GET /staff/assessment.csv?year=&kind=officer|unit`: the table for Excel, every cell quoted and defused.
    @Sendable func csv(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = try context.webRequest()
        let model = try await AssessmentModel.load(request, actor: try context.staff(), pages: self)
        guard let scheme = model.scheme else { throw AppError.notFound("尚未配置考评方案 (no scheme yet)") }
        let officers = request.uri.queryParameters["kind"] != "unit"
        var text = "\u{FEFF}" + CSV.row(["名次", "对象"] + scheme.components.map(\.nameZh) + ["总分", "缺失项", "状态"])
        var rank = 0
        for line in officers ? model.officers : model.units {
            if line.total != nil { rank += 1 }
            text += CSV.row(
                [line.total == nil ? "" : String(rank), model.names[line.subject] ?? line.subject]
                    + scheme.components.map { model.cell(line.values[$0.key], zh: true).text }
                    + [
                        line.total.map { String(format: "%.1f", $0) } ?? "", line.missing.joined(separator: " "),
                        model.issued == nil ? "预览" : "已发布",
                    ])
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"minyi-assessment-\(model.year)-\(officers ? "officers" : "units").csv\""
        headers[.cacheControl] = "no-store"
        _ = page
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
