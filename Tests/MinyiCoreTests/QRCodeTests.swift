import Testing

@testable import MinyiCore

/// The QR encoder's parts against the standard's worked values; the whole symbol is decoded by a real decoder in the
/// browser tests (zxing-cpp reads the printed echo cards).
struct QRCodeTests {
    @Test func errorCorrectionMatchesTheWorkedExample() {
        // "HELLO WORLD" at 1-M: its data codewords and their ten error-correction codewords.
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        let ec = QRCode.ReedSolomon.remainder(data, generator: QRCode.ReedSolomon.generator(degree: 10))
        #expect(ec == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test func formatAndVersionInformationMatchTheStandardsTables() {
        #expect(QRCode.formatBits(mask: 0) == 0b1010100_00010010)
        #expect(QRCode.formatBits(mask: 5) == 0b1000000_11001110)
        #expect(QRCode.formatBits(mask: 7) == 0b1001010_10100000)
        #expect(QRCode.versionBits(7) == 0x07C94)
        #expect(QRCode.versionBits(10) == 0x0A4D3)
    }

    @Test func theSmallestVersionThatHoldsTheBytesIsChosenAndLongerInputIsRefused() throws {
        #expect(try QRCode(String(repeating: "a", count: 14)).version == 1)
        #expect(try QRCode(String(repeating: "a", count: 15)).version == 2)
        let address = try QRCode("https://jw.example.gov.cn/lookup?number=KFQ-H000123")
        #expect(address.version == 4 && address.size == 33)
        // Finder patterns in three corners, light in the fourth.
        #expect(address.isDark(row: 0, column: 0) && address.isDark(row: 0, column: 32) && address.isDark(row: 32, column: 0))
        #expect(!address.isDark(row: 7, column: 7))
        #expect(try QRCode(String(repeating: "a", count: 213)).version == 10)
        #expect(throws: QRCode.EncodingError.tooLong(bytes: 214, max: 213)) { try QRCode(String(repeating: "a", count: 214)) }
    }
}
