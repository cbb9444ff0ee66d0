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

    private static let phraseBytes: [[UInt8]] = phrases.map { Array($0.utf8) }

    /// Whether `text` contains a phrase of danger. Compares UTF-8 bytes (ASCII letters folded to lower case), which is
    /// exact for these phrases and far cheaper than a locale-aware search on every submission.
    public static func looksLikeEmergency(_ text: String) -> Bool {
        let bytes = text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        return phraseBytes.contains { phrase in
            guard phrase.count <= bytes.count, let first = phrase.first else { return false }
            var start = 0
            while start <= bytes.count - phrase.count {
                if bytes[start] == first, bytes[start..<start + phrase.count].elementsEqual(phrase) { return true }
                start += 1
            }
            return false
        }
    }
}
