import COpenBLAS
import Foundation
import RegionRiskBase

/// Gaussian kernel density with a proven error bound, fast on fine grids.
///
/// Summing exp(−r²/2σ²) over every event and cell within ~8σ costs events × (16σ/cell)² —
/// about 5·10¹⁰ terms for 100k events at σ = 50 km on 1 km cells. Instead (the idea of the
/// Fast Gauss Transform, specialised to a grid):
///
/// 1. Events are assigned to nodes of a coarse lattice (spacing L cells); with δ an event's offset
///    from its node and Δ a cell's offset from the node, both in σ units, per axis
///    exp(−(Δ−δ)²/2) = Σₖ φₖ(Δ)·ψₖ(δ), with φₖ(Δ) = Δᵏe^{−Δ²/2} and ψₖ(δ) = δᵏe^{−δ²/2}/k!
///    (Taylor series of e^{Δδ}), truncated after K terms.
/// 2. Each node stores the moments Σ wᵢψₖ(δxᵢ)ψₗ(δyᵢ); two separable passes (along x per lattice
///    row, then along y per grid row) evaluate Σ φₖ(Δx)φₗ(Δy)·moment at every cell centre. Both
///    passes are matrix products (per node a K × K by K × columns product; per block of rows a
///    banded φ matrix times the partial sums), done by OpenBLAS's `dgemm` (`MatrixProducts`): it
///    runs the CPU's widest vector units, which Swift's baseline x86-64 code does not reach
///    (measured: 4–5× less CPU than the hand-written loops it replaced, the same sums to rounding).
///
/// Error: with |δ| ≤ b = L/(2σ), the per-axis Taylor remainder is at most
/// ε = max_a (ab)ᴷ/K!·e^{−(a−b)²/2}; the 2-D kernel is off by at most 2ε + ε², and contributions
/// beyond ρσ are dropped (≤ e^{−ρ²/2}). The returned bound is Σw·(2ε + ε² + e^{−ρ²/2})/(2πσ²)
/// events/km², at every cell. ρ (≤ 8) and K are chosen from the data so that the bound is at
/// most 5e-7 of a proven lower bound on the peak (`accuracyPlan`), and never tighter than
/// ρ = 8, ε = 1e-11.
enum GaussianTransform {
    /// Truncation radius in σ: e^{−32} ≈ 1.3e-14 of the kernel's peak is dropped.
    static let cutoffSigmas = 8.0
    /// Target per-axis Taylor remainder, relative to the kernel's peak.
    static let taylorTolerance = 1e-11

    /// Calls `cblas_dgemm` safely from the passes' worker threads, whichever OpenBLAS build the
    /// system links. A threaded build (pthreads or OpenMP; Debian's `libopenblas-pthread-dev`) is
    /// safe to call concurrently, and is told to use one thread per call, since the passes already
    /// run on every core. Debian's single-threaded build is not (its buffer pool has no lock: the
    /// passes gave wrong sums, seen in a debug build), so there every call takes one lock: correct,
    /// one product at a time.
    final class MatrixProducts: @unchecked Sendable {
        static let shared = MatrixProducts()
        private let concurrentCallsAreSafe: Bool
        private let lock = NSLock()

        private init() {
            concurrentCallsAreSafe = openblas_get_parallel() != 0
            if concurrentCallsAreSafe { openblas_set_num_threads(1) }
        }

        /// C = α·op(A)·B + β·C, row-major (`cblas_dgemm`); dimensions are checked by the caller.
        func dgemm(transposeA: Bool, m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                   b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int)
        {
            if !concurrentCallsAreSafe { lock.lock() }
            defer { if !concurrentCallsAreSafe { lock.unlock() } }
            cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                        alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
    }

    static func density(events: ProjectedEvents, grid: GridSpec, sigmaKm: Double, threads: Int) throws
        -> (values: [Double], errorBound: Double)
    {
        let blas = MatrixProducts.shared
        let cols = grid.columns, rows = grid.rows
        let sigma = sigmaKm * 1000 / grid.cellSizeMeters  // σ in cells
        let norm = 1 / (2 * Double.pi * sigmaKm * sigmaKm)
        let reach = cutoffSigmas * sigma  // cells
        // Lattice spacing: half a lattice cell must stay small against σ for a short series.
        let lattice = max(1, Int((0.5 * sigma).rounded(.down)))
        let b = Double(lattice) / (2 * sigma)
        guard sigma >= 2, b <= 0.3 else {
            // σ under two cells: the support is tiny and direct summation is cheap; only the
            // contributions beyond ρσ are dropped.
            let truncation = events.weights.reduce(0, +) * exp(-0.5 * cutoffSigmas * cutoffSigmas) * norm
            return (direct(events: events, grid: grid, sigmaKm: sigmaKm, threads: threads), truncation)
        }
        // Lattice nodes n·L covering every cell ± the widest reach (ρ = 8).
        let reachNodes = Int((reach / Double(lattice)).rounded(.up)) + 1
        let n0 = -reachNodes, n1 = (cols - 1) / lattice + reachNodes + 1
        let m0 = -reachNodes, m1 = (rows - 1) / lattice + reachNodes + 1
        let nx = n1 - n0 + 1, ny = m1 - m0 + 1
        let totalWeight = events.weights.reduce(0, +)
        let accuracy = accuracyPlan(events: events, grid: grid, sigma: sigma, lattice: lattice, nodes: (n0, n1, m0, m1),
                                    totalWeight: totalWeight)
        let rho = accuracy.cutoffSigmas
        let terms = taylorTerms(halfSpacingSigmas: b, reachSigmas: rho + b, tolerance: accuracy.taylorTolerance)
        let eps = remainderBound(terms: terms, halfSpacingSigmas: b, reachSigmas: rho + b)
        let errorBound = totalWeight * (2 * eps + eps * eps + exp(-0.5 * rho * rho)) * norm
        let kk = terms * terms
        // Cell offsets from a node that get its contributions: ρσ past the node's farthest event.
        // Beyond it every contribution is ≤ e^{−ρ²/2} of the kernel's peak on at least one axis,
        // which the bound counts as dropped; and the series' remainder bound covers exactly
        // |Δ| ≤ ρ + b (in σ), so nothing is evaluated where the remainder is unproven.
        let span = Int((rho * sigma + Double(lattice) / 2).rounded(.up))
        let tableWidth = 2 * span + 1
        // Every working array, checked against the budget before any is allocated.
        let doubles = Double(nx * ny * kk) + Double(terms) * Double(ny) * Double(cols) + Double(terms * tableWidth) + Double(cols * rows)
        guard doubles * 8 <= Double(ParameterLimits.maximumWorkingBytes) else {
            throw ParameterLimitError.overBudget(
                what: String(format: "a Gaussian density with σ %.3g km on %d × %d cells", sigmaKm, cols, rows),
                needed: String(format: "%.3g GB of working arrays", doubles * 8 / 1e9),
                budget: String(format: "%.3g GB", Double(ParameterLimits.maximumWorkingBytes) / 1e9),
                hint: "use a smaller bandwidth or larger cells")
        }
        var moments = [Double](repeating: 0, count: nx * ny * kk)
        var rowOccupied = [Bool](repeating: false, count: ny)
        var nodeOccupied = [Bool](repeating: false, count: nx * ny)

        // 1. Moments per node (sequential: O(events × K²), small next to the passes).
        let cs = grid.cellSizeMeters
        var psiX = [Double](repeating: 0, count: terms), psiY = [Double](repeating: 0, count: terms)
        var invFactorial = [Double](repeating: 1, count: terms)
        for k in 1..<terms { invFactorial[k] = invFactorial[k - 1] / Double(k) }
        for i in 0..<events.count {
            let w = events.weights[i]
            guard w > 0 else { continue }
            let ex = (events.x[i] - grid.westX) / cs - 0.5
            let ey = (grid.northY - events.y[i]) / cs - 0.5
            let nD = (ex / Double(lattice)).rounded(), mD = (ey / Double(lattice)).rounded()
            // Farther than ρσ from every cell (compared as Doubles: a far event must not trap).
            guard nD >= Double(n0), nD <= Double(n1), mD >= Double(m0), mD <= Double(m1) else { continue }
            let n = Int(nD), m = Int(mD)
            let dx = (ex - Double(n * lattice)) / sigma, dy = (ey - Double(m * lattice)) / sigma
            var px = exp(-0.5 * dx * dx), py = exp(-0.5 * dy * dy)
            for k in 0..<terms {
                psiX[k] = px * invFactorial[k]; px *= dx
                psiY[k] = py * invFactorial[k]; py *= dy
            }
            let node = (m - m0) * nx + (n - n0)
            nodeOccupied[node] = true
            rowOccupied[m - m0] = true
            let base = node * kk
            for k in 0..<terms {
                let wx = w * psiX[k]
                for l in 0..<terms { moments[base + k * terms + l] += wx * psiY[l] }
            }
        }

        // φₖ(Δ) for integer cell offsets Δ ∈ [−span, span].
        var phi = [Double](repeating: 0, count: terms * tableWidth)
        for d in -span...span {
            let a = Double(d) / sigma
            var p = exp(-0.5 * a * a)
            for k in 0..<terms {
                phi[k * tableWidth + d + span] = p
                p *= a
            }
        }

        // 2a. Along x: partial[lattice row m][l][column] = Σₙ Σₖ moment(k, l)·φₖ(c − nL), per
        // node a (K × K)ᵀ · (K × width) product added into the K partial rows of its lattice row.
        var partial = [Double](repeating: 0, count: ny * terms * cols)
        partial.withUnsafeMutableBufferPointer { partialBuf in
            let pBase = partialBuf.baseAddress!
            moments.withUnsafeBufferPointer { mom in
                phi.withUnsafeBufferPointer { phiBuf in
                    DispatchQueue.concurrentPerform(iterations: ny) { my in
                        guard rowOccupied[my] else { return }
                        for nIndex in 0..<nx where nodeOccupied[my * nx + nIndex] {
                            let centre = (nIndex + n0) * lattice
                            let lo = max(0, centre - span), hi = min(cols - 1, centre + span)
                            guard lo <= hi else { continue }
                            // C[l][c] += Σₖ A[k][l]·B[k][c]: A the node's moments (row-major k, l),
                            // B the φ table from column lo's offset, C the partial rows from lo.
                            blas.dgemm(transposeA: true, m: terms, n: hi - lo + 1, k: terms,
                                       alpha: 1, a: mom.baseAddress! + (my * nx + nIndex) * kk, lda: terms,
                                       b: phiBuf.baseAddress! + (lo - centre + span), ldb: tableWidth,
                                       beta: 1, c: pBase + my * terms * cols + lo, ldc: cols)
                        }
                    }
                }
            }
        }

        // 2b. Along y: for a block of grid rows, value[r][c] = Σ₍ₘ,ₗ₎ Φ[r][(m, l)]·partial[m][l][c] with
        // Φ[r][(m, l)] = φₗ(r − mL) (zero past the span or for an empty lattice row): the partial
        // rows of the lattice rows that reach the block are contiguous, so it is one product.
        var values = [Double](repeating: 0, count: grid.cellCount)
        let bandRows = 64
        let nBands = (rows + bandRows - 1) / bandRows
        values.withUnsafeMutableBufferPointer { out in
            let outBase = out.baseAddress!
            partial.withUnsafeBufferPointer { partialBuf in
                phi.withUnsafeBufferPointer { phiBuf in
                    let pBase = partialBuf.baseAddress!, phiBase = phiBuf.baseAddress!
                    DispatchQueue.concurrentPerform(iterations: nBands) { job in
                        let r0 = job * bandRows, r1 = min(rows, r0 + bandRows)
                        let mLo = max(m0, Int((Double(r0 - span) / Double(lattice)).rounded(.up)))
                        let mHi = min(m1, Int((Double(r1 - 1 + span) / Double(lattice)).rounded(.down)))
                        if mLo <= mHi {
                            let inner = (mHi - mLo + 1) * terms
                            let weights = UnsafeMutablePointer<Double>.allocate(capacity: (r1 - r0) * inner)
                            defer { weights.deallocate() }
                            for r in r0..<r1 {
                                let rowWeights = weights + (r - r0) * inner
                                for m in mLo...mHi {
                                    let d = r - m * lattice
                                    let reaches = d >= -span && d <= span && rowOccupied[m - m0]
                                    for l in 0..<terms {
                                        rowWeights[(m - mLo) * terms + l] = reaches ? phiBase[l * tableWidth + d + span] : 0
                                    }
                                }
                            }
                            blas.dgemm(transposeA: false, m: r1 - r0, n: cols, k: inner, alpha: 1, a: weights, lda: inner,
                                       b: pBase + (mLo - m0) * terms * cols, ldb: cols, beta: 0, c: outBase + r0 * cols, ldc: cols)
                        }
                        for r in r0..<r1 {
                            let dest = outBase + r * cols
                            for c in 0..<cols {
                                let v = dest[c] * norm
                                dest[c] = v > 0 ? v : 0
                            }
                        }
                    }
                }
            }
        }
        return (values, errorBound)
    }

    /// Smallest K with remainderBound ≤ taylorTolerance.
    static func taylorTerms(halfSpacingSigmas b: Double, reachSigmas: Double, tolerance: Double = taylorTolerance) -> Int {
        var k = 2
        while k < 40, remainderBound(terms: k, halfSpacingSigmas: b, reachSigmas: reachSigmas) > tolerance { k += 1 }
        return k
    }

    /// The error budget, relative to the peak: the bound returned is at most this fraction of
    /// a proven lower bound on the grid's peak (so at most 5e-7 of the peak itself).
    static let peakRelativeTolerance = 5e-7

    /// Truncation radius ρ (σ units) and Taylor tolerance ε such that
    /// Σw·(2ε + ε² + e^{−ρ²/2})/(2πσ²) ≤ `peakRelativeTolerance` × (a lower bound on the peak),
    /// never looser than needed and never tighter than ρ = 8, ε = 1e-11.
    ///
    /// The lower bound: the events of one lattice node lie within L/√2 of the node, and an
    /// interior node is a cell centre, so that cell's density is at least
    /// W_node·e^{−D²/2σ²}/(2πσ²), D = L/√2 plus the node's distance to the nearest cell centre.
    static func accuracyPlan(events: ProjectedEvents, grid: GridSpec, sigma: Double, lattice: Int,
                             nodes: (n0: Int, n1: Int, m0: Int, m1: Int), totalWeight: Double)
        -> (cutoffSigmas: Double, taylorTolerance: Double)
    {
        guard totalWeight > 0 else { return (cutoffSigmas, taylorTolerance) }
        let nx = nodes.n1 - nodes.n0 + 1, ny = nodes.m1 - nodes.m0 + 1
        var nodeWeight = [Double](repeating: 0, count: nx * ny)
        let cs = grid.cellSizeMeters, L = Double(lattice)
        for i in 0..<events.count where events.weights[i] > 0 {
            let ex = (events.x[i] - grid.westX) / cs - 0.5
            let ey = (grid.northY - events.y[i]) / cs - 0.5
            let nD = (ex / L).rounded(), mD = (ey / L).rounded()
            // Compared as Doubles first: a far-away event must not trap the conversion.
            guard nD >= Double(nodes.n0), nD <= Double(nodes.n1), mD >= Double(nodes.m0), mD <= Double(nodes.m1) else { continue }
            let n = Int(nD), m = Int(mD)
            nodeWeight[(m - nodes.m0) * nx + (n - nodes.n0)] += events.weights[i]
        }
        var best = 0.0
        for m in nodes.m0...nodes.m1 {
            for n in nodes.n0...nodes.n1 {
                let w = nodeWeight[(m - nodes.m0) * nx + (n - nodes.n0)]
                guard w > best else { continue }
                let dx = Double(n * lattice - min(max(n * lattice, 0), grid.columns - 1))
                let dy = Double(m * lattice - min(max(m * lattice, 0), grid.rows - 1))
                let reachCells = (dx * dx + dy * dy).squareRoot() + L / 2.squareRoot()
                best = max(best, w * exp(-0.5 * reachCells * reachCells / (sigma * sigma)))
            }
        }
        let budget = peakRelativeTolerance * best / totalWeight  // of Σw/(2πσ²)
        guard budget > 0 else { return (cutoffSigmas, taylorTolerance) }
        // Half of the budget to truncation, half to the series (2ε + ε² ≤ budget/2).
        let rho = min(cutoffSigmas, (-2 * log(budget / 2)).squareRoot())
        let eps = max(taylorTolerance, budget / 4.5)
        return (rho, eps)
    }

    /// max over a ∈ [0, reach] of (ab)ᴷ/K!·e^{−(a−b)²/2} (a fine scan; the function is smooth and unimodal).
    static func remainderBound(terms k: Int, halfSpacingSigmas b: Double, reachSigmas: Double) -> Double {
        var logFactorial = 0.0
        for j in 1...max(1, k) { logFactorial += log(Double(j)) }
        var best = 0.0
        var a = 0.0
        while a <= reachSigmas {
            let d = max(0, a - b)
            let v = exp(Double(k) * log(max(a * b, 1e-300)) - logFactorial - 0.5 * d * d)
            best = max(best, v)
            a += 0.01
        }
        return best
    }

    /// Summation within ρσ (exact there), for σ under two cells.
    static func direct(events: ProjectedEvents, grid: GridSpec, sigmaKm: Double, threads: Int) -> [Double] {
        let cols = grid.columns
        let sigma = sigmaKm * 1000 / grid.cellSizeMeters
        let reach = cutoffSigmas * sigma
        let ev = DensityEngine.CellUnitEvents(events, grid: grid, reachCells: reach)
        let norm = 1 / (2 * Double.pi * sigmaKm * sigmaKm)
        var values = [Double](repeating: 0, count: grid.cellCount)
        values.withUnsafeMutableBufferPointer { out in
            let outBase = out.baseAddress!
            DensityEngine.forEachRowBand(rows: grid.rows, threads: threads) { band in
                for r in band {
                    let rowD = Double(r)
                    var i = ev.firstIndex(rowAbove: rowD - reach)
                    let rowOut = outBase + r * cols
                    while i < ev.row.count, ev.row[i] < rowD + reach {
                        let dy = (rowD - ev.row[i]) / sigma, ex = ev.col[i], w = ev.weight[i]
                        let lo = max(0, Int((ex - reach).rounded(.up))), hi = min(cols - 1, Int((ex + reach).rounded(.down)))
                        if lo <= hi {
                            for c in lo...hi {
                                let dx = (Double(c) - ex) / sigma
                                rowOut[c] += w * norm * exp(-0.5 * (dx * dx + dy * dy))
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
