import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// The long-run background of the forecast: a weighted Gaussian kernel density of past events, or a
/// mixture of a fine and a broad one, chosen by leave-one-out likelihood cross-validation.
///
/// Evaluations at the events go through an auxiliary grid (spacing σ/3 where the extent allows)
/// and cubic interpolation between the 4 × 4 nearest cell centres. Leave-one-out is exact with
/// respect to that interpolation: each event's own kernel, sampled at the same sixteen centres,
/// is subtracted, so what remains is the interpolated density of the other events.
enum BackgroundDensity {
    /// Largest auxiliary grid, cells; the spacing grows beyond σ/3 when the events' extent needs more.
    static let maxAuxiliaryCells = 1_000_000

    /// Leave-one-out density at each event from the others, per km², normalised by the others'
    /// total weight (so it integrates to 1 over the plane).
    /// - Parameters: positions in km; weights ≥ 0; `bandwidthKm` the Gaussian σ; `workspace` the
    ///   auxiliary grid's memory, reused between calls (a fresh one when nil).
    static func leaveOneOut(xKm: [Double], yKm: [Double], weights: [Double], bandwidthKm h: Double,
                            workspace: LeaveOneOutWorkspace? = nil) throws -> [Double] {
        if xKm.count <= exactPairLimit { return exactLeaveOneOut(xKm: xKm, yKm: yKm, weights: weights, bandwidthKm: h) }
        return try leaveOneOutViaGrid(xKm: xKm, yKm: yKm, weights: weights, bandwidthKm: h, workspace: workspace ?? LeaveOneOutWorkspace())
    }

    /// The auxiliary grid's spacing is σ / `auxiliaryCellsPerSigma` where the extent allows.
    /// Three cells per σ with cubic interpolation (error ≤ ~2e-3 of a lone kernel's peak, see
    /// `leaveOneOutViaGrid`) is more accurate than the six cells per σ with bilinear
    /// interpolation used before (≤ ~7e-3 there), for a quarter of the cell updates. Measured
    /// against the exact all-pairs sums on `LeaveOneOutTests`' sample (σ 1.5–30 km): worst 1.6e-3
    /// relative, against 6.6e-3 for the former σ/6 bilinear path.
    static let auxiliaryCellsPerSigma = 3.0

    /// The auxiliary-grid path of `leaveOneOut` (used above `exactPairLimit` events).
    ///
    /// The others' density at an event is interpolated between the 4 × 4 nearest cell centres of
    /// the auxiliary grid by tensor-product cubic Lagrange weights, and the event's own kernel,
    /// sampled at the same 16 centres with the same weights, is subtracted. Interpolation error
    /// of a cubic at spacing Δ: ≤ (9/384)·Δ⁴·max|∂⁴f| per axis, i.e. ≈ 3·(9/384)/81 ≈ 9e-4 of a lone
    /// Gaussian's peak per axis at Δ = σ/3 (bilinear at σ/6: Δ²·max|∂²f|/8 ≈ 3.5e-3 per axis); more in
    /// the far tail relative to the smaller value there. Tested against all-pairs sums (`LeaveOneOutTests`).
    static func leaveOneOutViaGrid(xKm: [Double], yKm: [Double], weights: [Double], bandwidthKm h: Double,
                                   workspace: LeaveOneOutWorkspace = LeaveOneOutWorkspace()) throws -> [Double] {
        let n = xKm.count
        guard n > 1, let minX = xKm.min(), let maxX = xKm.max(), let minY = yKm.min(), let maxY = yKm.max() else {
            return [Double](repeating: 0, count: n)
        }
        guard h.isFinite, h > 0 else { throw ForecastError.invalidSetting("background bandwidth \(h) km") }
        let margin = 5 * h
        let w = (maxX - minX) + 2 * margin, hgt = (maxY - minY) + 2 * margin
        let spacing = max(h / auxiliaryCellsPerSigma, (w * hgt / Double(maxAuxiliaryCells)).squareRoot())
        let spec = try GridSpec(crs: "auxiliary", covering: (minX - margin) * 1000, (minY - margin) * 1000,
                            (maxX + margin) * 1000, (maxY + margin) * 1000, cellSizeMeters: spacing * 1000)
        guard spec.columns >= 4, spec.rows >= 4 else {
            throw ForecastError.invalidSetting("auxiliary grid of \(spec.columns) × \(spec.rows) cells is too small to interpolate")
        }
        let errorBound = workspace.gaussianOnGrid(xKm: xKm, yKm: yKm, weights: weights, bandwidthKm: h, grid: spec)
        let total = weights.reduce(0, +)
        var out = [Double](repeating: 0, count: n)
        let cs = spec.cellSizeMeters / 1000, cols = spec.columns
        let west = spec.westX / 1000, north = spec.northY / 1000
        let norm = 1 / (2 * Double.pi * h * h), inv2h2 = 1 / (2 * h * h)
        workspace.values.withUnsafeBufferPointer { values in
            for i in 0..<n {
                // Fractional position among cell centres (centre of (c, r) at west + (c + ½)·cs, north − (r + ½)·cs);
                // the stencil is columns c0 − 1 … c0 + 2 and rows r0 − 1 … r0 + 2.
                let fc = (xKm[i] - west) / cs - 0.5, fr = (north - yKm[i]) / cs - 0.5
                let c0 = max(1, min(cols - 3, Int(floor(fc)))), r0 = max(1, min(spec.rows - 3, Int(floor(fr))))
                let lx = cubicLagrangeWeights(fc - Double(c0)), ly = cubicLagrangeWeights(fr - Double(r0))
                var interpolated = 0.0, ownX = 0.0, ownY = 0.0
                for b in 0..<4 {
                    let row = (r0 - 1 + b) * cols + (c0 - 1)
                    let alongRow = lx[0] * values[row] + lx[1] * values[row + 1] + lx[2] * values[row + 2] + lx[3] * values[row + 3]
                    interpolated += ly[b] * alongRow
                }
                // The own kernel is separable: Σₐ Σ_b Lₐ·L_b·e^{−(dxₐ² + dy_b²)/2σ²} = (Σₐ Lₐ·e^{−dxₐ²/2σ²})·(Σ_b L_b·e^{−dy_b²/2σ²}).
                for a in 0..<4 {
                    let dx = west + (Double(c0 - 1 + a) + 0.5) * cs - xKm[i]
                    let dy = north - (Double(r0 - 1 + a) + 0.5) * cs - yKm[i]
                    ownX += lx[a] * exp(-dx * dx * inv2h2)
                    ownY += ly[a] * exp(-dy * dy * inv2h2)
                }
                let own = weights[i] * norm * ownX * ownY
                let others = total - weights[i]
                // Below the stated error bound the value is noise: hold it at the bound.
                out[i] = others > 0 ? max(interpolated - own, errorBound, 1e-300) / others : 0
            }
        }
        return out
    }

    /// The cubic Lagrange weights of the nodes −1, 0, 1, 2 at t (0 ≤ t < 1 between nodes 0 and 1); they sum to 1.
    static func cubicLagrangeWeights(_ t: Double) -> SIMD4<Double> {
        let tm1 = t - 1, tm2 = t - 2, tp1 = t + 1
        return SIMD4(-t * tm1 * tm2 / 6, tp1 * tm1 * tm2 / 2, -tp1 * t * tm2 / 2, tp1 * t * tm1 / 6)
    }

    /// The background chosen by cross-validation, and the leave-one-out densities at the events
    /// of its two components.
    struct Selection {
        var mixture: BackgroundMixture
        /// Every (σ km, mean leave-one-out log-likelihood) of a single kernel tried, in the order tried.
        var scores: [(bandwidthKm: Double, score: Double)]
        /// Mean leave-one-out log-likelihood of the chosen mixture.
        var mixtureScore: Double
        var fineAtEvents: [Double]
        var broadAtEvents: [Double]

        /// The mixture's leave-one-out density at each event.
        var atEvents: [Double] { mixture.mix(fineAtEvents, broadAtEvents) }
    }

    /// Leave-one-out likelihood cross-validation of the background (weights wᵢ ≥ 0):
    ///
    /// 1. single kernels: σ maximising Σ wᵢ·log b₋ᵢ(xᵢ) over a geometric lattice between
    ///    `minimumKm` and `maximumKm` — without `around`, 12 coarse steps and then (with `refine`)
    ///    a finer pass around the best; with `around` (a previous selection), a hill climb on the
    ///    finer lattice from each of its bandwidths, which costs fewer density evaluations when
    ///    the optimum has moved little (the fit's second pass);
    /// 2. a two-scale mixture (1 − β)·K_{σ₁} + β·K_{σ₂}: every pair of the bandwidths tried with
    ///    σ₂ ≥ 2σ₁, β maximising the same leave-one-out likelihood (concave in β, Newton), and
    ///    the best pair kept. β = 0 (a single kernel) whenever no pair does better.
    ///
    /// `workspace`: the auxiliary grid's memory, shared by every bandwidth tried (a fit passes its own).
    static func select(xKm: [Double], yKm: [Double], weights: [Double], minimumKm: Double, maximumKm: Double,
                       mixture allowMixture: Bool = true, refine: Bool = true, around: BackgroundMixture? = nil,
                       workspace: LeaveOneOutWorkspace? = nil) throws -> Selection {
        let workspace = workspace ?? LeaveOneOutWorkspace()
        let lo = max(minimumKm, 1e-3), hi = max(maximumKm, lo * 2)
        let total = max(weights.reduce(0, +), 1e-300)
        var scores: [(bandwidthKm: Double, score: Double)] = []
        var densities: [[Double]] = []
        func score(_ h: Double) throws -> Double {
            let b = try leaveOneOut(xKm: xKm, yKm: yKm, weights: weights, bandwidthKm: h, workspace: workspace)
            let v = meanLogLikelihood(b, weights: weights, total: total)
            scores.append((h, v))
            densities.append(b)
            return v
        }
        let coarse = 12
        let ratio = pow(hi / lo, 1 / Double(coarse - 1))
        let fine = pow(ratio, 1.0 / 3)
        if let around {
            // Steps of the finer lattice from `start` while a neighbour scores higher.
            func climb(from start: Double) throws {
                var tried: [Int: Double] = [:]
                func at(_ k: Int) throws -> Double? {
                    if let v = tried[k] { return v }
                    let h = start * pow(fine, Double(k))
                    guard h >= lo * 0.999, h <= hi * 1.001 else { return nil }
                    let v = try score(h)
                    tried[k] = v
                    return v
                }
                var k = 0
                guard var here = try at(0) else { return }
                for _ in 0..<12 {
                    if let up = try at(k + 1), up > here { k += 1; here = up; continue }
                    if let down = try at(k - 1), down > here { k -= 1; here = down; continue }
                    break
                }
            }
            try climb(from: around.fineBandwidthKm)
            if allowMixture, around.broadWeight > 0, around.broadBandwidthKm > around.fineBandwidthKm * 1.001 {
                try climb(from: around.broadBandwidthKm)
            }
        } else {
            for k in 0..<coarse { _ = try score(lo * pow(ratio, Double(k))) }
            if refine, let top = scores.indices.max(by: { scores[$0].score < scores[$1].score }) {
                // Finer pass within one coarse step either side.
                let centre = scores[top].bandwidthKm
                for k in [-2, -1, 1, 2] {
                    let h = centre * pow(fine, Double(k))
                    guard h >= lo * 0.999, h <= hi * 1.001 else { continue }
                    _ = try score(h)
                }
            }
        }
        // The first of equal scores, so the choice does not depend on floating-point ties.
        guard let top = scores.indices.max(by: { scores[$0].score < scores[$1].score }) else {
            throw ForecastError.invalidSetting("no background bandwidth between \(lo) and \(hi) km")
        }
        let best = (s: scores[top].score, k: top)
        var chosen = (fine: best.k, broad: best.k, beta: 0.0, score: best.s)
        for i in scores.indices where allowMixture {
            for j in scores.indices where scores[j].bandwidthKm >= 2 * scores[i].bandwidthKm {
                let (beta, s) = mixingWeight(densities[i], densities[j], weights: weights, total: total)
                if s > chosen.score + 1e-12 { chosen = (i, j, beta, s) }
            }
        }
        let mixture = BackgroundMixture(fineBandwidthKm: scores[chosen.fine].bandwidthKm, broadBandwidthKm: scores[chosen.broad].bandwidthKm,
                                        broadWeight: chosen.beta)
        return Selection(mixture: mixture, scores: scores, mixtureScore: chosen.score, fineAtEvents: densities[chosen.fine],
                         broadAtEvents: densities[chosen.broad])
    }

    /// Σ wᵢ·log bᵢ / Σ wᵢ over the events with wᵢ > 0.
    static func meanLogLikelihood(_ b: [Double], weights: [Double], total: Double) -> Double {
        var s = 0.0
        for i in 0..<b.count where weights[i] > 0 { s += weights[i] * log(b[i]) }
        return s / total
    }

    /// The β in [0, 1] maximising Σ wᵢ·log((1 − β)·fᵢ + β·gᵢ) / Σ wᵢ (concave in β), by safeguarded
    /// Newton steps; returns it and the maximum.
    static func mixingWeight(_ f: [Double], _ g: [Double], weights: [Double], total: Double) -> (beta: Double, score: Double) {
        func derivatives(_ beta: Double) -> (d1: Double, d2: Double) {
            var d1 = 0.0, d2 = 0.0
            for i in 0..<f.count where weights[i] > 0 {
                let d = g[i] - f[i], m = f[i] + beta * d
                d1 += weights[i] * d / m
                d2 -= weights[i] * d * d / (m * m)
            }
            return (d1, d2)
        }
        // At β = 0 the slope says whether any of the broad kernel helps.
        guard derivatives(0).d1 > 0 else { return (0, meanLogLikelihood(f, weights: weights, total: total)) }
        var lo = 0.0, hi = 1.0, beta = 0.5
        if derivatives(1).d1 >= 0 { beta = 1 } else {
            for _ in 0..<60 {
                let (d1, d2) = derivatives(beta)
                if d1 > 0 { lo = beta } else { hi = beta }
                var next = d2 < 0 ? beta - d1 / d2 : (lo + hi) / 2
                if !(next > lo && next < hi) { next = (lo + hi) / 2 }
                if abs(next - beta) < 1e-10 { beta = next; break }
                beta = next
            }
        }
        let mixed = (0..<f.count).map { (1 - beta) * f[$0] + beta * g[$0] }
        return (beta, meanLogLikelihood(mixed, weights: weights, total: total))
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

/// The background's shape: b = (1 − β)·K_{σ₁} + β·K_{σ₂}, two weighted Gaussian kernel densities
/// of the same events (each integrating to 1 over the plane). β = 0 is a single kernel.
public struct BackgroundMixture: Sendable, Equatable {
    /// σ₁, km.
    public var fineBandwidthKm: Double
    /// σ₂, km (equal to σ₁ when β = 0).
    public var broadBandwidthKm: Double
    /// β, the broad kernel's share of the background, in [0, 1].
    public var broadWeight: Double

    public init(fineBandwidthKm: Double, broadBandwidthKm: Double, broadWeight: Double) {
        self.fineBandwidthKm = fineBandwidthKm
        self.broadBandwidthKm = broadBandwidthKm
        self.broadWeight = broadWeight
    }

    /// (1 − β)·fine + β·broad, element-wise.
    func mix(_ fine: [Double], _ broad: [Double]) -> [Double] {
        guard broadWeight > 0 else { return fine }
        return (0..<fine.count).map { (1 - broadWeight) * fine[$0] + broadWeight * broad[$0] }
    }

    /// The mixture at the cell centres of `grid`, per km² (see `BackgroundDensity.onGrid`).
    func onGrid(xKm: [Double], yKm: [Double], weights: [Double], grid: GridSpec) throws -> [Double] {
        let fine = try BackgroundDensity.onGrid(xKm: xKm, yKm: yKm, weights: weights, bandwidthKm: fineBandwidthKm, grid: grid)
        guard broadWeight > 0 else { return fine }
        return mix(fine, try BackgroundDensity.onGrid(xKm: xKm, yKm: yKm, weights: weights, bandwidthKm: broadBandwidthKm, grid: grid))
    }

    /// The mixture's leave-one-out density at each event (see `BackgroundDensity.leaveOneOut`).
    func leaveOneOut(xKm: [Double], yKm: [Double], weights: [Double]) throws -> [Double] {
        let fine = try BackgroundDensity.leaveOneOut(xKm: xKm, yKm: yKm, weights: weights, bandwidthKm: fineBandwidthKm)
        guard broadWeight > 0 else { return fine }
        return mix(fine, try BackgroundDensity.leaveOneOut(xKm: xKm, yKm: yKm, weights: weights, bandwidthKm: broadBandwidthKm))
    }

    public var json: JSONValue {
        .object([("fine_bandwidth_km", .number(fineBandwidthKm)), ("broad_bandwidth_km", .number(broadBandwidthKm)),
                 ("broad_weight", .number(broadWeight))])
    }
}
