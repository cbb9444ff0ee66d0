import Foundation
import MinyiCore
import MinyiStorage

/// The members of the jurisdiction (or, for those who handle them, its informants) with their hours and points.
struct PartnersModel: Sendable {
    var partners: [Partner]
    var tallies: [Partner.ID: PartnerTally]
    var catalogue: WebController.Catalogue
    var areas: [PoliceUnit]
    var informants: Bool
    var mayManage: Bool
    var mayHandleInformants: Bool
    var sheet: FormSheet?

    static func load(actor: Actor, pages: PartnerPages, informants: Bool) async throws -> PartnersModel {
        let catalogue = try await pages.web.catalogue()
        let kinds: [Partner.Kind] = informants ? [.informant] : [.volunteer, .organisation, .assistant]
        return PartnersModel(
            partners: try await pages.partners.partners(under: actor, kinds: kinds),
            tallies: try await pages.partners.tallies(under: actor, since: pages.since, informants: informants), catalogue: catalogue,
            areas: catalogue.units.filter { ($0.kind == .community || $0.kind == .office) && actor.jurisdiction.contains($0) },
            informants: informants, mayManage: Permission.manageVolunteers.isHeld(by: actor),
            mayHandleInformants: Permission.handleInformants.isHeld(by: actor), sheet: nil)
    }
}

/// One member: who, where, what they can do, what they did.
struct PartnerModel: Sendable {
    var partner: Partner
    var activities: [RecordedActivity]
    var catalogue: WebController.Catalogue
    /// The full phone number, for those who manage members (the look audited); otherwise masked.
    var phone: String?
    var mayLog: Bool
    var now: Date
    var sheet: FormSheet?

    static func load(_ id: Partner.ID, actor: Actor, pages: PartnerPages) async throws -> PartnerModel {
        guard let partner = try await pages.partners.partner(id, for: actor) else {
            throw AppError.notFound("成员不存在或不在您的辖区 (no such member in your jurisdiction)")
        }
        let mayLog = Permission.manageVolunteers.isHeld(by: actor)
        let full = mayLog && partner.phone != nil
        if partner.kind == .informant || full {
            try await pages.audit.record(
                actor: actor.officer.id, action: partner.kind == .informant ? "informant.view" : "partner.phone", target: id.rawValue, detail: nil,
                at: pages.now())
        }
        return PartnerModel(
            partner: partner, activities: try await pages.partners.activities(of: id), catalogue: try await pages.web.catalogue(),
            phone: full ? partner.phone : partner.phone.map(Contact.maskPhone), mayLog: mayLog, now: pages.now(), sheet: nil)
    }
}

/// The tasks shared in the jurisdiction, and the form to share one.
struct TasksModel: Sendable {
    var tasks: [StoredTask]
    var catalogue: WebController.Catalogue
    var areas: [PoliceUnit]
    var mayManage: Bool
    var now: Date
    var sheet: FormSheet?

    static func load(actor: Actor, pages: PartnerPages) async throws -> TasksModel {
        let catalogue = try await pages.web.catalogue()
        return TasksModel(
            tasks: try await pages.partners.tasks(under: actor), catalogue: catalogue,
            areas: catalogue.units.filter { ($0.kind == .community || $0.kind == .office) && actor.jurisdiction.contains($0) },
            mayManage: Permission.manageVolunteers.isHeld(by: actor), now: pages.now(), sheet: nil)
    }
}

/// One task: who may take it, who took it, what came of it.
struct TaskModel: Sendable {
    var stored: StoredTask
    var candidates: [Partner]
    var catalogue: WebController.Catalogue
    var mayManage: Bool
    var sheet: FormSheet?

    var task: SharedTask { stored.task }

    static func load(_ id: SharedTask.ID, actor: Actor, pages: PartnerPages) async throws -> TaskModel {
        guard let stored = try await pages.partners.task(id, for: actor) else {
            throw AppError.notFound("任务不存在或不在您的辖区 (no such task in your jurisdiction)")
        }
        return TaskModel(
            stored: stored, candidates: try await pages.partners.candidates(for: stored, actor: actor), catalogue: try await pages.web.catalogue(),
            mayManage: Permission.manageVolunteers.isHeld(by: actor), sheet: nil)
    }
}
