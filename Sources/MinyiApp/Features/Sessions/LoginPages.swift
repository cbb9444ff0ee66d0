import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

// MARK: Logging in and out (the form's model in `Login+Model.swift`, its markup in `Login+View.swift`)

extension WebController {
    /// `GET /staff/login`
    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        if web.actor != nil { return WebSupport.redirect("/staff") }
        let next = request.uri.queryParameters["next"].map(String.init) ?? ""
        return WebSupport.page(LoginModel(username: "", next: next, error: nil).render(web), web)
    }

    /// `POST /staff/login`: the password checked as `StaffLogin` does (guessers slowed, owners not locked out); the
    /// session cookie is HttpOnly and SameSite.
    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        try rateLimiter.check(request, context, at: now())
        let form = try await support.form(request, web)
        let username = form["username"] ?? ""
        let next = form["next"] ?? ""
        let at = now()
        let password = form.fields["password"]?.first ?? ""
        let officer: Officer?
        do {
            officer =
                username.isEmpty || password.isEmpty
                ? nil : try await login.check(username: username, password: password, address: rateLimiter.address(of: request, context), at: at)
        } catch AppError.throttled(let message, let retryAfter) {
            return WebSupport.page(LoginModel(username: username, next: next, error: web.localized(message)).render(web), web, retryAfter: retryAfter)
        } catch AppError.badRequest(_, let message) {
            return WebSupport.page(LoginModel(username: "", next: next, error: web.localized(message)).render(web), web, status: .badRequest)
        }
        guard let officer else {
            let message = web.t("用户名或密码错误。", "Wrong username or password.")
            return WebSupport.page(LoginModel(username: username, next: next, error: message).render(web), web, status: .unauthorized)
        }
        let session = try await auth.createSession(for: officer.id, at: at, lifetime: sessionLifetime)
        try await audit.record(actor: officer.id, action: "login", target: officer.username, detail: "web", at: at)
        let target = WebSupport.localPath(next).flatMap { $0.hasPrefix("/staff") ? $0 : nil } ?? "/staff"
        return WebSupport.redirect(
            target, cookies: [WebCookie.make(WebCookie.session, session.token, maxAge: Int(sessionLifetime), secure: support.secureCookies)])
    }

    /// `POST /staff/logout`
    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        _ = try await support.form(request, web)
        if let token = web.sessionToken { try await auth.endSession(token) }
        return WebSupport.redirect("/staff/login", cookies: [WebCookie.make(WebCookie.session, "", maxAge: 0, secure: support.secureCookies)])
    }

    /// `GET /staff`: each role starts where its work is.
    @Sendable func staffHome(_ request: Request, context: AppRequestContext) async throws -> Response {
        let actor = try context.staff()
        let roles = actor.officer.roles
        let start: String =
            roles.contains(.dispatcher)
            ? "/staff/queue"
            : roles.contains(.callbackAgent)
                ? "/staff/callbacks"
                : roles.contains(.inspector)
                    ? "/staff/supervision"
                    : roles.contains(.handler) || roles.contains(.unitLead)
                        ? "/staff/inbox"
                        : roles.contains(.intakeClerk)
                            ? "/staff/register"
                            : "/staff/dashboard"
        return WebSupport.redirect(start)
    }
}
