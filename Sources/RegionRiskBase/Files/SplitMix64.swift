import Foundation

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same stream on every platform,
/// which `SystemRandomNumberGenerator` is not.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    package mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal (Box–Muller).
    package mutating func nextGaussian() -> Double {
        let u = max(nextDouble(), 1e-300), v = nextDouble()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// Index drawn with probability proportional to `weights`.
    package mutating func pick(weights: [Double]) -> Int {
        var x = nextDouble() * weights.reduce(0, +)
        for (i, w) in weights.enumerated() {
            x -= w
            if x < 0 { return i }
        }
        return weights.count - 1
    }

    /// Poisson draw (Knuth's method; means here are small).
    package mutating func nextPoisson(mean: Double) -> Int {
        let limit = exp(-mean)
        var k = 0
        var p = nextDouble()
        while p > limit {
            k += 1
            p *= nextDouble()
        }
        return k
    }
}
