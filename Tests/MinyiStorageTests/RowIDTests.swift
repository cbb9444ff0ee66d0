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
        }
    }
}
