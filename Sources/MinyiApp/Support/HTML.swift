import Foundation

/// Markup that is safe to send: literal parts are trusted, and every interpolated string is escaped, so text from
/// residents or the database can never become markup. Only `HTML` values are inserted as they are.
///
///     let row: HTML = "<td>\(item.text)</td>"   // item.text is escaped
struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var markup: String

    init(stringLiteral value: String) { markup = value }
    init(stringInterpolation: StringInterpolation) { markup = stringInterpolation.markup }
    private init(trusted: String) { markup = trusted }

    /// Markup made by this program itself (an SVG path, a stylesheet); never pass text that came from outside.
    static func trusted(_ markup: String) -> HTML { HTML(trusted: markup) }

    static let empty: HTML = ""

    var description: String { markup }

    static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(trusted: lhs.markup + rhs.markup) }

    struct StringInterpolation: StringInterpolationProtocol {
        var markup = ""

        init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity + interpolationCount * 16) }

        mutating func appendLiteral(_ literal: String) { markup += literal }
        mutating func appendInterpolation(_ text: String) { markup += HTML.escape(text) }
        mutating func appendInterpolation(_ text: String?) { if let text { markup += HTML.escape(text) } }
        mutating func appendInterpolation(_ text: Substring) { markup += HTML.escape(String(text)) }
        mutating func appendInterpolation(_ number: Int) { markup += String(number) }
        mutating func appendInterpolation(_ html: HTML) { markup += html.markup }
        mutating func appendInterpolation(_ html: HTML?) { if let html { markup += html.markup } }
        mutating func appendInterpolation(_ parts: [HTML]) { for part in parts { markup += part.markup } }
        /// `\(attr: "checked", when: flag)` inserts a boolean attribute.
        mutating func appendInterpolation(attr name: String, when condition: Bool) { if condition { markup += " " + name } }
    }

    /// Escapes text for use between tags and inside quoted attribute values.
    static func escape(_ text: String) -> String {
        var needs = false
        for byte in text.utf8
        where byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'")
        {
            needs = true
            break
        }
        guard needs else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}

extension Array where Element == HTML {
    func joined() -> HTML { HTML.trusted(map(\.markup).joined()) }
    func joined(separator: HTML) -> HTML { HTML.trusted(map(\.markup).joined(separator: separator.markup)) }
}
