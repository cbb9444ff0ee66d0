import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Synchronization
import Testing

@testable import MinyiApp

/// A browser as far as the server can tell: it keeps cookies and posts forms with the page's CSRF token.
final class Browser: Sendable {
    let client: any TestClientProtocol
    private let state = Mutex<(cookies: [String: String], token: String)>(([:], ""))

    /// The cookies the server has set, by name.
    var cookies: [String: String] { state.withLock { $0.cookies } }
    /// The CSRF token of the last page with a form (a test may forge one).
    var token: String {
        get { state.withLock { $0.token } }
        set { state.withLock { $0.token = newValue } }
    }

    init(_ client: any TestClientProtocol) { self.client = client }

    private var cookieHeader: HTTPFields {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        return headers
    }

    private func remember(_ response: TestResponse) {
        let html = String(buffer: response.body)
        let token = html.range(of: "name=\"_csrf\" value=\"").map { String(html[$0.upperBound...].prefix(while: { $0 != "\"" })) }
        state.withLock { state in
            for field in response.headers[values: .setCookie] {
                let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                let name = String(pair[0])
                let value = pair.count > 1 ? String(pair[1]) : ""
                if field.contains("Max-Age=0") { state.cookies[name] = nil } else { state.cookies[name] = value }
            }
            if let token { state.token = token }
        }
    }

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: cookieHeader)
        remember(response)
        return response
    }

    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)], csrf: Bool = true) async throws -> TestResponse {
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        let all = (csrf ? [("_csrf", token)] : []) + fields
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    func login(_ username: String) async throws {
        try await get("/staff/login")
        let response = try await post("/staff/login", [("username", username), ("password", testPassword)])
        #expect(response.status == .seeOther, "login \(username): \(String(buffer: response.body))")
    }
}

extension TestResponse {
    var html: String { String(buffer: body) }
}
