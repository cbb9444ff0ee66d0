import Foundation
import MinyiCore
import MinyiStorage

/// The demo's alerts: a month of the daily tips a station sends its communities (fraud, burglary, traffic …), most
/// pasted into the communities' groups, one withdrawn, a few in force now.
extension Demo {
    // swift-format-ignore: the texts stay one sentence a line.
    static let alertTexts: [(SafetyAlert.Topic, SafetyAlert.Urgency, SafetyAlert.Severity, String, String)] = [
        (
            .fraud, .immediate, .severe, "冒充客服退款诈骗高发",
            "近日辖区连续发生冒充电商客服以“退款”“理赔”为由诱导转账的案件。"
                + "请记住：正规客服不会要求您下载会议软件、共享屏幕或向“安全账户”转账。"
                + "接到此类电话请立即挂断，拨打 96110 咨询。"
        ),
        (
            .burglary, .expected, .moderate, "年底入室盗窃防范提醒",
            "年关将近，外出务工、走亲访友增多。离家时请关好门窗、反锁防盗门，贵重物品不要放在家中显眼处；"
                + "发现可疑人员在楼道徘徊，请拨打 110 或联系社区民警。"
        ),
        (
            .traffic, .expected, .moderate, "雨雪天气出行安全",
            "未来三天有雨雪降温，路面湿滑。驾车请减速慢行、保持车距，电动车请佩戴头盔；"
                + "学校周边早晚高峰有民警值守，请配合疏导。"
        ),
        (
            .theft, .future, .minor, "电动车防盗小贴士",
            "请为电动车加装防盗锁并登记备案，夜间停放在有监控的集中停车点；充电请到规范充电桩，不要“飞线”充电。"
        ),
        (
            .fire, .expected, .severe, "冬季用电用火安全",
            "冬季取暖用电增多，请勿使用大功率电器长时间无人看管，不要在楼道、门厅给电动车充电。"
                + "发现火情请立即拨打 119。"
        ),
        (
            .fraud, .expected, .moderate, "警惕“刷单返利”骗局",
            "所谓“点赞返利”“刷单兼职”都是诈骗。先给小额甜头、再诱导大额投入是惯用套路。"
                + "凡是要求先垫付资金的兼职，一律不要相信。"
        ),
        (
            .missingPerson, .immediate, .severe, "寻找走失老人",
            "一名 78 岁男性老人于今日上午在幸福社区附近走失，身高约 1.65 米，穿灰色棉袄、黑色棉鞋，患有阿尔茨海默症。"
                + "如有线索请拨打 110 或联系社区民警。"
        ),
        (
            .publicOrder, .future, .minor, "社区平安志愿巡逻招募",
            "本周末起社区组织平安志愿巡逻，欢迎有时间的居民报名参加，每次两小时，可累计志愿服务时长和积分。"
                + "报名请联系社区警务室。"
        ),
    ]

    func seedAlerts(_ bureau: DemoBureau) async throws {
        let alerts = dependencies.alerts
        let day = 86400.0
        for (n, lead) in ["lead1", "lead2", "lead3"].enumerated() {
            guard let actor = bureau.actors[lead] else { continue }
            let communities = bureau.communities.filter { $0.station == actor.unit.id.rawValue }.map(\.id)
            guard !communities.isEmpty else { continue }
            for (i, entry) in Self.alertTexts.enumerated() {
                let start = bureau.now.addingTimeInterval(-Double(28 - i * 4 - n) * day)
                let length = entry.0 == .missingPerson ? 2 * day : (i % 3 == 0 ? 30 : 7) * day
                let chosen = entry.0 == .missingPerson ? [communities[0]] : communities
                let alert = try SafetyAlert.validated(
                    id: .init("A\(n + 1)-\(i + 1)"), unitID: actor.unit.id, communities: chosen, topic: entry.0, urgency: entry.1, severity: entry.2,
                    title: entry.3, text: entry.4, validFrom: start, validUntil: start.addingTimeInterval(length), now: start)
                try await alerts.publish(alert, by: actor, at: start)
                // Most groups get it within the hour; the newest alerts are still being sent.
                for (c, community) in chosen.enumerated() where (i + c + n) % 5 != 0 || i < 4 {
                    guard start.addingTimeInterval(Double(10 + c * 7) * 60) < bureau.now else { continue }
                    try await alerts.markSent(alert.id, to: community, by: actor, at: start.addingTimeInterval(Double(10 + c * 7) * 60))
                }
                if entry.0 == .missingPerson, start.addingTimeInterval(day) < bureau.now {
                    try await alerts.withdraw(alert.id, reason: "老人已于次日找到，感谢大家关注。", by: actor, at: start.addingTimeInterval(day))
                }
            }
        }
    }
}
