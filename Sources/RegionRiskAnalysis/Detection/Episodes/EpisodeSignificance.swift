import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// Region-level significance: each episode is tested as a unit against what a fitted stationary
/// null (``StationaryHawkesNull``) predicts for its footprint and window, by Monte Carlo.
///
/// 1. Fit the null's clustering (n, ω, σ) to the baseline window, then its background to every
///    event of the analysis period (baseline and recent windows) with that clustering held.
/// 2. From it, the expected events per cell over the recent window given the history before it,
///    Λ(cell); for an episode with footprint F (cells within the bandwidth of its events) and k
///    events, Λ_F = Σ_F Λ(cell) and the statistic S = −log P(Poisson(Λ_F) ≥ k) (for a deficit,
///    −log P(Poisson(Λ_F) ≤ k)).
/// 3. Replicate the recent window under the null (step 1's second fit) R times, group each replicate's events into
///    episodes the same way and compute their statistics: the pooled replicate episodes are the
///    null distribution of "an episode", footprint selection included.
/// 4. p = (1 + #{replicate episodes with S ≥ S_obs}) / (1 + #replicate episodes).
///
/// The Poisson tail only ranks episodes; the replicates carry the clustering and the selection of
/// footprints around events, which a Poisson p-value on a footprint drawn around its own events
/// would ignore (it rejects far too often under a self-exciting null).
package enum EpisodeSignificance {
    /// Most baseline events the clustering is fitted to.
    static let clusteringSampleSize = 4_000

    /// The test's input, in projected metres and days.
    struct Input {
        var grid: AreaGrid
        var bandwidthMeters: Double
        /// All events of the analysis period.
        var x: [Double], y: [Double], day: [Double]
        /// Which of them fall in the recent window.
        var isRecent: [Bool]
        var windowStart: Double, windowEnd: Double, periodStart: Double
        var replicates: Int
        var seed: UInt64
    }

    struct Outcome {
        var null: StationaryHawkesNull
        /// Per episode of the observed recent events (the order given).
        var excessP: [Double]
        var deficitP: [Double]
        /// Λ_F per episode: expected events in the footprint over the window under the null.
        var expected: [Double]
        var replicateEpisodes: Int
    }

    /// Tests the given episodes (indices into the recent events, in the order of `Input.x`
    /// filtered by `isRecent`).
    static func run(_ input: Input, episodes: [[Int]]) -> Outcome {
        let grid = input.grid
        var hx: [Double] = [], hy: [Double] = [], hd: [Double] = [], rx: [Double] = [], ry: [Double] = []
        for i in input.day.indices {
            if input.isRecent[i] { rx.append(input.x[i]); ry.append(input.y[i]) } else { hx.append(input.x[i]); hy.append(input.y[i]); hd.append(input.day[i]) }
        }
        // Clustering is learnt from the history alone, so that a burst in the recent window cannot
        // explain itself away as self-excitation; the background is then fitted to both windows
        // (the null says the recent window is like any other), which can only make the test
        // more conservative where the recent events are.
        // On large inputs the clustering is learnt from the latest `clusteringSampleSize` baseline
        // events (a contiguous stretch of time, so clusters stay whole).
        var fitX = hx, fitY = hy, fitDay = hd, fitStart = input.periodStart
        if hd.count > clusteringSampleSize {
            let order = hd.indices.sorted { hd[$0] > hd[$1] }.prefix(clusteringSampleSize)
            fitX = order.map { hx[$0] }; fitY = order.map { hy[$0] }; fitDay = order.map { hd[$0] }
            fitStart = fitDay.min() ?? input.periodStart
        }
        let past = StationaryHawkesNull.fit(x: fitX, y: fitY, day: fitDay, endDay: input.windowStart,
                                            spanDays: input.windowStart - fitStart, grid: grid,
                                            smoothingMeters: input.bandwidthMeters)
        let null = StationaryHawkesNull.fit(x: input.x, y: input.y, day: input.day, endDay: input.windowEnd,
                                            spanDays: input.windowEnd - input.periodStart, grid: grid,
                                            smoothingMeters: input.bandwidthMeters, triggering: past)
        let expectedCells = null.expectedCounts(windowStart: input.windowStart, windowEnd: input.windowEnd,
                                                historyX: hx, historyY: hy, historyDay: hd, grid: grid)
        let footprint = FootprintCells(grid: grid, radiusMeters: input.bandwidthMeters)
        let observed = episodes.map { e -> (k: Int, lambda: Double) in
            (e.count, footprint.sum(expectedCells, aroundX: e.map { rx[$0] }, y: e.map { ry[$0] }))
        }
        var upper: [Double] = [], lower: [Double] = []
        var rng = SplitMix64(seed: input.seed)
        let sampler = CellSampler(share: null.backgroundCellShare)
        let offspring = null.historyOffspring(windowStart: input.windowStart, windowEnd: input.windowEnd, historyDay: hd)
        for _ in 0..<max(0, input.replicates) {
            let sim = null.simulateWindow(windowStart: input.windowStart, windowEnd: input.windowEnd, historyX: hx, historyY: hy,
                                          historyDay: hd, offspring: offspring, grid: grid, sampler: sampler, rng: &rng)
            for e in EpisodeGrouping.singleLinkage(x: sim.x, y: sim.y, linkMeters: input.bandwidthMeters) {
                let lambda = footprint.sum(expectedCells, aroundX: e.map { sim.x[$0] }, y: e.map { sim.y[$0] })
                upper.append(-PoissonTail.logUpper(atLeast: e.count, mean: lambda))
                lower.append(-PoissonTail.logLower(atMost: e.count, mean: lambda))
            }
        }
        upper.sort(); lower.sort()
        func pValue(_ s: Double, _ pool: [Double]) -> Double {
            // Replicate statistics ≥ s, counted with a relative tolerance so that equal values
            // computed along different paths count as ties.
            let threshold = s - 1e-9 * max(1, abs(s))
            var lo = 0, hi = pool.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if pool[mid] >= threshold { hi = mid } else { lo = mid + 1 }
            }
            return Double(1 + pool.count - lo) / Double(1 + pool.count)
        }
        let excess = observed.map { pValue(-PoissonTail.logUpper(atLeast: $0.k, mean: $0.lambda), upper) }
        let deficit = observed.map { pValue(-PoissonTail.logLower(atMost: $0.k, mean: $0.lambda), lower) }
        return Outcome(null: null, excessP: excess, deficitP: deficit, expected: observed.map(\.lambda),
                       replicateEpisodes: upper.count)
    }
}

/// The cells inside the area whose centres lie strictly within a radius of any of a set of
/// points, with a reusable stamp array so that each query costs only the cells it touches.
///
/// Per point, each grid row of its disc is one run of columns (the squared distance, rounded as
/// computed, only grows away from the point); per row the query keeps one run known to be
/// stamped already, so a point inside an episode's covered area costs one check per row instead
/// of one per cell. Cells come in the order of visiting the points, rows top-down and columns
/// left to right, each at its first visit: the order a per-cell scan gives.
final class FootprintCells {
    let kernel: BackgroundKernel
    private var stamp: [UInt32]
    private var current: UInt32 = 0
    /// Per grid row, a run of columns `rowLow ... rowHigh` all visited in the query `rowStamp`.
    private var rowStamp: [UInt32], rowLow: [Int], rowHigh: [Int]

    init(grid: AreaGrid, radiusMeters: Double) {
        kernel = BackgroundKernel(grid: grid, radiusMeters: radiusMeters)
        stamp = [UInt32](repeating: 0, count: grid.spec.cellCount)
        rowStamp = [UInt32](repeating: 0, count: grid.spec.rows)
        rowLow = [Int](repeating: 0, count: grid.spec.rows)
        rowHigh = [Int](repeating: -1, count: grid.spec.rows)
    }

    /// The distinct cells, ascending.
    func cells(aroundX x: [Double], y: [Double]) -> [Int] {
        var out: [Int] = []
        visit(x, y) { out.append($0) }
        return out.sorted()
    }

    /// Σ values[cell] over the distinct cells.
    func sum(_ values: [Double], aroundX x: [Double], y: [Double]) -> Double {
        var total = 0.0
        visit(x, y) { total += values[$0] }
        return total
    }

    private func visit(_ x: [Double], _ y: [Double], _ body: (Int) -> Void) {
        current &+= 1
        if current == 0 {
            for i in stamp.indices { stamp[i] = 0 }
            for r in rowStamp.indices { rowStamp[r] = 0 }
            current = 1
        }
        let mask = kernel.grid.mask, columns = kernel.grid.spec.columns, current = self.current
        // The scratch arrays move into locals for the scan (no exclusivity checks or reference
        // counting on the class's storage per cell) and back after it.
        var stamp = self.stamp, rowStamp = self.rowStamp, rowLow = self.rowLow, rowHigh = self.rowHigh
        self.stamp = []; self.rowStamp = []; self.rowLow = []; self.rowHigh = []
        defer { self.stamp = stamp; self.rowStamp = rowStamp; self.rowLow = rowLow; self.rowHigh = rowHigh }
        for k in 0..<min(x.count, y.count) {
            // A row whose run lies inside the run kept for it adds nothing: skipped unmeasured
            // (inside an episode's covered area, most rows of most points).
            kernel.forEachRun(near: x[k], y[k], strictly: true, withinGrid: true,
                              covered: { r, low, high in rowStamp[r] == current && low >= rowLow[r] && high <= rowHigh[r] }) { r, _, run in
                let a = run.lowerBound, b = run.upperBound
                if rowStamp[r] != current { rowStamp[r] = current; rowLow[r] = 0; rowHigh[r] = -1 }
                let low = rowLow[r], high = rowHigh[r]
                let base = r * columns
                var c = a
                while c <= b {
                    if c >= low, c <= high { c = high + 1; continue }
                    let i = base + c
                    if stamp[i] != current {
                        stamp[i] = current
                        if mask[i] != 0 { body(i) }
                    }
                    c += 1
                }
                if high < low || b < low - 1 || a > high + 1 {
                    // Disjoint from the run kept: keep the longer.
                    if high < low || b - a > high - low { rowLow[r] = a; rowHigh[r] = b }
                } else {
                    rowLow[r] = min(low, a); rowHigh[r] = max(high, b)
                }
            }
        }
    }
}
