import Foundation
import FoundationXML

/// Small helpers over Foundation's XML document, so that every feed and document the app writes (Atom, CAP, Open311)
/// is escaped by the writer, never by hand.
enum XMLWriting {
    /// An element with text, and attributes in the order given.
    static func element(_ name: String, _ text: String? = nil, attributes: [(String, String)] = []) -> XMLElement {
        let element = text.map { XMLElement(name: name, stringValue: $0) } ?? XMLElement(name: name)
        for (key, value) in attributes {
            if let attribute = XMLNode.attribute(withName: key, stringValue: value) as? XMLNode { element.addAttribute(attribute) }
        }
        return element
    }

    /// Sets the default namespace of a root element.
    static func setNamespace(_ uri: String, on element: XMLElement) {
        if let namespace = XMLNode.namespace(withName: "", stringValue: uri) as? XMLNode { element.addNamespace(namespace) }
    }

    /// The document's bytes, UTF-8 with its declaration.
    static func document(_ root: XMLElement, pretty: Bool = true) -> Data {
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "utf-8"
        return document.xmlData(options: pretty ? [.nodePrettyPrint] : [])
    }

    /// RFC 3339 in UTC (Atom).
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// An Atom `link` element.
    static func atomLink(_ href: String, rel: String, type: String) -> XMLElement {
        element("link", attributes: [("rel", rel), ("type", type), ("href", href)])
    }
}
