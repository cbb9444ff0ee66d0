import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MinyiCore
import MinyiStorage
import MinyiStorageTesting
import Testing

@testable import MinyiApp

struct ResidentInputTests {
    /// A key replayed with another body is refused naming the header, and never hands out the first PIN; the same
    /// body replayed gets the same answer.
    @Test(arguments: TestDatabase.dialects)
    func anIdempotencyKeyIsBoundToWhatWasSent(dialect: DatabaseDialect) async throws {
        try await withConfiguredApp(dialect: dialect) { client, _, _ in
            let first = try await client.submit(noiseFields, key: "k-1")
            #expect(first.status == .created)
            let again = try await client.submit(noiseFields, key: "k-1")
            #expect(again.status == .created && again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(try decode(Created.self, again).pin == decode(Created.self, first).pin)
            var other = noiseFields
            other["text"] = "另一个人的另一件事"
            let stolen = try await client.submit(other, key: "k-1")
            #expect(stolen.status == .unprocessableContent)
            #expect(try errorField(stolen) == "Idempotency-Key")
            #expect(!String(buffer: stolen.body).contains(try decode(Created.self, first).pin))
            // Two different bodies with one key in the same batch: one is registered, the other refused.
            async let a = client.submit(noiseFields, key: "k-2")
            async let b = client.submit(other, key: "k-2")
            let statuses = [try await a.status, try await b.status]
            #expect(statuses.sorted { $0.code < $1.code } == [.created, .unprocessableContent])
        }
    }

    /// Control characters are refused naming the field, never stored to be cut by readers.
    @Test func controlCharactersAreRefusedNamingTheField() async throws {
        try await withConfiguredApp { client, _, _ in
            var fields = noiseFields
            fields["text"] = "半截\u{0}后半截"
            let response = try await client.submit(fields)
            #expect(response.status == .unprocessableContent)
            #expect(try errorField(response) == "text")
            fields["text"] = "正常\n第二行\t制表"
            fields["address"] = "门牌\u{1B}[31m"
            #expect(try errorField(try await client.submit(fields)) == "address")
            fields["address"] = nil
            fields["contact"] = ["name": "张\u{7}三"]
            #expect(try errorField(try await client.submit(fields)) == "contact.name")
        }
    }

    /// A username with control characters or a password with NUL is refused naming the field (it was a 500 on
    /// PostgreSQL, which cannot compare a text holding NUL), and the officer can still sign in.
    @Test(arguments: TestDatabase.dialects)
    func aLoginWithControlCharactersIsRefusedNamingTheField(dialect: DatabaseDialect) async throws {
        try await withConfiguredApp(dialect: dialect) { client, _, _ in
            func login(_ username: String, _ password: String) async throws -> TestResponse {
                let body = try JSONSerialization.data(withJSONObject: ["username": username, "password": password])
                return try await client.execute(
                    uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body))
            }
            for (username, password, field) in [
                ("disp\u{0}atcher", testPassword, "username"), ("dispatcher\u{1B}", testPassword, "username"),
                ("dispatcher", testPassword + "\u{0}x", "password"),
            ] {
                let refused = try await login(username, password)
                #expect(refused.status == .badRequest)
                #expect(try errorField(refused) == field)
            }
            #expect(try await login("dispatcher", testPassword).status == .created)
        }
    }

    /// The look-up gives the resident back what they wrote, line breaks and all.
    @Test func theLookUpShowsTheSubmittedText() async throws {
        try await withConfiguredApp { client, _, _ in
            var fields = noiseFields
            fields["text"] = "第一行\r\n第二行 \"引号\" <b>"
            let created = try decode(Created.self, try await client.submit(fields))
            let view = try decode(PublicItemView.self, try await client.get("/api/v1/items/\(created.number)?pin=\(created.pin)"))
            #expect(view.text == "第一行\r\n第二行 \"引号\" <b>")
        }
    }

    /// JSON bodies must say they are JSON.
    @Test func aBodyThatIsNotJSONIsA415() async throws {
        try await withConfiguredApp { client, _, _ in
            let plain = try await client.execute(
                uri: "/api/v1/items", method: .post, headers: [.contentType: "text/plain"], body: body(noiseFields))
            #expect(plain.status == .unsupportedMediaType)
            #expect(try errorField(plain) == "Content-Type")
            let none = try await client.execute(uri: "/api/v1/items", method: .post, body: body(noiseFields))
            #expect(none.status == .unsupportedMediaType)
            let form = try await client.execute(
                uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "username=a"))
            #expect(form.status == .unsupportedMediaType)
            let charset = try await client.execute(
                uri: "/api/v1/items", method: .post, headers: [.contentType: "application/json; charset=utf-8"], body: body(noiseFields))
            #expect(charset.status == .created)
        }
    }

    /// The language switch returns only to paths on this site, however the path is disguised.
    @Test(arguments: [
        ("/%09/evil.example/", "/"), ("//evil.example/", "/"), ("/%5Cevil.example", "/"), ("https://evil.example/", "/"),
        ("/%0A/evil.example", "/"), ("/%20/evil.example", "/"), ("/staff/queue?view=new", "/staff/queue?view=new"),
    ])
    func theLanguageSwitchRedirectsOnlyWithinTheSite(back: String, location: String) async throws {
        try await withConfiguredApp { client, _, _ in
            let response = try await client.execute(uri: "/lang?to=en&back=" + back, method: .get)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == location)
        }
    }

    /// A form with broken percent-encoding comes back with the field named and the text as it came, not a bare 400.
    @Test func brokenFormEncodingNamesTheFieldAndKeepsTheText() async throws {
        try await withConfiguredApp { client, _, _ in
            let browser = Browser(client)
            try await browser.get("/submit")
            var headers = HTTPFields()
            headers[.cookie] = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            headers[.contentType] = "application/x-www-form-urlencoded"
            let form = "_csrf=\(browser.token)&kind=complaint&category=noise&place=S01-C1&text=%FF%FE%E5%99%AA%ZZ"
            let response = try await client.execute(uri: "/submit", method: .post, headers: headers, body: ByteBuffer(string: form))
            #expect(response.status == .unprocessableContent)
            #expect(response.html.contains("id=\"f-text-error\""))
            #expect(response.html.contains("%FF%FE%E5%99%AA%ZZ"))
        }
    }
}

struct DemoTests {
    /// `--demo-items 0` means no items: before, a dissatisfied business callback of the demo opened one.
    @Test func aDemoAskedForNoItemsHasNone() async throws {
        try await TestDatabase.withFresh(.sqlite) { database in
            let dependencies = AppDependencies(
                database: database, keys: ServerKeys(pin: "test-secret", csrf: "test-csrf", voter: "test-voter"), passwords: PasswordHasher(cost: 4),
                now: { World.t0 },
                logger: TestDatabase.logger)
            #expect(try await Demo(dependencies: dependencies).seed(itemCount: 0, now: World.t0) != nil)
            let count = try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM items").first() }
            #expect(try count?.decode(column: "n", as: Int.self) == 0)
        }
    }
}
