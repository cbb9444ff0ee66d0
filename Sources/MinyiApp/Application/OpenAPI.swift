import Foundation

/// The OpenAPI 3.1 document of the API, served at `/api/v1/openapi.json`: the shared part (`openapi.json`) with each
/// capability's paths and schemas (`openapi-<capability>.json`) merged in, so that a capability describes its own calls.
enum OpenAPI {
    static let document: [UInt8] = {
        let fallback = Array(#"{"openapi":"3.1.0","info":{"title":"Minyi","version":"1"},"paths":{}}"#.utf8)
        guard let folder = Bundle.module.url(forResource: "Resources", withExtension: nil),
            let base = object(folder.appendingPathComponent("openapi.json"))
        else { return fallback }
        var document = base
        let fragments = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in fragments.sorted() where name.hasPrefix("openapi-") && name.hasSuffix(".json") {
            guard let fragment = object(folder.appendingPathComponent(name)) else { continue }
            document = merged(document, fragment)
        }
        guard let data = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return fallback
        }
        return Array(data)
    }()

    static func object(_ url: URL) -> [String: Any]? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// The document with a fragment's paths and component schemas added.
    static func merged(_ document: [String: Any], _ fragment: [String: Any]) -> [String: Any] {
        var document = document
        var paths = document["paths"] as? [String: Any] ?? [:]
        for (path, item) in fragment["paths"] as? [String: Any] ?? [:] { paths[path] = item }
        document["paths"] = paths
        var components = document["components"] as? [String: Any] ?? [:]
        var schemas = components["schemas"] as? [String: Any] ?? [:]
        for (name, schema) in (fragment["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:] { schemas[name] = schema }
        components["schemas"] = schemas
        document["components"] = components
        return document
    }
}
