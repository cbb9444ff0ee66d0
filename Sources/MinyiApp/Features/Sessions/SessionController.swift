import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Staff log in and out.
struct SessionController: Sendable {
    let organisation: SQLOrganisationStore
    let auth: SQLAuthStore
    let audit: SQLAuditLog
    let login: StaffLogin
    let rateLimiter: RateLimiter
    let sessionLifetime: TimeInterval
    let maxBodyBytes: Int
    let now: @Sendable () -> Date

    struct CreateRequest: Decodable {
        var username: String?
        var password: String?
    }

    struct CreateResponse: Codable {
        var token: String
        var expiresAt: Date
        var officer: OfficerView
    }

    struct OfficerView: Codable {
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

    /// `POST /api/v1/sessions`: checks the password (see `StaffLogin` for how guessing is slowed).
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try rateLimiter.check(request, context, at: now())
        let body = try await JSON.decode(CreateRequest.self, from: request, limit: maxBodyBytes)
        guard let username = body.username?.trimmingCharacters(in: .whitespaces), !username.isEmpty else {
            throw AppError.badRequest(field: "username", message: "username: 缺少必填字段 (required)")
        }
        guard let password = body.password, !password.isEmpty else {
            throw AppError.badRequest(field: "password", message: "password: 缺少必填字段 (required)")
        }
        let at = now()
        guard let officer = try await login.check(username: username, password: password, address: rateLimiter.address(of: request, context), at: at)
        else { throw AppError.unauthorized("用户名或密码错误 (wrong username or password)") }
        let session = try await auth.createSession(for: officer.id, at: at, lifetime: sessionLifetime)
        try await audit.record(actor: officer.id, action: "login", target: officer.username, detail: nil, at: at)
        let actor = try await organisation.actor(for: officer)
        return try JSON.response(CreateResponse(token: session.token, expiresAt: session.expires, officer: OfficerView(actor)), status: .created)
    }

    /// `DELETE /api/v1/sessions`: ends the calling session.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let header = request.headers[.authorization], let token = header.split(separator: " ").last {
            try await auth.endSession(String(token))
        }
        return Response(status: .noContent)
    }

    /// `GET /api/v1/me`: who is logged in.
    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSON.response(OfficerView(try context.staff()))
    }
}
