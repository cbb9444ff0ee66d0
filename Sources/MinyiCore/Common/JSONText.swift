/// Hand-built JSON text, for the few places that write JSON without an encoder because they run for every submission
/// or every imported row: one string escaper for all of them.
public enum JSONText {
    /// A JSON string literal, or `null`: quotes, backslashes and control characters escaped, every other byte (any
    /// UTF-8, and `/`) kept as it is.
    public static func quote(_ value: String?) -> String {
        guard let value else { return "null" }
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 2)
        quote(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value` as a JSON string literal to `out`.
    public static func quote(_ value: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                out += Array("\\u00".utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A JSON number, or `null`.
    public static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        return String(value)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
