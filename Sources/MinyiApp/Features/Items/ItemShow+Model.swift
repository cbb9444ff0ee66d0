import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// What the staff item page shows, all read before any markup is written (`ItemShow+View.swift` writes it).
struct ItemShow: Sendable {
    var stored: StoredItem
    var catalogue: WebController.Catalogue
    var events: [ItemEvent]
    var orders: [SupervisionOrder]
    /// Who acted, by officer: staff see names, residents never do.
    var officerNames: [Officer.ID: String]
    /// The steps the officer may take now (`Access.steps`).
    var steps: [ItemCommand.Name]
    /// The dispatch catalogue's unit, when the officer may dispatch.
    var proposedUnit: PoliceUnit.ID?
    /// Categories suggested from the text, when the officer may change the category.
    var suggestions: [CategorySuggester.Suggestion]
    /// The unmasked contact, when it was revealed (and the look audited by the store).
    var revealed: Contact?
    /// Where the item came from (a visit, a meeting), as the other capabilities know it.
    var origins: [ItemOrigin]
    var at: Date
}

extension WebController {
    /// Reads what the item page shows to `actor`.
    func itemShow(_ stored: StoredItem, actor: Actor, revealed: Contact?) async throws -> ItemShow {
        let item = stored.item
        let events = try await items.events(of: item.id)
        var officerNames: [Officer.ID: String] = [:]
        for id in Set(events.compactMap(\.actorID)) {
            if let officer = try await organisation.officer(id) { officerNames[id] = officer.name }
        }
        let steps = Access.steps(
            for: actor, status: item.status, number: item.number, placePath: stored.placePath, assignedPath: stored.assignedPath)
        let proposed = steps.contains(.dispatch) ? try await organisation.proposeUnit(category: item.category, place: item.placeID) : nil
        let suggestions = steps.contains(.recategorize) ? try await categoryModel.current(at: now()).model.suggest(item.text) : []
        return ItemShow(
            stored: stored, catalogue: try await catalogue(), events: events, orders: try await items.supervisionOrders(of: item.id),
            officerNames: officerNames, steps: steps, proposedUnit: proposed, suggestions: suggestions, revealed: revealed,
            origins: try await origins.origins(of: item.number, for: actor), at: now())
    }

    /// The item page for `actor`, read and written.
    func itemPage(
        _ web: WebRequest, actor: Actor, stored: StoredItem, contact revealed: Contact?, notice: String?, error: String?, callbackMode: Bool = false,
        failed: FailedStep? = nil, next: NextItem? = nil
    ) async throws -> HTML {
        itemPage(
            web, actor: actor, show: try await itemShow(stored, actor: actor, revealed: revealed), notice: notice, error: error,
            callbackMode: callbackMode, failed: failed, next: next)
    }
}
