import Foundation
import FoundationXML
import Hummingbird

/// A GeoReport v2 answer, written once and rendered as JSON or XML, so the two formats cannot say different things.
/// A list is a JSON array and, in XML, one element per member named by `member` (`<services><service>…`).
indirect enum GeoReportNode: Sendable {
    case text(String?)
    case number(Int)
    case bool(Bool)
    case object([(String, GeoReportNode)])
    case list(member: String, [GeoReportNode])

    /// The two formats the specification defines, chosen by the path's extension.
    enum Format: String, Sendable {
        case json, xml

        var contentType: String { self == .json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8" }
    }

    // MARK: JSON

    var json: String {
        switch self {
        case .text(let value): value.map(Self.quoted) ?? "null"
        case .number(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .object(let fields): "{" + fields.map { Self.quoted($0.0) + ":" + $0.1.json }.joined(separator: ",") + "}"
        case .list(_, let members): "[" + members.map(\.json).joined(separator: ",") + "]"
        }
    }

    /// A JSON string, escaped by the encoder.
    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    // MARK: XML

    /// The node as the children of an element named `name`.
    func element(_ name: String) -> XMLElement {
        switch self {
        case .text(let value): return XMLWriting.element(name, value ?? "")
        case .number(let value): return XMLWriting.element(name, String(value))
        case .bool(let value): return XMLWriting.element(name, value ? "true" : "false")
        case .object(let fields):
            let element = XMLWriting.element(name)
            for (key, value) in fields { element.addChild(value.element(key)) }
            return element
        case .list(let member, let members):
            let element = XMLWriting.element(name)
            for value in members { element.addChild(value.element(member)) }
            return element
        }
    }

    /// The answer in `format`; in XML the document's root is named `root`.
    func response(_ format: Format, root: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        headers[.cacheControl] = "no-store"
        let bytes: ByteBuffer =
            switch format {
            case .json: ByteBuffer(string: json)
            case .xml: ByteBuffer(bytes: XMLWriting.document(element(root), pretty: false))
            }
        return Response(status: status, headers: headers, body: .init(byteBuffer: bytes))
    }
}
