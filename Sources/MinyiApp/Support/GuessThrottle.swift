import Foundation
import MinyiCore
import MinyiStorage
import Synchronization

/// Slows guesses at passwords and look-up PINs under `GuessPolicy`: failures are kept in the database with their
/// address (so several instances see the same counts); turns on a target under attack are kept per instance.
final class GuessThrottle: Sendable {
    enum Kind: String, Sendable {
        case login, pin
    }

    let auth: SQLAuthStore
    let login: GuessPolicy
    let pin: GuessPolicy
    /// The next free turn on each target under attack, by `kind|target`, on the monotonic clock.
    private let turns = Mutex<[String: ContinuousClock.Instant]>([:])

    init(auth: SQLAuthStore, login: GuessPolicy = .login, pin: GuessPolicy = .pin) {
        self.auth = auth
        self.login = login
        self.pin = pin
    }

    /// Lets an attempt go ahead, perhaps after waiting its turn; refuses it (429 with `Retry-After`) when its address
    /// must wait, or when it has failed on this target before and the target's queue is too long.
    func admit(_ kind: Kind, target: String, address: String, at now: Date) async throws {
        let policy = kind == .login ? login : pin
        let record = try await auth.guesses(kind: kind.rawValue, target: target, address: address, since: now.addingTimeInterval(-policy.window))
        let wait = policy.addressWait(failures: record.fromAddress, latest: record.addressLatest, now: now)
        if wait > 0 {
            let seconds = Int(wait.rounded(.up))
            throw AppError.throttled(
                "尝试次数过多，请 \(seconds) 秒后再试 (too many failed attempts; try again in \(seconds) s)",
                retryAfter: seconds)
        }
        guard policy.targetIsUnderAttack(failures: record.onTarget) else { return }
        let key = kind.rawValue + "|" + target
        let clock = ContinuousClock()
        let start = clock.now
        let maxWait = Duration.milliseconds(Int64(policy.maxTargetWait * 1000))
        let spacing = Duration.milliseconds(Int64(policy.targetSpacing * 1000))
        let suspect = record.fromAddressOnTarget > 0
        let turn: ContinuousClock.Instant? = turns.withLock { turns in
            if turns.count > 10_000 { turns = turns.filter { $0.value > start } }
            let slot = max(start, turns[key] ?? start)
            if slot - start > maxWait {
                // The queue is long: an address that already failed here is refused; any other goes ahead after the
                // longest wait, outside the queue, so the owner is slowed but never shut out.
                return suspect ? nil : start + maxWait
            }
            turns[key] = slot + spacing
            return slot
        }
        guard let turn else {
            let seconds = max(1, Int(((turns.withLock { $0[key] } ?? start) - start).components.seconds))
            throw AppError.throttled(
                "此目标正受到大量尝试，请 \(seconds) 秒后再试 (too many attempts on this account or number; try again in \(seconds) s)",
                retryAfter: seconds)
        }
        if turn > start { try await Task.sleep(until: turn, clock: clock) }
    }

    /// Records a failed attempt.
    func failed(_ kind: Kind, target: String, address: String, at now: Date) async throws {
        try await auth.recordGuess(kind: kind.rawValue, target: target, address: address, at: now)
    }

    /// Forgets the address's failures on the target after a success.
    func succeeded(_ kind: Kind, target: String, address: String) async throws {
        try await auth.clearGuesses(kind: kind.rawValue, target: target, address: address)
    }

    /// A resident's look-up by number and PIN, throttled by address and by number (see `GuessPolicy`): the one path
    /// the API and the look-up page both take.
    func lookUp(number: String, pin: String, in items: SQLItemStore, address: String, at now: Date) async throws -> StoredItem? {
        try await admit(.pin, target: number, address: address, at: now)
        guard let stored = try await items.lookup(number: number, pin: pin) else {
            try await failed(.pin, target: number, address: address, at: now)
            return nil
        }
        try await succeeded(.pin, target: number, address: address)
        return stored
    }
}
