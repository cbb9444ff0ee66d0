import Foundation
import Testing

@testable import MinyiCore

/// Safety alerts as entered: every faulty field named at once, a validity that makes sense, and the message for a
/// community's group chat.
struct SafetyAlertTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func make(text: String = "近期有人冒充公检法打电话要求转账到“安全账户”，公安机关从不通过电话办案。", until: TimeInterval = 7 * 86400)
        throws(ValidationErrors) -> SafetyAlert
    {
        try SafetyAlert.validated(
            id: "A1", unitID: "S01", communities: ["S01-C2", "S01-C1", "S01-C1"], topic: .fraud, urgency: .expected, severity: .moderate,
            title: "警惕冒充公检法诈骗", text: text, validFrom: nil, validUntil: now + until, now: now)
    }

    @Test func aValidAlertIsInForceUntilItEndsOrIsWithdrawn() throws {
        var alert = try make()
        #expect(alert.communities == ["S01-C1", "S01-C2"] && alert.validFrom == now)
        #expect(alert.isInForce(at: now + 86400) && !alert.isInForce(at: now + 8 * 86400))
        alert.withdrawnAt = now + 3600
        #expect(!alert.isInForce(at: now + 7200))
    }

    @Test func everyFaultIsNamedAtOnce() {
        do {
            _ = try SafetyAlert.validated(
                id: "A2", unitID: "S01", communities: [], topic: nil, urgency: .immediate, severity: nil, title: " ", text: "x",
                validFrom: now, validUntil: now - 60, now: now)
            Issue.record("refused")
        } catch {
            #expect(Set(error.errors.map(\.field)) == ["title", "communities", "topic", "severity", "valid_until"])
        }
        #expect(throws: ValidationErrors.self) { try make(until: 91 * 86400) }
    }

    @Test func theGroupMessageIsShortAndLinksToTheAlert() throws {
        let alert = try make(text: String(repeating: "注意防范。", count: 40))
        let message = alert.groupMessage(link: "https://jw.example.gov.cn/alerts/A1", limit: 60)
        let lines = message.split(separator: "\n")
        #expect(lines.count == 3 && lines[0] == "【电信诈骗·较重】警惕冒充公检法诈骗")
        #expect(lines[1].count <= 60 && lines[1].hasSuffix("。"))
        #expect(lines[2] == "详情：https://jw.example.gov.cn/alerts/A1")
    }
}
