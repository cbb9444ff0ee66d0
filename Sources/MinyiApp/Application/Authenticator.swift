import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Finds who is calling: a staff session (`Authorization: Bearer …`) or an integration key (`X-API-Key: …`).
struct Authenticator: Sendable {
    let organisation: SQLOrganisationStore
    let auth: SQLAuthStore
    let now: @Sendable () -> Date

    /// The calling officer, or nil when the request carries no credentials; bad credentials are refused.
    func actor(for request: Request) async throws -> Actor? {
        let officerID: Officer.ID?
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw AppError.unauthorized("Authorization 应为 Bearer 令牌 (use a Bearer token)")
            }
            officerID = try await auth.officer(forSession: String(parts[1]), at: now())
            guard officerID != nil else { throw AppError.unauthorized("登录已过期，请重新登录 (session expired or unknown; log in again)") }
        } else if let key = request.headers[.apiKey] {
            officerID = try await auth.officer(forAPIKey: key, at: now())
            guard officerID != nil else { throw AppError.unauthorized("API 密钥无效、已过期或已吊销 (unknown, expired or revoked API key)") }
        } else {
            return nil
        }
        guard let officerID, let officer = try await organisation.officer(officerID) else {
            throw AppError.unauthorized("账号已停用 (account disabled)")
        }
        return try await organisation.actor(for: officer)
    }

    /// The calling officer; a request without credentials is refused.
    func require(_ request: Request) async throws -> Actor {
        guard let actor = try await actor(for: request) else {
            throw AppError.unauthorized("请先登录 (log in first: POST /api/v1/sessions)")
        }
        return actor
    }
}
