import Foundation
import MinyiCore
import MinyiStorage

/// What the staff list of meetings shows: the jurisdiction's meetings and the form to plan one (kept on an error).
struct MeetingListModel: Sendable {
    var meetings: [Meeting]
    var catalogue: WebController.Catalogue
    var units: [PoliceUnit]
    var officers: [(id: Officer.ID, name: String, unit: PoliceUnit.ID)]
    var form: Form?
    /// What is wrong with the plan form that came back, by field, in the page's language.
    var errors: [String: String] = [:]
    var now: Date

    static func load(actor: Actor, pages: MeetingPages, now: Date) async throws -> MeetingListModel {
        let catalogue = try await pages.web.catalogue()
        return MeetingListModel(
            meetings: try await pages.community.meetings(for: actor), catalogue: catalogue,
            units: catalogue.units.filter { $0.kind.isTerritorial && actor.jurisdiction.contains($0) },
            officers: try await pages.community.officers(within: actor), now: now)
    }
}

/// What a meeting's pages show, for staff or (actor nil) the public: the meeting, who reported, the results, the
/// items raised, and the forms with what was typed kept on an error.
struct MeetingModel: Sendable {
    var record: MeetingRecord
    var names: [Officer.ID: String]
    var catalogue: WebController.Catalogue
    var staff: Bool
    var notice: String?
    var error: String?
    var errorField: String?
    /// Every faulty field of the rating form, in the page's language.
    var errors: [String: String] = [:]
    var concern: Form?
    var rating: Form?
    var now: Date

    static func load(_ id: Meeting.ID, actor: Actor?, pages: MeetingPages, web: WebRequest, notice: String?) async throws -> MeetingModel {
        guard let record = try await pages.community.meetingRecord(id, for: actor) else {
            throw AppError.notFound(web.t("会议不存在或不在您的辖区。", "No such meeting."))
        }
        var names: [Officer.ID: String] = [:]
        for officer in record.meeting.reporters { names[officer] = try await pages.web.organisation.officer(officer)?.name }
        return MeetingModel(
            record: record, names: names, catalogue: try await pages.web.catalogue(), staff: actor != nil, notice: notice, now: pages.now())
    }

    var meeting: Meeting { record.meeting }

    /// The communities under the meeting's unit, where its concerns are placed.
    var communities: [PoliceUnit] {
        guard let unit = catalogue.byID[meeting.unitID] else { return [] }
        return catalogue.units.filter { $0.kind == .community && unit.contains($0) }
    }
}
