import Foundation
import Hummingbird
import MinyiCore
import MinyiStorage

extension WebRequest {
    /// Messages from the domain read "中文 (English)": each language gets its own half.
    func localized(_ message: String) -> String {
        guard message.hasSuffix(")"), let open = message.range(of: " (", options: .backwards) else { return message }
        if lang == .en {
            return String(message[open.upperBound..<message.index(before: message.endIndex)])
        }
        return String(message[..<open.lowerBound])
    }
}
