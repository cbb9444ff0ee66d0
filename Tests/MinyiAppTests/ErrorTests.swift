import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiStorage
import Testing

@testable import MinyiApp

struct ErrorTests {
    /// A write the database could not take (locked past the busy timeout, disk full) is a 503 with Retry-After that
    /// says nothing was saved, on the API and on the web pages alike.
    @Test func anUnavailableDatabaseIsA503ToRetry() async throws {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.post("/api/v1/items") { _, _ -> Response in throw StorageError.unavailable("SQLite 5: database is locked") }
        router.post("/submit") { _, _ -> Response in throw StorageError.unavailable("SQLite 5: database is locked") }
        try await Application(router: router).test(.router) { client in
            let api = try await client.execute(uri: "/api/v1/items", method: .post)
            #expect(api.status == .serviceUnavailable)
            #expect(api.headers[.retryAfter] == "5")
            let message = try decode(ErrorResponse.self, api).error.message
            #expect(message.contains("未能保存"))
            #expect(!message.contains("locked"))  // SQLite's words stay in the log
            let page = try await client.execute(uri: "/submit", method: .post)
            #expect(page.status == .serviceUnavailable)
            #expect(page.headers[.retryAfter] == "5")
        }
    }
}
