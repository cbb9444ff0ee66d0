import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The policing community over the API: the members of the caller's jurisdiction with their hours and points. Phones
/// are masked and informants are never listed, whoever asks.
struct PartnerController: Sendable {
    let pages: PartnerPages

    struct PartnerView: Codable {
        var id: String
        var kind: String
        var kindName: String
        var name: String
        var phone: String?
        var area: String
        var areaName: String
        var skills: [String]
        var availability: [String]
        var hours: Double
        var points: Int
    }

    /// `GET /api/v1/partners`
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let actor = context.officer else { throw AppError.unauthorized("请先登录 (log in first)") }
        let catalogue = try await pages.web.catalogue()
        let tallies = try await pages.partners.tallies(under: actor, since: pages.since)
        let members = try await pages.partners.partners(under: actor).filter { $0.kind != .informant }
        return try JSON.response(
            members.map { member in
                PartnerView(
                    id: member.id.rawValue, kind: member.kind.rawValue, kindName: member.kind.nameZh, name: member.name,
                    phone: member.phone.map(Contact.maskPhone), area: member.areaID.rawValue, areaName: catalogue.placeName(member.areaID),
                    skills: member.skills.map(\.rawValue), availability: member.availability.map(\.rawValue), hours: tallies[member.id]?.hours ?? 0,
                    points: tallies[member.id]?.points ?? 0)
            })
    }
}
