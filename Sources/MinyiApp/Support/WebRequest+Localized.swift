import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

extension WebRequest {
    /// Messages from the domain read "中文 (English)": each language gets its own half (of each line, for a message
    /// that lists several problems a line each).
    func localized(_ message: String) -> String {
        if message.contains("\n") { return message.split(separator: "\n").map { localized(String($0)) }.joined(separator: "\n") }
        guard message.hasSuffix(")"), let open = message.range(of: " (", options: .backwards) else { return message }
        if lang == .en {
            return String(message[open.upperBound..<message.index(before: message.endIndex)])
        }
        return String(message[..<open.lowerBound])
    }
}
