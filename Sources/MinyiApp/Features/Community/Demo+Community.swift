import Foundation
import MinyiCore
import MinyiStorage

/// The demo's community policing: a community officer per police office, households in every community with their
/// groups, a year of visits with gaps (one community barely visited, some households never), night visits, and this
/// month's due visits.
extension Demo {
    func seedCommunity(_ bureau: DemoBureau) async throws {
        let community = dependencies.community
        let organisation = dependencies.organisation
        var random = Random(state: 605)
        let hash = try await dependencies.passwords.hash(Self.password)
        let units = try await organisation.units()
        let offices = units.filter { $0.kind == .office }
        let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"]
        let given = ["秀英", "桂兰", "建国", "志强", "海燕", "国华", "玉兰", "德明", "春梅", "立新"]
        let streets = ["幸福路", "康乐街", "桃园巷", "和平路", "长江路", "广场东街", "南城路", "开元大道", "新村"]
        var households: [(id: Household.ID, officer: Actor, quiet: Bool, tagged: Bool)] = []
        for (o, office) in offices.enumerated() {
            let officer = try await organisation.addOfficer(
                id: .init("demo-community\(o + 1)"), username: "community\(o + 1)",
                name: ["马振华", "胡丽萍", "郭建军", "何晓东", "高红梅", "林永强"][o % 6],
                unit: office.id, roles: [.communityOfficer], passwordHash: hash, at: bureau.now)
            let actor = try await organisation.actor(for: officer)
            bureau.moreLogins.withLock {
                $0.append(Login(username: officer.username, name: officer.name, unit: office.id.rawValue, roles: [.communityOfficer]))
            }
            for (c, place) in units.filter({ $0.parentID == office.id }).enumerated() {
                // The second community of the third office is the one the demo leaves barely visited.
                let quiet = o == 2 && c == 1
                for h in 0..<24 {
                    let roll = Int(random.next() % 100)
                    var tags: Set<HouseholdTag> = []
                    if roll < 10 { tags.insert(.hardship) }
                    if roll >= 8 && roll < 18 { tags.insert(.loneElderly) }
                    if roll == 42 || roll == 77 { tags.insert(.deputy) }
                    if roll >= 90 && roll < 93 { tags.insert(.majorChange) }
                    if roll == 95 { tags.insert(.keyPlace) }
                    let head = surnames[Int(random.next() % UInt64(surnames.count))] + given[Int(random.next() % UInt64(given.count))]
                    var members = [
                        HouseholdMember(
                            name: head, phone: "13\(5 + o)\(String(format: "%08d", (o * 1000 + c * 100 + h) * 7_919 % 100_000_000))",
                            idNumber: Self.idNumber(seed: o * 1000 + c * 100 + h), relation: "户主")
                    ]
                    if !tags.contains(.loneElderly) {
                        members.append(HouseholdMember(name: head.prefix(1) + given[(h + 3) % given.count], relation: "配偶"))
                    }
                    let input = try SQLCommunityStore.HouseholdInput(
                        unitID: place.id, address: "\(place.name)\(streets[(o + c) % streets.count]) \(h + 1) 号", members: members, tags: tags,
                        officerID: officer.id, registerKey: "DEMO-\(place.id.rawValue)-\(h + 1)")
                    let stored = try await community.addHousehold(
                        input, by: actor, reason: "户籍底册导入", at: bureau.now.addingTimeInterval(-400 * 86400))
                    households.append((stored.household.id, actor, quiet, !tags.isEmpty))
                }
            }
        }
        // A year of visits, month by month: the rules make the month's visits due first, so visits resolve them as
        // they were made (on time, or late in the next month), and some are missed.
        let heard = ["小区路灯坏了，晚上回家不安全", "楼下经常有人深夜喝酒吵闹", "老人想咨询防诈骗的知识", "希望派出所帮忙调解和邻居的漏水纠纷"]
        let categories: [MinyiCore.Category.Code] = ["patrol", "noise", "fraud", "dispute"]
        for back in (0..<12).reversed() {
            let month = Deadlines.month(containing: bureau.now, offsetBy: -back)
            let scanAt = month.start.addingTimeInterval(3600)
            _ = try await community.scanRules(at: min(scanAt, bureau.now))
            var planned: [(Date, Household.ID, Actor, VisitOutcome, Int)] = []
            for (index, household) in households.enumerated() {
                let roll = Int(random.next() % 100)
                guard roll < (household.quiet ? 4 : household.tagged ? 80 : 40) else { continue }
                // This month is still under way: a third of its visits are yet to be made, so each officer has some due.
                guard back > 0 || roll % 3 != 0 else { continue }
                let day = Double(random.next() % 28)
                let night = roll % 5 == 0
                // Night visits on a Monday, Wednesday or Friday evening; day visits mid-morning.
                var at = month.start.addingTimeInterval(day * 86400 + (night ? 20.5 * 3600 : 10 * 3600))
                if night {
                    let weekday = Deadlines.weekday(of: at)
                    let shift = weekday == 2 || weekday == 4 || weekday == 6 ? 1 : weekday == 7 ? 1 : 0
                    at = at.addingTimeInterval(Double(shift) * 86400)
                }
                guard at < bureau.now.addingTimeInterval(-3600) else { continue }
                let outcome: VisitOutcome = roll % 11 == 0 ? .notHome : roll % 29 == 0 ? .refused : .met
                planned.append((at, household.id, household.officer, outcome, index))
            }
            for (at, id, officer, outcome, index) in planned.sorted(by: { $0.0 < $1.0 }) {
                let recent = bureau.now.timeIntervalSince(at) < 30 * 86400
                let concern = recent && outcome == .met && index % 9 == 0 && bureau.itemCount > 0
                let report = try VisitReport(
                    outcome: outcome, at: at, heard: concern ? heard[index % heard.count] : nil,
                    diary: outcome == .met ? ["家中一切正常", "宣传防诈知识", "了解邻里情况", "老人身体尚好，叮嘱注意用电安全"][index % 4] : nil,
                    itemCategory: concern ? categories[index % categories.count] : nil, now: at)
                let recorded = try await community.recordVisit(to: id, report, requestKey: nil, by: officer, at: at)
                // What was heard goes to the command centre, which sends it on within the hour (older ones long since).
                if let number = recorded.visit.itemNumber, at < bureau.now.addingTimeInterval(-3 * 3600),
                    let dispatcher = bureau.actors["dispatcher"], let stored = try await bureau.dependencies.items.item(number: number),
                    let unit = try await bureau.dependencies.organisation.proposeUnit(category: stored.item.category, place: stored.item.placeID)
                {
                    let items = bureau.dependencies.items
                    _ = try await items.apply(.dispatch(unit: unit), to: number, by: dispatcher, at: at + 3600)
                    // The station accepts it, and replies within days, as the items' own demo does.
                    let handler = unit.rawValue.hasPrefix("S0") ? "handler" + unit.rawValue.suffix(1) : "handler_" + unit.rawValue.lowercased()
                    if let handler = bureau.actors[handler], at + 4 * 3600 < bureau.now {
                        _ = try await items.apply(.accept, to: number, by: handler, at: at + 4 * 3600)
                        if at + 3 * 86400 < bureau.now {
                            let reply = ItemCommand.reply(outcome: .resolved, text: "民警已上门核实并处理", publicReason: nil)
                            _ = try await items.apply(reply, to: number, by: handler, at: at + 3 * 86400)
                        }
                    }
                }
            }
        }
        _ = try await community.scanRules(at: bureau.now)
        try await seedPairs(bureau, households: households.filter(\.tagged).map(\.id))
        try await seedMeetings(bureau)
        // Layered assignment: the bureau's leader answers for a town (a station's area), each station's lead for its
        // villages' police office.
        if let leader = bureau.actors["leader"] {
            _ = try await community.assign(leader.officer.id, area: "S01", by: leader, at: bureau.now.addingTimeInterval(-300 * 86400))
            for n in 1...3 {
                guard let lead = bureau.actors["lead\(n)"] else { continue }
                _ = try await community.assign(lead.officer.id, area: .init("S0\(n)-O2"), by: leader, at: bureau.now.addingTimeInterval(-300 * 86400))
            }
        }
    }

    /// Two past meetings where officers reported to the people, rated by those who came, with what they raised.
    func seedMeetings(_ bureau: DemoBureau) async throws {
        let community = dependencies.community
        var random = Random(state: 110)
        let plans: [(station: String, title: String, kind: Meeting.Kind, daysAgo: Double, concerns: [(String, MinyiCore.Category.Code)])] = [
            ("1", "丹阳路派出所2026年第三季度向人民报告会", .report, 70, [("夜市油烟和噪音影响休息", "noise"), ("希望学校门口增加护学岗", "patrol")]),
            (
                "2", "岳程派出所社区民警述职评议会", .review, 25,
                [
                    ("电动车充电乱拉电线，担心火灾", "patrol"),
                    (
                        "老人接到诈骗电话，希望多宣传",
                        "fraud"
                    ),
                ]
            ),
        ]
        for plan in plans {
            guard let lead = bureau.actors["lead\(plan.station)"], let handler = bureau.actors["handler\(plan.station)"] else { continue }
            let station = lead.unit.id
            let at = bureau.now.addingTimeInterval(-plan.daysAgo * 86400).addingTimeInterval(-3600 * 2)
            let cadres = try await community.officers(within: lead).filter { $0.id.rawValue.hasPrefix("demo-community") }.map(\.id)
            let input = try SQLCommunityStore.MeetingInput(
                title: plan.title, kind: plan.kind, unitID: station, place: "社区党群服务中心多功能厅", startsAt: at,
                reporters: [lead.officer.id, handler.officer.id] + cadres, invitedDeputies: 4, invitedResidents: 45)
            let meeting = try await community.planMeeting(input, by: lead, at: at.addingTimeInterval(-7 * 86400))
            try await community.setMeetingStatus(.open, of: meeting.id, by: lead, at: at)
            let codes = try await community.issueCodes(45, for: meeting.id, by: lead)
            for code in codes.prefix(38) {
                var ratings: [Officer.ID: MeetingRating] = [:]
                for officer in meeting.reporters {
                    let roll = Int(random.next() % 100)
                    let result: CallbackResult = roll < 78 ? .satisfied : roll < 95 ? .basicallySatisfied : .dissatisfied
                    let scores = try CallbackScores(
                        Dictionary(uniqueKeysWithValues: CallbackScores.Indicator.allCases.map { ($0, roll < 95 ? 4 + Int(random.next() % 2) : 3) }))
                    ratings[officer] = try MeetingRating(result: result, scores: scores)
                }
                try await community.rate(meeting.id, code: code, ratings: ratings)
            }
            let place = bureau.communities.first { $0.station == station.rawValue }?.id ?? station
            for (index, concern) in plan.concerns.enumerated() where bureau.itemCount > 0 {
                let submission = try Submission(kind: .opinion, category: concern.1, channel: .meeting, text: concern.0, placeID: place)
                let raisedAt = at.addingTimeInterval(Double(index + 1) * 600)
                let number = try await community.raiseConcern(at: meeting.id, submission, by: lead, at: raisedAt)
                // The command centre dispatched them the next morning.
                if let dispatcher = bureau.actors["dispatcher"] {
                    _ = try await dependencies.items.apply(
                        .dispatch(unit: station), to: number, by: dispatcher,
                        at: raisedAt.addingTimeInterval(12 * 3600))
                }
            }
            try await community.setMeetingStatus(.closed, of: meeting.id, by: lead, at: at.addingTimeInterval(3 * 3600))
        }
    }

    /// Each station's lead paired with tagged households of the station: calls most weeks, visits most months, deeds
    /// now and then; every fourth pair has gone quiet lately, so the list of pairs falling behind has something in it.
    func seedPairs(_ bureau: DemoBureau, households: [Household.ID]) async throws {
        let community = dependencies.community
        var random = Random(state: 260)
        let deeds = ["帮助申请低保", "修好了漏水的水管", "陪同老人去医院复查", "送去米面油", "协调解决了孩子上学的事"]
        for (index, id) in households.enumerated() {
            guard let admin = bureau.actors["admin"], let stored = try await community.household(id, for: admin) else { continue }
            let station = stored.unitPath.split(separator: "/").dropFirst().first.map(String.init) ?? ""
            guard let lead = bureau.actors["lead\(station.suffix(1))"] else { continue }
            let since = bureau.now.addingTimeInterval(-200 * 86400)
            let pairing = try await community.pair(officer: lead.officer.id, with: id, by: lead, at: since)
            let quiet = index % 4 == 3
            for week in 0..<8 {
                if quiet && week < 3 { continue }
                guard random.next() % 10 < 8 else { continue }
                let at = bureau.now.addingTimeInterval(-Double(week * 7 + 1) * 86400 - 3600)
                _ = try await community.recordPairActivity(.contact, for: pairing.id, at: at, note: nil, requestKey: nil, by: lead, now: at)
            }
            for month in 0..<2 where !(quiet && month == 0) {
                let at = Deadlines.month(containing: bureau.now, offsetBy: -month).start.addingTimeInterval(Double(3 + index % 5) * 86400 + 15 * 3600)
                guard at < bureau.now else { continue }
                let report = try VisitReport(outcome: .met, at: at, heard: nil, diary: "结对走访", itemCategory: nil, now: at)
                _ = try await community.recordVisit(to: id, report, requestKey: nil, by: lead, at: at)
            }
            for deed in 0..<Int(random.next() % 3) {
                let at = bureau.now.addingTimeInterval(-Double(10 + deed * 15 + index % 7) * 86400)
                _ = try await community.recordPairActivity(
                    .deed, for: pairing.id, at: at, note: deeds[(index + deed) % deeds.count], requestKey: nil, by: lead, now: at)
            }
        }
    }

    /// A made-up identity number with a valid check character (born 1940–1989), for the demo only.
    static func idNumber(seed: Int) -> String {
        let year = 1940 + seed % 50
        let month = 1 + seed % 12
        let day = 1 + seed % 28
        let body = "370322" + String(year) + String(format: "%02d%02d", month, day) + String(format: "%03d", seed % 1000)
        return body + String(Contact.idCheckCharacter(body) ?? "X")
    }
}
