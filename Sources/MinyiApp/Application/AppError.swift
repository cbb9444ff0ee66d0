import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Errors of the HTTP layer.
public enum AppError: Error, Sendable {
    case unauthorized(String)
    case forbidden(String)
    case notFound(String)
    case badRequest(field: String?, message: String)
    case tooManyRequests(String)
    /// Too many attempts: wait this many seconds.
    case throttled(String, retryAfter: Int)
    case payloadTooLarge(limit: Int)
    case unsupportedMediaType(String)
}

/// The API's one error shape, `{"error": {"field": …, "message": …, "request_id": …}}`, written directly (keys sorted,
/// absent values left out, as `JSON.response` writes them): under load errors are frequent answers (422, 429).
enum ErrorBody {
    static func json(message: String, field: String?, requestID: String?) -> ByteBuffer {
        var detail = JSONObjectWriter(capacity: 256)
        detail.add("field", field)
        detail.add("message", message)
        detail.add("request_id", requestID)
        var body = JSONObjectWriter(capacity: 272)
        body.add("error", detail)
        return body.finished
    }
}

/// What an error means to a client: a status and a plain sentence (and the field, for bad input).
struct ErrorReport {
    var status: HTTPResponse.Status
    var message: String
    var field: String?
    /// Whether the error is unexpected and belongs in the log in full.
    var unexpected = false
    /// Seconds to wait before trying again, where the error says.
    var retryAfter: Int?
    /// What is wrong with each field named, for a form to show beside the field (without the field's name).
    var fields: [String: String] = [:]

    init(status: HTTPResponse.Status, message: String, field: String? = nil, unexpected: Bool = false, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.field = field
        self.unexpected = unexpected
        self.retryAfter = retryAfter
    }

    init(_ error: any Error) {
        switch error {
        case let error as AppError:
            switch error {
            case .unauthorized(let message): self.init(status: .unauthorized, message: message)
            case .forbidden(let message): self.init(status: .forbidden, message: message)
            case .notFound(let message): self.init(status: .notFound, message: message)
            case .badRequest(let field, let message): self.init(status: .badRequest, message: message, field: field)
            case .tooManyRequests(let message): self.init(status: .tooManyRequests, message: message)
            case .throttled(let message, let retryAfter): self.init(status: .tooManyRequests, message: message, retryAfter: retryAfter)
            case .unsupportedMediaType(let message): self.init(status: .unsupportedMediaType, message: message, field: "Content-Type")
            case .payloadTooLarge(let limit):
                self.init(status: .contentTooLarge, message: "请求体超过 \(limit / 1024) KB 上限 (request body too large)")
            }
        case let error as ValidationError:
            self.init(status: .unprocessableContent, message: error.description, field: error.field)
            fields = [error.field: error.message]
        case let error as ValidationErrors:
            self.init(status: .unprocessableContent, message: error.description, field: error.errors.first?.field)
            fields = error.byField
        case let error as LifecycleError:
            if case .illegalTransition = error {
                self.init(status: .conflict, message: error.description)
            } else if case .notAssigned = error {
                self.init(status: .conflict, message: error.description)
            } else {
                self.init(status: .unprocessableContent, message: error.description, field: error.field)
                if let field = error.field { fields = [field: error.description] }
            }
        case let error as AccessError:
            self.init(status: .forbidden, message: error.description)
        case let error as StorageError:
            switch error {
            case .notFound: self.init(status: .notFound, message: error.description)
            case .conflict: self.init(status: .conflict, message: error.description)
            case .invalidConfiguration, .corrupt:
                self.init(status: .internalServerError, message: "服务器内部错误，请稍后重试 (internal error)", unexpected: true)
            case .unavailable:
                self.init(
                    status: .serviceUnavailable, message: "系统繁忙，未能保存，请稍后重试 (busy: nothing was saved; try again shortly)",
                    unexpected: true)
            }
        case let error as HTTPError:
            self.init(status: error.status, message: error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            self.init(status: error.status, message: error.status.reasonPhrase)
        default:
            self.init(status: .internalServerError, message: "服务器内部错误，请稍后重试 (internal error)", unexpected: true)
        }
    }
}

/// Turns every error thrown below it into the JSON error shape; unknown errors become a generic 500 with a request ID,
/// and the whole error goes to the log only.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let redirect as WebRedirect {
            return WebSupport.redirect(redirect.location)
        } catch {
            let report = ErrorReport(error)
            let requestID = context.id
            if report.unexpected {
                context.logger.error("Request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            }
            var response: Response
            if request.uri.path.hasPrefix("/api/") {
                let body = ErrorBody.json(message: report.message, field: report.field, requestID: report.unexpected ? requestID : nil)
                response = JSON.response(body, status: report.status)
            } else {
                response = WebSupport.errorPage(report, request: request, requestID: report.unexpected ? requestID : nil)
            }
            // When to try again: after a rate limit, in a minute; when the database was busy, in a few seconds.
            switch report.status {
            case .tooManyRequests: response.headers[.retryAfter] = String(report.retryAfter ?? 60)
            case .serviceUnavailable: response.headers[.retryAfter] = "5"
            default: break
            }
            return response
        }
    }
}
