import Foundation
import MinyiCore
import MinyiStorage

/// The demo's project ballots: last year's, closed with its results (most ballots online, some on paper), and this
/// year's, open with some votes in and its counts still hidden.
extension Demo {
    static let ballotProjects: [(title: String, summary: String, unit: String, category: MinyiCore.Category.Code?)] = [
        ("老旧小区加装智能门禁和监控", "为 30 个无物业老旧小区加装门禁和高清监控。", "ZA", nil),
        ("学校周边上下学护学岗", "全区中小学上下学时段民警、辅警全部在岗。", "JJ", nil),
        ("电动自行车防盗登记", "免费安装防盗芯片，被盗后快速追查。", "ZA", nil),
        ("老年人防诈骗宣讲进社区", "每个社区每季度一次反诈宣讲。", "ZA", "fraud"),
        ("夜间巡逻延长到凌晨两点", "重点街区夜巡延长，增加步巡。", "ZA", "patrol"),
        ("户籍业务“一窗通办”", "户籍、证件业务一个窗口办完。", "HZ", nil),
        ("身份证异地办理当日取证", "异地居民身份证申领，当日制证。", "HZ", nil),
        ("背街小巷照明改造", "联合街道为 50 条背街小巷补装路灯。", "ZA", "patrol"),
        ("社区警务室周末开放", "周六、周日警务室上午开门办事。", "S01", nil),
        ("车驾管业务进社区", "驾驶证换证、审验在社区服务点可办。", "JJ", nil),
        ("农村道路交通隐患整治", "整治 40 处急弯、陡坡和无信号灯路口。", "JJ", nil),
        ("反诈预警短信直达", "发现疑似被骗，预警短信 5 分钟内送达。", "ZA", "fraud"),
        ("群租房消防安全检查", "全区群租房每半年检查一次。", "ZA", nil),
        ("夜市噪音治理", "夜市 22 点后噪音巡查和劝导。", "ZA", "noise"),
        ("小区停车秩序整治", "规范小区周边停车，打通消防通道。", "JJ", nil),
        ("独居老人定期走访", "民警每月走访独居老人一次。", "S02", nil),
        ("邻里纠纷调解室", "每个派出所设邻里纠纷调解室。", "S03", "dispute"),
        ("快递外卖电动车规范通行", "与平台合作规范骑手通行。", "JJ", nil),
        ("流动人口服务站", "为外来务工人员办理居住证等业务。", "HZ", nil),
        ("警情通报每周公开", "每周公布辖区警情和防范提示。", "ZA", nil),
    ]

    func seedBallots(_ bureau: DemoBureau) async throws {
        let ballots = dependencies.ballots
        let admin = try bureau.actor("admin")
        let units = Set(try await dependencies.organisation.units().map(\.id))
        let year = Deadlines.year(of: bureau.now)
        var random = Random(state: 2027)
        // The year before's ballot; last year's, open for three weeks eleven months ago; this year's, open three days ago
        // for three weeks.
        let plans: [(BallotCampaign, voters: Int, paperBatches: Int)] = [
            (
                BallotCampaign(
                    id: .init("B\(year - 1)"), year: year - 1, title: "\(year - 1) 年惠民行动十件实事票选",
                    opensAt: bureau.now.addingTimeInterval(-695 * 86400), closesAt: bureau.now.addingTimeInterval(-674 * 86400), maxChoices: 10),
                300, 1
            ),
            (
                BallotCampaign(
                    id: .init("B\(year)"), year: year, title: "\(year) 年惠民行动十件实事票选", opensAt: bureau.now.addingTimeInterval(-330 * 86400),
                    closesAt: bureau.now.addingTimeInterval(-309 * 86400), maxChoices: 10), 900, 3
            ),
            (
                BallotCampaign(
                    id: .init("B\(year + 1)"), year: year + 1, title: "\(year + 1) 年惠民行动十件实事票选",
                    opensAt: bureau.now.addingTimeInterval(-3 * 86400), closesAt: bureau.now.addingTimeInterval(18 * 86400), maxChoices: 10), 150,
                1
            ),
        ]
        var seed = 60_000
        for (index, plan) in plans.enumerated() {
            let campaign = plan.0
            let before = campaign.opensAt.addingTimeInterval(-7 * 86400)
            try await ballots.createCampaign(campaign, by: admin, at: before)
            var candidates: [BallotCandidate] = []
            for project in Self.ballotProjects where units.contains(.init(project.unit)) {
                candidates.append(
                    try await ballots.addCandidate(
                        to: campaign.id, title: project.title, summary: project.summary, unitID: .init(project.unit), category: project.category,
                        by: admin, at: before))
            }
            guard !candidates.isEmpty else { continue }
            // Residents lean to some projects: project k is chosen with a weight that falls with k (shuffled per ballot).
            let weights = (0..<candidates.count).map { 1.0 / Double(1 + ($0 * 7 + index * 3) % candidates.count) }
            func pick() -> [Int] {
                let count = 3 + Int(random.next() % 8)
                var chosen = Set<Int>()
                while chosen.count < min(count, candidates.count) {
                    var roll = Double(random.next() % 1_000_000) / 1_000_000 * weights.reduce(0, +)
                    for (k, weight) in weights.enumerated() {
                        roll -= weight
                        if roll <= 0 {
                            chosen.insert(k)
                            break
                        }
                    }
                }
                return chosen.sorted()
            }
            let span = min(campaign.closesAt, bureau.now).timeIntervalSince(campaign.opensAt)
            for v in 0..<plan.voters {
                seed += 1
                _ = try await ballots.cast(
                    idNumber: Self.idNumber(seed: seed), choices: pick().map { candidates[$0].id }, for: campaign.id,
                    at: campaign.opensAt.addingTimeInterval(span * Double(v) / Double(plan.voters)))
            }
            let clerk = try bureau.actor("clerk\(1 + index % 3)")
            for b in 0..<plan.paperBatches {
                var voters: [String] = []
                var sheets: [String] = []
                for s in 0..<40 {
                    seed += 1
                    voters.append(Self.idNumber(seed: seed))
                    sheets.append(
                        "P\(year + index)-\(b + 1)-\(String(format: "%03d", s + 1)) "
                            + pick().map { String(candidates[$0].number) }.joined(separator: " "))
                }
                let input = try PaperBatchInput.parse(
                    number: "\(b + 1)", voters: voters.joined(separator: "\n"), sheets: sheets.joined(separator: "\n"), campaign: campaign,
                    candidates: candidates)
                _ = try await ballots.enterPaperBatch(input, for: campaign.id, by: clerk, at: campaign.opensAt.addingTimeInterval(span * 0.9))
            }
        }
    }
}
