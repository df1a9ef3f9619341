import Foundation

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

    static func validate(events: ProjectedEvents, grid: GridSpec, bandwidthKm: Double) throws {
        guard events.x.count == events.y.count, events.x.count == events.weights.count else {
            throw DensityError.mismatchedLengths(x: events.x.count, y: events.y.count, weights: events.weights.count)
        }
        guard bandwidthKm.isFinite, bandwidthKm > 0 else { throw DensityError.invalidBandwidth(bandwidthKm) }
        guard grid.columns > 0, grid.rows > 0, grid.cellSizeMeters.isFinite, grid.cellSizeMeters > 0,
            grid.westX.isFinite, grid.northY.isFinite
        else { throw DensityError.invalidGrid("\(grid.columns)×\(grid.rows) cells of \(grid.cellSizeMeters) m") }
        for i in 0..<events.count {
            guard events.x[i].isFinite, events.y[i].isFinite else { throw DensityError.nonFiniteCoordinate(eventIndex: i) }
            let w = events.weights[i]
            guard w.isFinite, w >= 0 else { throw DensityError.invalidWeight(eventIndex: i, value: w) }
        }
    }

    /// Events in grid cell units (cell (c, r) has its centre at (c, r)), sorted by row coordinate,
    /// zero-weight events dropped.
    struct CellUnitEvents {
        var col: [Double] = []
        var row: [Double] = []
        var weight: [Double] = []

        init(_ events: ProjectedEvents, grid: GridSpec) {
            let cs = grid.cellSizeMeters
            var order: [(row: Double, col: Double, w: Double)] = []
            order.reserveCapacity(events.count)
            for i in 0..<events.count where events.weights[i] > 0 {
                order.append(((grid.northY - events.y[i]) / cs - 0.5, (events.x[i] - grid.westX) / cs - 0.5, events.weights[i]))
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
        let ev = CellUnitEvents(events, grid: grid)
        let cols = grid.columns
        let h = bandwidthKm * 1000 / grid.cellSizeMeters  // bandwidth in cells
        let q = 1 / (h * h)
        let degree: Int
        let scale: Double  // the kernel's normalising constant, per km²
        let hKm2 = bandwidthKm * bandwidthKm
        switch kernel {
        case .quartic: degree = 4; scale = 3 / (Double.pi * hKm2)
        case .epanechnikov: degree = 2; scale = 2 / (Double.pi * hKm2)
        default: degree = 0; scale = 1 / (Double.pi * hKm2)
        }
        let stride = degree + 1
        // Each event-row polynomial is expanded around the start of a block of columns. Blocks of
        // 4h keep the offsets small (t ≤ 4h, |β| ≤ 5h), so every term of the expansion stays
        // within (1 + 25)² ≈ 700 of the kernel's peak and rounding stays near 1e-13 of it
        // (expanding around column 0 would cancel catastrophically on wide grids); most
        // event-rows then fall in one block.
        let block = max(8, min(1 << 14, Int((4 * h).rounded(.up))))

        var values = [Double](repeating: 0, count: grid.cellCount)
        values.withUnsafeMutableBufferPointer { out in
            let outBase = out.baseAddress!
            ev.col.withUnsafeBufferPointer { ecol in
                ev.row.withUnsafeBufferPointer { erow in
                    ev.weight.withUnsafeBufferPointer { ew in
                        forEachRowBand(rows: grid.rows, threads: threads) { band in
                            // Difference arrays of polynomial coefficients, interleaved per column.
                            let diff = UnsafeMutablePointer<Double>.allocate(capacity: (cols + 1) * stride)
                            diff.initialize(repeating: 0, count: (cols + 1) * stride)
                            defer { diff.deallocate() }
                            for r in band {
                                let rowD = Double(r)
                                var i = ev.firstIndex(rowAbove: rowD - h)
                                let n = erow.count
                                var touched = false
                                while i < n, erow[i] < rowD + h {
                                    let dy = rowD - erow[i]
                                    let a = 1 - dy * dy * q
                                    if a > 0 {
                                        let ex = ecol[i]
                                        let half = h * a.squareRoot()
                                        var lo = Int((ex - half).rounded(.up))
                                        var hi = Int((ex + half).rounded(.down))
                                        // Strict support u < 1, as the reference evaluates it.
                                        if Double(lo) - ex <= -half { lo += 1 }
                                        if Double(hi) - ex >= half { hi -= 1 }
                                        lo = max(lo, 0)
                                        hi = min(hi, cols - 1)
                                        if lo <= hi {
                                            touched = true
                                            let w = ew[i]
                                            var bStart = (lo / block) * block
                                            while bStart <= hi {
                                                let pLo = max(lo, bStart), pHi = min(hi, bStart + block - 1)
                                                let beta = Double(bStart) - ex
                                                let dLo = diff + pLo * stride, dHi = diff + (pHi + 1) * stride
                                                // A piece that runs to its block's end needs no end
                                                // marker: the sums restart at the next block.
                                                let endsInside = pHi < bStart + block - 1
                                                // (a − q(t+β)²)^k expanded in t: g(t) = g0 + g1·t + g2·t².
                                                let g0 = a - q * beta * beta, g1 = -2 * q * beta, g2 = -q
                                                switch degree {
                                                case 4:
                                                    let c0 = w * g0 * g0, c1 = w * 2 * g0 * g1
                                                    let c2 = w * (g1 * g1 + 2 * g0 * g2), c3 = w * 2 * g1 * g2, c4 = w * g2 * g2
                                                    dLo[0] += c0; dLo[1] += c1; dLo[2] += c2; dLo[3] += c3; dLo[4] += c4
                                                    if endsInside { dHi[0] -= c0; dHi[1] -= c1; dHi[2] -= c2; dHi[3] -= c3; dHi[4] -= c4 }
                                                case 2:
                                                    let c0 = w * g0, c1 = w * g1, c2 = w * g2
                                                    dLo[0] += c0; dLo[1] += c1; dLo[2] += c2
                                                    if endsInside { dHi[0] -= c0; dHi[1] -= c1; dHi[2] -= c2 }
                                                default:
                                                    dLo[0] += w
                                                    if endsInside { dHi[0] -= w }
                                                }
                                                bStart += block
                                            }
                                        }
                                    }
                                    i += 1
                                }
                                guard touched else { continue }
                                // Prefix-sum the coefficients and evaluate each cell's polynomial.
                                let rowOut = outBase + r * cols
                                var p0 = 0.0, p1 = 0.0, p2 = 0.0, p3 = 0.0, p4 = 0.0
                                for c in 0..<cols {
                                    let t = c % block
                                    if t == 0 {
                                        // Every piece ends inside its block: restart the sums exactly
                                        // so rounding residues never carry across blocks.
                                        p0 = 0; p1 = 0; p2 = 0; p3 = 0; p4 = 0
                                    }
                                    let d = diff + c * stride
                                    let td = Double(t)
                                    var v: Double
                                    switch degree {
                                    case 4:
                                        p0 += d[0]; p1 += d[1]; p2 += d[2]; p3 += d[3]; p4 += d[4]
                                        d[0] = 0; d[1] = 0; d[2] = 0; d[3] = 0; d[4] = 0
                                        v = p0 + td * (p1 + td * (p2 + td * (p3 + td * p4)))
                                    case 2:
                                        p0 += d[0]; p1 += d[1]; p2 += d[2]
                                        d[0] = 0; d[1] = 0; d[2] = 0
                                        v = p0 + td * (p1 + td * p2)
                                    default:
                                        p0 += d[0]
                                        d[0] = 0
                                        v = p0
                                    }
                                    // The exact sum is ≥ 0; rounding can leave −1e-17 where it is 0.
                                    rowOut[c] = v > 0 ? v * scale : 0
                                }
                                let tail = diff + cols * stride
                                for k in 0..<stride { tail[k] = 0 }
                            }
                        }
                    }
                }
            }
        }
        return values
    }

    static func directCompactDensity(events: ProjectedEvents, grid: GridSpec, kernel: KernelShape, bandwidthKm: Double,
                                     threads: Int) -> [Double]
    {
        let ev = CellUnitEvents(events, grid: grid)
        let cols = grid.columns
        let cs = grid.cellSizeMeters
        let h = bandwidthKm * 1000 / cs
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
