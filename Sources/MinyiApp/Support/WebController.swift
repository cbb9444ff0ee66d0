import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The web pages: the residents' square and the staff console, rendered on the server, working without JavaScript.
struct WebController: Sendable {
    let items: SQLItemStore
    let organisation: SQLOrganisationStore
    let echoCards: SQLEchoCardStore
    let business: SQLBusinessStore
    let bulletins: SQLBulletinStore
    let auth: SQLAuthStore
    let audit: SQLAuditLog
    let login: StaffLogin
    let throttle: GuessThrottle
    let support: WebSupport
    let rateLimiter: RateLimiter
    let sessionLifetime: TimeInterval
    let categoryModel: CategoryModel
    /// Where items came from, as the other capabilities know it.
    let origins: ItemOrigins
    /// What the other capabilities add to the weekly bulletin.
    let bulletinSections: BulletinSections
    let now: @Sendable () -> Date

    /// The organisation and catalogue a page needs, read once per request.
    struct Catalogue: Sendable {
        var units: [PoliceUnit]
        var categories: [MinyiCore.Category]
        var byID: [PoliceUnit.ID: PoliceUnit]

        init(units: [PoliceUnit], categories: [MinyiCore.Category]) {
            self.units = units
            self.categories = categories
            self.byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) })
        }

        func unitName(_ id: PoliceUnit.ID?) -> String {
            guard let id else { return "—" }
            return byID[id]?.name ?? id.rawValue
        }

        func categoryName(_ code: MinyiCore.Category.Code, _ web: WebRequest) -> String { categoryName(code, lang: web.lang) }

        func categoryName(_ code: MinyiCore.Category.Code, lang: Lang) -> String {
            guard let category = categories.first(where: { $0.code == code }) else { return code.rawValue }
            return lang == .zh ? category.nameZh : category.nameEn
        }

        /// A community with its office, as residents know it: 幸福警务室 · 幸福社区.
        func placeName(_ id: PoliceUnit.ID) -> String {
            guard let unit = byID[id] else { return id.rawValue }
            if let parent = unit.parentID.flatMap({ byID[$0] }), parent.kind == .office { return parent.name + " · " + unit.name }
            return unit.name
        }

        var stations: [PoliceUnit] { units.filter { $0.kind == .station } }

        func children(of unit: PoliceUnit) -> [PoliceUnit] { units.filter { $0.parentID == unit.id } }
    }

    func catalogue() async throws -> Catalogue {
        Catalogue(units: try await organisation.units(), categories: try await organisation.categories())
    }

    /// The unit a page is about: `?unit=` within the officer's jurisdiction, or the jurisdiction itself.
    func chosenUnit(_ request: Request, actor: Actor, catalogue: Catalogue, web: WebRequest) throws -> PoliceUnit {
        guard let raw = request.uri.queryParameters["unit"], !raw.isEmpty else { return actor.jurisdiction }
        guard let chosen = catalogue.byID[.init(String(raw))], actor.jurisdiction.contains(chosen) || actor.unit.contains(chosen) else {
            throw AppError.notFound(web.t("该单位不存在或不在您的辖区。", "No such unit in your jurisdiction."))
        }
        return chosen
    }

    /// The units an officer may choose between on a page: their jurisdiction's, down to police offices.
    func unitChoices(_ actor: Actor, catalogue: Catalogue, selected: PoliceUnit) -> [HTML] {
        catalogue.units.filter { (actor.jurisdiction.contains($0) || actor.unit.contains($0)) && $0.kind != .community }.map {
            "<option value=\"\($0.id.rawValue)\"\(attr: "selected", when: $0.id == selected.id)>\($0.name)</option>"
        }
    }

    /// `GET /lang?to=en&back=/path`: remembers the language in a cookie and returns to the page.
    @Sendable func switchLanguage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lang = request.uri.queryParameters["to"].flatMap { Lang(rawValue: String($0)) } ?? .zh
        let back = WebSupport.localPath(request.uri.queryParameters["back"].map(String.init)) ?? "/"
        return WebSupport.redirect(back, cookies: [WebCookie.make(WebCookie.lang, lang.rawValue, maxAge: 365 * 86400, secure: support.secureCookies)])
    }

    @Sendable func stylesheet(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.asset(Assets.css, type: "text/css; charset=utf-8")
    }

    @Sendable func script(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.asset(Assets.js, type: "text/javascript; charset=utf-8")
    }

    static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=3600"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
