import Hummingbird
import NIOCore

/// Who is asking: the address of the connection, or, when that is one of the configured trusted proxies, the address
/// the proxies say they were asked by (`X-Forwarded-For`, read from the right, skipping trusted hops). The header is
/// never believed from anyone else, so a client cannot choose its own rate-limit bucket.
struct ClientAddresses: Sendable {
    /// A trusted proxy: one address, or an IPv4 network such as `10.0.0.0/8`.
    enum Proxy: Sendable, Hashable {
        case exact(String)
        case ipv4(network: UInt32, mask: UInt32)

        init?(_ text: String) {
            let text = text.trimmed
            guard !text.isEmpty else { return nil }
            if let slash = text.firstIndex(of: "/") {
                guard let network = Self.ipv4(text[..<slash]), let bits = Int(text[text.index(after: slash)...]), (0...32).contains(bits) else {
                    return nil
                }
                let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
                self = .ipv4(network: network & mask, mask: mask)
            } else {
                guard (try? SocketAddress(ipAddress: text, port: 0)) != nil else { return nil }
                self = .exact(text)
            }
        }

        func matches(_ address: String) -> Bool {
            switch self {
            case .exact(let value): return value == address
            case .ipv4(let network, let mask): return Self.ipv4(address[...]).map { $0 & mask == network } ?? false
            }
        }

        static func ipv4(_ text: Substring) -> UInt32? {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var value: UInt32 = 0
            for part in parts {
                guard part.count <= 3, let byte = UInt8(part) else { return nil }
                value = value << 8 | UInt32(byte)
            }
            return value
        }
    }

    let trusted: [Proxy]

    /// The trusted proxies from their written forms; entries that are neither an address nor an IPv4 network are left
    /// out (`AppConfig` refuses them at start).
    init(trusted list: [String]) {
        trusted = list.compactMap(Proxy.init)
    }

    func isTrusted(_ address: String) -> Bool { trusted.contains { $0.matches(address) } }

    /// The client's address for limits and throttles ("unknown" when the connection has none, as in tests).
    func address(of request: Request, connection: SocketAddress?) -> String {
        let peer = connection?.ipAddress ?? "unknown"
        guard !trusted.isEmpty, isTrusted(peer) else { return peer }
        let hops = request.headers[values: .xForwardedFor].flatMap { $0.split(separator: ",") }.map { $0.trimmed }.filter { !$0.isEmpty }
        var client = peer
        for hop in hops.reversed() {
            guard isTrusted(client) else { break }
            client = String(hop.prefix(64))
        }
        return client
    }
}
