import Crypto
import Foundation

/// After a form creates something, the browser is sent on to a page it can reload or go back from ("post, redirect,
/// get"). What that page shows once — a new item's number and PIN — is named by a short-lived cookie the server signs,
/// so only the browser that sent the form sees it; the PIN itself is never in the cookie (it is derived again).
struct ReceiptCookie: Sendable {
    static let name = "minyi_receipt"
    /// How long the receipt page can be reloaded.
    static let lifetime: TimeInterval = 30 * 60

    let key: [UInt8]

    init(secret: String) {
        key = Array(HMAC<SHA256>.authenticationCode(for: Data("minyi-receipt".utf8), using: SymmetricKey(data: Data(secret.utf8))))
    }

    private func mac(_ payload: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: SymmetricKey(data: key)).map { String(format: "%02x", $0) }.joined()
    }

    /// The cookie's value for `number`, tied to the browser and good until `lifetime` after `now`.
    func value(number: String, browser: String, at now: Date) -> String {
        let payload = "\(number).\(Int(now.timeIntervalSince1970 + Self.lifetime))"
        return payload + "." + mac(payload + "|" + browser)
    }

    /// The number the cookie names, when it is genuine, for this browser, and not expired.
    func number(in value: String?, browser: String, at now: Date) -> String? {
        guard let value else { return nil }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let expiry = Int(parts[1]), Double(expiry) > now.timeIntervalSince1970 else { return nil }
        let expected = mac(parts[0] + "." + parts[1] + "|" + browser)
        guard expected.utf8.count == parts[2].utf8.count,
            zip(expected.utf8, parts[2].utf8).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0
        else { return nil }
        return parts[0]
    }

    func setCookie(number: String, browser: String, at now: Date, secure: Bool, path: String) -> String {
        WebCookie.make(Self.name, value(number: number, browser: browser, at: now), maxAge: Int(Self.lifetime), secure: secure, path: path)
    }
}
