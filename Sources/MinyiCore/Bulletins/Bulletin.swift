import Foundation

/// One unit's week in the Monday summary (每周一汇总).
public struct BulletinUnit: Sendable, Hashable, Codable {
    public var unitID: PoliceUnit.ID
    public var unitName: String
    /// Reply, response, closure and satisfaction rates of the items due in the week: whose first handling deadline
    /// (registration plus the category's days) falls in it (see `Measures`).
    public var measures: Measures
    /// Callbacks that fell due in the week: items whose reply made them due in it (the day after), and business
    /// records due in it.
    public var callbacksDue: Int
    /// Callbacks answered by the resident in the week.
    public var callbacksDone: Int
    /// Residents who said they were dissatisfied in the week.
    public var dissatisfied: Int
    /// Of those, how many have since been replied to again or closed.
    public var dissatisfiedFollowedUp: Int
    /// Deadlines missed in the week.
    public var overdue: Int
    /// Supervision orders issued to the unit in the week.
    public var supervisionOrders: Int
    /// Items registered in the week too late to be closed by the bulletin's Monday (their handling deadline falls after
    /// it): counted in the week they fall due, not against the unit now. Nil in bulletins issued before the rule.
    public var notYetDue: Int?

    public init(
        unitID: PoliceUnit.ID, unitName: String, measures: Measures, callbacksDue: Int, callbacksDone: Int, dissatisfied: Int,
        dissatisfiedFollowedUp: Int, overdue: Int, supervisionOrders: Int, notYetDue: Int? = nil
    ) {
        self.notYetDue = notYetDue
        self.unitID = unitID
        self.unitName = unitName
        self.measures = measures
        self.callbacksDue = callbacksDue
        self.callbacksDone = callbacksDone
        self.dissatisfied = dissatisfied
        self.dissatisfiedFollowedUp = dissatisfiedFollowedUp
        self.overdue = overdue
        self.supervisionOrders = supervisionOrders
    }

    /// The unit's score: the mean of its reply, response, closure and satisfaction rates that had anything to count.
    public var score: Double? {
        let rates = [measures.replyRate, measures.responseRate, measures.closureRate, measures.satisfactionRate].compactMap(\.value)
        return rates.isEmpty ? nil : rates.reduce(0, +) / Double(rates.count)
    }
}

/// The weekly bulletin (通报): units ranked by their score, the bottom ones named, and those below the threshold
/// sent a supervision order. Kept as issued: later changes to items never change a published bulletin.
///
/// Its rules are meant to be fair, or bureaus would switch it off: a unit's rates count the items due in the week, so an
/// item registered too late to be closed by Monday waits for the bulletin of its week (`BulletinUnit.notYetDue`); a unit
/// with fewer than `minimumItems` items counted is listed, but not ranked, named at the bottom or sent an order; the
/// units that issue supervision orders (the inspectorate) are listed but never sent one by the bulletin; and callbacks
/// done are counted among those due, so "done / due" never exceeds one.
public struct Bulletin: Sendable, Hashable, Codable {
    public var weekStart: Date
    public var weekEnd: Date
    public var issuedAt: Date
    /// Units scoring below this get a supervision order.
    public var threshold: Double
    /// Units with something to score, best first; units with nothing to count follow, unranked.
    public var units: [BulletinUnit]
    /// The lowest-ranked units, named in the bulletin.
    public var bottom: [PoliceUnit.ID]
    /// Units scoring below the threshold, and sent a supervision order.
    public var belowThreshold: [PoliceUnit.ID]
    /// Units with a score but too few items to be ranked (nil in bulletins issued before the rule).
    public var unranked: [PoliceUnit.ID]?
    /// Units the bulletin does not send supervision orders to: those that issue them.
    public var exempt: [PoliceUnit.ID]?
    /// The fewest items counted for a unit to be ranked.
    public var minimumItems: Int?

    /// How many units the bulletin names at the bottom.
    public static let bottomCount = 2
    /// The fewest items counted for a unit to be ranked, unless the bureau sets another.
    public static let defaultMinimumItems = 5

    public init(
        weekStart: Date, weekEnd: Date, issuedAt: Date, threshold: Double, units: [BulletinUnit], minimumItems: Int = Bulletin.defaultMinimumItems,
        exempt: Set<PoliceUnit.ID> = []
    ) {
        self.weekStart = weekStart
        self.weekEnd = weekEnd
        self.issuedAt = issuedAt
        self.threshold = threshold
        self.minimumItems = minimumItems
        let ranked = units.compactMap { unit in
            unit.score.map { (unit: unit, score: $0) }
        }.filter { $0.unit.measures.received >= minimumItems }.sorted {
            ($0.score, $1.unit.unitID.rawValue) > ($1.score, $0.unit.unitID.rawValue)
        }
        let rankedIDs = Set(ranked.map(\.unit.unitID))
        let few = units.filter { $0.score != nil && !rankedIDs.contains($0.unitID) }.sorted { $0.unitID.rawValue < $1.unitID.rawValue }
        let unscored = units.filter { $0.score == nil }.sorted { $0.unitID.rawValue < $1.unitID.rawValue }
        self.units = ranked.map(\.unit) + few + unscored
        self.unranked = few.map(\.unitID)
        self.exempt = units.map(\.unitID).filter(exempt.contains)
        self.bottom = ranked.count > Self.bottomCount ? ranked.suffix(Self.bottomCount).map(\.unit.unitID) : []
        self.belowThreshold = ranked.filter { $0.score < threshold && !exempt.contains($0.unit.unitID) }.map(\.unit.unitID)
    }

    /// The unit's place in the ranking (1 = best), nil when it is not ranked.
    public func rank(of unit: PoliceUnit.ID) -> Int? {
        let ranked = units.filter { $0.score != nil && !(unranked ?? []).contains($0.unitID) }
        return ranked.firstIndex { $0.unitID == unit }.map { $0 + 1 }
    }

    /// The week (Monday 00:00 to the next Monday, China Standard Time) containing `date`.
    public static func week(containing date: Date) -> (start: Date, end: Date) {
        // China keeps UTC+8 all year, so a week is 7 × 86,400 s.
        let back = Deadlines.weekday(of: date) - 1
        let start = Deadlines.dayStart(of: date).addingTimeInterval(-Double(back) * 86400)
        return (start, start.addingTimeInterval(7 * 86400))
    }

    /// The last whole week before `date`: what a Monday's bulletin covers.
    public static func previousWeek(before date: Date) -> (start: Date, end: Date) {
        week(containing: week(containing: date).start.addingTimeInterval(-3600))
    }
}
