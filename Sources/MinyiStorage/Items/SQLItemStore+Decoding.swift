import Crypto
import Foundation
import MinyiCore
import SQLKit

/// Rows back into domain values.
extension SQLItemStore {
    static func decodeStored(_ row: any SQLRow) throws -> StoredItem {
        StoredItem(item: try decodeItem(row), placePath: try row.string("place_path"), assignedPath: try row.optionalString("assigned_path"))
    }

    static func decodeItem(_ row: any SQLRow) throws -> Item {
        func value<T: RawRepresentable>(_ column: String, _ type: T.Type) throws -> T where T.RawValue == String {
            guard let value = T(rawValue: try row.string(column)) else { throw StorageError.corrupt("\(column)") }
            return value
        }
        let contact = Contact(
            name: try row.optionalString("contact_name"), phone: try row.optionalString("contact_phone"),
            idNumber: try row.optionalString("contact_id_number"))
        var item = Item(
            id: .init(try row.string("id")), number: try row.string("number"), kind: try value("kind", ItemKind.self),
            category: .init(try row.string("category")), channel: try value("channel", Channel.self), text: try row.string("text"),
            placeID: .init(try row.string("place_id")), address: try row.optionalString("address"), latitude: try row.optionalDouble("latitude"),
            longitude: try row.optionalDouble("longitude"), contact: contact.isEmpty ? nil : contact, emergency: try row.int("emergency") == 1,
            echoCard: try row.optionalString("echo_card"), createdAt: try row.date("created_at"))
        item.status = try value("status", ItemStatus.self)
        item.assignedUnitID = try row.optionalString("assigned_unit_id").map { .init($0) }
        item.responseDue = try row.optionalDate("response_due")
        item.handlingDue = try row.optionalDate("handling_due")
        item.round = try row.int("round")
        item.acceptedAt = try row.optionalDate("accepted_at")
        item.firstRepliedAt = try row.optionalDate("first_replied_at")
        item.repliedAt = try row.optionalDate("replied_at")
        item.answeredOnSpot = try row.int("answered_on_spot") == 1
        item.replyOutcome = try row.optionalString("reply_outcome").flatMap(ReplyOutcome.init(rawValue:))
        item.replyText = try row.optionalString("reply_text")
        item.publicReason = try row.optionalString("public_reason")
        item.callbackDue = try row.optionalDate("callback_due")
        item.callbackAttempts = try row.int("callback_attempts")
        item.callbackResult = try row.optionalString("callback_result").flatMap(CallbackResult.init(rawValue:))
        item.firstCallbackResult = try row.optionalString("first_callback_result").flatMap(CallbackResult.init(rawValue:))
        item.mergedInto = try row.optionalString("merged_into")
        item.closedAt = try row.optionalDate("closed_at")
        item.breached = try row.int("breached") == 1
        item.lateSince = try row.optionalDate("late_since")
        item.lateFor = try row.optionalString("late_for").flatMap(DeadlineKind.init(rawValue:))
        item.updatedAt = try row.date("updated_at")
        item.version = try row.int("version")
        return item
    }

    static func decodeEvent(_ row: any SQLRow) throws -> ItemEvent {
        guard let kind = ItemEvent.Kind(rawValue: try row.string("kind")), let status = ItemStatus(rawValue: try row.string("status")) else {
            throw StorageError.corrupt("event")
        }
        let detail: EventDetail
        do {
            detail = try EventDetail(json: try row.string("detail"))
        } catch {
            throw StorageError.corrupt("\(error)")
        }
        return ItemEvent(
            sequence: try row.int("seq"), kind: kind, at: try row.date("at"), actorID: try row.optionalString("actor_id").map { .init($0) },
            actorUnitID: try row.optionalString("actor_unit_id").map { .init($0) }, status: status, reason: try row.optionalString("reason"),
            detail: detail)
    }

    static func decodeOrder(_ row: any SQLRow) throws -> SupervisionOrder {
        guard let cause = SupervisionOrder.Cause(rawValue: try row.string("cause")) else { throw StorageError.corrupt("cause") }
        return SupervisionOrder(
            id: .init(try row.string("id")), itemID: .init(try row.string("item_id")), itemNumber: try row.string("number"),
            unitID: .init(try row.string("unit_id")), cause: cause, reason: try row.string("reason"), issuedAt: try row.date("issued_at"),
            issuedBy: try row.optionalString("issued_by").map { .init($0) }, due: try row.date("due"),
            resolvedAt: try row.optionalDate("resolved_at"),
            level: try row.int("level"))
    }
}
