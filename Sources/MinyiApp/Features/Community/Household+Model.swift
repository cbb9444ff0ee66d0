import Foundation
import MinyiCore
import MinyiStorage

/// What a household's page shows: the household (members masked unless revealed), its due visits, its visits and the
/// visit form, with what was typed kept when the form comes back with an error.
struct HouseholdModel: Sendable {
    var stored: StoredHousehold
    var revealed = false
    var due: [DueVisit]
    var visits: [Visit]
    var officers: [Officer.ID: String]
    var catalogue: WebController.Catalogue
    var mayVisit: Bool
    var mayReveal: Bool
    var draft = VisitDraft()
    /// What is wrong with the form that came back, by field, in the page's language.
    var errors: [String: String] = [:]
    /// The small form that came back, as sent.
    var sent = Form()
    var notice: String?
    var now: Date

    static func load(_ id: Household.ID, actor: Actor, pages: CommunityPages, web: WebRequest, now: Date) async throws -> HouseholdModel {
        guard let stored = try await pages.community.household(id, for: actor) else {
            throw AppError.notFound(web.t("住户不存在或不在您的辖区。", "No such household in your jurisdiction."))
        }
        let visits = try await pages.community.visits(of: id, for: actor)
        var officers: [Officer.ID: String] = [:]
        for officerID in Set(visits.map(\.officerID) + [stored.household.officerID].compactMap { $0 }) {
            officers[officerID] = try await pages.web.organisation.officer(officerID)?.name
        }
        return HouseholdModel(
            stored: stored, due: try await pages.community.dueVisits(of: id, for: actor), visits: visits, officers: officers,
            catalogue: try await pages.web.catalogue(), mayVisit: Permission.visit.isHeld(by: actor),
            mayReveal: Permission.readContact.isHeld(by: actor), now: now)
    }

    /// The notice after a visit was recorded: what it resolved and the item it opened.
    func visitNotice(_ id: String, web: WebRequest) async throws -> String? {
        guard let visit = visits.first(where: { $0.id.rawValue == id }) else { return nil }
        var text = web.t("已记录走访。", "Visit recorded.")
        if let number = visit.itemNumber {
            text += web.t(
                "群众反映的问题已登记为事项 \(number)，进入指挥中心派单。",
                " What was heard is item \(number), now with the command centre.")
        }
        return text
    }

    /// The form's key: the same for a retried form, new for each form shown.
    var requestKey: String { draft.requestKey ?? RowID.make(at: now) }
}
