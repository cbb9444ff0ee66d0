import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A token bucket per client address: `perMinute` requests a minute, in bursts up to the same number.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    let perMinute: Int
    let addresses: ClientAddresses
    private let buckets = Mutex<[String: Bucket]>([:])

    init(perMinute: Int, addresses: ClientAddresses) {
        self.perMinute = perMinute
        self.addresses = addresses
    }

    /// Takes one token for `key`; false when the client must wait.
    func allow(_ key: String, at now: Date) -> Bool {
        guard perMinute > 0 else { return true }
        let capacity = Double(perMinute)
        return buckets.withLock { buckets in
            if buckets.count > 100_000 { buckets.removeAll(keepingCapacity: true) }
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + now.timeIntervalSince(bucket.updated) * capacity / 60)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return false
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            return true
        }
    }

    /// The client's address (see `ClientAddresses`).
    func address(of request: Request, _ context: some RemoteAddressRequestContext) -> String {
        addresses.address(of: request, connection: context.remoteAddress)
    }

    func check(_ request: Request, _ context: some RemoteAddressRequestContext, at now: Date) throws {
        guard allow(address(of: request, context), at: now) else {
            throw AppError.tooManyRequests("请求过于频繁，请稍后再试 (too many requests; try again in a minute)")
        }
    }
}
