import Foundation

/// How guesses at a secret (a staff password, a resident's look-up PIN) are slowed: the guesser, not the owner.
///
/// - Per address: a few free failures in the window, then each further attempt must wait twice as long as the last
///   since the address's latest failure, up to `maxAddressWait`. Only that address waits.
/// - Per target: past `targetCeiling` failures in the window from all addresses together, attempts on the target
///   take turns `targetSpacing` apart. An address that has already failed on the target waits at most
///   `maxTargetWait` for its turn and is refused beyond that; an address that has not (the owner, typically) is
///   never refused: after `maxTargetWait` it goes ahead.
public struct GuessPolicy: Sendable, Hashable {
    public var window: TimeInterval = 3600
    public var freeFailuresPerAddress = 5
    public var maxAddressWait: TimeInterval = 900
    public var targetCeiling: Int
    public var targetSpacing: TimeInterval = 1
    public var maxTargetWait: TimeInterval = 5

    public init(targetCeiling: Int) { self.targetCeiling = targetCeiling }

    /// Staff passwords: 20 failures an hour on one username from everywhere before its attempts take turns.
    public static let login = GuessPolicy(targetCeiling: 20)
    /// Look-up PINs (a million of them): 10 failures an hour on one number before its attempts take turns.
    public static let pin = GuessPolicy(targetCeiling: 10)

    /// How much longer an address with `failures` in the window, the latest at `latest`, must wait before its next
    /// attempt; zero when it may try now.
    public func addressWait(failures: Int, latest: Date?, now: Date) -> TimeInterval {
        guard failures >= freeFailuresPerAddress, let latest else { return 0 }
        let exponent = min(failures - freeFailuresPerAddress, 30)
        let wait = min(pow(2, Double(exponent)), maxAddressWait)
        return max(0, latest.addingTimeInterval(wait).timeIntervalSince(now))
    }

    /// Whether attempts on a target with `failures` in the window take turns.
    public func targetIsUnderAttack(failures: Int) -> Bool { failures >= targetCeiling }
}
