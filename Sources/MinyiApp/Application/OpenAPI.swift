import Foundation

/// The OpenAPI 3.1 document of the API, shipped as a resource and served at `/api/v1/openapi.json`.
enum OpenAPI {
    static let document: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else {
            return Array(#"{"openapi":"3.1.0","info":{"title":"Minyi","version":"1"},"paths":{}}"#.utf8)
        }
        return Array(data)
    }()
}
