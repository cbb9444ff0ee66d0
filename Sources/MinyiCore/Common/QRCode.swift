import Foundation

/// A QR code (ISO/IEC 18004) of some bytes, in byte mode at error-correction level M, versions 1 to 10 (up to 213
/// bytes): enough for a look-up address printed on an echo card. No Swift package for it resolves here, so this is a
/// small encoder of our own, checked by decoding what it draws with a real decoder (the browser tests).
public struct QRCode: Sendable, Hashable {
    /// Modules per side.
    public let size: Int
    /// Dark modules, row by row.
    public private(set) var modules: [Bool]
    public let version: Int
    /// The mask pattern chosen (0–7): the one with the lowest penalty.
    public let mask: Int

    public func isDark(row: Int, column: Int) -> Bool { modules[row * size + column] }

    public enum EncodingError: Error, Hashable, Sendable {
        case tooLong(bytes: Int, max: Int)
    }

    /// Per version (index 0 = version 1), level M: error-correction codewords per block, and the blocks' data lengths.
    static let blocks: [(ec: Int, data: [Int])] = [
        (10, [16]), (16, [28]), (26, [44]), (18, [32, 32]), (24, [43, 43]), (16, [27, 27, 27, 27]), (18, [31, 31, 31, 31]),
        (22, [38, 38, 39, 39]), (22, [36, 36, 36, 37, 37]), (26, [43, 43, 43, 43, 44]),
    ]

    /// Centres of the alignment patterns per version (none in version 1).
    static let alignment: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
    ]

    /// The most bytes the largest version holds.
    public static var maxBytes: Int { capacity(version: 10) }

    static func capacity(version: Int) -> Int {
        let data = blocks[version - 1].data.reduce(0, +)
        return (data * 8 - 4 - (version < 10 ? 8 : 16)) / 8
    }

    public init(_ text: String) throws(EncodingError) { try self.init(bytes: Array(text.utf8)) }

    /// The smallest version that holds `bytes`.
    public init(bytes: [UInt8]) throws(EncodingError) {
        guard let version = (1...10).first(where: { Self.capacity(version: $0) >= bytes.count }) else {
            throw .tooLong(bytes: bytes.count, max: Self.maxBytes)
        }
        self.version = version
        size = version * 4 + 17
        let codewords = Self.codewords(bytes, version: version)
        var grid = Grid(size: size)
        grid.drawFunctionPatterns(version: version)
        grid.place(codewords)
        // The mask that leaves the fewest look-alikes of the finder patterns and the evenest balance.
        var best = (mask: 0, penalty: Int.max, grid: grid)
        for mask in 0..<8 {
            var candidate = grid
            candidate.apply(mask: mask)
            candidate.drawFormat(mask: mask)
            let penalty = candidate.penalty()
            if penalty < best.penalty { best = (mask, penalty, candidate) }
        }
        mask = best.mask
        modules = best.grid.dark
    }

    // MARK: Codewords

    /// The data in byte mode, padded, split into blocks with their error correction, and interleaved.
    static func codewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        let layout = blocks[version - 1]
        let dataLength = layout.data.reduce(0, +)
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: version < 10 ? 8 : 16)
        for byte in bytes { bits.append(Int(byte), count: 8) }
        bits.append(0, count: min(4, dataLength * 8 - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var data = bits.bytes
        var pad: UInt8 = 0xEC
        while data.count < dataLength {
            data.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        var start = 0
        var dataBlocks: [[UInt8]] = []
        var ecBlocks: [[UInt8]] = []
        let generator = ReedSolomon.generator(degree: layout.ec)
        for length in layout.data {
            let block = Array(data[start..<start + length])
            start += length
            dataBlocks.append(block)
            ecBlocks.append(ReedSolomon.remainder(block, generator: generator))
        }
        var result: [UInt8] = []
        for i in 0..<(layout.data.max() ?? 0) {
            for block in dataBlocks where i < block.count { result.append(block[i]) }
        }
        for i in 0..<layout.ec {
            for block in ecBlocks { result.append(block[i]) }
        }
        return result
    }

    struct BitBuffer {
        var bits: [Bool] = []
        var count: Int { bits.count }

        mutating func append(_ value: Int, count: Int) {
            for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
        }

        var bytes: [UInt8] {
            stride(from: 0, to: bits.count, by: 8).map { start in
                (0..<8).reduce(UInt8(0)) { byte, i in byte << 1 | (start + i < bits.count && bits[start + i] ? 1 : 0) }
            }
        }
    }

    /// Reed–Solomon over GF(256) with the field polynomial x⁸ + x⁴ + x³ + x² + 1.
    enum ReedSolomon {
        static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
            var result: UInt8 = 0
            var a = a
            var b = b
            while b != 0 {
                if b & 1 == 1 { result ^= a }
                let carry = a & 0x80 != 0
                a <<= 1
                if carry { a ^= 0x1D }
                b >>= 1
            }
            return result
        }

        /// The coefficients (highest degree first, the leading 1 left out) of ∏ (x − αⁱ) for i in 0..<degree.
        static func generator(degree: Int) -> [UInt8] {
            var coefficients = [UInt8](repeating: 0, count: degree)
            coefficients[degree - 1] = 1
            var root: UInt8 = 1
            for _ in 0..<degree {
                for j in 0..<degree {
                    coefficients[j] = multiply(coefficients[j], root)
                    if j + 1 < degree { coefficients[j] ^= coefficients[j + 1] }
                }
                root = multiply(root, 0x02)
            }
            return coefficients
        }

        static func remainder(_ data: [UInt8], generator: [UInt8]) -> [UInt8] {
            var result = [UInt8](repeating: 0, count: generator.count)
            for byte in data {
                let factor = byte ^ result.removeFirst()
                result.append(0)
                for i in 0..<result.count { result[i] ^= multiply(generator[i], factor) }
            }
            return result
        }
    }

    /// The 15 bits of format information for level M (00) and a mask, with their BCH code, XORed with 101010000010010.
    static func formatBits(mask: Int) -> Int {
        let data = 0b00 << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The 18 bits of version information (versions 7 and up), with their BCH code.
    static func versionBits(_ version: Int) -> Int {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return version << 12 | remainder
    }

    // MARK: The grid

    struct Grid {
        let size: Int
        var dark: [Bool]
        /// Modules of the finder, timing and alignment patterns and of the format and version information.
        var reserved: [Bool]

        init(size: Int) {
            self.size = size
            dark = [Bool](repeating: false, count: size * size)
            reserved = [Bool](repeating: false, count: size * size)
        }

        mutating func set(_ x: Int, _ y: Int, _ value: Bool) {
            dark[y * size + x] = value
            reserved[y * size + x] = true
        }

        mutating func drawFunctionPatterns(version: Int) {
            for i in 0..<size {
                set(6, i, i % 2 == 0)
                set(i, 6, i % 2 == 0)
            }
            for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] { drawFinder(x, y) }
            let centres = QRCode.alignment[version - 1]
            for (i, cx) in centres.enumerated() {
                for (j, cy) in centres.enumerated() {
                    let last = centres.count - 1
                    if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                    for dy in -2...2 {
                        for dx in -2...2 { set(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1) }
                    }
                }
            }
            drawFormat(mask: 0)  // reserves the places; drawn again with the chosen mask
            if version >= 7 {
                let bits = QRCode.versionBits(version)
                for i in 0..<18 {
                    let bit = (bits >> i) & 1 == 1
                    let a = size - 11 + i % 3
                    let b = i / 3
                    set(a, b, bit)
                    set(b, a, bit)
                }
            }
        }

        /// A finder pattern centred at (x, y), with its light separator.
        mutating func drawFinder(_ x: Int, _ y: Int) {
            for dy in -4...4 {
                for dx in -4...4 {
                    let distance = max(abs(dx), abs(dy))
                    let (px, py) = (x + dx, y + dy)
                    guard (0..<size).contains(px), (0..<size).contains(py) else { continue }
                    set(px, py, distance != 2 && distance != 4)
                }
            }
        }

        /// The format information, in its two copies, and the dark module.
        mutating func drawFormat(mask: Int) {
            let bits = QRCode.formatBits(mask: mask)
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            for i in 0...5 { set(8, i, bit(i)) }
            set(8, 7, bit(6))
            set(8, 8, bit(7))
            set(7, 8, bit(8))
            for i in 9..<15 { set(14 - i, 8, bit(i)) }
            for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
            set(8, size - 8, true)
        }

        /// The codewords in the zigzag order, two columns at a time from the bottom right, skipping the timing column.
        mutating func place(_ codewords: [UInt8]) {
            var i = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                for vertical in 0..<size {
                    for j in 0..<2 {
                        let x = right - j
                        let upward = (right + 1) & 2 == 0
                        let y = upward ? size - 1 - vertical : vertical
                        guard !reserved[y * size + x] else { continue }
                        if i < codewords.count * 8 {
                            dark[y * size + x] = (codewords[i >> 3] >> (7 - (i & 7))) & 1 == 1
                            i += 1
                        }
                    }
                }
                right -= 2
            }
        }

        mutating func apply(mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !reserved[y * size + x] {
                    let flip: Bool
                    switch mask {
                    case 0: flip = (x + y) % 2 == 0
                    case 1: flip = y % 2 == 0
                    case 2: flip = x % 3 == 0
                    case 3: flip = (x + y) % 3 == 0
                    case 4: flip = (x / 3 + y / 2) % 2 == 0
                    case 5: flip = x * y % 2 + x * y % 3 == 0
                    case 6: flip = (x * y % 2 + x * y % 3) % 2 == 0
                    default: flip = ((x + y) % 2 + x * y % 3) % 2 == 0
                    }
                    if flip { dark[y * size + x].toggle() }
                }
            }
        }

        /// The standard's penalty: long runs, 2×2 blocks, finder look-alikes and imbalance of dark and light.
        func penalty() -> Int {
            var total = 0
            func at(_ x: Int, _ y: Int) -> Bool { dark[y * size + x] }
            let pattern: [Bool] = [true, false, true, true, true, false, true]
            for horizontal in [true, false] {
                for a in 0..<size {
                    var run = 0
                    var previous: Bool?
                    var line: [Bool] = []
                    for b in 0..<size {
                        let value = horizontal ? at(b, a) : at(a, b)
                        line.append(value)
                        if value == previous {
                            run += 1
                        } else {
                            if run >= 5 { total += 3 + run - 5 }
                            run = 1
                            previous = value
                        }
                    }
                    if run >= 5 { total += 3 + run - 5 }
                    // 1:1:3:1:1 with four light modules on one side (the edge counts as light).
                    for start in 0...(size - 7) where Array(line[start..<start + 7]) == pattern {
                        let before = (max(0, start - 4)..<start).allSatisfy { !line[$0] }
                        let after = (start + 7..<min(size, start + 11)).allSatisfy { !line[$0] }
                        if before || after { total += 40 }
                    }
                }
            }
            for y in 0..<size - 1 {
                for x in 0..<size - 1 {
                    let v = at(x, y)
                    if at(x + 1, y) == v && at(x, y + 1) == v && at(x + 1, y + 1) == v { total += 3 }
                }
            }
            let darkCount = dark.filter { $0 }.count
            let percent = darkCount * 100 / (size * size)
            total += abs(percent - 50) / 5 * 10
            return total
        }
    }
}
