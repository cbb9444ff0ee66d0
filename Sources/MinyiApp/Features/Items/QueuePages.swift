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
        return WebSupport.page(try await inboxModel(actor: try context.staff()).render(web), web)
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
