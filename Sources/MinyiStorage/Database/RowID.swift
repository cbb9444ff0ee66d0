import Foundation

/// Row IDs that sort by creation time, written like a UUID (version 7, RFC 9562): 48 bits of milliseconds since 1970,
/// the version, 12 bits of the fraction of that millisecond, the variant, then 62 random bits. New rows then land at the
/// end of the primary-key index instead of on a random page of it, so a batch of new items dirties a few index pages,
/// not one per item.
public enum RowID {
    public static func make(at date: Date = Date()) -> String {
        let microseconds = UInt64(max(0, date.timeIntervalSince1970 * 1_000_000))
        let fraction = (microseconds % 1000) * 4096 / 1000  // the millisecond's fraction in 12 bits
        let high = (microseconds / 1000) << 16 | 0x7000 | fraction
        var generator = SystemRandomNumberGenerator()  // one draw from the kernel
        let random: UInt64 = generator.next()
        let low = random & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { text in
            var at = 0
            for byte in 0..<16 {
                if byte == 4 || byte == 6 || byte == 8 || byte == 10 {
                    text[at] = UInt8(ascii: "-")
                    at += 1
                }
                let value = UInt8(truncatingIfNeeded: (byte < 8 ? high : low) >> (8 * (7 - byte % 8)))
                text[at] = digits[Int(value >> 4)]
                text[at + 1] = digits[Int(value & 0x0F)]
                at += 2
            }
            return at
        }
    }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)
}
