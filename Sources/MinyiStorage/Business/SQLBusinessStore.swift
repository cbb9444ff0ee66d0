import Foundation
import MinyiCore
import SQLKit
import Synchronization

/// A kind of business with its callback delay.
public struct BusinessType: Sendable, Hashable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    /// Days after the service that the callback falls due (1: the next day).
    public var callbackDays: Int
    /// The category of the item opened when a resident is dissatisfied.
    public var category: MinyiCore.Category.Code?
}

/// A business record with where its callback stands.
public struct StoredBusinessRecord: Sendable, Hashable {
    public var record: BusinessRecord
    public var unitPath: String
    public var status: BusinessCallback.Status
    public var due: Date?
    public var agentID: Officer.ID?
    public var attempts: Int
    public var satisfaction: CallbackResult?
    /// The item opened when the resident was dissatisfied.
    public var itemNumber: String?
}

/// One call to a resident about a business record.
public struct BusinessCallbackAttempt: Sendable, Hashable {
    public var sequence: Int
    public var at: Date
    public var agentID: Officer.ID?
    public var outcome: BusinessCallback.Outcome
    public var satisfaction: CallbackResult?
    public var scores: CallbackScores
    public var comment: String?
}

/// What an import did.
public struct BusinessImportReport: Sendable, Hashable {
    public struct Rejected: Sendable, Hashable {
        public var line: Int
        public var reason: String
        public var text: String
    }

    public var rows: Int = 0
    public var imported: Int = 0
    /// Duplicates: a record ID already imported, or repeated in the same file.
    public var skipped: Int = 0
    public var rejected: [Rejected] = []
}

/// Progress of a long import, for a progress bar.
public struct BusinessImportProgress: Sendable {
    public enum Phase: String, Sendable { case checking, writing }
    public var phase: Phase
    public var bytesRead: Int
    public var bytesTotal: Int
    public var rows: Int
}

/// Business records: imports (CSV streamed from a file, or records over the API) and the callbacks that follow them.
public struct SQLBusinessStore: Sendable {
    let database: any DatabaseBackend
    let items: SQLItemStore
    let newID: @Sendable () -> String

    public init(database: any DatabaseBackend, items: SQLItemStore, newID: @escaping @Sendable () -> String = { RowID.make() }) {
        self.database = database
        self.items = items
        self.newID = newID
    }

    // MARK: Types

    public func types() async throws -> [BusinessType] {
        try await database.read { db in
            try await db.raw("SELECT * FROM business_types ORDER BY code").all().map { row in
                BusinessType(
                    code: try row.string("code"), nameZh: try row.string("name_zh"), nameEn: try row.string("name_en"),
                    callbackDays: try row.int("callback_days"), category: try row.optionalString("category").map { .init($0) })
            }
        }
    }

    /// Changes when callbacks of a type fall due (0–30 days after the service); applies to records imported from now on.
    public func setCallbackDays(_ days: Int, for type: String) async throws {
        guard (0...30).contains(days) else { throw ValidationError.invalid(field: "callback_days", message: "应为 0–30 天 (0 to 30 days)") }
        try await database.write { db in
            guard try await db.raw("UPDATE business_types SET callback_days = \(bind: days) WHERE code = \(bind: type) RETURNING code").first() != nil
            else {
                throw StorageError.notFound(what: "业务类型", id: type)
            }
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// Dates of an import repeat (a year has 365 days), and the calendar is slow: each text is parsed once.
final class DateCache: Sendable {
    private let parsed = Mutex<[String: Date?]>([:])

    func parse(_ text: String) -> Date? {
        if let hit = parsed.withLock({ $0[text] }) { return hit }
        let date = BusinessRecordCSV.parseDate(text)
        parsed.withLock { if $0.count < 100_000 { $0[text] = date } }
        return date
    }
}
