import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import MinyiCore
import MinyiStorage

/// The language of a page: Chinese first, English second.
enum Lang: String, Sendable {
    case zh, en

    /// The language asked for by `?lang=` or the `minyi_lang` cookie; Chinese otherwise.
    init(_ request: Request) {
        if let query = request.uri.queryParameters["lang"], let lang = Lang(rawValue: String(query)) {
            self = lang
        } else if let cookie = request.cookies[WebCookie.lang]?.value, let lang = Lang(rawValue: cookie) {
            self = lang
        } else {
            self = .zh
        }
    }

    var htmlCode: String { self == .zh ? "zh-Hans" : "en" }
}

enum WebCookie {
    static let session = "minyi_session"
    static let csrf = "minyi_csrf"
    static let lang = "minyi_lang"

    /// A `Set-Cookie` value: always `Path=/`, `SameSite=Lax`; `HttpOnly` unless the page's script must read it.
    static func make(_ name: String, _ value: String, maxAge: Int?, httpOnly: Bool = true, secure: Bool, path: String = "/") -> String {
        var parts = ["\(name)=\(value)", "Path=\(path)", "SameSite=Lax"]
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if httpOnly { parts.append("HttpOnly") }
        if secure { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }
}

/// A redirect raised from inside a page handler (e.g. to the login page).
struct WebRedirect: Error {
    var location: String
}

/// A submitted form (`application/x-www-form-urlencoded`).
struct Form: Sendable {
    private(set) var fields: [String: [String]] = [:]

    init(fields: [String: [String]] = [:]) { self.fields = fields }

    /// The fields whose name or value had broken percent-encoding (`%ZZ`, or bytes that are not UTF-8), in order.
    /// Their text is kept as it came, so a page can show it again beside the error instead of losing it.
    private(set) var malformed: [String] = []

    /// Parses the body; a field with broken percent-encoding keeps its raw text and is listed in `malformed`.
    init(parsing body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawName = parts[0].replacingOccurrences(of: "+", with: " ")
            let rawValue = parts.count > 1 ? parts[1].replacingOccurrences(of: "+", with: " ") : ""
            let name = rawName.removingPercentEncoding ?? rawName
            let value = rawValue.removingPercentEncoding
            if value == nil || rawName.removingPercentEncoding == nil, !malformed.contains(name) { malformed.append(name) }
            fields[name, default: []].append(value ?? rawValue)
        }
    }

    /// The same form without a field.
    func removing(_ name: String) -> Form {
        var copy = self
        copy.fields[name] = nil
        return copy
    }

    /// Refuses the form when a field could not be read, naming the first such field.
    func checkEncoding() throws(ValidationError) {
        guard let field = malformed.first else { return }
        throw .invalid(field: field, message: "\(field) 的内容编码有误，无法读取，请重新输入 (this field could not be read: broken percent-encoding)")
    }

    /// Names every field that could not be read in `check`, so that it shows with the form's other faults.
    func checkEncoding(into check: inout Validator) {
        for field in malformed {
            check.fail(field, "内容编码有误，无法读取，请重新输入 (this field could not be read: broken percent-encoding)")
        }
    }

    static func read(_ request: Request, limit: Int) async throws -> Form {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw AppError.payloadTooLarge(limit: limit)
        }
        guard let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes) else {
            throw AppError.badRequest(field: nil, message: "表单编码有误 (malformed form encoding)")
        }
        return Form(parsing: text)
    }

    /// The first value, trimmed; nil when absent or blank.
    subscript(_ name: String) -> String? {
        guard let value = fields[name]?.first?.trimmed, !value.isEmpty else { return nil }
        return value
    }

    /// The first value as typed, for re-showing it in a form.
    func raw(_ name: String) -> String { fields[name]?.first ?? "" }

    /// Every value of a field sent more than once (a multiple choice), trimmed, blanks left out.
    func all(_ name: String) -> [String] { (fields[name] ?? []).map(\.trimmed).filter { !$0.isEmpty } }

    func has(_ name: String) -> Bool { fields[name] != nil }
}

/// CSRF protection: every form carries a token bound to the browser's `minyi_csrf` cookie (and the staff session, when
/// there is one) with a server secret, so another site can neither read nor forge it.
struct CSRF: Sendable {
    let key: [UInt8]

    init(secret: String) {
        key = Array(HMAC<SHA256>.authenticationCode(for: Data("minyi-csrf".utf8), using: SymmetricKey(data: Data(secret.utf8))))
    }

    func token(browser: String, session: String?) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((browser + "|" + (session ?? "")).utf8), using: SymmetricKey(data: key))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    func isValid(_ token: String?, browser: String?, session: String?) -> Bool {
        guard let token, let browser, !browser.isEmpty else { return false }
        let expected = self.token(browser: browser, session: session)
        guard token.utf8.count == expected.utf8.count else { return false }
        return zip(token.utf8, expected.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// What every page needs to know about the request: language, the logged-in officer, the CSRF token.
struct WebRequest: Sendable {
    var lang: Lang
    var actor: Actor?
    var sessionToken: String?
    var browserID: String
    /// Whether `browserID` is new and must be set as a cookie with the response.
    var newBrowser: Bool
    var csrfToken: String
    /// The path and query of the request, for the language switch and the login return.
    var target: String
    var secureCookies: Bool
    /// The staff navigation, every capability's links in order.
    var navigation: [Layout.NavLink] = []
    /// The links capabilities add to the residents' square (after the square's own).
    var publicNavigation: [Layout.NavLink] = []

    func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }

    /// Whether the page was asked for as made for paper (`?print=1`).
    var isPrint: Bool {
        guard let query = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return false }
        return query.split(separator: "&").contains("print=1")
    }

    var csrfField: HTML { "<input type=\"hidden\" name=\"_csrf\" value=\"\(csrfToken)\">" }
}

/// Reading the web request and building page responses.
struct WebSupport: Sendable {
    let auth: SQLAuthStore
    let organisation: SQLOrganisationStore
    let csrf: CSRF
    let secureCookies: Bool
    /// How far ahead a deadline shows as due soon (预警).
    let dueSoon: TimeInterval
    let maxFormBytes: Int
    let navigation: [Layout.NavLink]
    var publicNavigation: [Layout.NavLink] = []
    /// Signs the cookie that lets a browser see again what its last form created (see `ReceiptCookie`).
    var receipts = ReceiptCookie(secret: "")
    /// The address residents reach the square at, for paper (see `AppConfig.publicURL`).
    var publicURL: String?
    let now: @Sendable () -> Date

    func context(for request: Request) async throws -> WebRequest {
        let lang = Lang(request)
        var actor: Actor?
        let token = request.cookies[WebCookie.session]?.value
        if let token, !token.isEmpty, let officerID = try await auth.officer(forSession: token, at: now()),
            let officer = try await organisation.officer(officerID)
        {
            actor = try await organisation.actor(for: officer)
        }
        var browser = request.cookies[WebCookie.csrf]?.value ?? ""
        let newBrowser = browser.count < 16
        if newBrowser { browser = SQLAuthStore.newToken() }
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return WebRequest(
            lang: lang, actor: actor, sessionToken: actor == nil ? nil : token, browserID: browser, newBrowser: newBrowser,
            csrfToken: csrf.token(browser: browser, session: actor == nil ? nil : token), target: target, secureCookies: secureCookies,
            navigation: navigation, publicNavigation: publicNavigation)
    }

    /// Reads a posted form and checks its CSRF token. A field with broken encoding is refused naming it, unless the
    /// page shows such errors beside the field itself (`keepingMalformed`, then it calls `Form.checkEncoding`).
    func form(_ request: Request, _ web: WebRequest, keepingMalformed: Bool = false) async throws -> Form {
        let form = try await Form.read(request, limit: maxFormBytes)
        if !keepingMalformed { try form.checkEncoding() }
        guard !web.newBrowser, csrf.isValid(form["_csrf"], browser: web.browserID, session: web.sessionToken) else {
            throw AppError.forbidden(
                web.t(
                    "表单已过期或来源不明，请返回刷新页面后重试。",
                    "The form has expired or did not come from this site; go back, reload the page and try again."))
        }
        return form
    }

    /// The logged-in officer; otherwise a redirect to the login page that returns here.
    func requireStaff(_ web: WebRequest) throws -> Actor {
        guard let actor = web.actor else {
            throw WebRedirect(location: "/staff/login?next=" + (web.target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/staff"))
        }
        return actor
    }

    /// The officer, who must hold `permission` (see `Permission`).
    func requireStaff(_ web: WebRequest, permission: Permission) throws -> Actor {
        let actor = try requireStaff(web)
        guard permission.isHeld(by: actor) else {
            if !permission.roles.isEmpty, !actor.officer.hasAny(permission.roles) {
                throw AppError.forbidden(
                    web.t("此页面需要以下角色之一：", "This page needs one of the roles: ")
                        + permission.roles.sorted().map { web.lang == .zh ? $0.nameZh : $0.nameEn }.joined(separator: web.lang == .zh ? "、" : ", "))
            }
            throw AppError.forbidden(web.t("只有分局一级可以这样做。", "Only bureau-level staff may do this."))
        }
        return actor
    }

    static func page(_ html: HTML, _ web: WebRequest, status: HTTPResponse.Status = .ok, cookies: [String] = []) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        Self.addSecurityHeaders(&headers)
        if web.newBrowser {
            headers.append(HTTPField(name: .setCookie, value: WebCookie.make(WebCookie.csrf, web.browserID, maxAge: nil, secure: web.secureCookies)))
        }
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        let body = "<!DOCTYPE html>\n" + html.markup
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A page answering a throttled attempt: 429, and when to try again.
    static func page(_ html: HTML, _ web: WebRequest, retryAfter: Int) -> Response {
        var response = page(html, web, status: .tooManyRequests)
        response.headers[.retryAfter] = String(retryAfter)
        return response
    }

    /// An error as a page, in the reader's language, without any internal detail.
    static func errorPage(_ report: ErrorReport, request: Request, requestID: String?) -> Response {
        let web = WebRequest(
            lang: Lang(request), actor: nil, sessionToken: nil, browserID: "", newBrowser: false, csrfToken: "", target: request.uri.path,
            secureCookies: false)
        return errorPage(report, web: web, requestID: requestID)
    }

    /// An error as a page: for a logged-in officer on a staff page, inside the staff console with its navigation.
    static func errorPage(_ report: ErrorReport, web: WebRequest, requestID: String?) -> Response {
        let staff = web.actor != nil && web.target.hasPrefix("/staff")
        let title: String
        switch report.status.code {
        case 404: title = web.t("找不到", "Not found")
        case 403: title = web.t("无权访问", "Not allowed")
        case 429: title = web.t("请稍后再试", "Please wait")
        case 400, 413, 422: title = web.t("请求有误", "Bad request")
        default: title = web.t("出错了", "Something went wrong")
        }
        let reference: HTML = requestID.map { "<p class=\"muted\">\(web.t("编号", "Reference")): \($0)</p>" } ?? .empty
        let links: HTML =
            staff
            ? "<p><a href=\"/staff\">\(web.t("返回工作台", "Back to the console"))</a></p>"
            : "<p><a href=\"/\">\(web.t("返回首页", "Home"))</a> · <a href=\"/staff\">\(web.t("工作台", "Staff console"))</a></p>"
        let html = Layout.page(
            web, title: title, staff: staff,
            """
            <h1>\(title)</h1><div class="alert error" role="alert">\(web.localized(report.message))</div>\(reference)
            \(links)
            """)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        addSecurityHeaders(&headers)
        if let retry = report.retryAfter { headers[.retryAfter] = String(retry) }
        return Response(status: report.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "<!DOCTYPE html>\n" + html.markup)))
    }

    /// The square's address for what is printed: the configured one, else the one this request came to.
    func publicBase(_ request: Request) -> String {
        if let publicURL { return publicURL }
        let host = request.head.authority ?? "127.0.0.1"
        let safe = host.allSatisfy { $0.isLetter || $0.isNumber || ".-:[]".contains($0) } ? host : "127.0.0.1"
        return (secureCookies ? "https://" : "http://") + safe
    }

    /// `raw` when it is a path on this site that every browser reads the same way, else nil. Browsers drop tabs and
    /// line breaks from a location and read `\` as `/`, so `/\t/evil.example/` would leave the site: any control
    /// character, white space or backslash is refused, and so is a path starting with `//`.
    static func localPath(_ raw: String?) -> String? {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"),
            !raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace || $0 == "\\" })
        else { return nil }
        return raw
    }

    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    static func addSecurityHeaders(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] =
            """
            default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri \
            'none'
            """
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "same-origin"
    }
}

extension SQLItemStore.QueuePage {
    /// The total as shown: "10000+" when more items match than were counted.
    var totalText: String { totalIsExact ? "\(total)" : "\(total)+" }
}
