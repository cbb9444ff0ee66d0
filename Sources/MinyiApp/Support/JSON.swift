import Foundation
import Hummingbird
import MinyiCore

/// JSON in and out, with snake_case keys, ISO 8601 dates, and errors that name the field.
enum JSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        response(ByteBuffer(bytes: try encoder.encode(value)), status: status, headers: headers)
    }

    /// A response with a body already written as JSON.
    static func response(_ body: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// Reads and decodes a request body of at most `limit` bytes; an empty body decodes as `{}`.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let buffer = try await collect(request, limit: limit)
        let data = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw describe(error)
        }
    }

    /// The request body, of at most `limit` bytes. A body must say it is JSON (`application/json`, or a type ending
    /// in `+json`): anything else is refused with 415 before it is read.
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        let type = request.headers[.contentType]
        if let type, !isJSON(type) {
            throw AppError.unsupportedMediaType("Content-Type 应为 application/json，收到 \(type) (send JSON as application/json)")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw AppError.payloadTooLarge(limit: limit)
        }
        if type == nil, buffer.readableBytes > 0 {
            throw AppError.unsupportedMediaType("缺少 Content-Type: application/json (send JSON as application/json)")
        }
        return buffer
    }

    /// Whether a Content-Type names JSON: `application/json` or `application/…+json`, with any parameters.
    static func isJSON(_ contentType: String) -> Bool {
        let media = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmed.lowercased() } ?? ""
        return media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json"))
    }

    static func describe(_ error: DecodingError) -> AppError {
        func path(_ keys: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let all = keys + (last.map { [$0] } ?? [])
            return all.map { key in key.intValue.map { "[\($0)]" } ?? snake(key.stringValue) }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .badRequest(field: "body", message: "请求体不是合法的 JSON (malformed JSON)")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return .badRequest(field: field, message: "\(field): 取值无效 (invalid value)")
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath, key)
            return .badRequest(field: field, message: "\(field): 缺少必填字段 (required)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return .badRequest(field: field.isEmpty ? "body" : field, message: "\(field.isEmpty ? "body" : field): 类型不正确 (wrong type)")
        @unknown default:
            return .badRequest(field: "body", message: "请求体无法解析 (cannot decode body)")
        }
    }

    private static func snake(_ key: String) -> String {
        var result = ""
        for character in key {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// Decodes a string enum, naming the field and the allowed values when it does not match.
func parse<T: RawRepresentable & CaseIterable>(_ raw: String?, _ type: T.Type, field: String) throws -> T where T.RawValue == String {
    guard let raw, !raw.isEmpty else { throw AppError.badRequest(field: field, message: "\(field): 缺少必填字段 (required)") }
    guard let value = T(rawValue: raw) else {
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        throw ValidationError.invalid(field: field, message: "未知的取值 \(raw)，可选：\(allowed) (unknown value)")
    }
    return value
}

/// Writes one JSON object by hand, members in the order added; `nil` members are left out, as `JSONEncoder` does.
struct JSONObjectWriter {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]

    init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    mutating func add(_ key: String, _ value: String?) {
        guard let value else { return }
        member(key)
        JSONText.quote(value, into: &bytes)
    }

    mutating func add(_ key: String, _ value: Bool) {
        member(key)
        bytes += Array((value ? "true" : "false").utf8)
    }

    /// An object as a member's value.
    mutating func add(_ key: String, _ object: JSONObjectWriter) {
        member(key)
        bytes += object.bytes
        bytes.append(UInt8(ascii: "}"))
    }

    /// The object, closed, as a response body.
    var finished: ByteBuffer {
        var buffer = ByteBuffer(bytes: bytes)
        buffer.writeInteger(UInt8(ascii: "}"))
        return buffer
    }

    private mutating func member(_ key: String) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        JSONText.quote(key, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }
}
