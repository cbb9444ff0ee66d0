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

    /// The phrases' UTF-8 bytes (ASCII letters in lower case), and for each pair of leading bytes whether a phrase
    /// starts with it, so that the scan looks closer at few positions.
    private static let phraseBytes: [[UInt8]] = phrases.map { Array($0.lowercased().utf8) }
    private static let leadingPairs: [Bool] = {
        var pairs = [Bool](repeating: false, count: 1 << 16)
        for phrase in phraseBytes where phrase.count >= 2 { pairs[Int(phrase[0]) << 8 | Int(phrase[1])] = true }
        return pairs
    }()

    /// Whether `text` contains a phrase of danger. Compares UTF-8 bytes (ASCII letters folded to lower case), which is
    /// exact for these phrases and far cheaper than a locale-aware search on every submission.
    public static func looksLikeEmergency(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            func folded(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }
            guard bytes.count >= 2 else { return false }
            for start in 0..<(bytes.count - 1) where leadingPairs[Int(folded(bytes[start])) << 8 | Int(folded(bytes[start + 1]))] {
                for phrase in phraseBytes where phrase.count <= bytes.count - start {
                    var offset = 0
                    while offset < phrase.count, folded(bytes[start + offset]) == phrase[offset] { offset += 1 }
                    if offset == phrase.count { return true }
                }
            }
            return false
        }
    }
}
