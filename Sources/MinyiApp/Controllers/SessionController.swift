import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Staff log in and out.
struct SessionController: Sendable {
    let organisation: SQLOrganisationStore
    let auth: SQLAuthStore
    let audit: SQLAuditLog
    let passwords: PasswordHasher
    let authenticator: Authenticator
    let rateLimiter: RateLimiter
    let sessionLifetime: TimeInterval
    let maxBodyBytes: Int
    let now: @Sendable () -> Date

    struct CreateRequest: Decodable {
        var username: String?
        var password: String?
    }

    struct CreateResponse: Encodable {
        var token: String
        var expiresAt: Date
        var officer: OfficerView
    }

    struct OfficerView: Encodable {
        var id: String
        var username: String
        var name: String
        var unit: String
        var unitName: String
        var jurisdiction: String
        var roles: [String]

        init(_ actor: Actor) {
            id = actor.officer.id.rawValue
            username = actor.officer.username
            name = actor.officer.name
            unit = actor.unit.id.rawValue
            unitName = actor.unit.name
            jurisdiction = actor.jurisdiction.id.rawValue
            roles = actor.officer.roles.map(\.rawValue).sorted()
        }
    }

    /// `POST /api/v1/sessions`: checks the password; five failures in 15 minutes lock the username.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try rateLimiter.check(context, at: now())
        let body = try await JSON.decode(CreateRequest.self, from: request, limit: maxBodyBytes)
        guard let username = body.username?.trimmingCharacters(in: .whitespaces), !username.isEmpty else {
            throw AppError.badRequest(field: "username", message: "username: 缺少必填字段 (required)")
        }
        guard let password = body.password, !password.isEmpty else {
            throw AppError.badRequest(field: "password", message: "password: 缺少必填字段 (required)")
        }
        let at = now()
        if try await auth.isLocked(username: username, at: at) {
            throw AppError.tooManyRequests("登录失败次数过多，请 15 分钟后再试 (too many failed logins; wait 15 minutes)")
        }
        guard let found = try await organisation.officer(username: username),
            try await passwords.verify(password, hash: found.passwordHash)
        else {
            try await auth.recordFailure(username: username, at: at)
            throw AppError.unauthorized("用户名或密码错误 (wrong username or password)")
        }
        try await auth.clearFailures(username: username)
        let session = try await auth.createSession(for: found.officer.id, at: at, lifetime: sessionLifetime)
        try await audit.record(actor: found.officer.id, action: "login", target: found.officer.username, detail: nil, at: at)
        let actor = try await organisation.actor(for: found.officer)
        return try JSON.response(CreateResponse(token: session.token, expiresAt: session.expires, officer: OfficerView(actor)), status: .created)
    }

    /// `DELETE /api/v1/sessions`: ends the calling session.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await authenticator.require(request)
        if let header = request.headers[.authorization], let token = header.split(separator: " ").last {
            try await auth.endSession(String(token))
        }
        return Response(status: .noContent)
    }

    /// `GET /api/v1/me`: who is logged in.
    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(OfficerView(try await authenticator.require(request)))
    }
}
