import Foundation

/// The exact conditional test comparing two Poisson event rates: a recent window (k₁ events over
/// t₁ days) against a baseline window (k₀ events over t₀ days) at the same place.
///
/// Under H₀ "the daily rate is the same in both windows", the recent count given the total is
/// binomial: k₁ | k₁ + k₀ ~ Binomial(n = k₁ + k₀, p = t₁ / (t₁ + t₀)) (Przyborowski–Wilenski).
/// The test is exact: it needs no large-count approximation, which matters because sparse data
/// (0, 1, 4 events) is the normal case for a town that has just become active.
///
/// ## Background rate (the zero-baseline prior)
/// Every comparison credits a small *background rate* b (events/day, default
/// ``defaultBackgroundEventsPerDay`` = 1/730, i.e. one event per two years) as pseudo-events to
/// the window the test compares *against*: the baseline (b·t₀ pseudo-events) when testing
/// "recent exceeds baseline", the recent window (b·t₁) when testing "recent below baseline".
/// The pseudo-count is fractional, so the binomial is evaluated through its continuous
/// extension, the regularized incomplete beta function:
///
///     exceedance p = P(X ≥ k₁) = I_p(k₁, k₀ + b·t₀ + 1)
///     deficit p    = P(X ≤ k₁) = I_{1−p}(k₀, k₁ + b·t₁ + 1)
///
/// With b = 0 these are exactly `scipy.stats.binomtest(k₁, k₁+k₀, t₁/(t₁+t₀))` with
/// `alternative="greater"` / `"less"`. Crediting the pseudo-events to the comparison window
/// means the prior can only make a result *less* significant, never more: it encodes "a place
/// that saw nothing for a year is not proof of a zero rate".
///
/// Consequences with the default windows (recent 30 days, baseline 365 days, b = 1/730):
/// - 1 event after none: p ≈ 0.112 (0.076 without the prior) — flagged `new`, NOT significant
///   at α = 0.05, and it stays non-significant for any recent window of 14 days or more.
/// - 2 events after none: p ≈ 0.0105.
/// - 4 events after none: p ≈ 7.9e-5 (3.3e-5 without the prior). This survives a
///   Benjamini–Hochberg correction at q ≤ 0.05 whenever (tested cells) / (rank of the cell)
///   ≤ ~630, e.g. 600 tested cells, or 6,000 tested cells when the burst lifts ten cells.
/// - 0 events recently after 5 in the baseline: deficit p ≈ (1 − p)^5 ≈ 0.67 — silence over a
///   month is weak evidence of cooling, as it should be.
package enum RateComparison {
    /// Default background rate: one event per 730 days (0.5 pseudo-events over a 365-day baseline).
    package static let defaultBackgroundEventsPerDay: Double = 1.0 / 730.0

    /// One-sided p-value for "the recent daily rate exceeds the baseline daily rate".
    ///
    /// - Parameters:
    ///   - recentCount: events in the recent window (k₁ ≥ 0).
    ///   - recentDays: length of the recent window in days (t₁ > 0).
    ///   - baselineCount: events in the baseline window (k₀ ≥ 0).
    ///   - baselineDays: length of the baseline window in days (t₀ > 0).
    ///   - backgroundEventsPerDay: the prior rate b ≥ 0 (events/day) credited to the baseline.
    /// - Returns: a probability in [0, 1]; 1 (no evidence) when k₁ = 0 or when an input is
    ///   invalid (negative or non-finite), never NaN.
    package static func exceedancePValue(
        recentCount: Int, recentDays: Double, baselineCount: Int, baselineDays: Double,
        backgroundEventsPerDay: Double = defaultBackgroundEventsPerDay
    ) -> Double {
        guard let p = recentShare(recentCount, recentDays, baselineCount, baselineDays, backgroundEventsPerDay) else {
            return 1
        }
        if recentCount == 0 { return 1 }
        let pseudo = backgroundEventsPerDay * baselineDays
        let tails = SpecialFunctions.incompleteBeta(a: Double(recentCount), b: Double(baselineCount) + pseudo + 1, x: p)
        return clampProbability(tails.lower)
    }

    /// One-sided p-value for "the recent daily rate is below the baseline daily rate".
    /// Same parameters as ``exceedancePValue(recentCount:recentDays:baselineCount:baselineDays:backgroundEventsPerDay:)``;
    /// the background pseudo-events (b·t₁) go to the recent window. Returns 1 when k₀ = 0.
    package static func deficitPValue(
        recentCount: Int, recentDays: Double, baselineCount: Int, baselineDays: Double,
        backgroundEventsPerDay: Double = defaultBackgroundEventsPerDay
    ) -> Double {
        guard let p = recentShare(recentCount, recentDays, baselineCount, baselineDays, backgroundEventsPerDay) else {
            return 1
        }
        if baselineCount == 0 { return 1 }
        let pseudo = backgroundEventsPerDay * recentDays
        let tails = SpecialFunctions.incompleteBeta(a: Double(baselineCount), b: Double(recentCount) + pseudo + 1, x: 1 - p)
        return clampProbability(tails.lower)
    }

    /// The recent window's share of the exposure, p = t₁ / (t₁ + t₀), or nil for invalid input.
    private static func recentShare(_ k1: Int, _ t1: Double, _ k0: Int, _ t0: Double, _ b: Double) -> Double? {
        guard k1 >= 0, k0 >= 0, t1 > 0, t0 > 0, t1.isFinite, t0.isFinite, b >= 0, b.isFinite else { return nil }
        return t1 / (t1 + t0)
    }

    private static func clampProbability(_ x: Double) -> Double {
        x.isNaN ? 1 : min(1, max(0, x))
    }
}

/// Corrections for testing many cells at once.
package enum MultipleTesting {
    /// Benjamini–Hochberg adjusted p-values ("q-values"), in the input order.
    ///
    /// q₍ᵢ₎ = min over j ≥ i of p₍ⱼ₎ · m / j on the ascending-sorted p-values, capped at 1, so q is
    /// monotone in p and tied p-values get the same q. Equal to statsmodels
    /// `multipletests(p, method="fdr_bh")[1]` and `scipy.stats.false_discovery_control(p)`.
    /// A cell is a discovery at false-discovery rate α when q ≤ α.
    ///
    /// NaN or out-of-range input is treated as p = 1 (no evidence), so the output is always
    /// finite and in [0, 1]; an empty input gives an empty output.
    package static func benjaminiHochbergQValues(_ p: [Double]) -> [Double] {
        let m = p.count
        if m == 0 { return [] }
        let clean = p.map { $0.isNaN ? 1.0 : min(1, max(0, $0)) }
        // Stable sort: ties keep input order, and the running minimum below gives them equal q.
        let order = clean.indices.sorted { clean[$0] < clean[$1] || (clean[$0] == clean[$1] && $0 < $1) }
        var q = [Double](repeating: 1, count: m)
        var running = 1.0
        for rank in stride(from: m, through: 1, by: -1) {
            let i = order[rank - 1]
            running = min(running, clean[i] * Double(m) / Double(rank))
            q[i] = min(1, running)
        }
        return q
    }
}
