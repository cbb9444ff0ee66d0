import Foundation
import Hummingbird
import Metrics
import MinyiCore
import MinyiStorage
import Prometheus

/// The process's metrics, in Prometheus' text format at `/metrics`: written through swift-metrics into a registry of
/// this application's own (no global state, so that several applications in one process, as in the tests, keep theirs
/// apart). Every label is bounded: a route's pattern (`/staff/items/{number}`), never an item or an officer; a
/// station, never a community; a service's name.
final class AppMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        factory.valueHistogramBuckets["minyi_commit_batch_size"] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
        self.factory = factory
    }

    /// One request answered: counted by route pattern, method and status, and timed.
    func request(route: String, method: String, status: Int, nanoseconds: UInt64) {
        Counter(label: "minyi_http_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory)
            .increment()
        CoreMetrics.Timer(label: "minyi_http_request_duration_seconds", dimensions: [("route", route), ("method", method)], factory: factory)
            .recordNanoseconds(Int64(clamping: nanoseconds))
    }

    /// One commit of the group-commit writer: how many requests it held and how long it took.
    func commit(batch: Int, duration: Duration) {
        Recorder(label: "minyi_commit_batch_size", factory: factory).record(batch)
        CoreMetrics.Timer(label: "minyi_commit_duration_seconds", factory: factory).recordNanoseconds(duration.nanoseconds)
        Counter(label: "minyi_commits_total", factory: factory).increment()
        Counter(label: "minyi_committed_writes_total", factory: factory).increment(by: batch)
    }

    /// Sets a gauge.
    func gauge(_ label: String, _ value: Double, _ dimensions: [(String, String)] = []) {
        Gauge(label: label, dimensions: dimensions, factory: factory).record(value)
    }

    /// The registry in Prometheus' text format.
    func text() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

extension Duration {
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}

/// Counts and times every request by its route's pattern (known once the router matched it; "unmatched" otherwise).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: AppMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            let response = try await next(request, context)
            metrics.request(
                route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: response.status.code,
                nanoseconds: DispatchTime.now().uptimeNanoseconds - started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? ErrorReport(error).status.code
            metrics.request(
                route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: status,
                nanoseconds: DispatchTime.now().uptimeNanoseconds - started)
            throw error
        }
    }
}
