import Foundation

/// Sentences the system itself writes into the record (a missed deadline's supervision reason, a bulletin's order),
/// stored in Chinese as issued, read in the page's language. What officers and residents typed is shown as typed.
enum SystemText {
    static let fixed: [String: String] = [
        "超过签收时限": "Acceptance deadline missed",
        "超过办理时限": "Reply deadline missed",
        "超过回访时限": "Callback deadline missed",
    ]

    /// `text` in the page's language, when it is one of the system's own sentences.
    static func localized(_ text: String, _ web: WebRequest) -> String {
        guard web.lang == .en else { return text }
        if let english = fixed[text] { return english }
        // "2026-11-16 周通报综合得分 62.5%，低于 80%，请于 7 日内整改并书面报告"
        if let match = text.wholeMatch(of: /(\d{4}-\d{2}-\d{2}) 周通报综合得分 ([\d.]+%)，低于 (\d+%)，请于 7 日内整改并书面报告/) {
            return "Bulletin of the week of \(match.1): score \(match.2), below \(match.3); put it right and report in writing within 7 days"
        }
        return text
    }
}
