import Foundation

/// Recognises text that reads like an emergency, which belongs with 110, not in a queue.
public enum Emergency {
    /// Phrases that signal danger now. Matching is on the text as written (Chinese has no word boundaries).
    public static let phrases: [String] = [
        "持刀", "拿刀", "砍人", "捅人", "杀人", "着火", "起火", "失火", "火灾", "正在打架", "打起来了", "有人打架", "救命", "抢劫",
        "绑架", "劫持", "爆炸", "跳楼", "溺水", "落水", "煤气泄漏", "燃气泄漏", "正在偷", "有人撬门", "正在家暴", "被打了", "有人受伤",
        "枪", "help me", "fire", "knife", "robbery",
    ]

    /// The advice shown to the resident.
    public static let adviceZh = "您描述的情况可能是紧急警情，请立即拨打 110 报警。本平台不用于紧急求助，事项已同时提示指挥中心。"
    public static let adviceEn = "This may be an emergency: call 110 now. This platform is not for emergencies; the command centre has been alerted."

    /// Whether `text` contains a phrase of danger.
    public static func looksLikeEmergency(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return phrases.contains { lowered.contains($0) }
    }
}
