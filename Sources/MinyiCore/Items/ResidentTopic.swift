import Foundation

/// What a resident picks on the square instead of the bureau's categories: a topic in plain words, mapped to the
/// category the command centre files it under. Only topics whose category the bureau has are offered.
public struct ResidentTopic: Sendable, Hashable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    /// The category an item on this topic is filed under; nil for "something else", filed from the text.
    public var category: Category.Code?
    /// Whether the topic is about the resident's own papers (户口, 身份证), where the ID number helps.
    public var asksForIDNumber: Bool

    public init(code: String, nameZh: String, nameEn: String, category: Category.Code?, asksForIDNumber: Bool = false) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.category = category
        self.asksForIDNumber = asksForIDNumber
    }

    /// The topics residents choose from, most common first; "other" last.
    public static let standard: [ResidentTopic] = [
        .init(code: "burglary", nameZh: "家里、车辆被盗或担心被盗", nameEn: "A theft, or worry about one", category: "theft"),
        .init(code: "scam", nameZh: "可疑电话、短信，或被骗了钱", nameEn: "A suspicious call or message, or money lost to a scam", category: "fraud"),
        .init(code: "noise", nameZh: "噪音吵闹", nameEn: "Noise", category: "noise"),
        .init(code: "neighbours", nameZh: "邻里、家庭之间的矛盾", nameEn: "A quarrel with neighbours or in the family", category: "dispute"),
        .init(code: "patrol", nameZh: "希望多巡逻、装监控或路灯", nameEn: "More patrols, cameras or street lights", category: "patrol"),
        .init(code: "traffic", nameZh: "交通、停车、道路安全", nameEn: "Traffic, parking, road safety", category: "traffic"),
        .init(
            code: "papers", nameZh: "办户口、身份证、居住证", nameEn: "Household registration, ID card, residence permit", category: "household",
            asksForIDNumber: true),
        .init(code: "case", nameZh: "报过的案件进展", nameEn: "A case you reported", category: "case"),
        .init(code: "officer", nameZh: "民警的态度、作风", nameEn: "How an officer behaved", category: "conduct"),
        .init(code: "court", nameZh: "对执法、判决结果有异议", nameEn: "Disagreeing with a police or court decision", category: "litigation"),
        .init(code: "other", nameZh: "其他 / 说不清", nameEn: "Something else / not sure", category: nil),
    ]

    /// The topics a bureau with these categories offers: those whose category it has, and "other".
    public static func offered(for categories: [Category.Code]) -> [ResidentTopic] {
        let known = Set(categories)
        return standard.filter { $0.category.map(known.contains) ?? true }
    }

    public static func topic(_ code: String) -> ResidentTopic? { standard.first { $0.code == code } }
}
