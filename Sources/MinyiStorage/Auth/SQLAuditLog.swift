import Foundation
import MinyiCore
import SQLKit

/// One entry of the audit log.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var id: String
    public var at: Date
    public var actorID: Officer.ID?
    public var action: String
    public var target: String?
    public var detail: String?
}

/// The audit log: who looked at personal data, who logged in, who changed whom. Entries are only ever added.
public struct SQLAuditLog: Sendable {
    let database: any DatabaseBackend
    let newID: @Sendable () -> String

    public init(database: any DatabaseBackend, newID: @escaping @Sendable () -> String = { RowID.make() }) {
        self.database = database
        self.newID = newID
    }

    public func record(actor: Officer.ID?, action: String, target: String?, detail: String?, at now: Date) async throws {
        let id = newID()
        try await database.write { db in
            try await Self.record(on: db, id: id, at: now, actor: actor, action: action, target: target, detail: detail)
        }
    }

    static func record(
        on db: any SQLDatabase, id: String, at now: Date, actor: Officer.ID?, action: String, target: String?, detail: String?
    ) async throws {
        try await db.raw(
            """
            INSERT INTO audit_log (id, at, actor_id, action, target, detail)
            VALUES (\(bind: id), \(bind: now.epochSeconds), \(bind: actor?.rawValue), \(bind: action), \(bind: target), \(bind: detail))
            """
        ).run()
    }

    /// Entries, newest first, optionally about one target (the first 200).
    public func entries(target: String? = nil, limit: Int = 200) async throws -> [AuditEntry] {
        try await entries(AuditQuery(target: target, limit: limit)).entries
    }

    /// One page of the entries that match, newest first, and where the next page starts.
    public func entries(_ query: AuditQuery) async throws -> (entries: [AuditEntry], next: AuditQuery.Cursor?) {
        let limit = max(1, min(query.limit, AuditQuery.maxLimit))
        return try await database.read { db in
            var conditions: [SQLQueryString] = []
            if let within = query.within {
                // Entries by officers of the subtree; the system's own entries belong to the whole bureau.
                conditions.append(
                    "a.actor_id IN (SELECT o.id FROM officers o JOIN units u ON u.id = o.unit_id WHERE u.path LIKE \(bind: within.path + "%"))")
            }
            if let actor = query.actor { conditions.append("a.actor_id = \(bind: actor.rawValue)") }
            if let target = query.target { conditions.append("a.target = \(bind: target)") }
            if let action = query.action { conditions.append("a.action = \(bind: action)") }
            if let from = query.from { conditions.append("a.at >= \(bind: from.epochSeconds)") }
            if let to = query.to { conditions.append("a.at < \(bind: to.epochSeconds)") }
            if let before = query.before {
                conditions.append("(a.at < \(bind: before.at) OR (a.at = \(bind: before.at) AND a.id < \(bind: before.id)))")
            }
            var sql: SQLQueryString = "SELECT a.* FROM audit_log a"
            if !conditions.isEmpty { sql = sql + " WHERE " + conditions.joined(separator: " AND ") }
            sql = sql + " ORDER BY a.at DESC, a.id DESC LIMIT \(literal: limit + 1)"
            let rows = try await db.raw(sql).all()
            let entries = try rows.prefix(limit).map { row in
                AuditEntry(
                    id: try row.string("id"), at: try row.date("at"), actorID: try row.optionalString("actor_id").map { .init($0) },
                    action: try row.string("action"), target: try row.optionalString("target"), detail: try row.optionalString("detail"))
            }
            let next = rows.count > limit ? entries.last.map { AuditQuery.Cursor(at: $0.at.epochSeconds, id: $0.id) } : nil
            return (entries, next)
        }
    }
}

/// What to read of the audit log: filters, the subtree whose officers' entries may be read, and a page.
public struct AuditQuery: Sendable, Hashable {
    /// Where a page starts: after the entry at this time with this ID.
    public struct Cursor: Sendable, Hashable, CustomStringConvertible {
        public var at: Int
        public var id: String

        public init(at: Int, id: String) {
            self.at = at
            self.id = id
        }

        /// Reads the form `description` writes, `<seconds>.<id>`.
        public init?(_ text: String) {
            let parts = text.split(separator: ".", maxSplits: 1)
            guard parts.count == 2, let at = Int(parts[0]), !parts[1].isEmpty, parts[1].count <= 64 else { return nil }
            self.at = at
            self.id = String(parts[1])
        }

        public var description: String { "\(at).\(id)" }
    }

    public static let maxLimit = 1000

    public var within: PoliceUnit?
    public var actor: Officer.ID?
    public var target: String?
    public var action: String?
    public var from: Date?
    public var to: Date?
    public var before: Cursor?
    public var limit: Int

    public init(
        within: PoliceUnit? = nil, actor: Officer.ID? = nil, target: String? = nil, action: String? = nil, from: Date? = nil, to: Date? = nil,
        before: Cursor? = nil, limit: Int = 200
    ) {
        self.within = within
        self.actor = actor
        self.target = target
        self.action = action
        self.from = from
        self.to = to
        self.before = before
        self.limit = limit
    }
}
