import Foundation
import RegionRiskBase

/// Event locations in a grid's projected CRS (metres) with their weights.
public struct ProjectedEvents: Sendable {
    public var x: [Double]
    public var y: [Double]
    /// One weight per event (1 for a plain count).
    public var weights: [Double]

    public init(x: [Double], y: [Double], weights: [Double]? = nil) {
        self.x = x
        self.y = y
        self.weights = weights ?? [Double](repeating: 1, count: x.count)
    }

    public var count: Int { x.count }
}

/// Why a density computation refused its input.
public enum DensityError: LocalizedError, Sendable, Equatable {
    case mismatchedLengths(x: Int, y: Int, weights: Int)
    case nonFiniteCoordinate(eventIndex: Int)
    case invalidWeight(eventIndex: Int, value: Double)
    case invalidBandwidth(Double)
    case invalidGrid(String)
    /// Tiles are exact only for the polynomial kernels (quartic, Epanechnikov, uniform).
    case notTileable(KernelShape)

    public var errorDescription: String? {
        switch self {
        case let .mismatchedLengths(x, y, w):
            return "event arrays differ in length (x \(x), y \(y), weights \(w))"
        case let .nonFiniteCoordinate(i):
            return "event \(i) has a non-finite projected coordinate"
        case let .invalidWeight(i, v):
            return "event \(i) has weight \(v); weights must be finite and ≥ 0"
        case let .invalidBandwidth(h):
            return "bandwidth \(h) km is not a positive finite number"
        case let .invalidGrid(why):
            return "invalid grid: \(why)"
        case let .notTileable(kernel):
            return "the \(kernel.rawValue) kernel cannot be computed by tiles; use quartic, epanechnikov or uniform, or the whole grid"
        }
    }
}

/// Kernel density at cell centres: f(s) = Σᵢ wᵢ·K_h(|s − xᵢ|), events/km².
///
/// This is the product's hot core, so it is hand-written for speed (see each method's comment for
/// how, and the `DensityEngineTests` for the brute-force comparisons that keep it honest).
public enum DensityEngine {
    /// Computes density over every cell of `grid` (mask or not).
    ///
    /// - Compact polynomial kernels (quartic, Epanechnikov, uniform) are exact: each event adds a
    ///   polynomial in the column index along each row it touches, so the engine accumulates
    ///   polynomial coefficients in per-row difference arrays and evaluates each row once. Cost grows
    ///   with events × rows touched (+ cells), not events × cells touched.
    /// - The triangular kernel (not polynomial in x) is summed cell by cell over each event's support.
    /// - The Gaussian uses `GaussianTransform` (Taylor-expanded separable sums); its stated error
    ///   bound is returned.
    ///
    /// - Returns: values row-major (row 0 north), events/km², and an upper bound on the absolute error.
    public static func compute(events: ProjectedEvents, grid: GridSpec, kernel: KernelShape, bandwidthKm: Double,
                               threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws
        -> (values: [Double], errorBound: Double)
    {
        try validate(events: events, grid: grid, bandwidthKm: bandwidthKm)
        switch kernel {
        case .quartic, .epanechnikov, .uniform:
            return (polynomialKernelDensity(events: events, grid: grid, kernel: kernel, bandwidthKm: bandwidthKm,
                                            threads: threads),
                    polynomialRoundingBound(events: events, kernel: kernel, bandwidthKm: bandwidthKm))
        case .triangular:
            return (directCompactDensity(events: events, grid: grid, kernel: kernel, bandwidthKm: bandwidthKm,
                                         threads: threads), 0)
        case .gaussian:
            return try GaussianTransform.density(events: events, grid: grid, sigmaKm: bandwidthKm, threads: threads)
        }
    }

    /// All-pairs reference: every event against every cell centre, distances in km from the
    /// projected coordinates. O(cells × events); for tests and small grids only.
    public static func bruteForce(events: ProjectedEvents, grid: GridSpec, kernel: KernelShape, bandwidthKm: Double) -> [Double] {
        var out = [Double](repeating: 0, count: grid.cellCount)
        for row in 0..<grid.rows {
            for col in 0..<grid.columns {
                let c = grid.cellCenter(column: col, row: row)
                var s = 0.0
                for i in 0..<events.count {
                    let dx = (c.x - events.x[i]) / 1000, dy = (c.y - events.y[i]) / 1000
                    s += events.weights[i] * kernel.value(distanceSquaredKm2: dx * dx + dy * dy, bandwidthKm: bandwidthKm)
                }
                out[row * grid.columns + col] = s
            }
        }
        return out
    }

    /// Rounding bound of the block-expanded polynomial method, events/km²: each event adds terms
    /// of magnitude ≤ 700·w·C (C the kernel's peak constant), each rounded to ε = 2⁻⁵², through
    /// at most ~16 operations; summed over all weights, with a ×10 margin.
    static func polynomialRoundingBound(events: ProjectedEvents, kernel: KernelShape, bandwidthKm: Double) -> Double {
        let peakConstant = kernel.value(distanceSquaredKm2: 0, bandwidthKm: bandwidthKm)
        return events.weights.reduce(0, +) * peakConstant * 700 * 16 * Double.ulpOfOne * 10
    }

    /// Largest bandwidth, in cells, the engine takes (10,000 km on 10 m cells is 1e6).
    static let maximumBandwidthCells = 1e7

    static func validate(events: ProjectedEvents, grid: GridSpec, bandwidthKm: Double) throws {
        guard events.x.count == events.y.count, events.x.count == events.weights.count else {
            throw DensityError.mismatchedLengths(x: events.x.count, y: events.y.count, weights: events.weights.count)
        }
        guard bandwidthKm.isFinite, bandwidthKm > 0 else { throw DensityError.invalidBandwidth(bandwidthKm) }
        try ParameterLimits.check("bandwidth", bandwidthKm, in: ParameterLimits.bandwidthKm, unit: "km")
        guard grid.columns > 0, grid.rows > 0, grid.cellSizeMeters.isFinite, grid.cellSizeMeters > 0,
            grid.westX.isFinite, grid.northY.isFinite
        else { throw DensityError.invalidGrid("\(grid.columns)×\(grid.rows) cells of \(grid.cellSizeMeters) m") }
        guard ParameterLimits.product([grid.columns, grid.rows], atMost: ParameterLimits.maximumGridCells) != nil else {
            throw ParameterLimitError.overBudget(what: "a grid of \(grid.columns) × \(grid.rows) cells", needed: "more cells",
                                                 budget: "\(ParameterLimits.maximumGridCells) cells", hint: "use larger cells")
        }
        // The bandwidth in cells bounds every loop and buffer over an event's support.
        let bandwidthCells = bandwidthKm * 1000 / grid.cellSizeMeters
        guard bandwidthCells <= maximumBandwidthCells else {
            throw ParameterLimitError.overBudget(
                what: String(format: "a %.3g km bandwidth on %.3g m cells", bandwidthKm, grid.cellSizeMeters),
                needed: String(format: "%.3g cells of support", bandwidthCells), budget: String(format: "%.0g cells", maximumBandwidthCells),
                hint: "use a smaller bandwidth or larger cells")
        }
        for i in 0..<events.count {
            guard events.x[i].isFinite, events.y[i].isFinite else { throw DensityError.nonFiniteCoordinate(eventIndex: i) }
            let w = events.weights[i]
            guard w.isFinite, w >= 0 else { throw DensityError.invalidWeight(eventIndex: i, value: w) }
        }
    }

    /// Events in grid cell units (cell (c, r) has its centre at (c, r)), sorted by row coordinate,
    /// zero-weight events and events farther than `reachCells` from every cell dropped (so the
    /// coordinates left are small enough to convert to Int, however far away an input was).
    struct CellUnitEvents {
        var col: [Double] = []
        var row: [Double] = []
        var weight: [Double] = []

        init(_ events: ProjectedEvents, grid: GridSpec, reachCells: Double) {
            let cs = grid.cellSizeMeters
            let margin = reachCells + 1
            let colRange = -margin...(Double(grid.columns) + margin), rowRange = -margin...(Double(grid.rows) + margin)
            var order: [(row: Double, col: Double, w: Double)] = []
            order.reserveCapacity(events.count)
            for i in 0..<events.count where events.weights[i] > 0 {
                let r = (grid.northY - events.y[i]) / cs - 0.5, c = (events.x[i] - grid.westX) / cs - 0.5
                guard rowRange.contains(r), colRange.contains(c) else { continue }
                order.append((r, c, events.weights[i]))
            }
            order.sort { $0.row < $1.row }
            col = order.map(\.col)
            row = order.map(\.row)
            weight = order.map(\.w)
        }

        /// First index whose row coordinate is > `value`.
        func firstIndex(rowAbove value: Double) -> Int {
            var lo = 0, hi = row.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if row[mid] <= value { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
    }

    /// Splits rows into contiguous bands and runs `body(rowRange)` on all cores.
    static func forEachRowBand(rows: Int, threads: Int, _ body: (Range<Int>) -> Void) {
        // More bands than cores so an uneven band (dense rows) does not leave a core idle.
        let bands = max(1, min(rows, max(1, threads) * 8))
        DispatchQueue.concurrentPerform(iterations: bands) { b in
            let start = rows * b / bands, end = rows * (b + 1) / bands
            if start < end { body(start..<end) }
        }
    }

    static func polynomialKernelDensity(events: ProjectedEvents, grid: GridSpec, kernel: KernelShape, bandwidthKm: Double,
                                        threads: Int) -> [Double]
    {
        let core = PolynomialKernelCore(kernel: kernel, bandwidthKm: bandwidthKm, grid: grid)
        let ev = PolynomialKernelCore.Events(events, grid: grid, reachCells: core.h)
        var values = [Double](repeating: 0, count: grid.cellCount)
        values.withUnsafeMutableBufferPointer { out in
            core.evaluate(ev, rows: 0..<grid.rows, columns: 0..<grid.columns, threads: threads, into: out)
        }
        return values
    }

    static func directCompactDensity(events: ProjectedEvents, grid: GridSpec, kernel: KernelShape, bandwidthKm: Double,
                                     threads: Int) -> [Double]
    {
        let cols = grid.columns
        let cs = grid.cellSizeMeters
        let h = bandwidthKm * 1000 / cs
        let ev = CellUnitEvents(events, grid: grid, reachCells: h)
        let q = 1 / (h * h)
        var values = [Double](repeating: 0, count: grid.cellCount)
        values.withUnsafeMutableBufferPointer { out in
            let outBase = out.baseAddress!
            forEachRowBand(rows: grid.rows, threads: threads) { band in
                for r in band {
                    let rowD = Double(r)
                    var i = ev.firstIndex(rowAbove: rowD - h)
                    let rowOut = outBase + r * cols
                    while i < ev.row.count, ev.row[i] < rowD + h {
                        let dy = rowD - ev.row[i]
                        let a = 1 - dy * dy * q
                        if a > 0 {
                            let ex = ev.col[i], w = ev.weight[i]
                            let half = h * a.squareRoot()
                            let lo = max(0, Int((ex - half).rounded(.up))), hi = min(cols - 1, Int((ex + half).rounded(.down)))
                            if lo <= hi {
                                for c in lo...hi {
                                    let s = Double(c) - ex
                                    let u2 = dy * dy * q + s * s * q
                                    if u2 < 1 { rowOut[c] += w * kernel.value(distanceSquaredKm2: u2 * bandwidthKm * bandwidthKm, bandwidthKm: bandwidthKm) }
                                }
                            }
                        }
                        i += 1
                    }
                }
            }
        }
        return values
    }
}
