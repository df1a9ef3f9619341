import Foundation

/// The exact core for the polynomial kernels (quartic, Epanechnikov, uniform).
///
/// Along grid row r an event at (ex, ey) (cell units) adds w·(a − q(c − ex)²)ᵏ to the cells c with
/// |c − ex| < h√a, where a = 1 − q(r − ey)², q = 1/h² and k the kernel's degree in u². That is a
/// polynomial of degree 2k in c, so the row is built from a difference array of polynomial
/// coefficients (one add at the first column, one subtract after the last) and evaluated once.
///
/// What makes it fast, and why each choice keeps it exact:
/// - Events are bucketed by integer row with a counting sort (O(n), stable), so the events that
///   reach row r are one contiguous slice — no per-row search, no comparison sort.
/// - Rows are processed four at a time: the events that reach any of them are read once and
///   added to each row's coefficient buffer (the band-local accumulators: 5 doubles per column,
///   4 × 74 KB for 1,840 columns, in L2), allocated once per band of rows, never in the loops.
/// - Coefficients are expanded around the start of a block of `block` columns (block ≈ 4h) whose
///   origin is a multiple of `block` in *global* columns, and the running sums restart at every
///   block start. Offsets stay within (1 + 25)² ≈ 700 of the kernel's peak, which bounds the
///   rounding (see `DensityEngine.polynomialRoundingBound`), and a window of the grid whose
///   column edges fall on block starts gives bit-for-bit the values of the whole grid (tiles).
/// - Floors use truncating conversions instead of libm calls (the default x86-64 target has no
///   rounding instruction), and the block of a column is found with a multiply, not a division.
struct PolynomialKernelCore {
    /// Degree in u² (quartic 2, Epanechnikov 1, uniform 0): the row polynomial has degree 2k.
    let halfDegree: Int
    /// Bandwidth in cells.
    let h: Double
    /// Normalising constant of the kernel, per km².
    let scale: Double
    /// Columns per expansion block (global alignment: blocks start at multiples of it).
    let block: Int
    let gridColumns: Int
    let gridRows: Int
    /// ⌊2⁴⁰ / block⌋ + 1: (n · blockMagic) >> 40 = n / block for 0 ≤ n < 2²⁶ (block < 2¹⁴).
    let blockMagic: UInt64

    init(kernel: KernelShape, bandwidthKm: Double, grid: GridSpec) {
        h = bandwidthKm * 1000 / grid.cellSizeMeters
        let hKm2 = bandwidthKm * bandwidthKm
        switch kernel {
        case .quartic: halfDegree = 2; scale = 3 / (Double.pi * hKm2)
        case .epanechnikov: halfDegree = 1; scale = 2 / (Double.pi * hKm2)
        default: halfDegree = 0; scale = 1 / (Double.pi * hKm2)
        }
        block = Self.blockColumns(bandwidthCells: h)
        blockMagic = (UInt64(1) << 40) / UInt64(block) + 1
        gridColumns = grid.columns
        gridRows = grid.rows
    }

    /// Columns per expansion block for a bandwidth of `h` cells: 4h, at least 8.
    static func blockColumns(bandwidthCells h: Double) -> Int {
        guard h.isFinite else { return 1 << 14 }
        return max(8, min(1 << 14, Int((4 * h).rounded(.up))))
    }

    /// Events in the grid's cell units (cell (c, r) has its centre at (c, r)), bucketed by integer
    /// row, stable in input order within a row. Events that cannot reach any cell, and
    /// zero-weight events, are left out.
    struct Events {
        var col: [Double] = []
        var row: [Double] = []
        var weight: [Double] = []
        /// `start[k] ..< start[k + 1]` are the events with ⌊row⌋ = k + `firstRow`.
        var start: [Int] = []
        var firstRow = 0

        init(_ events: ProjectedEvents, grid: GridSpec, reachCells h: Double) {
            let cs = grid.cellSizeMeters
            let n = events.count
            // Rows an event can reach: |r − ey| < h; floor(ey) ∈ [−⌈h⌉ − 1, rows + ⌈h⌉].
            let reach = Int(min(h, 1e7).rounded(.up)) + 1
            firstRow = -reach
            let bucketCount = grid.rows + 2 * reach + 1
            var counts = [Int](repeating: 0, count: bucketCount + 1)
            var key = [Int32](repeating: -1, count: n)
            let colLimit = Double(grid.columns - 1) + h, rowLimit = Double(grid.rows - 1) + h
            for i in 0..<n {
                let w = events.weights[i]
                guard w > 0 else { continue }
                let ec = (events.x[i] - grid.westX) / cs - 0.5
                let er = (grid.northY - events.y[i]) / cs - 0.5
                guard ec > -h, ec < colLimit, er > -h, er < rowLimit else { continue }
                let k = floorInt(er) - firstRow
                key[i] = Int32(k)
                counts[k + 1] += 1
            }
            for k in 0..<bucketCount { counts[k + 1] += counts[k] }
            start = counts
            let kept = counts[bucketCount]
            col = [Double](repeating: 0, count: kept)
            row = [Double](repeating: 0, count: kept)
            weight = [Double](repeating: 0, count: kept)
            var next = counts
            for i in 0..<n where key[i] >= 0 {
                let k = Int(key[i])
                let j = next[k]
                next[k] += 1
                col[j] = (events.x[i] - grid.westX) / cs - 0.5
                row[j] = (grid.northY - events.y[i]) / cs - 0.5
                weight[j] = events.weights[i]
            }
        }

        /// Index range of the events with ⌊row⌋ in `rows` (clamped to the buckets that exist).
        func indices(floorRows rows: ClosedRange<Int>) -> Range<Int> {
            let last = start.count - 2
            let a = min(max(rows.lowerBound - firstRow, 0), last + 1)
            let b = min(max(rows.upperBound - firstRow, -1), last)
            guard a <= b else { return 0..<0 }
            return start[a]..<start[b + 1]
        }
    }

    /// ⌊v⌋ for |v| < 2⁶², without a libm call.
    @inline(__always)
    static func floorInt(_ v: Double) -> Int {
        let t = Int(v)  // truncates toward zero
        return Double(t) > v ? t - 1 : t
    }

    /// Rows accumulated together: each event of a pass is read once for all of them, and their
    /// coefficient rows (4 × 74 KB at 1,840 columns) stay in L2.
    static let rowsPerPass = 4

    /// Density on the window `rows × columns` (global indices) of the grid, written row-major into
    /// `out` (`rows.count × columns.count` values, which must hold zeroes). Rows are split across
    /// `threads`; the result does not depend on the split (each row sees its events in bucket order).
    func evaluate(_ ev: Events, rows: Range<Int>, columns: Range<Int>, threads: Int,
                  into out: UnsafeMutableBufferPointer<Double>)
    {
        switch halfDegree {
        case 2: evaluate(QuarticDegree.self, ev, rows: rows, columns: columns, threads: threads, into: out)
        case 1: evaluate(EpanechnikovDegree.self, ev, rows: rows, columns: columns, threads: threads, into: out)
        default: evaluate(UniformDegree.self, ev, rows: rows, columns: columns, threads: threads, into: out)
        }
    }

    /// `evaluate` specialised to one degree, so the coefficient count is a constant in the loops.
    private func evaluate<D: RowPolynomialDegree>(_ degree: D.Type, _ ev: Events, rows: Range<Int>, columns: Range<Int>,
                                                   threads: Int, into out: UnsafeMutableBufferPointer<Double>)
    {
        let width = columns.count
        guard width > 0, !rows.isEmpty, !ev.col.isEmpty else { return }
        precondition(out.count >= rows.count * width)
        let outBase = out.baseAddress!
        let stride = D.coefficients
        let rowStride = (width + 1) * stride
        let pass = Self.rowsPerPass
        ev.col.withUnsafeBufferPointer { ecol in
            ev.row.withUnsafeBufferPointer { erow in
                ev.weight.withUnsafeBufferPointer { ew in
                    DensityEngine.forEachRowBand(rows: rows.count, threads: threads) { band in
                        // The band-local accumulators: `pass` rows of interleaved coefficients (+1
                        // column for end markers), allocated once per band and reused.
                        let diff = UnsafeMutablePointer<Double>.allocate(capacity: pass * rowStride)
                        diff.initialize(repeating: 0, count: pass * rowStride)
                        defer { diff.deallocate() }
                        let minLo = UnsafeMutablePointer<Int>.allocate(capacity: pass)
                        let maxHi = UnsafeMutablePointer<Int>.allocate(capacity: pass)
                        defer { minLo.deallocate(); maxHi.deallocate() }
                        var first = band.lowerBound
                        while first < band.upperBound {
                            let count = min(pass, band.upperBound - first)
                            let g0 = rows.lowerBound + first
                            minLo.initialize(repeating: Int.max, count: count)
                            maxHi.initialize(repeating: Int.min, count: count)
                            let candidates = ev.indices(floorRows: Self.floorInt(Double(g0) - h)...Self.floorInt(Double(g0 + count - 1) + h))
                            for i in candidates {
                                let ey = erow[i], ex = ecol[i], w = ew[i]
                                for k in 0..<count {
                                    accumulate(D.self, row: g0 + k, ex: ex, ey: ey, w: w, columns: columns,
                                               diff: diff + k * rowStride, minLo: &minLo[k], maxHi: &maxHi[k])
                                }
                            }
                            for k in 0..<count where minLo[k] <= maxHi[k] {
                                evaluateRow(D.self, diff: diff + k * rowStride, columns: columns, touched: minLo[k]...maxHi[k],
                                            into: outBase + (first + k) * width)
                            }
                            first += count
                        }
                    }
                }
            }
        }
    }

    /// Adds one event's coefficients for global row `r` into that row's `diff`, widening the
    /// touched column range.
    @inline(__always)
    func accumulate<D: RowPolynomialDegree>(_ degree: D.Type, row r: Int, ex: Double, ey: Double, w: Double, columns: Range<Int>, diff: UnsafeMutablePointer<Double>,
                    minLo: inout Int, maxHi: inout Int)
    {
        let q = 1 / (h * h), h2 = h * h
        let c0 = columns.lowerBound, cLast = columns.upperBound - 1
        let stride = D.coefficients
        let dy = Double(r) - ey
        let dy2 = dy * dy
        guard dy2 < h2 else { return }
        let a = max(0, 1 - dy2 * q)
        let half = h * a.squareRoot()
        var lo = Self.floorInt(ex - half) + 1
        var hi = -Self.floorInt(-(ex + half)) - 1
        if D.halfDegree == 0 {
            // Strict support dx² + dy² < h², decided as the all-pairs reference decides it: the
            // square root can be an ulp off, which matters where the uniform kernel jumps. (The
            // other kernels vanish at the edge, so a cell an ulp either side adds ~1e-32 of the peak.)
            let offLo = Double(lo) - ex
            if offLo * offLo + dy2 >= h2 { lo += 1 } else if (offLo - 1) * (offLo - 1) + dy2 < h2 { lo -= 1 }
            let offHi = Double(hi) - ex
            if offHi * offHi + dy2 >= h2 { hi -= 1 } else if (offHi + 1) * (offHi + 1) + dy2 < h2 { hi += 1 }
        }
        if lo < c0 { lo = c0 }
        if hi > cLast { hi = cLast }
        guard lo <= hi else { return }
        if lo < minLo { minLo = lo }
        if hi > maxHi { maxHi = hi }
        // Block holding `lo` (global alignment): lo / block by a multiply-shift, exact for
        // 0 ≤ lo < 2²⁶ (`blockMagic`).
        var bStart = Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: lo) &* blockMagic) >> 40) &* block
        while bStart <= hi {
            let bEnd = bStart + block - 1
            let pLo = lo > bStart ? lo : bStart
            let pHi = hi < bEnd ? hi : bEnd
            let beta = Double(bStart) - ex
            let dLo = diff + (pLo - c0) * stride, dHi = diff + (pHi + 1 - c0) * stride
            // A piece that runs to its block's end (or the window's) needs no end marker: the
            // sums restart at the next block.
            let endsInside = pHi < bEnd && pHi < cLast
            // (a − q(t+β)²) expanded in t = c − bStart: g0 + g1·t + g2·t².
            let g0 = a - q * beta * beta, g1 = -2 * q * beta, g2 = -q
            switch D.halfDegree {
            case 2:
                let c0v = w * g0 * g0, c1v = w * 2 * g0 * g1
                let c2v = w * (g1 * g1 + 2 * g0 * g2), c3v = w * 2 * g1 * g2, c4v = w * g2 * g2
                dLo[0] += c0v; dLo[1] += c1v; dLo[2] += c2v; dLo[3] += c3v; dLo[4] += c4v
                if endsInside { dHi[0] -= c0v; dHi[1] -= c1v; dHi[2] -= c2v; dHi[3] -= c3v; dHi[4] -= c4v }
            case 1:
                let c0v = w * g0, c1v = w * g1, c2v = w * g2
                dLo[0] += c0v; dLo[1] += c1v; dLo[2] += c2v
                if endsInside { dHi[0] -= c0v; dHi[1] -= c1v; dHi[2] -= c2v }
            default:
                dLo[0] += w
                if endsInside { dHi[0] -= w }
            }
            bStart += block
        }
    }

    /// Prefix-sums the coefficients over the blocks that hold `touched` and evaluates each cell's
    /// polynomial, clearing `diff` as it reads it (end markers never lie past the last touched block).
    @inline(__always)
    func evaluateRow<D: RowPolynomialDegree>(_ degree: D.Type, diff: UnsafeMutablePointer<Double>, columns: Range<Int>, touched: ClosedRange<Int>,
                     into rowOut: UnsafeMutablePointer<Double>)
    {
        let c0 = columns.lowerBound
        let stride = D.coefficients
        // From the start of the first touched block (sums are zero before it) to the last touched
        // column's block end; cells beyond hold exact zeroes already.
        let firstBlockStart = max(c0, (touched.lowerBound / block) * block)
        var c = firstBlockStart
        let stop = min(columns.upperBound, (touched.upperBound / block + 1) * block)
        let s = scale
        while c < stop {
            let bStart = (c / block) * block
            let end = min(stop, bStart + block)
            var p0 = 0.0, p1 = 0.0, p2 = 0.0, p3 = 0.0, p4 = 0.0
            var t = Double(c - bStart)
            var d = diff + (c - c0) * stride
            var o = rowOut + (c - c0)
            switch D.halfDegree {
            case 2:
                for _ in c..<end {
                    p0 += d[0]; p1 += d[1]; p2 += d[2]; p3 += d[3]; p4 += d[4]
                    d[0] = 0; d[1] = 0; d[2] = 0; d[3] = 0; d[4] = 0
                    let v = p0 + t * (p1 + t * (p2 + t * (p3 + t * p4)))
                    // The exact sum is ≥ 0; rounding can leave −1e-17 where it is 0.
                    o.pointee = v > 0 ? v * s : 0
                    t += 1; d += 5; o += 1
                }
            case 1:
                for _ in c..<end {
                    p0 += d[0]; p1 += d[1]; p2 += d[2]
                    d[0] = 0; d[1] = 0; d[2] = 0
                    let v = p0 + t * (p1 + t * p2)
                    o.pointee = v > 0 ? v * s : 0
                    t += 1; d += 3; o += 1
                }
            default:
                for _ in c..<end {
                    p0 += d[0]
                    d[0] = 0
                    o.pointee = p0 > 0 ? p0 * s : 0
                    d += 1; o += 1
                }
            }
            c = end
        }
    }
}

/// The degree of the row polynomial as a type, so each kernel's loops are compiled with constants.
protocol RowPolynomialDegree {
    /// Degree in u² (quartic 2, Epanechnikov 1, uniform 0).
    static var halfDegree: Int { get }
}

extension RowPolynomialDegree {
    /// Coefficients per column: 2k + 1.
    static var coefficients: Int { 2 * halfDegree + 1 }
}

enum QuarticDegree: RowPolynomialDegree { static var halfDegree: Int { 2 } }
enum EpanechnikovDegree: RowPolynomialDegree { static var halfDegree: Int { 1 } }
enum UniformDegree: RowPolynomialDegree { static var halfDegree: Int { 0 } }
