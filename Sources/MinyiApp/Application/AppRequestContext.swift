import Hummingbird
import MinyiCore
import NIOCore

/// The request context: Hummingbird's core storage plus the client's address, for rate limits.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { 64 * 1024 }

    /// The page's request (language, officer, CSRF token), resolved once before a page's handler runs.
    var web: WebRequest?
    /// The calling officer, resolved once — and held to the route's permission — before the handler runs.
    var officer: Actor?

    /// The page's request, as `RouteBuilder.page` resolved it.
    func webRequest() throws -> WebRequest {
        guard let web else { throw UnresolvedContext() }
        return web
    }

    /// The officer the route admitted (see `RouteBuilder`).
    func staff() throws -> Actor {
        guard let officer else { throw AppError.unauthorized("请先登录 (log in first)") }
        return officer
    }
}

/// A handler asked for a context its route did not resolve: a programming error, answered as a 500.
struct UnresolvedContext: Error {}
