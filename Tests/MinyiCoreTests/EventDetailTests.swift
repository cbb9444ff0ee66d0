import Foundation
import MinyiCore
import Testing

struct EventDetailTests {
    /// Facts written through the typed fields come back the same from the stored JSON.
    @Test func detailsSurviveTheirStoredForm() throws {
        var detail = EventDetail()
        detail.unit = "S02"
        detail.responseDue = Date(timeIntervalSince1970: 1_790_007_200)
        detail.result = .basicallySatisfied
        detail.setScore(.attitude, 5)
        detail.text = "第一行\n\"引号\""
        detail.escalatedTo = .leader
        let stored = detail.json
        #expect(stored.hasPrefix("{\"escalated_to\":\"leader\","))  // keys sorted
        #expect(try EventDetail(json: stored) == detail)
        #expect(try EventDetail(json: stored).score(.attitude) == 5)
    }

    /// A stored detail that is not a JSON object of strings is an error, never silently empty.
    @Test(arguments: ["", "not json", "[1,2]", "{\"unit\": 3}"])
    func aCorruptDetailIsAnError(text: String) {
        #expect(throws: EventDetail.CorruptDetail.self) { try EventDetail(json: text) }
    }
}
