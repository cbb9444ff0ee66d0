import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

// MARK: Queues (the models in `Queues+Model.swift`, the markup in `Queues+View.swift`)

extension WebController {
    /// How far the work lists (the command centre's tabs, a unit's inbox, the callbacks due) count their items: past
    /// a thousand a list shows "1000+", and counting further would cost every page view more.
    static let workListCount = 1_000

    /// `GET /staff/queue?view=new|emergency|returned|overdue|due-soon|all`: the command centre's queue.
    @Sendable func commandQueue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        return WebSupport.page(try await commandQueueModel(request, actor: try context.staff()).render(web), web)
    }

    /// `GET /staff/inbox`: the unit's items to accept and to reply to, and those under supervision.
    @Sendable func inbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        return WebSupport.page(try await inboxModel(request, web: web, actor: try context.staff()).render(web), web)
    }

    /// `POST /staff/inbox/accept`: accepts every item ticked, each in its own step (one refused does not stop the rest),
    /// then back to the inbox saying how many were accepted and which were not.
    @Sendable func acceptSeveral(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let form = try await support.form(request, web)
        let numbers = form.all("number").map(TrackingNumber.normalise).filter(TrackingNumber.isWellFormed)
        guard !numbers.isEmpty, numbers.count <= 200 else {
            throw AppError.badRequest(field: "number", message: "请勾选要签收的事项（最多 200 件） (tick the items to accept, at most 200)")
        }
        var accepted = 0
        var refused: [String] = []
        for number in Set(numbers).sorted() {
            do {
                _ = try await visibleItem(number, to: actor, web)
                _ = try await items.apply(.accept, to: number, by: actor, at: now())
                accepted += 1
            } catch {
                if ErrorReport(error).unexpected { throw error }
                refused.append(number)
            }
        }
        var target = "/staff/inbox?accepted=\(accepted)"
        if !refused.isEmpty { target += "&refused=" + refused.joined(separator: ",") }
        return WebSupport.redirect(target)
    }

    /// `GET /staff/callbacks`: items whose callback is due (民意访评中心).
    @Sendable func callbackQueue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        return WebSupport.page(try await callbackQueueModel(request, actor: try context.staff()).render(web), web)
    }

    /// `GET /staff/supervision?all=1`: supervision orders within the jurisdiction, open ones first.
    @Sendable func supervision(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        return WebSupport.page(try await supervisionModel(request, actor: try context.staff()).render(web), web)
    }
}
