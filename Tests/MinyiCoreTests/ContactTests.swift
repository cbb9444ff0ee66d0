import Foundation
import Testing

@testable import MinyiCore

struct ContactTests {
    @Test(arguments: ["13812345678", "19900001111", "+86 138-1234-5678"])
    func acceptsMobileNumbers(_ phone: String) throws {
        let contact = try Contact.validated(name: nil, phone: phone, idNumber: nil)
        #expect(contact?.phone?.count == 11)
    }

    @Test(arguments: ["12812345678", "1381234567", "138123456789", "0371-1234567", "abc"])
    func refusesOtherNumbers(_ phone: String) {
        #expect(throws: ValidationError.self) { try Contact.validated(name: nil, phone: phone, idNumber: nil) }
    }

    @Test func checksTheIDNumberCheckDigit() throws {
        #expect(Contact.isIDNumber("11010519491231002X"))
        #expect(Contact.isIDNumber("440524198001010013"))
        #expect(!Contact.isIDNumber("440524188001010014"))  // born 1880: not a living resident
        #expect(!Contact.isIDNumber("110105194912310021"))  // wrong check digit
        #expect(!Contact.isIDNumber("11010519491331002X"))  // month 13
        #expect(!Contact.isIDNumber("1101051949123100"))
        do {
            _ = try Contact.validated(name: nil, phone: nil, idNumber: "110105194912310021")
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "contact.id_number")
        }
    }

    @Test func masksEveryField() {
        let masked = Contact(name: "张三丰", phone: "13812345678", idNumber: "11010519491231002X").masked
        #expect(masked.phone == "138****5678")
        #expect(masked.name == "张*丰")
        #expect(masked.idNumber == "110105********002X")
        #expect(Contact.maskName("李四") == "李*")
    }

    @Test func emptyContactIsNil() throws {
        #expect(try Contact.validated(name: " ", phone: "", idNumber: nil) == nil)
    }
}

struct IntakeTests {
    @Test(arguments: ["有人持刀在小区门口", "三楼着火了", "救命！", "他们正在打架"])
    func emergencyTextIsRecognised(_ text: String) {
        #expect(Emergency.looksLikeEmergency(text))
    }

    @Test func ordinaryTextIsNotAnEmergency() {
        #expect(!Emergency.looksLikeEmergency("小区门口路灯坏了三天，晚上很黑"))
    }

    @Test func theScanAgreesWithPlainSearchOnRandomTexts() {
        // Texts stitched from pieces of the phrases, ordinary words and mixed-case English, so that near misses abound.
        let pieces =
            Emergency.phrases.flatMap { phrase in [phrase, String(phrase.prefix(1)), String(phrase.suffix(1))] }
            + ["HELP ME", "Fire", "KniFe", "hel", "p me", "路灯", "，", " ", "a", "的"]
        var generator = SystemRandomNumberGenerator()
        var found = 0
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let expected = Emergency.phrases.contains { text.lowercased().contains($0) }
            #expect(Emergency.looksLikeEmergency(text) == expected, "\(text)")
            if expected { found += 1 }
        }
        #expect(found > 300)
    }

    @Test func whiteSpaceIsTrimmedAsFoundationWould() {
        for text in ["  噪音 ", "\t\n第一行\n第二行\r\n", "\u{3000}全角空格\u{3000}", "\u{00A0}x\u{2028}", "", " \n ", "无空白"] {
            #expect(text.trimmed == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
        }
    }

    @Test func emptyAndOverlongTextAreRefused() {
        #expect(throws: ValidationError.invalid(field: "text", message: "请写下您要反映的内容 (text must not be empty)")) {
            try Submission(kind: .opinion, category: "noise", channel: .web, text: "  \n", placeID: "C1")
        }
        do {
            _ = try Submission(kind: .opinion, category: "noise", channel: .web, text: String(repeating: "字", count: 20_000), placeID: "C1")
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "text")
        }
    }

    @Test func trackingNumbersAreReadable() {
        #expect(TrackingNumber.make(bureau: "KFQ", year: 2026, serial: 4213) == "KFQ-2026-004213")
        #expect(TrackingNumber.normalise("kfq－2026－004213") == "KFQ-2026-004213")
        #expect(TrackingNumber.isWellFormed("KFQ-2026-004213"))
        #expect(!TrackingNumber.isWellFormed("KFQ-26-4213"))
        #expect(!TrackingNumber.isWellFormed("'; DROP TABLE items"))
    }
}

struct MeasuresTests {
    @Test func handComputedExample() {
        let due = t0
        let facts = [
            // closed, accepted in time, satisfied
            ItemFacts(status: .closed, responseDue: due, acceptedAt: due.addingTimeInterval(-60), firstRepliedAt: due, callbackResult: .satisfied),
            // closed on the spot, basically satisfied
            ItemFacts(status: .closed, answeredOnSpot: true, firstRepliedAt: due, callbackResult: .basicallySatisfied),
            // supervised: accepted late, dissatisfied, breached
            ItemFacts(
                status: .supervised, responseDue: due, acceptedAt: due.addingTimeInterval(60), firstRepliedAt: due, callbackResult: .dissatisfied,
                breached: true),
            // dispatched, not accepted, overdue
            ItemFacts(status: .dispatched, responseDue: due, breached: true),
            // registered, not yet dispatched
            ItemFacts(status: .registered),
            // merged and rejected: not counted
            ItemFacts(status: .merged),
            ItemFacts(status: .rejected),
            // closed after three unreachable callbacks
            ItemFacts(status: .closed, responseDue: due, acceptedAt: due, firstRepliedAt: due, callbackResult: .unreachable),
        ]
        let m = Measures(facts: facts)
        #expect(m.received == 6)
        #expect(m.replyRate == Rate(4, of: 6))
        #expect(m.responseRate == Rate(3, of: 5))
        #expect(m.closureRate == Rate(3, of: 6))
        #expect(m.satisfactionRate == Rate(2, of: 3))
        #expect(m.overdue == 2)
        #expect(m.open == 3)
        #expect(m.satisfactionRate.percent == "66.7%")
        #expect(Measures(facts: []).replyRate.value == nil)
    }
}

struct ControlCharacterTests {
    @Test(arguments: ["\u{0}", "a\u{1}b", "\u{1B}[31m", "\u{7F}", "C1 \u{85}", "\u{9F}"])
    func controlCharactersAreFound(text: String) {
        #expect(text.hasControlCharacters)
    }

    @Test(arguments: ["普通文字", "tab\tand\nlines\r\n", "emoji 🚨", "é ü ñ", "\u{A0}nbsp", "\u{2028}"])
    func ordinaryTextHasNone(text: String) {
        #expect(!text.hasControlCharacters)
    }
}
