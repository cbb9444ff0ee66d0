import Foundation
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

/// The rollups must say what the items say, after every kind of change, for any unit and period.
struct RollupTests {
    /// A repeatable history: 60 items over six weeks across a month's end, each pushed through random steps
    /// (dispatch, accept, reply, callbacks, supervision, returns, merges, rejections, corrections, deadlines).
    static func history(_ world: World) async throws -> (numbers: [String], statuses: Set<ItemStatus>) {
        let items = world.items
        var random = SplitMix(seed: 2026)
        let categories: [MinyiCore.Category.Code] = ["noise", "traffic", "conduct"]
        let kinds: [ItemKind] = [.complaint, .help, .opinion, .tipOff]
        var numbers: [String] = []
        var places: [String: String] = [:]
        for index in 0..<60 {
            let at = world.t0 - 10 * 86400 + Double(index) * 40_000 + Double(random.next(100))
            let place = random.next(2) == 0 ? "S01" : "S02"
            let submission = try Submission(
                kind: kinds[random.next(kinds.count)], category: categories[random.next(3)], channel: .web, text: "第 \(index) 件：路灯坏了很久",
                placeID: .init(place + "-C1"))
            let number = try await items.submit(submission, idempotencyKey: nil, by: nil, at: at).item.number
            numbers.append(number)
            places[number] = place
            var t = at
            for _ in 0..<random.next(8) {
                t += Double(600 + random.next(40_000))
                let handler = places[number] == "S01" ? world.handlerA : world.handlerB
                let step: (ItemCommand, Actor)
                switch random.next(12) {
                case 0, 1: step = (.dispatch(unit: .init(random.next(3) == 0 ? (place == "S01" ? "S02" : "S01") : place)), world.dispatcher)
                case 2: step = (.accept, random.next(2) == 0 ? world.handlerA : world.handlerB)
                case 3: step = (.reply(outcome: random.next(4) == 0 ? .unsolvable : .resolved, text: "已处理", publicReason: "暂无条件"), handler)
                case 4:
                    let results: [CallbackResult] = [.satisfied, .basicallySatisfied, .dissatisfied, .unreachable]
                    step = (.callback(result: results[random.next(4)], comment: "意见"), world.callbackAgent)
                case 5: step = (.returnToCommand(reason: "不属于本所"), handler)
                case 6: step = (.answer(outcome: .explained, text: "当场解释", publicReason: nil), world.dispatcher)
                case 7: step = (.recategorize(category: categories[random.next(3)], reason: "更正"), world.dispatcher)
                case 8 where numbers.count > 1: step = (.merge(into: numbers[random.next(numbers.count - 1)], reason: "重复"), world.dispatcher)
                case 9 where random.next(3) == 0: step = (.reject(reason: "无效"), world.dispatcher)
                case 10: step = (.close(reason: "领导签批"), world.leader)
                default: step = (.accept, handler)
                }
                _ = try? await items.apply(step.0, to: number, by: step.1, at: t)
            }
        }
        _ = try await items.scanDeadlines(at: world.t0 + 10 * 86400)
        let all = try await items.queue(QueueFilter(limit: 1000), for: world.leader, at: world.t0).items
        return (numbers, Set(all.map(\.item.status)))
    }

    @Test(arguments: TestDatabase.dialects)
    func rollupsAgreeWithTheItemsForAnyUnitAndPeriod(dialect: DatabaseDialect) async throws {
        try await TestDatabase.withFresh(dialect) { database in
            let world = try await World.make(on: database)
            let items = world.items
            let (_, statuses) = try await Self.history(world)
            // The history reached the states whose counting is delicate.
            for status in [ItemStatus.closed, .merged, .replied, .dispatched, .registered] { #expect(statuses.contains(status), "no \(status) item") }

            let day = 86400.0
            let september = try #require(Deadlines.month(named: "2026-09"))
            let october = try #require(Deadlines.month(named: "2026-10"))
            let periods: [(Date, Date)] = [
                (world.t0 - 40 * day, world.t0 + 40 * day),  // whole months and days on both sides
                september, october,
                (world.t0 - 3 * day + 123, world.t0 + 2 * day + 77),  // parts of days at both edges
                (world.t0 + 5, world.t0 + 3600),  // within one day
                (Deadlines.dayStart(of: world.t0 - 7 * day), Deadlines.dayStart(of: world.t0)),  // a week of whole days
            ]
            let everything = try await items.queue(QueueFilter(limit: 1000), for: world.leader, at: world.t0).items
            for id in ["KFQ", "S01", "S02", "S01-O1"] {
                let unit = try #require(try await world.organisation.unit(.init(id)))
                for (from, to) in periods {
                    let expected = Measures(facts: try await items.facts(under: unit, from: from, to: to))
                    #expect(Measures(tally: try await items.tally(under: unit, from: from, to: to)) == expected, "\(id) \(from)–\(to)")

                    // Counts by category, kind and place, against the items listed one by one.
                    let listed = everything.filter { stored in
                        stored.item.createdAt >= from && stored.item.createdAt < to && stored.item.status != .merged
                            && stored.item.status != .rejected
                            && (unit.contains(path: stored.placePath) || stored.assignedPath.map(unit.contains(path:)) == true)
                    }
                    let counts = try await items.monthCounts(under: unit, from: from, to: to)
                    #expect(counts.categories == Dictionary(grouping: listed, by: \.item.category.rawValue).mapValues(\.count))
                    #expect(counts.kinds == Dictionary(grouping: listed, by: \.item.kind.rawValue).mapValues(\.count))
                    #expect(counts.places == Dictionary(grouping: listed, by: \.item.placeID).mapValues(\.count))
                }
                // Open now, whenever registered.
                let open = everything.filter { stored in
                    ![.closed, .merged, .rejected].contains(stored.item.status)
                        && (unit.contains(path: stored.placePath) || stored.assignedPath.map(unit.contains(path:)) == true)
                }
                #expect(try await items.openCount(under: unit) == open.count, "open in \(id)")
                // The dashboard's months.
                let months = [september, october]
                let rows = try await items.monthTallies(under: unit, months: months)
                for (index, month) in months.enumerated() {
                    let assigned = rows.filter { $0.period == index && $0.assigned }.reduce(into: ItemTally()) { $0 += $1.tally }
                    #expect(Measures(tally: assigned) == Measures(facts: try await items.facts(under: unit, from: month.start, to: month.end)))
                }
            }

            // Counts that stop at a limit.
            #expect(try await items.count(QueueFilter(), for: world.leader, at: world.t0, upTo: 1000) == 60)
            #expect(try await items.count(QueueFilter(), for: world.leader, at: world.t0, upTo: 10) == 10)

            // Recounting from the items changes nothing.
            let bureau = try #require(try await world.organisation.unit("KFQ"))
            let before = Set(try await items.tallies(under: bureau, from: world.t0 - 40 * day, to: world.t0 + 40 * day))
            let monthsBefore = Set(try await items.monthTallies(under: bureau, months: [september, october]))
            #expect(try await items.rebuildTallies() == 60)
            #expect(Set(try await items.tallies(under: bureau, from: world.t0 - 40 * day, to: world.t0 + 40 * day)) == before)
            #expect(Set(try await items.monthTallies(under: bureau, months: [september, october])) == monthsBefore)
            for (from, to) in periods {  // the recounted day rows too
                let expected = Measures(facts: try await items.facts(under: bureau, from: from, to: to))
                #expect(Measures(tally: try await items.tally(under: bureau, from: from, to: to)) == expected, "after rebuild \(from)–\(to)")
            }
        }
    }
}

/// A small repeatable random sequence (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(max(bound, 1)))
    }
}
