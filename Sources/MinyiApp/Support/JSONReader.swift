import Hummingbird
import MinyiCore

/// A JSON value as read by `JSONReader`.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

/// A strict JSON reader (RFC 8259) for the request bodies read most often, submissions: it reads the bytes once into
/// `JSONValue`s, without Codable's containers and key conversion. Invalid UTF-8, control characters in strings, lone
/// surrogates, trailing data and nesting deeper than 64 are refused.
struct JSONReader {
    struct Malformed: Error {}

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    static func read(_ buffer: ByteBuffer) throws(Malformed) -> JSONValue {
        let result: Result<JSONValue, Malformed> = buffer.withUnsafeReadableBytes { bytes in
            var reader = JSONReader(bytes)
            do throws(Malformed) {
                let value = try reader.value()
                reader.skipSpace()
                guard reader.index == bytes.count else { throw Malformed() }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    static func read(_ text: String) throws(Malformed) -> JSONValue { try read(ByteBuffer(string: text)) }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func expect(_ literal: StaticString) throws(Malformed) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Malformed() }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { throw Malformed() }
        index += count
    }

    private mutating func value() throws(Malformed) -> JSONValue {
        skipSpace()
        guard let byte = peek() else { throw Malformed() }
        switch byte {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        default: return .number(try number())
        }
    }

    /// The comma-separated entries of an object or array up to `closing`, each read by `entry`; the reader stands on
    /// the opening bracket. Nesting deeper than 64 is refused.
    private mutating func entries(closing: UInt8, _ entry: (inout JSONReader) throws(Malformed) -> Void) throws(Malformed) {
        depth += 1
        guard depth <= 64 else { throw Malformed() }
        defer { depth -= 1 }
        index += 1  // the opening bracket
        skipSpace()
        if peek() == closing {
            index += 1
            return
        }
        while true {
            skipSpace()
            try entry(&self)
            skipSpace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case closing:
                index += 1
                return
            default: throw Malformed()
            }
        }
    }

    private mutating func object() throws(Malformed) -> JSONValue {
        var members: [String: JSONValue] = [:]
        try entries(closing: UInt8(ascii: "}")) { (reader: inout JSONReader) throws(Malformed) in
            guard reader.peek() == UInt8(ascii: "\"") else { throw Malformed() }
            let key = try reader.string()
            reader.skipSpace()
            guard reader.peek() == UInt8(ascii: ":") else { throw Malformed() }
            reader.index += 1
            members[key] = try reader.value()
        }
        return .object(members)
    }

    private mutating func array() throws(Malformed) -> JSONValue {
        var elements: [JSONValue] = []
        try entries(closing: UInt8(ascii: "]")) { (reader: inout JSONReader) throws(Malformed) in elements.append(try reader.value()) }
        return .array(elements)
    }

    /// A string literal; the common case without escapes is taken whole.
    private mutating func string() throws(Malformed) -> String {
        index += 1  // opening quote
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                guard let text = Self.text(UnsafeRawBufferPointer(rebasing: bytes[start..<index])) else { throw Malformed() }
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw Malformed() }
            index += 1
        }
        var utf8 = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = utf8.withUnsafeBytes({ Self.text($0) }) else { throw Malformed() }
                return text
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { throw Malformed() }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        try expect("\\u")
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw Malformed() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw Malformed() }
                    utf8.append(contentsOf: String(Character(unicode)).utf8)
                default: throw Malformed()
                }
            default:
                guard byte >= 0x20 else { throw Malformed() }
                utf8.append(byte)
            }
        }
        throw Malformed()
    }

    /// The text of well-formed UTF-8, or nil. Written out here because the standard library's generic validating
    /// initialiser is not specialised for these buffers and looks up type metadata on every call.
    static func text(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard UTF8Check.isWellFormed(bytes) else { return nil }
        return String(decoding: bytes.bindMemory(to: UInt8.self), as: UTF8.self)
    }

    private mutating func hex4() throws(Malformed) -> UInt32 {
        guard index + 4 <= bytes.count else { throw Malformed() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Malformed()
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// A number as the grammar allows it: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func number() throws(Malformed) -> Double {
        let start = index
        func digits(_ reader: inout JSONReader) -> Int {
            let from = reader.index
            while let byte = reader.peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { reader.index += 1 }
            return reader.index - from
        }
        if peek() == UInt8(ascii: "-") { index += 1 }
        if peek() == UInt8(ascii: "0") {
            index += 1
        } else {
            guard digits(&self) > 0 else { throw Malformed() }
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw Malformed() }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw Malformed() }
        }
        guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)), value.isFinite else { throw Malformed() }
        return value
    }
}

/// The members of a JSON object read from a request, with typed getters whose errors name the field as the API
/// writes it (`contact.id_number`). A missing member and `null` both read as `nil`.
struct JSONFields {
    let members: [String: JSONValue]
    /// The object's own path, empty at the top.
    let path: String

    /// The request body's top-level object; an empty body reads as `{}`.
    static func body(_ buffer: ByteBuffer) throws -> JSONFields {
        if buffer.readableBytes == 0 { return JSONFields(members: [:], path: "") }
        guard case .object(let members) = try? JSONReader.read(buffer) else {
            throw AppError.badRequest(field: "body", message: "请求体不是合法的 JSON (malformed JSON)")
        }
        return JSONFields(members: members, path: "")
    }

    private func field(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    private func wrongType(_ key: String) -> AppError {
        AppError.badRequest(field: field(key), message: "\(field(key)): 类型不正确 (wrong type)")
    }

    private func member(_ key: String) -> JSONValue? {
        switch members[key] {
        case .none, .null?: nil
        case let value?: value
        }
    }

    func string(_ key: String) throws -> String? {
        guard let value = member(key) else { return nil }
        guard case .string(let text) = value else { throw wrongType(key) }
        return text
    }

    func double(_ key: String) throws -> Double? {
        guard let value = member(key) else { return nil }
        guard case .number(let number) = value else { throw wrongType(key) }
        return number
    }

    func object(_ key: String) throws -> JSONFields? {
        guard let value = member(key) else { return nil }
        guard case .object(let members) = value else { throw wrongType(key) }
        return JSONFields(members: members, path: field(key))
    }
}

/// Well-formed UTF-8 as Unicode defines it (Table 3-7): no overlong forms, no surrogates, nothing above U+10FFFF,
/// no sequence cut short.
enum UTF8Check {
    static func isWellFormed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        func continues(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            index + offset < count && (low...high).contains(bytes[index + offset])
        }
        while index < count {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF:
                guard continues(1) else { return false }
                length = 2
            case 0xE0:
                guard continues(1, 0xA0), continues(2) else { return false }
                length = 3
            case 0xE1...0xEC, 0xEE...0xEF:
                guard continues(1), continues(2) else { return false }
                length = 3
            case 0xED:
                guard continues(1, 0x80, 0x9F), continues(2) else { return false }
                length = 3
            case 0xF0:
                guard continues(1, 0x90), continues(2), continues(3) else { return false }
                length = 4
            case 0xF1...0xF3:
                guard continues(1), continues(2), continues(3) else { return false }
                length = 4
            case 0xF4:
                guard continues(1, 0x80, 0x8F), continues(2), continues(3) else { return false }
                length = 4
            default: return false
            }
            index += length
        }
        return true
    }
}
