import Foundation

/// What the resident is saying: 意见建议, 求助, 投诉, 举报, 表扬.
public enum ItemKind: String, Sendable, Codable, CaseIterable {
    case opinion  // 意见建议
    case help  // 求助
    case complaint  // 投诉
    case tipOff = "tip_off"  // 举报
    case praise  // 表扬

    public var nameZh: String {
        switch self {
        case .opinion: "意见建议"
        case .help: "求助"
        case .complaint: "投诉"
        case .tipOff: "举报"
        case .praise: "表扬"
        }
    }
}

/// How an item reached the police.
public enum Channel: String, Sendable, Codable, CaseIterable {
    case web  // 警务e广场
    case walkIn = "walk_in"  // 来访
    case phone  // 电话
    case letter  // 信件
    case echoCard = "echo_card"  // 回音卡
    case meeting  // 恳谈会
    case homeVisit = "home_visit"  // 走访
    case groupChat = "group_chat"  // 群聊
    case callback  // 回访发现: dissatisfaction found when calling back after a service
    case open311  // 其他系统经 Open311 GeoReport v2 接口提交

    public var nameZh: String {
        switch self {
        case .web: "网上"
        case .walkIn: "来访"
        case .phone: "电话"
        case .letter: "信件"
        case .echoCard: "回音卡"
        case .meeting: "会议"
        case .homeVisit: "走访"
        case .groupChat: "群聊"
        case .callback: "回访发现"
        case .open311: "Open311 接口"
        }
    }
}

/// A category of concern with its deadlines: the four groups of the reform reports (治安防范, 执法服务, 队伍建设, 涉法涉诉) plus the bureau's own.
public struct Category: Sendable, Hashable, Codable {
    public typealias Code = Identifier<Category>

    public var code: Code
    public var nameZh: String
    public var nameEn: String
    /// The analysis group: 治安防范, 执法服务, 队伍建设, 涉法涉诉 or the bureau's own.
    public var group: String
    /// Hours a unit has to accept (签收) a dispatched item.
    public var responseHours: Int
    /// Days a unit has to reply once dispatched.
    public var handlingDays: Int

    public init(code: Code, nameZh: String, nameEn: String, group: String, responseHours: Int, handlingDays: Int) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.group = group
        self.responseHours = responseHours
        self.handlingDays = handlingDays
    }

    /// The deadlines of an item of this category dispatched at `now`.
    public func deadlines(dispatchedAt now: Date) -> (response: Date, handling: Date) {
        (now.addingTimeInterval(TimeInterval(responseHours) * 3600), now.addingTimeInterval(TimeInterval(handlingDays) * 86400))
    }
}

/// One row of the dispatch catalogue: items of a category placed within a unit's subtree go to a responsible unit.
public struct DispatchRule: Sendable, Hashable, Codable {
    public var category: Category.Code
    /// The place the rule covers (with everything below it); nil covers everywhere.
    public var place: PoliceUnit.ID?
    public var target: PoliceUnit.ID

    public init(category: Category.Code, place: PoliceUnit.ID?, target: PoliceUnit.ID) {
        self.category = category
        self.place = place
        self.target = target
    }

    /// The unit to propose for an item of `category` at a place whose lineage (root first) is given: the most specific matching rule wins.
    public static func propose(category: Category.Code, placeLineage: [PoliceUnit.ID], rules: [DispatchRule]) -> PoliceUnit.ID? {
        let matching = rules.filter { $0.category == category }
        for place in placeLineage.reversed() {
            if let rule = matching.first(where: { $0.place == place }) { return rule.target }
        }
        return matching.first(where: { $0.place == nil })?.target
    }
}
