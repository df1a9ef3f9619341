import Foundation
import RegionRiskGrid

/// Working memory of the background's leave-one-out densities (`BackgroundDensity.leaveOneOutViaGrid`),
/// owned by one fit and reused for every bandwidth it tries.
///
/// The auxiliary grid has up to 10⁶ cells (8 MB). Before this workspace, every bandwidth tried
/// allocated it afresh through `DensityEngine`, whose Gaussian transform also allocates moment
/// arrays of up to ~10⁸ doubles when σ is only a few cells (its lattice spacing falls to one cell):
/// page faults and clearing were a third of the fit's CPU time. Here σ is always at most 3 cells
/// (the grid's spacing is at least σ/3, `BackgroundDensity.auxiliaryCellsPerSigma`), where a direct separable sum is cheaper than the
/// transform: see `gaussianOnGrid`.
///
/// Not thread-safe: one fit, one workspace (the sum itself runs on all cores).
final class LeaveOneOutWorkspace {
    /// The values of the last `gaussianOnGrid`: row-major, row 0 north, Σⱼ wⱼ·K_σ(centre − xⱼ) per km².
    private(set) var values: [Double] = []

    /// Error budget relative to a proven lower bound on the grid's peak: by default the same 5e-7
    /// as the Gaussian transform's, so the floor below which leave-one-out values are held is
    /// unchanged (tests set it tighter to compare with brute-force sums).
    var peakRelativeTolerance = 5e-7

    /// Widest truncation radius, in σ (e^{−32} ≈ 1.3e-14 of the kernel's peak dropped).
    static let maximumCutoffSigmas = 8.0

    /// The positions the last `gaussianOnGrid` sorted, and their indices by y descending (ties by index).
    private var sortedY: [Double] = []
    private var byY: [Int] = []

    /// Cores the sum is split over.
    var threads = ProcessInfo.processInfo.activeProcessorCount

    /// Fills `values` with the weighted Gaussian kernel density Σⱼ wⱼ·exp(−r²/2σ²)/(2πσ²) at every
    /// cell centre of `grid` (grid in metres, positions in km), summing each event's kernel over
    /// the cells within ρσ of it. Exact but for the kernel mass beyond ρσ, with ρ ≤ 8 chosen so that
    /// the dropped mass is at most `peakRelativeTolerance` of a lower bound on the peak.
    ///
    /// Cost: events × π(ρσ/cell)² multiply-adds (σ/cell ≤ 3 here: ≤ ~1,800 per event), with
    /// exp(−d²/2σ²) along each axis by recurrence (three `exp` per row segment), rows split in
    /// bands across the cores.
    /// - Returns: the error bound, events/km² (an upper bound on the dropped mass at any cell).
    func gaussianOnGrid(xKm: [Double], yKm: [Double], weights: [Double], bandwidthKm h: Double, grid: GridSpec) -> Double {
        let cols = grid.columns, rows = grid.rows
        let cs = grid.cellSizeMeters / 1000
        let west = grid.westX / 1000, north = grid.northY / 1000
        let s = h / cs  // σ in cells
        let norm = 1 / (2 * Double.pi * h * h)
        // Events in cell units (centre of (c, r) at c, r), positive weights only, by row (north
        // first, ties by index). The order by y is kept for the next call on the same positions:
        // a fit tries ~20 bandwidths on the same events, and only the weights change between passes.
        if yKm != sortedY {
            sortedY = yKm
            byY = Array(yKm.indices)
            byY.sort { yKm[$0] > yKm[$1] || (yKm[$0] == yKm[$1] && $0 < $1) }
        }
        let order = byY.filter { weights[$0] > 0 }
        let evRow = order.map { (north - yKm[$0]) / cs - 0.5 }, evCol = order.map { (xKm[$0] - west) / cs - 0.5 }
        let evW = order.map { weights[$0] }
        let total = evW.reduce(0, +)
        let rho = cutoff(rows: evRow, cols: evCol, weights: evW, sigmaCells: s, total: total)
        let reach = rho * s
        if values.count != grid.cellCount {
            values = [Double](repeating: 0, count: grid.cellCount)
        }
        let bands = max(1, min(rows, threads * 8))
        values.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: bands) { b in
                let r0 = rows * b / bands, r1 = rows * (b + 1) / bands
                guard r0 < r1 else { return }
                (base + r0 * cols).update(repeating: 0, count: (r1 - r0) * cols)
                let width = min(cols, Int(2 * reach) + 3)
                let gx = UnsafeMutablePointer<Double>.allocate(capacity: width)
                let gy = UnsafeMutablePointer<Double>.allocate(capacity: min(rows, Int(2 * reach) + 3))
                defer { gx.deallocate(); gy.deallocate() }
                var i = firstIndex(in: evRow, above: Double(r0) - reach - 1)
                while i < evRow.count, evRow[i] < Double(r1) + reach + 1 {
                    defer { i += 1 }
                    let row = evRow[i], col = evCol[i]
                    let rLo = max(r0, ceilInt(row - reach)), rHi = min(r1 - 1, floorInt(row + reach))
                    let cLo = max(0, ceilInt(col - reach)), cHi = min(cols - 1, floorInt(col + reach))
                    guard rLo <= rHi, cLo <= cHi else { continue }
                    gaussianRun(into: gx, from: Double(cLo) - col, count: cHi - cLo + 1, sigma: s, scale: 1)
                    gaussianRun(into: gy, from: Double(rLo) - row, count: rHi - rLo + 1, sigma: s, scale: evW[i] * norm)
                    for r in rLo...rHi {
                        let dy = Double(r) - row
                        // Only the cells within ρσ (a disc, not its square).
                        let half = max(0, reach * reach - dy * dy).squareRoot()
                        let a = max(cLo, ceilInt(col - half)), e = min(cHi, floorInt(col + half))
                        if a <= e {
                            // Plain pointer offsets and a counted loop: no overflow checks, so it vectorises.
                            let dest = base + (r * cols + a), src = gx + (a - cLo), fy = gy[r - rLo]
                            for k in 0..<(e - a + 1) { dest[k] += fy * src[k] }
                        }
                    }
                }
            }
        }
        return total * norm * exp(-0.5 * rho * rho)
    }

    /// ρ in σ: the smallest radius, at most 8, whose dropped mass Σw·e^{−ρ²/2}/(2πσ²) is at most
    /// `peakRelativeTolerance` × a lower bound on the peak. The bound: the events of a σ × σ bin
    /// all lie within σ/√2 + ½√2 cells of the cell centre nearest the bin's centre, so that cell
    /// holds at least W_bin·e^{−(σ/√2 + ½√2)²/2σ²}/(2πσ²).
    private func cutoff(rows: [Double], cols: [Double], weights: [Double], sigmaCells s: Double, total: Double) -> Double {
        guard total > 0, let minR = rows.min(), let minC = cols.min(), let maxC = cols.max() else { return Self.maximumCutoffSigmas }
        let binCols = Int((maxC - minC) / s) + 1
        var bins: [Int: Double] = [:]
        for i in rows.indices {
            let key = Int((rows[i] - minR) / s) * binCols + Int((cols[i] - minC) / s)
            bins[key, default: 0] += weights[i]
        }
        let heaviest = bins.values.max() ?? 0
        let d = s / 2.squareRoot() + 0.5 * 2.squareRoot()
        let peakLowerBound = heaviest * exp(-0.5 * d * d / (s * s))  // × 1/(2πσ²)
        let ratio = total / (peakRelativeTolerance * peakLowerBound)
        guard ratio > 1 else { return Self.maximumCutoffSigmas }
        return min(Self.maximumCutoffSigmas, (2 * log(ratio)).squareRoot())
    }

    /// exp(−d²/2σ²).
    private func gaussian(_ d: Double, _ s: Double) -> Double { exp(-0.5 * d * d / (s * s)) }

    /// out[k] = scale·exp(−(d₀ + k)²/2σ²) for k < count, by the recurrence g(d + 1) = g(d)·e^{−(2d + 1)/2σ²}
    /// (relative rounding ~k²·10⁻¹⁶); directly when σ < 1 cell, where the recurrence's factors could overflow.
    private func gaussianRun(into out: UnsafeMutablePointer<Double>, from d0: Double, count: Int, sigma s: Double, scale: Double) {
        guard s >= 1 else {
            for k in 0..<count { out[k] = scale * gaussian(d0 + Double(k), s) }
            return
        }
        var g = scale * gaussian(d0, s)
        var q = exp(-(2 * d0 + 1) / (2 * s * s))
        let qq = exp(-1 / (s * s))
        for k in 0..<count {
            out[k] = g
            g *= q
            q *= qq
        }
    }

    /// First index whose value is > `value` (ascending `sorted`).
    private func firstIndex(in sorted: [Double], above value: Double) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if sorted[mid] <= value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// ⌈x⌉ as an Int, the same value as `Int(x.rounded(.up))` without its libm call (the baseline x86-64
/// target has no rounding instruction, and this runs once per row an event touches). x finite, |x| < 2⁵³.
@inline(__always) private func ceilInt(_ x: Double) -> Int {
    let t = Int(x)  // truncates toward zero
    return Double(t) < x ? t + 1 : t
}

/// ⌊x⌋ as an Int, the same value as `Int(x.rounded(.down))` (see `ceilInt`).
@inline(__always) private func floorInt(_ x: Double) -> Int {
    let t = Int(x)
    return Double(t) > x ? t - 1 : t
}
