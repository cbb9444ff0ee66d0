import HTTPTypes

extension HTTPField.Name {
    static let idempotencyKey = named("Idempotency-Key")
    static let idempotentReplayed = named("Idempotent-Replayed")
    static let apiKey = named("X-API-Key")
    static let link = named("Link")
    static let xForwardedFor = named("X-Forwarded-For")
    static let referrerPolicy = named("Referrer-Policy")

    /// A header name written in this file; every one is a valid token.
    private static func named(_ text: String) -> Self {
        guard let name = Self(text) else { preconditionFailure("\(text) is not a header name") }
        return name
    }
}
