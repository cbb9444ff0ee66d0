import Foundation

/// Row IDs that sort by creation time (the layout of a version 7 UUID: 48 bits of milliseconds since 1970, then
/// random bits), written like a UUID. New rows then land at the end of the primary-key index instead of on a random
/// page of it, so a batch of new items dirties a few index pages, not one per item.
public enum RowID {
    public static func make(at date: Date = Date()) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        // Two draws of 64 random bits (each draw asks the kernel), of which the last ten bytes are kept.
        var generator = SystemRandomNumberGenerator()
        for (word, range) in [(generator.next() as UInt64, 6..<8), (generator.next() as UInt64, 8..<16)] {
            for (shift, index) in range.enumerated() { bytes[index] = UInt8(truncatingIfNeeded: word >> (8 * shift)) }
        }
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // RFC 4122 variant
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let digits = Array("0123456789abcdef".utf8)
}
