import Foundation
import RegionRiskGrid

/// The 17 patterns of ArcGIS Pro's Emerging Hot Spot Analysis, in the order of ArcGIS's
/// documentation ("How Emerging Hot Spot Analysis works"). Raw values are ArcGIS's pattern names
/// in lower case, e.g. "new hot spot".
///
/// Definitions, per location, over its n time steps (n ≥ 10). A bin is a *hot* (*cold*) spot when
/// its Gi* z-score is positive (negative) and statistically significant; the trend is the
/// Mann-Kendall test on the location's Gi* z-scores; "90 percent" means hot bins ≥ 0.9·n.
/// - new: hot in the final step and never hot before.
/// - consecutive: a single uninterrupted run of at least two hot bins ending in the final
///   step, never hot before that run, and fewer than 90% of all bins hot.
/// - intensifying: hot in ≥ 90% of steps including the final one, with a significant
///   increasing trend.
/// - persistent: hot in ≥ 90% of steps including the final one, with no significant trend.
/// - diminishing: hot in ≥ 90% of steps including the final one, with a significant
///   decreasing trend.
/// - sporadic: hot in the final step, hot in fewer than 90% of steps, on and off (not new,
///   not consecutive), and never a cold spot.
/// - oscillating: hot in the final step, hot in fewer than 90% of steps, and a cold spot in
///   some earlier step.
/// - historical: not hot in the final step, but hot in ≥ 90% of steps.
/// Cold patterns mirror these with hot and cold (and increasing and decreasing) exchanged:
/// an intensifying cold spot has a significant *decreasing* z trend.
///
/// Where ArcGIS's wording leaves room, RegionRisk decides as follows (documented differences):
/// - A location matching several definitions gets the first in the order above, hot before
///   cold. So "new" and "consecutive" consider only earlier *hot* spots, as their definitions
///   say: a location that was a significant cold spot and is now hot for the first time is a
///   new hot spot, not an oscillating one.
/// - Persistent requires the final step to be hot, like intensifying and diminishing; a
///   location hot in ≥ 90% of steps but not in the final one is historical whatever its trend.
/// - The significance level α (default 0.05) applies to both the bins (after the optional
///   FDR correction) and the trend; ArcGIS does not state its level in the definitions.
public enum EmergingHotSpotCategory: String, Sendable, CaseIterable, Codable {
    case noPattern = "no pattern detected"
    case newHotSpot = "new hot spot"
    case consecutiveHotSpot = "consecutive hot spot"
    case intensifyingHotSpot = "intensifying hot spot"
    case persistentHotSpot = "persistent hot spot"
    case diminishingHotSpot = "diminishing hot spot"
    case sporadicHotSpot = "sporadic hot spot"
    case oscillatingHotSpot = "oscillating hot spot"
    case historicalHotSpot = "historical hot spot"
    case newColdSpot = "new cold spot"
    case consecutiveColdSpot = "consecutive cold spot"
    case intensifyingColdSpot = "intensifying cold spot"
    case persistentColdSpot = "persistent cold spot"
    case diminishingColdSpot = "diminishing cold spot"
    case sporadicColdSpot = "sporadic cold spot"
    case oscillatingColdSpot = "oscillating cold spot"
    case historicalColdSpot = "historical cold spot"

    /// True for the eight hot spot patterns.
    public var isHotSpot: Bool { Self.hotPatterns.contains(self) }
    /// True for the eight cold spot patterns.
    public var isColdSpot: Bool { self != .noPattern && !isHotSpot }

    private static let hotPatterns: [EmergingHotSpotCategory] = [
        .newHotSpot, .consecutiveHotSpot, .intensifyingHotSpot, .persistentHotSpot,
        .diminishingHotSpot, .sporadicHotSpot, .oscillatingHotSpot, .historicalHotSpot,
    ]

    /// Classifies one location from its per-step Gi* z-scores, the per-step significance flags
    /// (p or FDR q ≤ α) and the Mann-Kendall trend of the z-scores. `zScores` and `significant`
    /// must have the same length; an empty series is `noPattern`.
    package static func classify(zScores: [Double], significant: [Bool], trend: TrendDirection) -> EmergingHotSpotCategory {
        let n = min(zScores.count, significant.count)
        if n == 0 { return .noPattern }
        var hot = [Bool](repeating: false, count: n)
        var cold = [Bool](repeating: false, count: n)
        for t in 0..<n where significant[t] {
            if zScores[t] > 0 { hot[t] = true } else if zScores[t] < 0 { cold[t] = true }
        }
        if let c = pattern(spots: hot, opposite: cold, rising: trend == .increasing, falling: trend == .decreasing, hot: true) {
            return c
        }
        if let c = pattern(spots: cold, opposite: hot, rising: trend == .decreasing, falling: trend == .increasing, hot: false) {
            return c
        }
        return .noPattern
    }

    /// The hot (or, mirrored, cold) patterns in documentation order; `rising` means the spot is
    /// getting more intense (increasing z for hot, decreasing z for cold).
    private static func pattern(spots: [Bool], opposite: [Bool], rising: Bool, falling: Bool, hot: Bool) -> EmergingHotSpotCategory? {
        let n = spots.count
        let count = spots.reduce(0) { $0 + ($1 ? 1 : 0) }
        let mostly = 10 * count >= 9 * n  // "90 percent of the time-step intervals", in integers
        let final = spots[n - 1]
        var run = 0
        while run < n && spots[n - 1 - run] { run += 1 }
        let everOpposite = opposite.contains(true)
        if final {
            if count == 1 { return hot ? .newHotSpot : .newColdSpot }
            if run >= 2 && run == count && !mostly { return hot ? .consecutiveHotSpot : .consecutiveColdSpot }
            if mostly {
                if rising { return hot ? .intensifyingHotSpot : .intensifyingColdSpot }
                if falling { return hot ? .diminishingHotSpot : .diminishingColdSpot }
                return hot ? .persistentHotSpot : .persistentColdSpot
            }
            if !everOpposite { return hot ? .sporadicHotSpot : .sporadicColdSpot }
            return hot ? .oscillatingHotSpot : .oscillatingColdSpot
        }
        if mostly { return hot ? .historicalHotSpot : .historicalColdSpot }
        return nil
    }
}
