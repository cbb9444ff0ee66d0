import Crypto
import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Running it: `/metrics` in Prometheus' text format (for this machine, or with the metrics token) and readiness
/// (`/health/ready`: the database answers and its migrations are current) apart from liveness (`/health`).
struct OperationsFeature: Feature {
    let dependencies: AppDependencies
    let metrics: AppMetrics
    let token: String?
    let limiter: RateLimiter

    init(_ context: FeatureContext) {
        dependencies = context.dependencies
        metrics = context.metrics
        token = context.config.metricsToken
        limiter = context.rateLimiter
    }

    func addRoutes(to routes: RouteBuilder) {
        routes.standard(.get, "/metrics", scrape)
        routes.standard(.get, "/health/ready", ready)
    }

    /// Who may read the metrics: with a token configured, whoever presents it; without, a request from this machine
    /// that no proxy forwarded.
    func mayRead(_ request: Request, _ context: AppRequestContext) -> Bool {
        if let token {
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return false }
            let given = Data(SHA256.hash(data: Data(header.dropFirst(7).utf8)))
            let expected = Data(SHA256.hash(data: Data(token.utf8)))
            return given == expected
        }
        guard request.headers[.xForwardedFor] == nil else { return false }
        let address = limiter.address(of: request, context)
        return address == "127.0.0.1" || address == "::1" || address == "::ffff:127.0.0.1"
    }

    @Sendable func scrape(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard mayRead(request, context) else {
            return Response(
                status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "指标仅限本机或持令牌读取 (metrics: loopback only, or the metrics token)\n")))
        }
        let usage = dependencies.database.usage
        metrics.gauge("minyi_db_reads_in_flight", Double(usage.readsInFlight))
        metrics.gauge("minyi_db_writes_queued", Double(usage.writesQueued))
        metrics.gauge("minyi_db_connections", Double(usage.connections))
        for run in try await dependencies.claims.runs() {
            let service = [("service", run.service)]
            metrics.gauge("minyi_periodic_last_run_timestamp_seconds", run.startedAt.timeIntervalSince1970, service)
            metrics.gauge("minyi_periodic_last_duration_seconds", run.duration ?? 0, service)
            metrics.gauge("minyi_periodic_last_failed", run.failed ? 1 : 0, service)
        }
        for line in try await dependencies.items.openByStation() {
            metrics.gauge("minyi_items_open", Double(line.open), [("station", line.station)])
            metrics.gauge("minyi_items_late", Double(line.late), [("station", line.station)])
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
    }

    /// `/health/ready`: 200 when the database answers and every migration this build knows has run; 503 otherwise.
    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        let known = Migrator.all.map(\.version).max() ?? 0
        var problems: [String] = []
        var version = 0
        do {
            version = try await dependencies.items.readiness(knownVersion: known).version
            if version < known { problems.append("migrations pending: \(version) of \(known)") }
        } catch {
            problems.append("database unreachable")
        }
        let body =
            "{\"ready\":\(problems.isEmpty),\"schema\":\(version),\"expected\":\(known),\"problems\":["
            + problems.map { "\"\($0)\"" }.joined(separator: ",")
            + "]}"
        return Response(
            status: problems.isEmpty ? .ok : .serviceUnavailable,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
