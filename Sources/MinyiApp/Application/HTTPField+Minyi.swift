import HTTPTypes

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
    static let apiKey = Self("X-API-Key")!
}

extension HTTPField.Name {
    static let link = Self("Link")!
    static let xForwardedFor = Self("X-Forwarded-For")!
}
