import Foundation
import Hummingbird
import Testing

@testable import MinyiApp

struct JSONReaderTests {
    /// The reader's value, in the shapes `JSONSerialization` gives, to compare the two.
    private func plain(_ value: JSONValue) -> NSObject {
        switch value {
        case .null: NSNull()
        case .bool(let flag): NSNumber(value: flag)
        case .number(let number): NSNumber(value: number)
        case .string(let text): text as NSString
        case .array(let elements): elements.map(plain) as NSArray
        case .object(let members): members.mapValues(plain) as NSDictionary
        }
    }

    @Test(arguments: [
        #"{}"#, #"[]"#, #" {"a" : [1, -2.5, 3e2, 0, -0.0, 1E-2, true, false, null]} "#, #"{"text":"楼下噪音很大（第1条）"}"#,
        #"{"e":"\"\\\/\b\f\n\r\t","u":"\u4e2d\u6587 \ud83d\udea8 \u0001"}"#, #"{"a":{"b":{"c":[[],[{}]]}}}"#, #""plain""#, "12",
        #"{"dup":1,"dup":2}"#, #"{"long":"\#(String(repeating: "长", count: 5000))"}"#,
    ])
    func readsWhatFoundationReads(_ text: String) throws {
        let expected = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as! NSObject
        #expect(plain(try JSONReader.read(text)) == expected)
    }

    @Test(arguments: [
        "", "{", #"{"a":}"#, #"{"a" 1}"#, #"{"a":1,}"#, "[1,]", "[1 2]", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "{} x",
        #"{"a":"unterminated}"#, "\"tab\there\"", #""\x""#, #""\u12""#, #""\ud800""#, #""\udc00x""#, "{'a':1}", "NaN", "1e999",
        String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
    ])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONReader.Malformed.self) { try JSONReader.read(text) }
    }

    @Test func refusesInvalidUTF8() {
        var buffer = ByteBuffer(string: "{\"text\":\"")
        buffer.writeBytes([0xE4, 0xB8])  // a character cut short
        buffer.writeString("\"}")
        #expect(throws: JSONReader.Malformed.self) { try JSONReader.read(buffer) }
    }

    /// The reader's own UTF-8 check against the standard library's, on every edge of Table 3-7 and on random bytes
    /// biased towards the ranges where the rules differ.
    @Test func utf8CheckAgreesWithTheStandardLibrary() {
        func agree(_ bytes: [UInt8]) -> Bool {
            let mine = bytes.withUnsafeBytes { UTF8Check.isWellFormed($0) }
            return mine == (String(validating: bytes, as: UTF8.self) != nil)
        }
        let edges: [UInt8] = [
            0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5,
            0xFF,
        ]
        for first in edges {
            for second in edges {
                #expect(agree([first, second]), "\([first, second])")
                for third in edges { #expect(agree([first, second, third]), "\([first, second, third])") }
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...8, using: &generator)).map { _ in edges.randomElement(using: &generator)! }
            #expect(agree(bytes), "\(bytes)")
        }
        #expect(agree(Array("河边步道夜里有人聚集喝酒 😀 ok".utf8)))
    }

    @Test func nestingUpToSixtyFourIsRead() throws {
        let text = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONReader.read(text) }
    }

    @Test func responsesWrittenByHandMatchTheEncoder() throws {
        struct Sample: Encodable {
            var adviceEn: String?
            var emergency: Bool
            var message: String
        }
        for message in ["已受理。请记下查询号 KFQ-2026-000001", "quote \" back\\slash /path\n\t\u{01}", ""] {
            for advice in [nil, "call 110"] {
                var writer = JSONObjectWriter()
                writer.add("advice_en", advice)
                writer.add("emergency", true)
                writer.add("message", message)
                let encoded = String(decoding: try JSON.encoder.encode(Sample(adviceEn: advice, emergency: true, message: message)), as: UTF8.self)
                let mine = try JSONSerialization.jsonObject(with: Data(writer.finished.readableBytesView)) as! NSDictionary
                let theirs = try JSONSerialization.jsonObject(with: Data(encoded.utf8)) as! NSDictionary
                #expect(mine == theirs, "\(String(buffer: writer.finished)) vs \(encoded)")
            }
        }
    }

    /// The error shape written by hand is the one the encoder gave: the message and field nested under "error",
    /// absent values left out, keys sorted.
    @Test func errorBodiesWrittenByHandMatchTheEncoder() throws {
        struct Detail: Encodable {
            var message: String
            var field: String?
            var requestId: String?
        }
        struct Body: Encodable { var error: Detail }
        for message in ["text: 内容不能为空 (text is required)", "quote \" back\\slash /path\n\u{01}"] {
            for (field, requestID) in [(nil, nil), ("contact.phone", nil), (nil, "r-42")] as [(String?, String?)] {
                let written = ErrorBody.json(message: message, field: field, requestID: requestID)
                let encoded = try JSON.encoder.encode(Body(error: Detail(message: message, field: field, requestId: requestID)))
                #expect(String(buffer: written) == String(decoding: encoded, as: UTF8.self))
            }
        }
    }
}
