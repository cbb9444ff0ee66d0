import Hummingbird
import MinyiCore
import NIOCore

/// What belongs to the site rather than a capability: health, the stylesheet and script, the language switch and
/// the API's own description.
struct SiteFeature: Feature {
    let web: WebController

    init(_ context: FeatureContext) { web = context.web }

    func addRoutes(to routes: RouteBuilder) {
        routes.router.get("/health") { _, _ in "ok" }
        routes.page(.get, "/assets/minyi.css", nil, web.stylesheet)
        routes.page(.get, "/assets/minyi.js", nil, web.script)
        routes.page(.get, "/lang", nil, web.switchLanguage)
        routes.api(.get, "/api/v1/openapi.json", nil) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: OpenAPI.document)))
        }
    }
}
