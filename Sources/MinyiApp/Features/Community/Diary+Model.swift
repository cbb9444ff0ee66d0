import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// What the visit diary (民情日记) shows: one officer's visits, newest first, with what was heard and noted.
struct DiaryModel: Sendable {
    var officer: Officer
    var entries: [(visit: Visit, address: String)]
    var catalogue: WebController.Catalogue

    static func load(_ request: Request, actor: Actor, pages: CommunityPages, web: WebRequest) async throws -> DiaryModel {
        let id = request.uri.queryParameters["officer"].map { Officer.ID(String($0)) } ?? actor.officer.id
        // An officer of another jurisdiction is as unknown as one who does not exist.
        guard let officer = try await pages.web.organisation.officer(id),
            let unit = try await pages.web.organisation.unit(officer.unitID), actor.jurisdiction.contains(unit) || officer.id == actor.officer.id
        else { throw AppError.notFound(web.t("该民警不存在或不在您的辖区。", "No such officer in your jurisdiction.")) }
        return DiaryModel(
            officer: officer, entries: try await pages.community.diary(of: id, for: actor), catalogue: try await pages.web.catalogue())
    }
}
