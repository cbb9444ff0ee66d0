import Foundation

/// How sure a score is: the value, how many answers it rests on, and a 95% interval around it.
public struct Estimate: Sendable, Hashable, Codable {
    /// The mean (of 1–5 scores) or the share (0…1) of the answers.
    public var value: Double
    public var n: Int
    public var low: Double
    public var high: Double

    public init(value: Double, n: Int, low: Double, high: Double) {
        self.value = value
        self.n = n
        self.low = low
        self.high = high
    }

    /// z for a two-sided 95% interval.
    public static let z95 = 1.959963984540054

    /// A share with its Wilson score interval. Officers' samples are small and their shares near 100%, where the
    /// textbook (Wald) interval collapses to ±0; Wilson's stays honest: 10 of 10 is 72.2%–100%, not 100%–100%.
    public static func share(_ successes: Int, of n: Int, z: Double = z95) -> Estimate? {
        guard n > 0, (0...n).contains(successes) else { return nil }
        let p = Double(successes) / Double(n)
        let nn = Double(n)
        let z2 = z * z
        let denominator = 1 + z2 / nn
        let centre = (p + z2 / (2 * nn)) / denominator
        let half = z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot() / denominator
        // At 0 and at n the bound on that side is exactly 0 or 1; floating point would leave it a hair inside.
        return Estimate(
            value: p, n: n, low: successes == 0 ? 0 : max(0, centre - half), high: successes == n ? 1 : min(1, centre + half))
    }

    /// The mean of scores with a normal interval (t is close to z from n = 30, below which the page says the sample is
    /// too small anyway); the interval is kept within the scale.
    public static func mean(sum: Double, sumOfSquares: Double, n: Int, scale: ClosedRange<Double> = 1...5, z: Double = z95) -> Estimate? {
        guard n > 0 else { return nil }
        let nn = Double(n)
        let mean = sum / nn
        let variance = n > 1 ? max(0, (sumOfSquares - nn * mean * mean) / (nn - 1)) : 0
        let half = z * (variance / nn).squareRoot()
        return Estimate(value: mean, n: n, low: max(scale.lowerBound, mean - half), high: min(scale.upperBound, mean + half))
    }
}
