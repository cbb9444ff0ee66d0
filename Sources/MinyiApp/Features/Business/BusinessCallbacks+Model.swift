import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

/// The callback queue over business records: those the agent took, and those nobody has taken yet.
struct BusinessQueueModel: Sendable {
    var mine: [StoredBusinessRecord]
    var open: [StoredBusinessRecord]
    var types: [String: BusinessType]
    var catalogue: WebController.Catalogue
    var notice: String?
}

/// One business record: its facts, the resident's phone (revealed, and the look audited, while a call is due), the calls
/// made, and the form for the next call.
struct BusinessRecordModel: Sendable {
    var stored: StoredBusinessRecord
    var type: BusinessType?
    var phone: String?
    var attempts: [BusinessCallbackAttempt]
    var catalogue: WebController.Catalogue
    var error: String?
    /// The call form as it was sent, with what is wrong with each field, when it came back.
    var sheet: FormSheet?

    var id: String { stored.record.recordID }
    /// Whether this agent may call now: the call is due and they took the record.
    var mayCall: Bool { stored.status == .scheduled && mine }
    /// Whether the record was taken by the one looking at it.
    var mine: Bool
}

extension WebController {
    func businessQueueModel(actor: Actor, notice: String?) async throws -> BusinessQueueModel {
        let records = try await business.dueCallbacks(for: actor, at: now(), limit: 200)
        return BusinessQueueModel(
            mine: records.filter { $0.agentID == actor.officer.id }, open: records.filter { $0.agentID == nil },
            types: Dictionary(uniqueKeysWithValues: try await business.types().map { ($0.code, $0) }), catalogue: try await catalogue(),
            notice: notice)
    }

    func businessRecordModel(_ web: WebRequest, actor: Actor, id: String, error: String?) async throws -> BusinessRecordModel {
        guard let stored = try await business.record(id), actor.jurisdiction.contains(path: stored.unitPath) else {
            throw AppError.notFound(web.t("业务记录 \(id) 不存在或不在您的辖区。", "Record \(id) does not exist or is outside your jurisdiction."))
        }
        let record = stored.record
        // The phone in full only for the agent who took the record, while its call is due; everyone else sees it masked.
        let phone: String? =
            stored.status == .scheduled && !record.sensitive && stored.agentID == actor.officer.id
            ? try await business.revealPhone(of: id, by: actor, at: now()) : record.contactPhone.map(Contact.maskPhone)
        return BusinessRecordModel(
            stored: stored, type: try await business.types().first { $0.code == record.businessType }, phone: phone,
            attempts: try await business.attempts(of: id), catalogue: try await catalogue(), error: error,
            mine: stored.agentID == actor.officer.id)
    }
}
