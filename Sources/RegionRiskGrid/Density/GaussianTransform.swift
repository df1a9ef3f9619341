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
///    row, then along y per grid row) evaluate Σ φₖ(Δx)φₗ(Δy)·moment at every cell centre.
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

    static func density(events: ProjectedEvents, grid: GridSpec, sigmaKm: Double, threads: Int) throws
        -> (values: [Double], errorBound: Double)
    {
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
        let span = Int((reach + Double(lattice) / 2).rounded(.up))
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

        // 2a. Along x: partial[l][lattice row][column] = Σₖ Σₙ φₖ(c − nL)·moment(k, l).
        var partial = [Double](repeating: 0, count: terms * ny * cols)
        partial.withUnsafeMutableBufferPointer { partialBuf in
            let pBase = partialBuf.baseAddress!
            moments.withUnsafeBufferPointer { mom in
                phi.withUnsafeBufferPointer { phiBuf in
                    DispatchQueue.concurrentPerform(iterations: ny) { my in
                        guard rowOccupied[my] else { return }
                        let profile = UnsafeMutablePointer<Double>.allocate(capacity: tableWidth)
                        defer { profile.deallocate() }
                        for nIndex in 0..<nx where nodeOccupied[my * nx + nIndex] {
                            let centre = (nIndex + n0) * lattice
                            let lo = max(0, centre - span), hi = min(cols - 1, centre + span)
                            guard lo <= hi else { continue }
                            let base = (my * nx + nIndex) * kk
                            for l in 0..<terms {
                                // Combine the K x-profiles for this l into one, then add it.
                                for c in lo...hi { profile[c - lo] = 0 }
                                for k in 0..<terms {
                                    let coef = mom[base + k * terms + l]
                                    if coef == 0 { continue }
                                    let table = phiBuf.baseAddress! + k * tableWidth + span - centre
                                    for c in lo...hi { profile[c - lo] += coef * table[c] }
                                }
                                let dest = pBase + (l * ny + my) * cols
                                for c in lo...hi { dest[c] += profile[c - lo] }
                            }
                        }
                    }
                }
            }
        }

        // 2b. Along y: value[r][c] = Σₘ Σₗ φₗ(r − mL)·partial[l][m][c], per cell in the same (m, l)
        // order as a row-by-row sum, but blocked: a band of L rows × a chunk of columns reads
        // each source chunk once for the whole band (from L1) instead of once per row.
        var values = [Double](repeating: 0, count: grid.cellCount)
        let chunk = 256
        let bandRows = lattice
        let nBands = (rows + bandRows - 1) / bandRows, nChunks = (cols + chunk - 1) / chunk
        values.withUnsafeMutableBufferPointer { out in
            let outBase = out.baseAddress!
            partial.withUnsafeBufferPointer { partialBuf in
                phi.withUnsafeBufferPointer { phiBuf in
                    let pBase = partialBuf.baseAddress!, phiBase = phiBuf.baseAddress!
                    DispatchQueue.concurrentPerform(iterations: nBands * nChunks) { job in
                        let r0 = (job / nChunks) * bandRows, r1 = min(rows, r0 + bandRows)
                        let c0 = (job % nChunks) * chunk, width = min(cols, c0 + chunk) - c0
                        let mLo = max(m0, Int((Double(r0 - span) / Double(lattice)).rounded(.up)))
                        let mHi = min(m1, Int((Double(r1 - 1 + span) / Double(lattice)).rounded(.down)))
                        if mLo <= mHi {
                            for m in mLo...mHi where rowOccupied[m - m0] {
                                for l in 0..<terms {
                                    let src = pBase + (l * ny + (m - m0)) * cols + c0
                                    for r in r0..<r1 {
                                        let d = r - m * lattice
                                        guard d >= -span, d <= span else { continue }
                                        let f = phiBase[l * tableWidth + d + span]
                                        if f == 0 { continue }
                                        let dest = outBase + r * cols + c0
                                        for c in 0..<width { dest[c] += f * src[c] }
                                    }
                                }
                            }
                        }
                        for r in r0..<r1 {
                            let dest = outBase + r * cols + c0
                            for c in 0..<width {
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
