import Foundation

/// Open311 GeoReport v2, the civic standard other systems use to file and follow requests: how an item's status
/// reads there, the dates it takes, and which requests a query asks for.
public enum GeoReport {
    /// A request's status as GeoReport v2 knows it.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case open, closed

        /// Closed once the item is finished (closed, merged into another, rejected); open while anyone still owes it
        /// something, the callback included.
        public init(_ status: ItemStatus) { self = status.isTerminal ? .closed : .open }

        /// The item statuses that read as this status.
        public var itemStatuses: [ItemStatus] { ItemStatus.allCases.filter { Status($0) == self } }
    }

    /// An error as the specification lists them: the HTTP status as `code`, and what was wrong.
    public struct Failure: Error, Sendable, Hashable {
        public var code: Int
        public var description: String

        public init(_ code: Int, _ description: String) {
            self.code = code
            self.description = description
        }
    }

    /// The longest description the specification allows; longer is refused, never cut.
    public static let maxDescription = 4000
    /// The longest span a date range may cover, and the default range: the last 90 days.
    public static let maxSpan: TimeInterval = 90 * 86400
    /// The most IDs one query may name.
    public static let maxIDs = 100

    /// Reads a W3C date-time (`2026-11-30T09:00:00+08:00`, `…Z`, with or without fractions of a second).
    public static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// Which requests `GET requests` asks for: by IDs (which override every other filter), or by service codes,
    /// statuses and a date range of at most 90 days (the last 90 days when none is given).
    public struct Query: Sendable, Hashable {
        public var ids: [String]
        public var serviceCodes: [String]
        public var statuses: [Status]
        public var start: Date
        public var end: Date

        /// Checks the query's parameters as sent; every fault is named, each as the specification's 400.
        public static func validated(
            ids: String?, serviceCodes: String?, statuses: String?, start: String?, end: String?, now: Date
        ) throws(Failure) -> Query {
            func list(_ raw: String?) -> [String] {
                (raw ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            var problems: [String] = []
            let ids = list(ids)
            if ids.count > maxIDs { problems.append("service_request_id: at most \(maxIDs) IDs") }
            if ids.contains(where: \.hasControlCharacters) { problems.append("service_request_id: contains control characters") }
            if list(serviceCodes).contains(where: \.hasControlCharacters) { problems.append("service_code: contains control characters") }
            var chosen: [Status] = []
            for raw in list(statuses) {
                if let status = Status(rawValue: raw) { chosen.append(status) } else { problems.append("status: \(raw) is neither open nor closed") }
            }
            func date(_ raw: String?, _ name: String) -> Date? {
                guard let raw, !raw.isEmpty else { return nil }
                guard let date = parseDate(raw) else {
                    problems.append("\(name): \(raw) is not a W3C date-time such as 2026-11-30T09:00:00+08:00")
                    return nil
                }
                return date
            }
            let startDate = date(start, "start_date")
            let endDate = date(end, "end_date")
            let to = endDate ?? (startDate.map { min($0.addingTimeInterval(maxSpan), now) } ?? now)
            let from = startDate ?? to.addingTimeInterval(-maxSpan)
            if ids.isEmpty {
                if from > to { problems.append("start_date is after end_date") }
                if to.timeIntervalSince(from) > maxSpan { problems.append("start_date to end_date spans more than 90 days") }
            }
            guard problems.isEmpty else { throw Failure(400, problems.joined(separator: "; ")) }
            return Query(ids: ids, serviceCodes: list(serviceCodes), statuses: chosen, start: from, end: to)
        }
    }
}
