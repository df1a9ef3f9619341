import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// The long-run background of the forecast: a weighted Gaussian kernel density of past events,
/// its bandwidth σ chosen by leave-one-out likelihood cross-validation.
///
/// Evaluations at the events go through `DensityEngine` on a fine auxiliary grid (spacing σ/6 where the extent allows)
/// and bilinear interpolation between cell centres. Leave-one-out is exact with respect to that
/// interpolation: each event's own kernel, sampled at the same four centres, is subtracted, so
/// what remains is the interpolated density of the other events.
enum BackgroundDensity {
    /// Largest auxiliary grid, cells; the spacing grows beyond σ/6 when the events' extent needs more.
    static let maxAuxiliaryCells = 1_000_000

    /// Leave-one-out density at each event from the others, per km², normalised by the others'
    /// total weight (so it integrates to 1 over the plane).
    /// - Parameters: positions in km; weights ≥ 0; `bandwidthKm` the Gaussian σ.
    static func leaveOneOut(xKm: [Double], yKm: [Double], weights: [Double], bandwidthKm h: Double) throws -> [Double] {
        if xKm.count <= exactPairLimit { return exactLeaveOneOut(xKm: xKm, yKm: yKm, weights: weights, bandwidthKm: h) }
        return try leaveOneOutViaGrid(xKm: xKm, yKm: yKm, weights: weights, bandwidthKm: h)
    }

    /// The auxiliary-grid path of `leaveOneOut` (used above `exactPairLimit` events).
    static func leaveOneOutViaGrid(xKm: [Double], yKm: [Double], weights: [Double], bandwidthKm h: Double) throws -> [Double] {
        let n = xKm.count
        guard n > 1, let minX = xKm.min(), let maxX = xKm.max(), let minY = yKm.min(), let maxY = yKm.max() else {
            return [Double](repeating: 0, count: n)
        }
        let margin = 5 * h
        let w = (maxX - minX) + 2 * margin, hgt = (maxY - minY) + 2 * margin
        let spacing = max(h / 6, (w * hgt / Double(maxAuxiliaryCells)).squareRoot())
        let spec = try GridSpec(crs: "auxiliary", covering: (minX - margin) * 1000, (minY - margin) * 1000,
                            (maxX + margin) * 1000, (maxY + margin) * 1000, cellSizeMeters: spacing * 1000)
        let events = ProjectedEvents(x: xKm.map { $0 * 1000 }, y: yKm.map { $0 * 1000 }, weights: weights)
        let (values, errorBound) = try DensityEngine.compute(events: events, grid: spec, kernel: .gaussian, bandwidthKm: h)
        let total = weights.reduce(0, +)
        var out = [Double](repeating: 0, count: n)
        let cs = spec.cellSizeMeters / 1000
        let west = spec.westX / 1000, north = spec.northY / 1000
        for i in 0..<n {
            // Fractional position among cell centres (centre of (c, r) at west + (c + ½)·cs, north − (r + ½)·cs).
            let fc = (xKm[i] - west) / cs - 0.5, fr = (north - yKm[i]) / cs - 0.5
            let c0 = max(0, min(spec.columns - 2, Int(floor(fc)))), r0 = max(0, min(spec.rows - 2, Int(floor(fr))))
            let ax = fc - Double(c0), ay = fr - Double(r0)
            var interpolated = 0.0, own = 0.0
            for (dc, dr, wt) in [(0, 0, (1 - ax) * (1 - ay)), (1, 0, ax * (1 - ay)), (0, 1, (1 - ax) * ay), (1, 1, ax * ay)] {
                let c = c0 + dc, r = r0 + dr
                interpolated += wt * values[r * spec.columns + c]
                let px = west + (Double(c) + 0.5) * cs, py = north - (Double(r) + 0.5) * cs
                let dx = px - xKm[i], dy = py - yKm[i]
                own += wt * weights[i] * KernelShape.gaussian.value(distanceSquaredKm2: dx * dx + dy * dy, bandwidthKm: h)
            }
            let others = total - weights[i]
            // Below the engine's stated error bound the value is noise: hold it at the bound.
            out[i] = others > 0 ? max(interpolated - own, errorBound, 1e-300) / others : 0
        }
        return out
    }

    /// The σ maximising the leave-one-out log-likelihood Σ wᵢ·log b₋ᵢ(xᵢ) over a geometric search
    /// between `minimumKm` and `maximumKm` (coarse pass, then a finer pass around the best).
    /// - Returns: the bandwidth and every (σ, mean log-likelihood) tried, in the order tried.
    static func selectBandwidth(xKm: [Double], yKm: [Double], weights: [Double], minimumKm: Double, maximumKm: Double) throws
        -> (bandwidthKm: Double, scores: [(bandwidthKm: Double, score: Double)])
    {
        let lo = max(minimumKm, 1e-3), hi = max(maximumKm, lo * 2)
        let total = weights.reduce(0, +)
        var scores: [(bandwidthKm: Double, score: Double)] = []
        func score(_ h: Double) throws -> Double {
            let b = try leaveOneOut(xKm: xKm, yKm: yKm, weights: weights, bandwidthKm: h)
            var s = 0.0
            for i in 0..<b.count where weights[i] > 0 { s += weights[i] * log(b[i]) }
            let v = s / max(total, 1e-300)
            scores.append((h, v))
            return v
        }
        let coarse = 12
        let ratio = pow(hi / lo, 1 / Double(coarse - 1))
        var best = (h: lo, s: -Double.infinity)
        for k in 0..<coarse {
            let h = lo * pow(ratio, Double(k))
            let s = try score(h)
            if s > best.s { best = (h, s) }
        }
        // Finer pass within one coarse step either side.
        let fine = pow(ratio, 1.0 / 3)
        for k in [-2, -1, 1, 2] {
            let h = best.h * pow(fine, Double(k))
            guard h >= lo * 0.999, h <= hi * 1.001 else { continue }
            let s = try score(h)
            if s > best.s { best = (h, s) }
        }
        return (best.h, scores)
    }

    /// Up to this many events the leave-one-out sums are exact over all pairs.
    static let exactPairLimit = 3000

    /// The all-pairs leave-one-out density (the reference the grid path approximates).
    static func exactLeaveOneOut(xKm: [Double], yKm: [Double], weights: [Double], bandwidthKm h: Double) -> [Double] {
        let n = xKm.count
        let total = weights.reduce(0, +)
        let inv2h2 = 1 / (2 * h * h), norm = 1 / (2 * Double.pi * h * h)
        var out = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = 0.0
            for j in 0..<n where j != i {
                let dx = xKm[i] - xKm[j], dy = yKm[i] - yKm[j]
                s += weights[j] * exp(-(dx * dx + dy * dy) * inv2h2)
            }
            let others = total - weights[i]
            out[i] = others > 0 ? max(s * norm, 1e-300) / others : 0
        }
        return out
    }

    /// Background density at the cell centres of `grid`, per km², normalised by the total weight
    /// (integrates to 1 over the plane).
    static func onGrid(xKm: [Double], yKm: [Double], weights: [Double], bandwidthKm: Double, grid: GridSpec) throws -> [Double] {
        let total = weights.reduce(0, +)
        guard total > 0 else { return [Double](repeating: 0, count: grid.cellCount) }
        let events = ProjectedEvents(x: xKm.map { $0 * 1000 }, y: yKm.map { $0 * 1000 }, weights: weights)
        let values = try DensityEngine.compute(events: events, grid: grid, kernel: .gaussian, bandwidthKm: bandwidthKm).values
        return values.map { max($0, 0) / total }
    }
}
