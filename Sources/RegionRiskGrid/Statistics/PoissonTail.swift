import Foundation

/// Tail probabilities of the Poisson distribution, in logs so that the far tails a quiet place
/// produces (a mean of 0.01 and four events) stay distinguishable instead of rounding to 0.
package enum PoissonTail {
    /// log P(X ≥ k) for X ~ Poisson(mean); 0 (probability 1) when k ≤ 0, −∞ when mean is 0 and k > 0.
    /// Summed upward from k in log space until the terms stop mattering (relative 1e-17).
    package static func logUpper(atLeast k: Int, mean: Double) -> Double {
        guard k > 0 else { return 0 }
        guard mean.isFinite, mean > 0 else { return mean.isNaN ? 0 : -.infinity }
        // Past the mode the upper tail is the complement of a short lower sum; use it while it is not tiny.
        if Double(k) <= mean { return log1mexp(logLower(atMost: k - 1, mean: mean)) }
        var term = logTerm(k, mean), total = term
        var j = k
        while true {
            j += 1
            term += log(mean / Double(j))
            if term < total - 40 { break }
            total = logAdd(total, term)
        }
        return total
    }

    /// log P(X ≤ k) for X ~ Poisson(mean); −∞ when k < 0.
    package static func logLower(atMost k: Int, mean: Double) -> Double {
        guard k >= 0 else { return -.infinity }
        guard mean.isFinite, mean > 0 else { return 0 }
        if Double(k) > mean { return log1mexp(logUpper(atLeast: k + 1, mean: mean)) }
        var term = logTerm(k, mean), total = term
        var j = k
        while j > 0 {
            term += log(Double(j) / mean)
            j -= 1
            if term < total - 40 { break }
            total = logAdd(total, term)
        }
        return total
    }

    /// log of e^{−m} m^k / k!.
    static func logTerm(_ k: Int, _ m: Double) -> Double { -m + Double(k) * log(m) - lgamma(Double(k) + 1) }

    static func logAdd(_ a: Double, _ b: Double) -> Double {
        let hi = max(a, b), lo = min(a, b)
        return hi == -.infinity ? hi : hi + log1p(exp(lo - hi))
    }

    /// log(1 − e^x) for x ≤ 0, accurate near both ends.
    static func log1mexp(_ x: Double) -> Double {
        if x >= 0 { return -.infinity }
        return x > -0.693 ? log(-expm1(x)) : log1p(-exp(x))
    }
}
