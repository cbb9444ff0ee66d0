import Foundation

/// A cadre paired with a household (结对联建): the cadre keeps in touch, visits and does practical deeds for it.
public struct Pairing: Sendable, Hashable {
    public typealias ID = Identifier<Pairing>

    public var id: ID
    public var officerID: Officer.ID
    public var householdID: Household.ID
    public var since: Date
    public var active: Bool

    public init(id: ID, officerID: Officer.ID, householdID: Household.ID, since: Date, active: Bool = true) {
        self.id = id
        self.officerID = officerID
        self.householdID = householdID
        self.since = since
        self.active = active
    }
}

/// What a cadre did for a paired household. A visit to the household by the cadre counts as a visit (and a contact).
public enum PairActivityKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A call, a message, a word in passing.
    case contact
    /// A practical deed (办实事): what was done is written down.
    case deed

    public var nameZh: String {
        switch self {
        case .contact: "联系"
        case .deed: "办实事"
        }
    }

    public var nameEn: String {
        switch self {
        case .contact: "Contact"
        case .deed: "Practical deed"
        }
    }
}

/// The cadence a pair keeps: contact every week, visit every month, a number of deeds a year (the bureau may change
/// the numbers).
public struct PairingCadence: Sendable, Hashable {
    public var contactsPerWeek: Int
    public var visitsPerMonth: Int
    public var deedsPerYear: Int

    public init(contactsPerWeek: Int, visitsPerMonth: Int, deedsPerYear: Int) {
        self.contactsPerWeek = contactsPerWeek
        self.visitsPerMonth = visitsPerMonth
        self.deedsPerYear = deedsPerYear
    }

    public static let standard = PairingCadence(contactsPerWeek: 1, visitsPerMonth: 1, deedsPerYear: 2)

    /// As kept in settings: `1,1,2`.
    public var text: String { "\(contactsPerWeek),\(visitsPerMonth),\(deedsPerYear)" }

    public init?(text: String) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmed) }
        guard parts.count == 3, let c = parts[0], let v = parts[1], let d = parts[2], (0...7).contains(c), (0...10).contains(v),
            (0...50).contains(d)
        else { return nil }
        self.init(contactsPerWeek: c, visitsPerMonth: v, deedsPerYear: d)
    }
}

/// How a pair stands on one requirement in the period running now.
public enum Compliance: String, Sendable, Hashable, Codable, CaseIterable {
    /// Done as often as asked in this period.
    case kept
    /// Not yet, and less than half the period has gone: still on time.
    case pending
    /// Not yet, and more than half the period has gone.
    case late
    /// The period before ended short (shown when this period is not yet kept).
    case missed

    /// Judges a requirement of `required` per period from what was done in the current period and the one before.
    /// A period kept wins; otherwise a short period before is "missed"; otherwise past the middle is "late".
    public static func judge(
        required: Int, doneNow: Int, donePrevious: Int, period: (start: Date, end: Date), previousCounts: Bool, at now: Date
    ) -> Compliance {
        if required == 0 || doneNow >= required { return .kept }
        if previousCounts && donePrevious < required { return .missed }
        let elapsed = now.timeIntervalSince(period.start) / period.end.timeIntervalSince(period.start)
        return elapsed > 0.5 ? .late : .pending
    }

    /// Whether the pair is falling behind on this requirement.
    public var isBehind: Bool { self == .late || self == .missed }

    public var nameZh: String {
        switch self {
        case .kept: "已落实"
        case .pending: "进行中"
        case .late: "滞后"
        case .missed: "未落实"
        }
    }

    public var nameEn: String {
        switch self {
        case .kept: "Kept"
        case .pending: "On track"
        case .late: "Behind"
        case .missed: "Missed"
        }
    }
}

/// What a cadre did for a pair, counted by the periods the cadence judges.
public struct PairActivityCounts: Sendable, Hashable {
    public var contactsThisWeek = 0
    public var contactsLastWeek = 0
    public var visitsThisWeek = 0
    public var visitsLastWeek = 0
    public var visitsThisMonth = 0
    public var visitsLastMonth = 0
    public var deedsThisYear = 0

    public init() {}
}

/// A pair's standing this week (contact), this month (visit) and this year (deeds).
public struct PairStanding: Sendable, Hashable {
    public var contact: Compliance
    public var visit: Compliance
    public var deeds: Compliance
    public var counts: PairActivityCounts

    public var isBehind: Bool { contact.isBehind || visit.isBehind || deeds.isBehind }

    /// Judges a pair from what was done: contacts by week (a visit is a contact too), visits by month, deeds by year.
    /// A period before the pair began is never missed.
    public static func judge(cadence: PairingCadence, since: Date, counts: PairActivityCounts, at now: Date) -> PairStanding {
        let week = Bulletin.week(containing: now)
        let month = Deadlines.month(containing: now)
        let year = (
            start: Deadlines.start(year: Deadlines.year(of: now), month: 1),
            end: Deadlines.start(
                year: Deadlines.year(of: now) + 1,
                month: 1)
        )
        let previousWeekStart = week.start.addingTimeInterval(-7 * 86400)
        let previousMonthStart = Deadlines.month(containing: month.start, offsetBy: -1).start
        return PairStanding(
            contact: Compliance.judge(
                required: cadence.contactsPerWeek, doneNow: counts.contactsThisWeek + counts.visitsThisWeek,
                donePrevious: counts.contactsLastWeek + counts.visitsLastWeek, period: week, previousCounts: since <= previousWeekStart, at: now),
            visit: Compliance.judge(
                required: cadence.visitsPerMonth, doneNow: counts.visitsThisMonth, donePrevious: counts.visitsLastMonth, period: month,
                previousCounts: since <= previousMonthStart, at: now),
            deeds: Compliance.judge(
                required: cadence.deedsPerYear, doneNow: counts.deedsThisYear, donePrevious: cadence.deedsPerYear, period: year,
                previousCounts: false, at: now),
            counts: counts)
    }
}
