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
    func echoCardPage(_ web: WebRequest, actor: Actor, notice: String?, error: String?, sheet: FormSheet? = nil) async throws -> HTML {
        EchoCardBatchesModel(
            batches: try await echoCards.batches(within: actor.jurisdiction), catalogue: try await catalogue(), jurisdiction: actor.jurisdiction,
            isAdmin: actor.officer.has(.admin), isClerk: actor.officer.hasAny([.intakeClerk, .dispatcher]), notice: notice, error: error,
            sheet: sheet
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
            let sheet = FormSheet(web, values: form, errors: [error.field: web.localized(error.message)])
            return WebSupport.page(
                try await echoCardPage(web, actor: actor, notice: nil, error: nil, sheet: sheet), web, status: .unprocessableContent)
        }
    }

    /// `GET /staff/echo-cards/{batch}?layout=4|6&officer=`: the batch's cards on screen, with the choice of officer and
    /// layout, and the link to the page for paper.
    @Sendable func echoCardSheet(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let model = try await echoCardSheetModel(request, context: context, web: web)
        return WebSupport.page(model.render(web), web)
    }

    /// `GET /staff/echo-cards/{batch}/print?layout=4|6&officer=`: the cards on A4 with cut marks, nothing else.
    @Sendable func echoCardPrint(_ request: Request, context: AppRequestContext) async throws -> Response {
        let web = try context.webRequest()
        let model = try await echoCardSheetModel(request, context: context, web: web)
        return WebSupport.page(model.renderForPaper(web), web)
    }

    func echoCardSheetModel(_ request: Request, context: AppRequestContext, web: WebRequest) async throws -> EchoCardSheetModel {
        let actor = try context.staff()
        let batch = context.parameters.get("batch") ?? ""
        guard let cards = try await echoCards.cards(batch: batch, within: actor.jurisdiction), let first = cards.first else {
            throw AppError.notFound(web.t("没有这批回音卡。", "No such batch."))
        }
        let catalogue = try await catalogue()
        guard let unit = catalogue.byID[first.unitID] else { throw AppError.notFound(web.t("没有这批回音卡。", "No such batch.")) }
        let officers = try await organisation.officers(under: unit)
        let query = request.uri.queryParameters
        // The officer asked for, else the unit's first community officer, else the first officer of the unit.
        let officer =
            query["officer"].flatMap { id in officers.first { $0.id.rawValue == id } }
            ?? officers.first { $0.roles.contains(.communityOfficer) } ?? officers.first
        // The phone of the officer's police office, else of their station, else of the batch's unit.
        var phone: String?
        var place = officer.flatMap { catalogue.byID[$0.unitID] } ?? unit
        while phone == nil {
            phone = place.phone
            guard let parent = place.parentID.flatMap({ catalogue.byID[$0] }) else { break }
            place = parent
        }
        return EchoCardSheetModel(
            batchID: batch, cards: cards, catalogue: catalogue,
            pins: Dictionary(uniqueKeysWithValues: cards.map { ($0.serial, items.pin(for: $0.serial)) }), officers: officers, officer: officer,
            phone: phone ?? unit.phone, perPage: query["layout"] == "4" ? 4 : 6, lookupURL: support.publicBase(request) + "/lookup")
    }
}
