import Foundation

/// A meeting where officers report to the people (向人民报告, 述职, 恳谈会): residents and deputies come, rate each
/// officer who reports on the spot, and raise what concerns them.
public struct Meeting: Sendable, Hashable {
    public typealias ID = Identifier<Meeting>

    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case report
        case review
        case dialogue

        public var nameZh: String {
            switch self {
            case .report: "向人民报告"
            case .review: "民警述职"
            case .dialogue: "警民恳谈会"
            }
        }

        public var nameEn: String {
            switch self {
            case .report: "Report to the people"
            case .review: "Officers' review"
            case .dialogue: "Dialogue with residents"
            }
        }
    }

    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Announced; attendees cannot rate yet.
        case planned
        /// Under way: codes handed out at the door rate the officers.
        case open
        /// Over: the results are public.
        case closed

        public var nameZh: String {
            switch self {
            case .planned: "筹备中"
            case .open: "进行中"
            case .closed: "已结束"
            }
        }

        public var nameEn: String {
            switch self {
            case .planned: "Planned"
            case .open: "Under way"
            case .closed: "Closed"
            }
        }
    }

    public var id: ID
    public var title: String
    public var kind: Kind
    /// The unit holding the meeting (its jurisdiction is whose concerns are raised).
    public var unitID: PoliceUnit.ID
    public var place: String
    public var startsAt: Date
    public var status: Status
    /// The officers who report, in order.
    public var reporters: [Officer.ID]
    public var invitedDeputies: Int
    public var invitedResidents: Int

    public init(
        id: ID, title: String, kind: Kind, unitID: PoliceUnit.ID, place: String, startsAt: Date, status: Status, reporters: [Officer.ID],
        invitedDeputies: Int, invitedResidents: Int
    ) {
        self.id = id
        self.title = title
        self.kind = kind
        self.unitID = unitID
        self.place = place
        self.startsAt = startsAt
        self.status = status
        self.reporters = reporters
        self.invitedDeputies = invitedDeputies
        self.invitedResidents = invitedResidents
    }

    /// The characters of attendance codes: no 0/O, 1/I/L, easy to read aloud and type.
    public static let codeAlphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    public static let codeLength = 8

    /// A code as an attendee types it: any case, spaces and dashes ignored.
    public static func normaliseCode(_ raw: String) -> String {
        raw.uppercased().filter { $0 != " " && $0 != "-" }
    }
}

/// One attendee's rating of one officer who reported: satisfied or not, and 1–5 on the five indicators.
public struct MeetingRating: Sendable, Hashable {
    public var result: CallbackResult
    public var scores: CallbackScores

    public init(result: CallbackResult, scores: CallbackScores) throws(ValidationError) {
        guard result != .unreachable else { throw .invalid(field: "result", message: "请选择满意、基本满意或不满意 (choose a rating)") }
        self.result = result
        self.scores = scores
    }
}

/// The ratings of one officer at a meeting, added up: nothing in it says who gave which.
public struct MeetingResult: Sendable, Hashable {
    public var satisfied = 0
    public var basicallySatisfied = 0
    public var dissatisfied = 0
    public var sums: [CallbackScores.Indicator: Int] = [:]
    public var counts: [CallbackScores.Indicator: Int] = [:]

    public init() {}

    public var ratings: Int { satisfied + basicallySatisfied + dissatisfied }

    /// Satisfied or basically satisfied ÷ ratings.
    public var satisfaction: Rate { Rate(satisfied + basicallySatisfied, of: ratings) }

    /// The mean score of an indicator, nil when nobody scored it.
    public func average(_ indicator: CallbackScores.Indicator) -> Double? {
        guard let n = counts[indicator], n > 0 else { return nil }
        return Double(sums[indicator] ?? 0) / Double(n)
    }

    public mutating func add(_ rating: MeetingRating) {
        switch rating.result {
        case .satisfied: satisfied += 1
        case .basicallySatisfied: basicallySatisfied += 1
        case .dissatisfied: dissatisfied += 1
        case .unreachable: break
        }
        for (indicator, value) in rating.scores.values {
            sums[indicator, default: 0] += value
            counts[indicator, default: 0] += 1
        }
    }
}
