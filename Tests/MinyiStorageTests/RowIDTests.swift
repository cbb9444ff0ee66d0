import Foundation
import MinyiStorage
import Testing

struct RowIDTests {
    /// IDs look like UUIDs (version 7) and sort in the order they were made, so new rows append to the key index.
    @Test func rowIDsAreUUIDShapedAndSortByTime() {
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let ids = (0..<1000).map { RowID.make(at: start.addingTimeInterval(Double($0) * 0.002)) }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(20) {
            #expect(UUID(uuidString: id) != nil)
            #expect(id == id.lowercased())
            #expect(Array(id)[14] == "7")
            #expect("89ab".contains(Array(id)[19]))
        }
    }

    /// The first 48 bits are the milliseconds since 1970 and the next 12 after the version the fraction of that
    /// millisecond, so IDs made within one millisecond still sort by time.
    @Test func rowIDsCarryTheTime() {
        let date = Date(timeIntervalSince1970: 1_790_000_000.125 + 1.0 / 2048)  // exact in binary: 125.488… ms
        let hex = RowID.make(at: date).replacingOccurrences(of: "-", with: "")
        #expect(UInt64(hex.prefix(12), radix: 16) == 1_790_000_000_125)
        #expect(UInt64(hex.dropFirst(13).prefix(3), radix: 16) == 488 * 4096 / 1000)
        let later = RowID.make(at: date.addingTimeInterval(0.0003))
        #expect(later > RowID.make(at: date))
    }
}
