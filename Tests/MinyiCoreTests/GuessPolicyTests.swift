import Foundation
import MinyiCore
import Testing

struct GuessPolicyTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// Five free failures, then waits that double from the latest failure, up to fifteen minutes.
    @Test(arguments: [(0, 0.0), (4, 0.0), (5, 1.0), (6, 2.0), (10, 32.0), (15, 900.0), (400, 900.0)])
    func anAddressWaitsLongerAfterEachFailure(failures: Int, wait: TimeInterval) {
        #expect(GuessPolicy.pin.addressWait(failures: failures, latest: t0, now: t0) == wait)
    }

    @Test func theWaitRunsFromTheLatestFailure() {
        let policy = GuessPolicy.login
        #expect(policy.addressWait(failures: 6, latest: t0, now: t0 + 1.5) == 0.5)
        #expect(policy.addressWait(failures: 6, latest: t0, now: t0 + 3) == 0)
        #expect(policy.addressWait(failures: 6, latest: nil, now: t0) == 0)
    }

    @Test func aTargetIsUnderAttackFromItsCeiling() {
        #expect(!GuessPolicy.pin.targetIsUnderAttack(failures: 9) && GuessPolicy.pin.targetIsUnderAttack(failures: 10))
        #expect(!GuessPolicy.login.targetIsUnderAttack(failures: 19) && GuessPolicy.login.targetIsUnderAttack(failures: 20))
    }
}
