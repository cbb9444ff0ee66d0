import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

// MARK: Finding items and reading the audit log (models in `Search+Model.swift`, markup in `Search+View.swift`)

extension WebController {
    /// `GET /staff/search?q=`: the search box, and the items whose text holds the words.
    @Sendable func searchPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let q = request.uri.queryParameters["q"].map(String.init) ?? ""
        var model = SearchModel(
            query: q, kind: .none, results: nil, sheet: FormSheet(web, values: Form(fields: ["q": [q]])),
            mayUsePhone: Permission.readContact.isHeld(by: actor))
        if case .words(let words) = SearchQuery(q) {
            let found = try await items.search(text: words, for: actor, at: now())
            model.kind = .text
            model.results = itemTableModel(found, catalogue: try await catalogue(), at: now())
        }
        return WebSupport.page(model.render(web), web)
    }

    /// `POST /staff/search`: a number opens the item, words list the items holding them (as a link that can be kept),
    /// and a mobile number lists the resident's items — for roles that may read contacts, with the look audited and the
    /// number kept out of the address bar and the server's logs.
    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let form = try await support.form(request, web, keepingMalformed: true)
        let typed = form.raw("q")
        let mayUsePhone = Permission.readContact.isHeld(by: actor)
        func refused(_ message: String) -> Response {
            let sheet = FormSheet(web, values: form, errors: ["q": web.localized(message)])
            let model = SearchModel(query: typed, kind: .none, results: nil, sheet: sheet, mayUsePhone: mayUsePhone)
            return WebSupport.page(model.render(web), web, status: .unprocessableContent)
        }
        switch SearchQuery(typed) {
        case .empty:
            return refused("请输入查询号、手机号码或内容中的词语 (type a number, a mobile number or words of the text)")
        case .number(let number):
            var found = try await items.item(number: number)
            if found == nil { found = try await items.item(echoCard: number) }
            guard let stored = found, actor.sees(placePath: stored.placePath, assignedPath: stored.assignedPath) else {
                return refused("\(number) 不存在或不在您的辖区 (no such item in your jurisdiction)")
            }
            return WebSupport.redirect("/staff/items/\(stored.item.number)")
        case .words(let words):
            return WebSupport.redirect("/staff/search?q=" + (words.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        case .phone(let phone):
            guard mayUsePhone else {
                return refused("按电话查找需要可查看联系方式的角色 (looking up by phone needs a role that may read contacts)")
            }
            let found = try await items.items(phone: phone, for: actor, at: now())
            let purpose = form["purpose"] ?? "来电查询"
            try await audit.record(
                actor: actor.officer.id, action: "contact.search", target: Contact.maskPhone(phone),
                detail: "\(purpose): \(found.count) \(found.map(\.item.number).joined(separator: " "))", at: now())
            var model = SearchModel(
                query: typed, kind: .phone, results: itemTableModel(found, catalogue: try await catalogue(), at: now()),
                sheet: FormSheet(web, values: form), mayUsePhone: true)
            model.results?.link = { "/staff/items/\($0.number)" }
            return WebSupport.page(model.render(web), web)
        }
    }

    /// `GET /staff/audit?actor=&action=&target=&from=&to=&before=`: the audit log, newest first, a hundred at a time.
    @Sendable func auditPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let model = try await auditPageModel(query: query, actor: actor, web: web)
        return WebSupport.page(model.render(web), web, status: model.sheet.errors.isEmpty ? .ok : .unprocessableContent)
    }
}
