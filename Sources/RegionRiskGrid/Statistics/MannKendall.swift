import Foundation

/// Direction of a monotonic trend.
package enum TrendDirection: String, Sendable, Equatable, CaseIterable {
    case increasing
    case decreasing
    case noTrend = "no trend"
}

/// The Mann-Kendall test for a monotonic trend in a series observed at equally spaced times.
///
/// Conventions follow `pymannkendall.original_test` (Gilbert 1987): S = Σ_{i<j} sign(xⱼ − xᵢ);
/// Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 over groups of t exactly equal values;
/// z = (S − 1)/√Var(S) for S > 0, (S + 1)/√Var(S) for S < 0, 0 for S = 0 (continuity
/// correction); two-sided p = 2·(1 − Φ(|z|)); a trend is reported when p < α (equivalent to
/// pymannkendall's |z| > Φ⁻¹(1 − α/2)), its direction the sign of z.
///
/// A series with fewer than two values or with all values equal has Var(S) = 0; the result is
/// then S = 0, z = 0, p = 1, "no trend" — finite, never NaN.
package struct MannKendallResult: Sendable, Equatable {
    /// Mann-Kendall score S (an integer, held as Double for arithmetic).
    package var s: Double
    /// Variance of S with the tie correction.
    package var varianceS: Double
    /// Continuity-corrected standard normal score.
    package var z: Double
    /// Two-sided p-value.
    package var pValue: Double
    /// Kendall's tau, S / (n(n−1)/2) (0 for n < 2).
    package var tau: Double
    /// Trend direction at the α used for the test.
    package var trend: TrendDirection

    /// Runs the test on `series` (ordered in time) at significance level `alpha` (default 0.05).
    /// NaN values are not allowed: the caller owns missing-data policy (counts never miss).
    package init(series: [Double], alpha: Double = 0.05) {
        let n = series.count
        var s = 0
        if n >= 2 {
            for i in 0..<(n - 1) {
                let xi = series[i]
                for j in (i + 1)..<n {
                    let xj = series[j]
                    if xj > xi { s += 1 } else if xj < xi { s -= 1 }
                }
            }
        }
        // Tie groups by exact equality, as numpy.unique does.
        let sorted = series.sorted()
        var tieTerm = 0.0
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && sorted[end] == sorted[start] { end += 1 }
            let t = Double(end - start)
            if t > 1 { tieTerm += t * (t - 1) * (2 * t + 5) }
            start = end
        }
        let nd = Double(n)
        let variance = max(0, (nd * (nd - 1) * (2 * nd + 5) - tieTerm) / 18)
        let sd = Double(s)
        var z = 0.0
        if variance > 0 {
            if s > 0 { z = (sd - 1) / variance.squareRoot() } else if s < 0 { z = (sd + 1) / variance.squareRoot() }
        }
        let p = StandardNormal.twoSidedPValue(z)
        self.s = sd
        self.varianceS = variance
        self.z = z
        self.pValue = p
        self.tau = n >= 2 ? sd / (0.5 * nd * (nd - 1)) : 0
        if p < alpha && z > 0 {
            trend = .increasing
        } else if p < alpha && z < 0 {
            trend = .decreasing
        } else {
            trend = .noTrend
        }
    }
}
