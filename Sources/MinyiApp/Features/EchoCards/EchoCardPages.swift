import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// Echo cards (回音卡): administrators issue batches to units and print them; clerks register items from returned cards.
extension WebController {
    /// `GET /staff/echo-cards`
    @Sendable func echoCardBatches(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        return WebSupport.page(try await echoCardPage(web, actor: actor, notice: nil, error: nil), web)
    }

    /// Reads the batches page of `actor`, with a notice or an error (`EchoCards+View.swift` writes it).
    func echoCardPage(_ web: WebRequest, actor: Actor, notice: String?, error: String?) async throws -> HTML {
        EchoCardBatchesModel(
            batches: try await echoCards.batches(within: actor.jurisdiction), catalogue: try await catalogue(), jurisdiction: actor.jurisdiction,
            isAdmin: actor.officer.has(.admin), isClerk: actor.officer.hasAny([.intakeClerk, .dispatcher]), notice: notice, error: error
        ).render(web)
    }

    /// `POST /staff/echo-cards`: issues a batch (administrators).
    @Sendable func issueEchoCards(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let form = try await support.form(request, web)
        do {
            guard let raw = form["count"], let count = Int(raw) else {
                throw ValidationError.invalid(field: "count", message: "张数应为数字 (count must be a number)")
            }
            let batch = try await echoCards.issue(count: count, to: .init(form["unit"] ?? ""), by: actor, at: now())
            return WebSupport.redirect("/staff/echo-cards/\(batch.id)")
        } catch let error as ValidationError {
            return WebSupport.page(
                try await echoCardPage(web, actor: actor, notice: nil, error: web.localized(error.description)), web, status: .unprocessableContent)
        }
    }

    /// `GET /staff/echo-cards/{batch}`: a printable sheet of the batch's cards.
    @Sendable func echoCardSheet(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let actor = try context.staff()
        let batch = context.parameters.get("batch") ?? ""
        guard let cards = try await echoCards.cards(batch: batch, within: actor.jurisdiction) else {
            throw AppError.notFound(web.t("没有这批回音卡。", "No such batch."))
        }
        let model = EchoCardSheetModel(
            cards: cards, catalogue: try await catalogue(),
            pins: Dictionary(uniqueKeysWithValues: cards.map { ($0.serial, items.pin(for: $0.serial)) }))
        return WebSupport.page(model.render(web), web)
    }
}
