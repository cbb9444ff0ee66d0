import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The square's alerts: in force now (or all), narrowed to a community and a topic.
struct AlertListModel: Sendable {
    var catalogue: WebController.Catalogue
    var community: PoliceUnit?
    var topic: SafetyAlert.Topic?
    var all: Bool
    var alerts: [SafetyAlert]
    var now: Date

    var communities: [PoliceUnit] { catalogue.units.filter { $0.kind == .community } }
}

/// One alert: for residents, what it says and whether it still holds; for staff, the message for the groups and which
/// communities' groups it went to.
struct AlertModel: Sendable {
    var alert: SafetyAlert
    var events: [SafetyAlertEvent]
    var catalogue: WebController.Catalogue
    var officerNames: [Officer.ID: String]
    /// The officer looking, on the staff page.
    var staff: Actor?
    var mayWithdraw: Bool
    var mayMark: Set<PoliceUnit.ID>
    var link: String
    var now: Date
    var sheet: FormSheet?

    var withdrawal: SafetyAlertEvent? { events.first { $0.kind == .withdrawn } }

    func sent(to community: PoliceUnit.ID) -> SafetyAlertEvent? { events.first { $0.kind == .sent && $0.communityID == community } }

    static func load(_ id: SafetyAlert.ID, pages: AlertPages, staff actor: Actor?, request: Request) async throws -> AlertModel {
        let now = pages.now()
        let catalogue = try await pages.web.catalogue()
        guard let alert = try await pages.alerts.alert(id) else { throw AppError.notFound("警情提示不存在 (no such alert)") }
        var mayWithdraw = false
        var mayMark: Set<PoliceUnit.ID> = []
        if let actor {
            let publisher = catalogue.byID[alert.unitID]
            let ours = alert.communities.filter { catalogue.byID[$0].map(actor.jurisdiction.contains) == true }
            guard publisher.map(actor.jurisdiction.contains) == true || !ours.isEmpty else {
                throw AppError.notFound("警情提示不存在或不在您的辖区 (no such alert in your jurisdiction)")
            }
            let mayPublish = Permission.publishAlerts.isHeld(by: actor)
            mayWithdraw = mayPublish && publisher.map(actor.jurisdiction.contains) == true && alert.withdrawnAt == nil
            mayMark = mayPublish && alert.withdrawnAt == nil ? Set(ours) : []
        } else if alert.validFrom > now {
            throw AppError.notFound("警情提示不存在 (no such alert)")
        }
        let events = try await pages.alerts.events(of: id)
        var names: [Officer.ID: String] = [:]
        if actor != nil {
            for officerID in Set(events.map(\.actorID)) { names[officerID] = try await pages.organisation.officer(officerID)?.name }
        }
        return AlertModel(
            alert: alert, events: events, catalogue: catalogue, officerNames: names, staff: actor, mayWithdraw: mayWithdraw, mayMark: mayMark,
            link: pages.support.publicBase(request) + "/alerts/\(id.rawValue)", now: now, sheet: nil)
    }
}

/// The unit's alerts page: the publish form, the jurisdiction's alerts with how many groups each reached, and per
/// community what went out in the last 30 days and how much of it reached the group (the leader's view).
struct StaffAlertsModel: Sendable {
    var alerts: [SafetyAlert]
    var sentCounts: [SafetyAlert.ID: Int]
    var reach: [(community: PoliceUnit.ID, alerts: Int, sent: Int)]
    var communities: [PoliceUnit]
    var catalogue: WebController.Catalogue
    var mayPublish: Bool
    var now: Date
    var sheet: FormSheet?

    static func load(actor: Actor, pages: AlertPages) async throws -> StaffAlertsModel {
        let now = pages.now()
        let catalogue = try await pages.web.catalogue()
        return StaffAlertsModel(
            alerts: try await pages.alerts.alerts(under: actor), sentCounts: try await pages.alerts.sentCounts(under: actor),
            reach: try await pages.alerts.reach(under: actor, since: now.addingTimeInterval(-30 * 86400)),
            communities: catalogue.units.filter { $0.kind == .community && actor.jurisdiction.contains($0) }, catalogue: catalogue,
            mayPublish: Permission.publishAlerts.isHeld(by: actor), now: now, sheet: nil)
    }
}
