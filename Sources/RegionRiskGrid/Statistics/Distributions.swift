import Foundation

// Hand-written on purpose: no maintained Swift package offers the regularized incomplete beta
// function or Loader's saddle-point binomial terms (swift-numerics stops at elementary
// functions), and the detection stage needs tail probabilities that stay accurate far out
// in the tails (p-values of 1e-12 must not collapse to 0 before multiple-testing correction).

/// The standard normal distribution N(0, 1).
package enum StandardNormal {
    /// P(Z ≤ z). Computed from `erfc`, so it keeps full relative precision for large negative z
    /// (no `1 - x` cancellation).
    package static func cdf(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        return 0.5 * erfc(-z / 2.0.squareRoot())
    }

    /// P(Z > z), accurate in the upper tail (e.g. `survival(10)` ≈ 7.6e-24, not 0).
    package static func survival(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        return 0.5 * erfc(z / 2.0.squareRoot())
    }

    /// Two-sided p-value P(|Z| ≥ |z|). Returns 1 for z = 0 and for NaN input, so a degenerate
    /// statistic never reads as evidence.
    package static func twoSidedPValue(_ z: Double) -> Double {
        if z.isNaN { return 1 }
        return min(1, erfc(abs(z) / 2.0.squareRoot()))
    }
}

/// Both tails of the regularized incomplete beta function, each computed so that a small value
/// keeps its relative precision (the other is `1 - small`).
package struct BetaTails: Sendable, Equatable {
    /// I_x(a, b) = P(B ≤ x) for B ~ Beta(a, b).
    package var lower: Double
    /// 1 − I_x(a, b) = P(B > x).
    package var upper: Double
}

/// Special functions behind the exact binomial and rate tests.
package enum SpecialFunctions {
    /// Regularized incomplete beta function I_x(a, b) and its complement, for real a, b ≥ 0 and
    /// x in [0, 1]. Degenerate shapes follow the limits: a = 0 puts all mass at 0 (I = 1),
    /// b = 0 puts it at 1 (I = 0 for x < 1). Invalid input (NaN, negative) returns (NaN, NaN).
    ///
    /// Method: Lentz's continued fraction (Numerical Recipes §6.4) on the side where it
    /// converges fast, with the prefactor x^a (1−x)^b / B(a, b) written through Loader's
    /// deviance `bd0` and Stirling remainders, so that it stays accurate to ~1e-14 relative
    /// even when a and b are around 1e6 (where `lgamma` differences would lose ~8 digits).
    package static func incompleteBeta(a: Double, b: Double, x: Double) -> BetaTails {
        guard a >= 0, b >= 0, x >= 0, x <= 1, !a.isNaN, !b.isNaN, !x.isNaN,
              a.isFinite, b.isFinite else {
            return BetaTails(lower: .nan, upper: .nan)
        }
        if a == 0 && b == 0 { return BetaTails(lower: .nan, upper: .nan) }
        if a == 0 { return BetaTails(lower: 1, upper: 0) }
        if b == 0 { return x < 1 ? BetaTails(lower: 0, upper: 1) : BetaTails(lower: 1, upper: 0) }
        if x == 0 { return BetaTails(lower: 0, upper: 1) }
        if x == 1 { return BetaTails(lower: 1, upper: 0) }

        let front = exp(logBetaDensityCore(a: a, b: b, x: x))
        if x < (a + 1) / (a + b + 2) {
            let lower = min(1, max(0, front * betaContinuedFraction(a: a, b: b, x: x) / a))
            return BetaTails(lower: lower, upper: 1 - lower)
        } else {
            let upper = min(1, max(0, front * betaContinuedFraction(a: b, b: a, x: 1 - x) / b))
            return BetaTails(lower: 1 - upper, upper: upper)
        }
    }

    /// log( x^a (1−x)^b / B(a, b) ), written as
    /// −bd0(a, N x) − bd0(b, N (1−x)) + ½ log(a b / (2π N)) + δ(N) − δ(a) − δ(b), N = a + b,
    /// where δ is the Stirling remainder. Every term is small, so nothing large cancels.
    static func logBetaDensityCore(a: Double, b: Double, x: Double) -> Double {
        let n = a + b
        return -deviance(a, n * x) - deviance(b, n * (1 - x))
            + 0.5 * log(a * b / (2 * Double.pi * n))
            + stirlingRemainder(n) - stirlingRemainder(a) - stirlingRemainder(b)
    }

    /// Loader's bd0(x, m) = x log(x/m) + m − x ≥ 0, computed without cancellation when x ≈ m.
    static func deviance(_ x: Double, _ m: Double) -> Double {
        if x == 0 { return m }
        if abs(x - m) < 0.1 * (x + m) {
            var v = (x - m) / (x + m)
            var s = (x - m) * v
            var ej = 2 * x * v
            v *= v
            for j in 1..<1000 {
                ej *= v
                let s1 = s + ej / Double(2 * j + 1)
                if s1 == s { return s1 }
                s = s1
            }
            return s
        }
        return x * log(x / m) + m - x
    }

    /// δ(z) = log Γ(z) − [(z − ½) log z − z + ½ log 2π], the error of Stirling's formula, z > 0.
    static func stirlingRemainder(_ z: Double) -> Double {
        if z > 15 {
            let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188
            let z2 = z * z
            return (s0 - (s1 - (s2 - (s3 - s4 / z2) / z2) / z2) / z2) / z
        }
        return lgamma(z) - (z - 0.5) * log(z) + z - 0.5 * log(2 * Double.pi)
    }

    /// The continued fraction for I_x(a, b) (modified Lentz), valid for x < (a+1)/(a+b+2).
    static func betaContinuedFraction(a: Double, b: Double, x: Double) -> Double {
        let tiny = 1e-300
        let eps = 1e-16
        let maxIterations = max(1_000, Int(30 * max(a, b).squareRoot()))
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...maxIterations {
            let md = Double(m), m2 = 2 * md
            var aa = md * (b - md) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + md) * (qab + md) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < eps { break }
        }
        return h
    }
}

/// Exact binomial tail probabilities for X ~ Binomial(n, p), through the identity
/// P(X ≥ k) = I_p(k, n − k + 1). Accurate in the far tails and fast for n up to 1e6 and beyond
/// (the continued fraction needs O(√n) terms, not O(n)).
package enum Binomial {
    /// P(X ≤ k). Returns NaN for invalid input (n < 0, p outside [0, 1]).
    package static func cdf(_ k: Int, n: Int, p: Double) -> Double {
        guard n >= 0, p >= 0, p <= 1 else { return .nan }
        if k < 0 { return 0 }
        if k >= n { return 1 }
        return SpecialFunctions.incompleteBeta(a: Double(n - k), b: Double(k + 1), x: 1 - p).lower
    }

    /// P(X ≥ k) (note: ≥, the form a one-sided p-value needs; scipy's `binom.sf(k - 1, n, p)`).
    package static func survival(atLeast k: Int, n: Int, p: Double) -> Double {
        guard n >= 0, p >= 0, p <= 1 else { return .nan }
        if k <= 0 { return 1 }
        if k > n { return 0 }
        return SpecialFunctions.incompleteBeta(a: Double(k), b: Double(n - k + 1), x: p).lower
    }
}
