import Foundation
import MinyiCore
import MinyiStorage

/// The demo's policing community: in each community a handful of volunteers, a partner organisation and a security
/// assistant, a year of patrols, mediation and publicity; at each station an informant or two, seen only by its lead;
/// tasks shared with the volunteers, most done, one open.
extension Demo {
    static let volunteerNames = [
        "赵桂英", "钱建华", "孙玉梅", "李志远", "周凤兰", "吴德胜", "郑秀珍", "王海波", "冯淑芬", "陈国庆", "褚丽华", "卫东升",
    ]
    static let organisations = ["幸福里物业服务中心", "平安超市", "康乐社区卫生服务站", "开元出租车车队", "长江路商户联合会", "南城小学家长委员会"]

    func seedPartners(_ bureau: DemoBureau) async throws {
        let partners = dependencies.partners
        var random = Random(state: 1_801)
        let day = 86400.0
        for (index, community) in bureau.communities.enumerated() {
            guard let lead = bureau.actors["lead\(Int(community.station.suffix(1)) ?? 1)"] else { continue }
            var members: [Partner.ID] = []
            func add(_ kind: Partner.Kind, _ name: String, skills: [Partner.Skill], times: [Partner.Availability], note: String? = nil) async throws {
                let id = Partner.ID("P-\(community.id.rawValue)-\(members.count + 1)")
                let phone = "139\(String(format: "%08d", 10_000_000 + index * 100 + members.count))"
                try await partners.register(
                    Partner(id: id, kind: kind, name: name, phone: phone, areaID: community.id, skills: skills, availability: times, note: note),
                    by: lead, at: bureau.now.addingTimeInterval(-300 * day))
                members.append(id)
            }
            for v in 0..<4 {
                let name = Self.volunteerNames[(index * 4 + v) % Self.volunteerNames.count]
                try await add(
                    .volunteer, name, skills: [[.patrol, .antiFraud], [.mediation], [.patrol, .traffic], [.firstAid, .search]][v],
                    times: [[.weekend], [.weekdayDay, .weekend], [.weekdayEvening], [.weekdayDay]][v])
            }
            try await add(
                .organisation, Self.organisations[index % Self.organisations.count], skills: [.patrol], times: [.weekdayDay, .weekdayEvening])
            try await add(.assistant, "保安队 \(index + 1) 组", skills: [.patrol, .traffic], times: [.weekdayEvening, .weekend])
            // A year of what they did, most of it patrols.
            for (m, member) in members.enumerated() {
                for week in stride(from: 50, to: 0, by: -(3 + m)) {
                    let at = bureau.now.addingTimeInterval(-Double(week) * 7 * day + Double(m) * 3600 * 5)
                    let kind: PartnerActivity.Kind = [.patrol, .patrol, .mediation, .publicity, .tip][Int.random(in: 0..<5, using: &random)]
                    let hours = kind == .tip ? 0 : Double(2 + Int.random(in: 0..<4, using: &random)) / 2
                    try await partners.log(
                        kind, hours: hours, useful: kind == .tip && Bool.random(using: &random), note: kind == .tip ? "反映可疑人员" : nil,
                        for: member,
                        at: at,
                        by: lead, now: at)
                }
            }
            // A task each month or so for the community's volunteers.
            for (t, title) in ["周末夜间巡逻", "反诈宣传进小区", "协查走失老人"].enumerated() {
                let starts = bureau.now.addingTimeInterval(-Double(20 + t * 30 + index) * day + (t == 0 && index % 4 == 0 ? 25 * day : 0))
                let task = SharedTask(
                    id: .init("T-\(community.id.rawValue)-\(t + 1)"), unitID: lead.unit.id, areaID: community.id,
                    kind: [.patrol, .antiFraud, .missingPerson][t], title: title,
                    text: [
                        "重点：背街小巷、电动车停放点。", "逐户发放反诈宣传页，提醒下载国家反诈中心 App。", "老人穿灰色棉袄，发现请联系社区民警。",
                    ][t],
                    startsAt: starts, needed: 3, status: .open, outcome: nil)
                try await partners.share(task, by: lead, at: starts.addingTimeInterval(-2 * day))
                for member in members.prefix(2 + t % 2) {
                    try await partners.take(task.id, partner: member, by: lead, at: starts.addingTimeInterval(-day))
                }
                if starts < bureau.now {
                    let outcome = [
                        "巡逻 2 小时，劝离深夜聚集人员 1 起，发现未锁电动车 6 辆已提醒车主。", "入户 86 户，其中 12 户老人当场下载反诈 App。",
                        "志愿者在公园长椅处找到老人，已送回家中。",
                    ][t]
                    try await partners.close(
                        task.id, done: true, outcome: outcome, hours: [2, 3, 1.5][t], by: lead, at: starts.addingTimeInterval(4 * 3600))
                }
            }
        }
        // Informants: registered by the station's lead, seen only by leads and leaders.
        for (n, lead) in ["lead1", "lead2", "lead3"].enumerated() {
            guard let actor = bureau.actors[lead], let area = bureau.communities.first(where: { $0.station == actor.unit.id.rawValue }) else {
                continue
            }
            let id = Partner.ID("P-INF-\(n + 1)")
            try await partners.register(
                Partner(
                    id: id, kind: .informant, name: ["老周", "小方", "阿强"][n], phone: "1370000000\(n)", areaID: area.id, skills: [],
                    availability: [.weekdayEvening], note: "经办：\(actor.officer.name)"), by: actor, at: bureau.now.addingTimeInterval(-200 * day))
            try await partners.log(
                .tip, hours: 0, useful: true, note: "反映出租屋内疑似赌博窝点，已查实。", for: id,
                at: bureau.now.addingTimeInterval(-40 * day), by: actor,
                now: bureau.now.addingTimeInterval(-40 * day))
        }
    }
}
