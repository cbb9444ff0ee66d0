import Foundation
import MinyiCore
import SQLKit

/// One entry of the audit log.
public struct AuditEntry: Sendable, Hashable, Codable {
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

    /// Entries, newest first, optionally about one target.
    public func entries(target: String? = nil, limit: Int = 200) async throws -> [AuditEntry] {
        try await database.read { db in
            let rows: [any SQLRow]
            if let target {
                rows = try await db.raw(
                    "SELECT * FROM audit_log WHERE target = \(bind: target) ORDER BY at DESC LIMIT \(literal: max(1, min(limit, 1000)))"
                ).all()
            } else {
                rows = try await db.raw("SELECT * FROM audit_log ORDER BY at DESC LIMIT \(literal: max(1, min(limit, 1000)))").all()
            }
            return try rows.map { row in
                AuditEntry(
                    at: try row.date("at"), actorID: try row.optionalString("actor_id").map { .init($0) }, action: try row.string("action"),
                    target: try row.optionalString("target"), detail: try row.optionalString("detail"))
            }
        }
    }
}
