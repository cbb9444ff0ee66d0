import Foundation
import MinyiCore
import SQLKit

/// What happened to an alert, appended and never rewritten: published, marked as sent to a community's group, withdrawn.
public struct SafetyAlertEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case published, sent, withdrawn
    }

    public var seq: Int
    public var at: Date
    public var actorID: Officer.ID
    public var kind: Kind
    /// The community whose group it was sent to (`sent`).
    public var communityID: PoliceUnit.ID?
    /// Why it was withdrawn (`withdrawn`).
    public var note: String?
}

/// Safety alerts and prevention tips. Officers publish for communities of their own jurisdiction only, and withdraw
/// or mark as sent only alerts of their jurisdiction; each change is an event appended in the same transaction.
public struct SQLAlertStore: Sendable {
    let database: any DatabaseBackend

    public init(database: any DatabaseBackend) { self.database = database }

    /// Stores a checked alert from the actor's unit. Every community must be a community within the actor's
    /// jurisdiction.
    public func publish(_ alert: SafetyAlert, by actor: Actor, at now: Date) async throws {
        try await database.write { db in
            for id in alert.communities {
                guard let community = try await SQLOrganisationStore.unit(on: db, id: id), community.kind == .community else {
                    throw StorageError.notFound(what: "社区", id: id.rawValue)
                }
                guard actor.jurisdiction.contains(community) else { throw AccessError.outsideJurisdiction("社区 \(community.name)") }
            }
            try await db.raw(
                """
                INSERT INTO safety_alerts (id, unit_id, unit_path, topic, urgency, severity, title, text, valid_from, valid_until, withdrawn_at, \
                created_at, created_by)
                VALUES (\(bind: alert.id.rawValue), \(bind: actor.unit.id.rawValue), \(bind: actor.unit.path), \(bind: alert.topic.rawValue), \
                \(bind: alert.urgency.rawValue), \(bind: alert.severity.rawValue), \(bind: alert.title), \(bind: alert.text), \
                \(bind: alert.validFrom.epochSeconds), \(bind: alert.validUntil.epochSeconds), NULL, \(bind: now.epochSeconds), \
                \(bind: actor.officer.id.rawValue))
                """
            ).run()
            for id in alert.communities {
                try await db.raw(
                    """
                    INSERT INTO safety_alert_areas (alert_id, community_id, valid_from)
                    VALUES (\(bind: alert.id.rawValue), \(bind: id.rawValue), \(bind: alert.validFrom.epochSeconds))
                    """
                ).run()
            }
            try await Self.append(alert.id, .published, community: nil, note: nil, by: actor, at: now, on: db)
        }
    }

    /// Withdraws an alert of the actor's jurisdiction, with the reason residents will read.
    public func withdraw(_ id: SafetyAlert.ID, reason: String, by actor: Actor, at now: Date) async throws {
        try await database.write { db in
            let alert = try await Self.checked(id, by: actor, on: db)
            guard alert.withdrawnAt == nil else { throw StorageError.conflict("该提示已撤回 (already withdrawn)") }
            try await db.raw("UPDATE safety_alerts SET withdrawn_at = \(bind: now.epochSeconds) WHERE id = \(bind: id.rawValue)").run()
            try await Self.append(id, .withdrawn, community: nil, note: reason, by: actor, at: now, on: db)
        }
    }

    /// Records that the alert was pasted into the community's group (once per community; a second mark is refused).
    public func markSent(_ id: SafetyAlert.ID, to community: PoliceUnit.ID, by actor: Actor, at now: Date) async throws {
        try await database.write { db in
            guard let row = try await db.raw("SELECT * FROM safety_alerts WHERE id = \(bind: id.rawValue)\(DatabaseDialect(db).lockRows)").first()
            else {
                throw StorageError.notFound(what: "警情提示", id: id.rawValue)
            }
            // Whoever looks after the community's group marks it, whichever unit published the alert.
            let alert = try await Self.decode(row, on: db)
            guard alert.communities.contains(community) else { throw StorageError.notFound(what: "该提示的社区", id: community.rawValue) }
            guard let unit = try await SQLOrganisationStore.unit(on: db, id: community), actor.jurisdiction.contains(unit) else {
                throw AccessError.outsideJurisdiction("社区 \(community.rawValue)")
            }
            let already = try await db.raw(
                """
                SELECT 1 AS x FROM safety_alert_events WHERE alert_id = \(bind: id.rawValue) AND kind = 'sent' \
                AND community_id = \(bind: community.rawValue)
                """
            ).first()
            guard already == nil else { throw StorageError.conflict("已记录发送到\(unit.name)的群 (already marked as sent)") }
            try await Self.append(id, .sent, community: community, note: nil, by: actor, at: now, on: db)
        }
    }

    static func checked(_ id: SafetyAlert.ID, by actor: Actor, on db: any SQLDatabase) async throws -> SafetyAlert {
        guard let row = try await db.raw("SELECT * FROM safety_alerts WHERE id = \(bind: id.rawValue)\(DatabaseDialect(db).lockRows)").first() else {
            throw StorageError.notFound(what: "警情提示", id: id.rawValue)
        }
        guard actor.jurisdiction.contains(path: try row.string("unit_path")) else { throw AccessError.outsideJurisdiction("警情提示 \(id.rawValue)") }
        return try await decode(row, on: db)
    }

    static func append(
        _ id: SafetyAlert.ID, _ kind: SafetyAlertEvent.Kind, community: PoliceUnit.ID?, note: String?, by actor: Actor, at now: Date,
        on db: any SQLDatabase
    ) async throws {
        let next =
            try await db.raw("SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM safety_alert_events WHERE alert_id = \(bind: id.rawValue)")
            .first()?.int("next") ?? 1
        try await db.raw(
            """
            INSERT INTO safety_alert_events (alert_id, seq, at, actor_id, kind, community_id, note)
            VALUES (\(bind: id.rawValue), \(bind: next), \(bind: now.epochSeconds), \(bind: actor.officer.id.rawValue), \(bind: kind.rawValue), \
            \(bind: community?.rawValue), \(bind: note))
            """
        ).run()
    }

    // MARK: Reading

    /// Alerts for residents, newest first: those of one community (or of every community), of one topic (or all),
    /// published by now; with `inForce`, only those in force now.
    public func alerts(
        community: PoliceUnit.ID? = nil, topic: SafetyAlert.Topic? = nil, inForce: Bool = false, at now: Date, limit: Int = 50
    ) async throws -> [SafetyAlert] {
        try await database.read { db in
            var conditions: [SQLQueryString] = ["a.valid_from <= \(bind: now.epochSeconds)"]
            if let community {
                conditions.append("a.id IN (SELECT alert_id FROM safety_alert_areas WHERE community_id = \(bind: community.rawValue))")
            }
            if let topic { conditions.append("a.topic = \(bind: topic.rawValue)") }
            if inForce { conditions.append("a.withdrawn_at IS NULL AND a.valid_until > \(bind: now.epochSeconds)") }
            let filter = conditions.joined(separator: " AND ")
            let rows = try await db.raw("SELECT a.* FROM safety_alerts a WHERE \(filter) ORDER BY a.valid_from DESC, a.id LIMIT \(bind: limit)").all()
            var alerts: [SafetyAlert] = []
            for row in rows { alerts.append(try await Self.decode(row, on: db)) }
            return alerts
        }
    }

    /// Alerts published within the actor's jurisdiction or for one of its communities.
    static func within(_ actor: Actor) -> SQLQueryString {
        let prefix = actor.jurisdiction.path + "%"
        return """
            (a.unit_path LIKE \(bind: prefix) OR a.id IN (SELECT ar.alert_id FROM safety_alert_areas ar JOIN units u ON u.id = ar.community_id \
            WHERE u.path LIKE \(bind: prefix)))
            """
    }

    /// The alerts published within the actor's jurisdiction or for its communities, newest first (the unit's list and
    /// the leader's view).
    public func alerts(under actor: Actor, limit: Int = 100) async throws -> [SafetyAlert] {
        try await database.read { db in
            let rows = try await db.raw(
                "SELECT a.* FROM safety_alerts a WHERE \(Self.within(actor)) ORDER BY a.created_at DESC, a.id LIMIT \(bind: limit)"
            ).all()
            var alerts: [SafetyAlert] = []
            for row in rows { alerts.append(try await Self.decode(row, on: db)) }
            return alerts
        }
    }

    public func alert(_ id: SafetyAlert.ID) async throws -> SafetyAlert? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT * FROM safety_alerts WHERE id = \(bind: id.rawValue)").first() else { return nil }
            return try await Self.decode(row, on: db)
        }
    }

    /// An alert's events, in the order they were appended.
    public func events(of id: SafetyAlert.ID) async throws -> [SafetyAlertEvent] {
        try await database.read { db in
            try await db.raw("SELECT * FROM safety_alert_events WHERE alert_id = \(bind: id.rawValue) ORDER BY seq").all().map { row in
                guard let kind = SafetyAlertEvent.Kind(rawValue: try row.string("kind")) else {
                    throw StorageError.corrupt("safety_alert_events.kind \(try row.string("kind"))")
                }
                return SafetyAlertEvent(
                    seq: try row.int("seq"), at: Date(epochSeconds: try row.int("at")), actorID: .init(try row.string("actor_id")), kind: kind,
                    communityID: try row.optionalString("community_id").map { .init($0) }, note: try row.optionalString("note"))
            }
        }
    }

    /// For every alert of the jurisdiction, the communities whose groups it was marked as sent to: the leader's view
    /// of what went out where.
    public func sentCounts(under actor: Actor) async throws -> [SafetyAlert.ID: Int] {
        try await database.read { db in
            let rows = try await db.raw(
                """
                SELECT e.alert_id, COUNT(*) AS n FROM safety_alert_events e JOIN safety_alerts a ON a.id = e.alert_id
                WHERE e.kind = 'sent' AND \(Self.within(actor)) GROUP BY e.alert_id
                """
            ).all()
            var counts: [SafetyAlert.ID: Int] = [:]
            for row in rows { counts[.init(try row.string("alert_id"))] = try row.int("n") }
            return counts
        }
    }

    /// Per community of the jurisdiction, how many alerts were published for it since `since` and how many of those
    /// were marked as sent to its group: what went out where.
    public func reach(under actor: Actor, since: Date) async throws -> [(community: PoliceUnit.ID, alerts: Int, sent: Int)] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT ar.community_id, COUNT(*) AS alerts,
                    SUM(CASE WHEN EXISTS (SELECT 1 FROM safety_alert_events e WHERE e.alert_id = ar.alert_id AND e.kind = 'sent'
                        AND e.community_id = ar.community_id) THEN 1 ELSE 0 END) AS sent
                FROM safety_alert_areas ar JOIN units u ON u.id = ar.community_id
                WHERE u.path LIKE \(bind: actor.jurisdiction.path + "%") AND ar.valid_from >= \(bind: since.epochSeconds)
                GROUP BY ar.community_id ORDER BY ar.community_id
                """
            ).all().map { row in (PoliceUnit.ID(try row.string("community_id")), try row.int("alerts"), try row.int("sent")) }
        }
    }

    static func decode(_ row: any SQLRow, on db: any SQLDatabase) async throws -> SafetyAlert {
        let id = try row.string("id")
        guard let topic = SafetyAlert.Topic(rawValue: try row.string("topic")),
            let urgency = SafetyAlert.Urgency(rawValue: try row.string("urgency")),
            let severity = SafetyAlert.Severity(rawValue: try row.string("severity"))
        else { throw StorageError.corrupt("safety_alerts \(id)") }
        let communities = try await db.raw("SELECT community_id FROM safety_alert_areas WHERE alert_id = \(bind: id) ORDER BY community_id")
            .all().map { PoliceUnit.ID(try $0.string("community_id")) }
        return SafetyAlert(
            id: .init(id), unitID: .init(try row.string("unit_id")), communities: communities, topic: topic, urgency: urgency, severity: severity,
            title: try row.string("title"), text: try row.string("text"), validFrom: Date(epochSeconds: try row.int("valid_from")),
            validUntil: Date(epochSeconds: try row.int("valid_until")),
            withdrawnAt: try row.optionalInt("withdrawn_at").map { Date(epochSeconds: $0) })
    }
}
