import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// The "no change" null of the episode test: a stationary space-time self-exciting point process
/// (Hawkes; ETAS without magnitudes) fitted by EM to the events of the analysis period.
///
///     λ(s, t) = ν·g(s) + Σ_{tᵢ < t} n · ω e^{−ω(t − tᵢ)} · φ_σ(s − xᵢ)
///
/// - ν: background events per day over the whole area; g: their spatial density, the quartic
///   kernel estimate (support radius = the detection bandwidth) of the events weighted by their
///   EM probability of being background, edge-corrected to the area;
/// - n: branching ratio (expected direct offspring per event), ω: decay rate per day,
///   σ: spread of offspring around their parent (isotropic Gaussian, metres).
///
/// Stationary means nothing in the model depends on the calendar: what it predicts for the recent
/// window is what it would predict for any window with the same history. Fitted with n = 0 the
/// model is an inhomogeneous Poisson process, and EM finds n ≈ 0 on Poisson data.
/// Parent–offspring pairs are considered up to ``pairCutoffDays`` and ``pairCutoffMeters`` apart while
/// the clustering is fitted, and up to 10/ω days and 4σ once it is held.
package struct StationaryHawkesNull: Sendable {
    /// Background events per day over the area.
    package var backgroundPerDay: Double
    /// Expected direct offspring per event (0 ≤ n < 1).
    package var branchingRatio: Double
    /// Decay rate of triggering, per day (mean parent–offspring delay 1/ω days).
    package var decayPerDay: Double
    /// Standard deviation of an offspring's offset from its parent, metres (per axis).
    package var triggerSigmaMeters: Double
    /// Share of the background in each grid cell (row-major, 0 outside the area, sums to 1).
    package var backgroundCellShare: [Double]
    /// EM iterations run.
    package var iterations: Int

    static let pairCutoffDays = 120.0
    static let pairCutoffMeters = 100_000.0
    static let maxBranching = 0.9

    /// Fits the model to events at projected (x, y) metres and times `day` (days, any origin)
    /// observed over `spanDays` days ending at `endDay`.
    /// - Parameters:
    ///   - smoothingMeters: support radius of the quartic background kernel.
    ///   - minimumSigmaMeters: floor for σ (a cell's size: offspring cannot be placed finer).
    ///   - triggering: when given, (n, ω, σ) are held at its values and only the background is fitted.
    static func fit(x: [Double], y: [Double], day: [Double], endDay: Double, spanDays: Double, grid: AreaGrid,
                    smoothingMeters: Double, triggering: StationaryHawkesNull? = nil,
                    exactSmoothingLimit: Int = 5_000, iterations maxIterations: Int = 40) -> StationaryHawkesNull {
        let n = day.count
        let kernel = BackgroundKernel(grid: grid, radiusMeters: smoothingMeters)
        let edgeMass = (0..<n).map { kernel.massInside(x: x[$0], y: y[$0]) }
        // Up to `exactSmoothingLimit` events, the kernel between every pair of events within its
        // radius, computed once (each EM iteration is then a flat loop); beyond, the kernel sum on
        // the grid read at each event's cell, which needs no memory per pair.
        let exact = n <= exactSmoothingLimit
        let smoothing = exact ? kernel.pairValues(x: x, y: y) : (rows: [], columns: [], values: [])
        let eventCells = (0..<n).map { grid.cellIndex(x: x[$0], y: y[$0]) ?? -1 }
        var cellSums = exact ? [] : [Double](repeating: 0, count: grid.spec.cellCount)
        // The kernel sum is read only at the cells holding an event: those inside the area are
        // the only ones summed.
        var read = [Bool](repeating: false, count: exact ? 0 : grid.spec.cellCount)
        for c in eventCells where c >= 0 && !exact && grid.mask[c] != 0 { read[c] = true }
        let minimumSigma = grid.spec.cellSizeMeters / 2
        // Candidate parent → child pairs.
        var parents: [Int32] = [], children: [Int32] = [], dt: [Double] = [], d2: [Double] = []
        // Once the clustering is known, pairs beyond 10 mean delays or 4σ carry < e^-8 of the kernel.
        let cutoffDays = triggering.map { min(pairCutoffDays, 10 / $0.decayPerDay) } ?? pairCutoffDays
        let size = triggering.map { min(pairCutoffMeters, max(4 * $0.triggerSigmaMeters, grid.spec.cellSizeMeters)) } ?? pairCutoffMeters
        // Every event against the events of the 3 × 3 buckets around its own, each bucket's in
        // ascending index order (the order the EM's sums run in); the buckets' coordinates and
        // days copied next to each other so that the scan reads memory in order.
        let buckets = BucketIndex(x: x, y: y, size: size)
        let bucketX = buckets.members.map { x[$0] }, bucketY = buckets.members.map { y[$0] }, bucketDay = buckets.members.map { day[$0] }
        var bucketOfEvent = [Int](repeating: 0, count: n)
        for b in 0..<buckets.bucketCount { for i in buckets.points(b) { bucketOfEvent[i] = b } }
        var neighbours = [Int](repeating: -1, count: 9 * buckets.bucketCount)
        for b in 0..<buckets.bucketCount {
            for dx in Int64(-1)...1 {
                for dy in Int64(-1)...1 { neighbours[9 * b + Int(3 * (dx + 1) + dy + 1)] = buckets.neighbour(of: b, dc: dx, dr: dy) ?? -1 }
            }
        }
        // Within each bucket, its positions also by day: the parents of an event are then one
        // range of days (0 < tᵢ − tⱼ ≤ cutoff, monotone in tⱼ), taken back to index order.
        let byDays = cutoffDays.isFinite && day.allSatisfy(\.isFinite)
        var dayOrder = Array(0..<buckets.members.count)
        if byDays {
            for b in 0..<buckets.bucketCount {
                dayOrder[buckets.start[b] ..< buckets.start[b + 1]].sort { (bucketDay[$0], $0) < (bucketDay[$1], $1) }
            }
        }
        let sortedDays = dayOrder.map { bucketDay[$0] }
        // With the clustering held, each event's triggering density Σ over its parents of
        // n·ω e^{−ω t}·φ_σ(d) is the same in every iteration: it is summed here, once, in the
        // order the pairs are found, and no list of pairs is kept (at 1M events the list held 15M
        // pairs, 360 MB, for two EM iterations). While the clustering is being fitted, every
        // iteration re-weights the pairs, so they are kept (in index order, as before).
        var heldTriggering = [Double](repeating: 0, count: triggering == nil ? 0 : n)
        let heldS2 = triggering.map { $0.triggerSigmaMeters * $0.triggerSigmaMeters } ?? 1
        let heldScale = triggering.map { $0.branchingRatio * $0.decayPerDay / (2 * Double.pi * heldS2) } ?? 0
        let heldDecay = triggering?.decayPerDay ?? 0
        var window: [Int] = []
        for i in 0..<n {
            let b = bucketOfEvent[i], xi = x[i], yi = y[i], di = day[i]
            for o in neighbours[9 * b ..< 9 * b + 9] where o >= 0 {
                window.removeAll(keepingCapacity: true)
                if byDays {
                    var lo = buckets.start[o], hi = buckets.start[o + 1]
                    var a = lo, z = hi
                    while a < z {  // first with tᵢ − tⱼ ≤ cutoff
                        let m = (a + z) / 2
                        if di - sortedDays[m] <= cutoffDays { z = m } else { a = m + 1 }
                    }
                    lo = a; z = hi
                    while a < z {  // first with tⱼ ≥ tᵢ
                        let m = (a + z) / 2
                        if sortedDays[m] >= di { z = m } else { a = m + 1 }
                    }
                    hi = a
                    if triggering != nil {
                        var sum = 0.0
                        for q in lo ..< hi {
                            let p = dayOrder[q]
                            let t = di - bucketDay[p]
                            guard t > 0 else { continue }
                            let ex = xi - bucketX[p], ey = yi - bucketY[p], e2 = ex * ex + ey * ey
                            guard e2 <= size * size else { continue }
                            sum += exp(-heldDecay * t - e2 / (2 * heldS2))
                        }
                        heldTriggering[i] += heldScale * sum
                        continue
                    }
                    window.append(contentsOf: dayOrder[lo ..< hi])
                    window.sort()
                } else {
                    window.append(contentsOf: buckets.start[o] ..< buckets.start[o + 1])
                }
                for p in window {
                    let t = di - bucketDay[p]
                    guard t > 0, t <= cutoffDays else { continue }
                    let ex = xi - bucketX[p], ey = yi - bucketY[p], e2 = ex * ex + ey * ey
                    guard e2 <= size * size else { continue }
                    if triggering != nil {
                        heldTriggering[i] += heldScale * exp(-heldDecay * t - e2 / (2 * heldS2))
                        continue
                    }
                    parents.append(Int32(buckets.members[p])); children.append(Int32(i)); dt.append(t); d2.append(e2)
                }
            }
        }
        var model = StationaryHawkesNull(backgroundPerDay: Double(n) / max(spanDays, 1), branchingRatio: parents.isEmpty ? 0 : 0.2,
                                         decayPerDay: 0.1, triggerSigmaMeters: max(10_000, minimumSigma),
                                         backgroundCellShare: [], iterations: 0)
        if let t = triggering {
            model.branchingRatio = t.branchingRatio
            model.decayPerDay = t.decayPerDay
            model.triggerSigmaMeters = t.triggerSigmaMeters
        }
        var weight = [Double](repeating: 1, count: n)  // P(event is background)
        var background = [Double](repeating: 0, count: n)
        var lambda = [Double](repeating: 0, count: n)
        var pij = [Double](repeating: 0, count: triggering == nil ? parents.count : 0)
        guard n > 0 else {
            model.backgroundCellShare = kernel.uniformShare()
            return model
        }
        var inverseLambda = [Double](repeating: 0, count: triggering == nil ? n : 0)
        // The E-step over the candidate pairs while the clustering is fitted (the free fit's pairs
        // number ~10⁶ and it runs up to 40 iterations, so this is most of its time): each pair's
        // triggering density n·ω e^{−ω t}·φ_σ(d) per day·m², one exp per pair, added to its
        // child's λ; then, once λ is complete, turned into the pair's probability pᵢⱼ of being the
        // child's parent. Returns Σp, Σp·t and Σp·d² for the M-step.
        func triggeringEStep(_ m: StationaryHawkesNull) -> (p: Double, pdt: Double, pd2: Double) {
            let s2 = m.triggerSigmaMeters * m.triggerSigmaMeters
            let scale = m.branchingRatio * m.decayPerDay / (2 * Double.pi * s2), decay = m.decayPerDay, spread = 1 / (2 * s2)
            var sumP = 0.0, sumPdt = 0.0, sumPd2 = 0.0
            children.withUnsafeBufferPointer { child in
                dt.withUnsafeBufferPointer { dt in
                    d2.withUnsafeBufferPointer { d2 in
                        pij.withUnsafeMutableBufferPointer { pij in
                            lambda.withUnsafeMutableBufferPointer { lambda in
                                for k in 0..<pij.count {
                                    let v = scale * exp(-decay * dt[k] - d2[k] * spread)
                                    pij[k] = v
                                    lambda[Int(child[k])] += v
                                }
                            }
                            inverseLambda.withUnsafeMutableBufferPointer { inverse in
                                for i in 0..<n { inverse[i] = lambda[i] > 0 ? 1 / lambda[i] : 0 }
                                for k in 0..<pij.count {
                                    let p = pij[k] * inverse[Int(child[k])]
                                    pij[k] = p
                                    sumP += p; sumPdt += p * dt[k]; sumPd2 += p * d2[k]
                                }
                            }
                        }
                    }
                }
            }
            return (sumP, sumPdt, sumPd2)
        }
        var iteration = 0
        while iteration < maxIterations {
            iteration += 1
            // Background density at each event, events/(day·m²): ν · Σⱼ wⱼ K(xᵢ − xⱼ) / Σⱼ wⱼ cⱼ.
            let norm = zip(weight, edgeMass).reduce(0) { $0 + $1.0 * $1.1 }
            for i in 0..<n { background[i] = 0 }
            if exact {
                for k in smoothing.rows.indices { background[Int(smoothing.rows[k])] += weight[Int(smoothing.columns[k])] * smoothing.values[k] }
            } else {
                for i in cellSums.indices { cellSums[i] = 0 }
                let spec = grid.spec, cs = spec.cellSizeMeters
                for j in 0..<n where weight[j] > 0 {
                    let w = weight[j], px = x[j]
                    // `kernel.forCells` with its per-cell work inlined, at the cells read.
                    kernel.forEachRun(near: px, y[j], strictly: false, withinGrid: true) { r, dy, run in
                        let base = r * spec.columns
                        for c in run where read[base + c] {
                            let dx = spec.westX + (Double(c) + 0.5) * cs - px
                            cellSums[base + c] += w * kernel.value(dx * dx + dy * dy)
                        }
                    }
                }
                for i in 0..<n where eventCells[i] >= 0 { background[i] = cellSums[eventCells[i]] }
            }
            for i in 0..<n { background[i] = norm > 0 ? model.backgroundPerDay * background[i] / norm : 0 }
            for i in 0..<n { lambda[i] = background[i] }
            var sumP = 0.0, sumPdt = 0.0, sumPd2 = 0.0
            if triggering != nil {
                for i in 0..<n { lambda[i] += heldTriggering[i] }
            } else {
                (sumP, sumPdt, sumPd2) = triggeringEStep(model)
            }
            var sumW = 0.0
            for i in 0..<n {
                weight[i] = lambda[i] > 0 ? background[i] / lambda[i] : 1
                sumW += weight[i]
            }
            let old = (model.backgroundPerDay, model.branchingRatio, model.decayPerDay, model.triggerSigmaMeters)
            model.backgroundPerDay = sumW / max(spanDays, 1)
            if triggering != nil {
                // Held fixed.
            } else if sumP > 1e-9 {
                let exposure = day.reduce(0) { $0 + (1 - exp(-model.decayPerDay * max(0, endDay - $1))) }
                model.branchingRatio = min(maxBranching, sumP / max(exposure, 1e-9))
                model.decayPerDay = min(10, max(1 / pairCutoffDays, sumP / max(sumPdt, 1e-9)))
                model.triggerSigmaMeters = max(minimumSigma, (sumPd2 / (2 * sumP)).squareRoot())
            } else {
                model.branchingRatio = 0
            }
            let change = abs(model.backgroundPerDay - old.0) / max(old.0, 1e-12) + abs(model.branchingRatio - old.1)
                + abs(model.decayPerDay - old.2) / old.2 + abs(model.triggerSigmaMeters - old.3) / old.3
            if change < 1e-5 { break }
        }
        model.iterations = iteration
        model.backgroundCellShare = kernel.cellShare(x: x, y: y, weight: weight)
        return model
    }

    /// Expected events per cell over the window (start, end] days given the history events
    /// (x, y, day ≤ start): background plus offspring of the history. Offspring of events inside
    /// the window are left out (the Monte Carlo replicates include them).
    func expectedCounts(windowStart: Double, windowEnd: Double, historyX: [Double], historyY: [Double], historyDay: [Double],
                        grid: AreaGrid) -> [Double] {
        let length = windowEnd - windowStart
        var out = backgroundCellShare.map { $0 * backgroundPerDay * length }
        guard branchingRatio > 0 else { return out }
        let spread = GaussianCellSpread(grid: grid, sigmaMeters: triggerSigmaMeters)
        for j in historyDay.indices {
            let m = branchingRatio * (exp(-decayPerDay * (windowStart - historyDay[j])) - exp(-decayPerDay * (windowEnd - historyDay[j])))
            if m > 1e-9 { spread.add(mean: m, x: historyX[j], y: historyY[j], into: &out) }
        }
        return out
    }

    /// One replicate of the window (start, end] under the model, given the history: background
    /// events drawn from the fitted density and offspring of the history and of each other, kept
    /// when they fall in a cell inside the area. Returns projected (x, y) metres.
    func simulateWindow(windowStart: Double, windowEnd: Double, historyX: [Double], historyY: [Double], historyDay: [Double],
                        grid: AreaGrid, sampler: CellSampler, rng: inout SplitMix64) -> (x: [Double], y: [Double]) {
        simulateWindow(windowStart: windowStart, windowEnd: windowEnd, historyX: historyX, historyY: historyY, historyDay: historyDay,
                       offspring: historyOffspring(windowStart: windowStart, windowEnd: windowEnd, historyDay: historyDay),
                       grid: grid, sampler: sampler, rng: &rng)
    }

    /// The history events with offspring expected in the window (start, end] (mean above 10⁻⁹),
    /// with e^{−ω(end − tⱼ)}, e^{−ω(start − tⱼ)} and the mean n·(b − a): the same for every
    /// replicate, so computed once for all of them.
    struct HistoryOffspring: Sendable {
        var index: [Int] = [], a: [Double] = [], b: [Double] = [], mean: [Double] = []
    }

    func historyOffspring(windowStart: Double, windowEnd: Double, historyDay: [Double]) -> HistoryOffspring {
        var out = HistoryOffspring()
        guard branchingRatio > 0 else { return out }
        for j in historyDay.indices {
            let a = exp(-decayPerDay * (windowEnd - historyDay[j])), b = exp(-decayPerDay * (windowStart - historyDay[j]))
            let m = branchingRatio * (b - a)
            guard m > 1e-9 else { continue }
            out.index.append(j); out.a.append(a); out.b.append(b); out.mean.append(m)
        }
        return out
    }

    /// `simulateWindow` with the history's offspring means computed before (`historyOffspring`).
    func simulateWindow(windowStart: Double, windowEnd: Double, historyX: [Double], historyY: [Double], historyDay: [Double],
                        offspring history: HistoryOffspring, grid: AreaGrid, sampler: CellSampler,
                        rng: inout SplitMix64) -> (x: [Double], y: [Double]) {
        var xs: [Double] = [], ys: [Double] = [], ts: [Double] = []
        let length = windowEnd - windowStart
        let spec = grid.spec, cs = spec.cellSizeMeters
        for _ in 0..<Self.poisson(&rng, mean: backgroundPerDay * length) {
            let cell = sampler.draw(&rng)
            let c = cell % spec.columns, r = cell / spec.columns
            xs.append(spec.westX + (Double(c) + rng.nextDouble()) * cs)
            ys.append(spec.northY - (Double(r) + rng.nextDouble()) * cs)
            ts.append(windowStart + rng.nextDouble() * length)
        }
        var queue: [(x: Double, y: Double, t: Double)] = []
        if branchingRatio > 0 {
            for k in history.index.indices {
                let j = history.index[k], a = history.a[k], b = history.b[k]
                for _ in 0..<Self.poisson(&rng, mean: history.mean[k]) {
                    let u = a + (b - a) * rng.nextDouble()
                    queue.append(offspring(of: (historyX[j], historyY[j]), at: historyDay[j] - log(max(u, 1e-300)) / decayPerDay, &rng))
                }
            }
        }
        for k in xs.indices { queue.append((xs[k], ys[k], ts[k])) }
        xs.removeAll(); ys.removeAll()
        var head = 0
        while head < queue.count {
            let e = queue[head]; head += 1
            guard e.t <= windowEnd, e.t > windowStart, grid.isInside(x: e.x, y: e.y) else { continue }
            xs.append(e.x); ys.append(e.y)
            guard branchingRatio > 0 else { continue }
            for _ in 0..<Self.poisson(&rng, mean: branchingRatio * (1 - exp(-decayPerDay * (windowEnd - e.t)))) {
                let delay = -log(max(1 - rng.nextDouble() * (1 - exp(-decayPerDay * (windowEnd - e.t))), 1e-300)) / decayPerDay
                queue.append(offspring(of: (e.x, e.y), at: e.t + delay, &rng))
            }
        }
        return (xs, ys)
    }

    /// A Poisson draw for any mean: `SplitMix64.nextPoisson` (Knuth's product method) loses its
    /// accuracy once e^{−mean} underflows, so large means are drawn as sums of draws of at most
    /// 30 (a sum of independent Poisson variables is Poisson).
    static func poisson(_ rng: inout SplitMix64, mean: Double) -> Int {
        guard mean.isFinite, mean > 0 else { return 0 }
        var left = mean, k = 0
        while left > 30 { k += rng.nextPoisson(mean: 30); left -= 30 }
        return k + rng.nextPoisson(mean: left)
    }

    private func offspring(of p: (Double, Double), at t: Double, _ rng: inout SplitMix64) -> (x: Double, y: Double, t: Double) {
        (p.0 + triggerSigmaMeters * rng.nextGaussian(), p.1 + triggerSigmaMeters * rng.nextGaussian(), t)
    }

    /// The fit as output metadata.
    package var json: JSONValue {
        .object([
            ("model", "stationary space-time Hawkes (EM)"),
            ("background_events_per_day", .number(backgroundPerDay)),
            ("branching_ratio", .number(branchingRatio)),
            ("mean_trigger_delay_days", .number(1 / decayPerDay)),
            ("trigger_sigma_km", .number(triggerSigmaMeters / 1000)),
            ("em_iterations", .number(Double(iterations))),
        ])
    }
}

extension AreaGrid {
    /// Whether projected (x, y) metres fall in a cell whose centre is inside the area.
    func isInside(x: Double, y: Double) -> Bool {
        guard let i = cellIndex(x: x, y: y) else { return false }
        return mask[i] != 0
    }

    /// The row-major index of the cell holding projected (x, y), nil outside the grid.
    func cellIndex(x: Double, y: Double) -> Int? {
        let cs = spec.cellSizeMeters
        let c = (x - spec.westX) / cs, r = (spec.northY - y) / cs
        guard c.isFinite, r.isFinite, c >= 0, r >= 0, c < Double(spec.columns), r < Double(spec.rows) else { return nil }
        return Int(r) * spec.columns + Int(c)
    }
}

/// Draws cells with probability proportional to fixed weights (cumulative sums, binary search).
struct CellSampler: Sendable {
    let cells: [Int]
    let cumulative: [Double]

    init(share: [Double]) {
        var cells: [Int] = [], cumulative: [Double] = []
        var total = 0.0
        for (i, w) in share.enumerated() where w > 0 {
            total += w
            cells.append(i); cumulative.append(total)
        }
        self.cells = cells
        self.cumulative = cumulative
    }

    func draw(_ rng: inout SplitMix64) -> Int {
        guard let total = cumulative.last else { return 0 }
        let u = rng.nextDouble() * total
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return cells[lo]
    }
}

/// The quartic background kernel on the grid: K(r) = 3/(πR²)(1 − r²/R²)², per m².
struct BackgroundKernel {
    let grid: AreaGrid
    let radius: Double

    init(grid: AreaGrid, radiusMeters: Double) {
        self.grid = grid
        self.radius = max(radiusMeters, grid.spec.cellSizeMeters)
    }

    func value(_ r2: Double) -> Double {
        let u2 = r2 / (radius * radius)
        guard u2 < 1 else { return 0 }
        return 3 / (Double.pi * radius * radius) * (1 - u2) * (1 - u2)
    }

    /// Visits the cells inside the area whose centres lie within the radius of (x, y).
    func forCells(near x: Double, _ y: Double, _ body: (Int, Double) -> Void) {
        forLattice(near: x, y) { i, r2 in if let i { body(i, r2) } }
    }

    /// Visits every lattice position of the grid's cell centres within the radius of (x, y), also
    /// beyond the grid's edge, with the cell index when the cell exists and is inside the area;
    /// rows top-down, columns left to right.
    func forLattice(near x: Double, _ y: Double, _ body: (Int?, Double) -> Void) {
        let spec = grid.spec, cs = spec.cellSizeMeters
        forEachRun(near: x, y, strictly: false, withinGrid: false) { r, dy, columns in
            let rowInGrid = r >= 0 && r < spec.rows
            for c in columns {
                let dx = spec.westX + (Double(c) + 0.5) * cs - x
                let r2 = dx * dx + dy * dy
                if rowInGrid, c >= 0, c < spec.columns, grid.mask[r * spec.columns + c] != 0 {
                    body(r * spec.columns + c, r2)
                } else {
                    body(nil, r2)
                }
            }
        }
    }

    /// For each row of the lattice of cell centres around (x, y), top-down, the run of columns
    /// whose centres lie within the radius: `dx² + dy² ≤ R²`, or `< R²` when `strictly`, with
    /// `dx = westX + (c + ½)·cs − x` and `dy = northY − (r + ½)·cs − y` rounded as written.
    /// Each rounded step is monotone in the column, so the squared distance only grows away from
    /// the point and a row's columns within it are one run, found from the column nearest the
    /// point and an estimate of its ends corrected by the exact test: the same positions as
    /// testing every one of the lattice square, at a cost per row rather than per cell.
    /// `withinGrid` limits rows and columns to the grid's.
    /// `covered(row, low, high)` (the variant below) is asked first for each row with bounds `low ... high`
    /// that hold the row's run whatever it is (the chord's ends ± 1 column, clamped like the run):
    /// when it answers true the row is skipped, its exact ends never computed.
    @inline(__always)
    func forEachRun(near x: Double, _ y: Double, strictly: Bool, withinGrid: Bool,
                    _ body: (_ row: Int, _ dy: Double, _ columns: ClosedRange<Int>) -> Void) {
        forEachRun(near: x, y, strictly: strictly, withinGrid: withinGrid, covered: { _, _, _ in false }, body)
    }

    /// Inlined into each caller, so that both closures are compiled into its loop.
    @inline(__always)
    func forEachRun(near x: Double, _ y: Double, strictly: Bool, withinGrid: Bool,
                    covered: (_ row: Int, _ low: Int, _ high: Int) -> Bool,
                    _ body: (_ row: Int, _ dy: Double, _ columns: ClosedRange<Int>) -> Void) {
        // The spec's numbers only: copying the spec would retain and release its CRS string per call.
        let westX = grid.spec.westX, northY = grid.spec.northY, cs = grid.spec.cellSizeMeters
        guard x.isFinite, y.isFinite, abs(x) < 1e9, abs(y) < 1e9 else { return }
        var cLo = Int(((x - radius - westX) / cs - 0.5).rounded(.up))
        var cHi = Int(((x + radius - westX) / cs - 0.5).rounded(.down))
        var rLo = Int(((northY - y - radius) / cs - 0.5).rounded(.up))
        var rHi = Int(((northY - y + radius) / cs - 0.5).rounded(.down))
        if withinGrid {
            cLo = max(cLo, 0); cHi = min(cHi, grid.spec.columns - 1)
            rLo = max(rLo, 0); rHi = min(rHi, grid.spec.rows - 1)
        }
        guard cLo <= cHi, rLo <= rHi else { return }
        let r2max = radius * radius
        let offset = (x - westX) / cs - 0.5
        let guess = min(max(Int(offset.rounded()), cLo), cHi)
        for r in rLo...rHi {
            let dy = northY - (Double(r) + 0.5) * cs - y
            let half = max(0, r2max - dy * dy).squareRoot() / cs
            // Every column of the run has |c − offset| ≤ half up to rounding (far below a column).
            if covered(r, max(cLo, Int((offset - half).rounded(.down)) - 1), min(cHi, Int((offset + half).rounded(.up)) + 1)) {
                continue
            }
            func inside(_ c: Int) -> Bool {
                let dx = westX + (Double(c) + 0.5) * cs - x
                let r2 = dx * dx + dy * dy
                return strictly ? r2 < r2max : r2 <= r2max
            }
            // The nearest column is within one of `guess`; when it is outside, so is the row.
            let centre: Int
            if inside(guess) { centre = guess } else if guess > cLo, inside(guess - 1) { centre = guess - 1 }
            else if guess < cHi, inside(guess + 1) { centre = guess + 1 } else { continue }
            var a = min(max(Int((offset - half).rounded(.up)), cLo), centre)
            while a > cLo, inside(a - 1) { a -= 1 }
            while !inside(a) { a += 1 }
            var b = max(min(Int((offset + half).rounded(.down)), cHi), centre)
            while b < cHi, inside(b + 1) { b += 1 }
            while !inside(b) { b -= 1 }
            body(r, dy, a...b)
        }
    }

    /// The share of the kernel around (x, y) that falls in cells inside the area (edge correction).
    func massInside(x: Double, y: Double) -> Double {
        var total = 0.0
        let area = grid.spec.cellSizeMeters * grid.spec.cellSizeMeters
        forCells(near: x, y) { _, r2 in total += value(r2) * area }
        return min(1, total)
    }

    /// K(xᵢ − xⱼ) for every ordered pair (i, j) within the radius, i = j included, as flat arrays.
    func pairValues(x: [Double], y: [Double]) -> (rows: [Int32], columns: [Int32], values: [Double]) {
        var rows: [Int32] = [], columns: [Int32] = [], values: [Double] = []
        var buckets: [BucketKey: [Int]] = [:]
        for i in x.indices { buckets[BucketKey(x[i], y[i], radius), default: []].append(i) }
        for i in x.indices {
            let k = BucketKey(x[i], y[i], radius)
            for dx in -1...1 {
                for dy in -1...1 {
                    for j in buckets[BucketKey(column: k.column &+ Int64(dx), row: k.row &+ Int64(dy))] ?? [] {
                        let ex = x[i] - x[j], ey = y[i] - y[j]
                        let v = value(ex * ex + ey * ey)
                        if v > 0 { rows.append(Int32(i)); columns.append(Int32(j)); values.append(v) }
                    }
                }
            }
        }
        return (rows, columns, values)
    }

    /// Σⱼ wⱼ K on the cells, normalised to sum to 1 over the area; uniform when nothing is left.
    func cellShare(x: [Double], y: [Double], weight: [Double]) -> [Double] {
        var share = [Double](repeating: 0, count: grid.spec.cellCount)
        for j in x.indices where weight[j] > 0 {
            forCells(near: x[j], y[j]) { i, r2 in share[i] += weight[j] * value(r2) }
        }
        let total = share.reduce(0, +)
        guard total > 0 else { return uniformShare() }
        return share.map { $0 / total }
    }

    func uniformShare() -> [Double] {
        let inside = Double(max(grid.cellsInside, 1))
        return grid.mask.map { $0 != 0 ? 1 / inside : 0 }
    }
}

/// Spreads an expected count over the cells around a point with an isotropic Gaussian sampled at
/// cell centres within 3σ; the share that falls on cells outside the area is lost, as offspring
/// placed there are in the simulation.
struct GaussianCellSpread {
    let kernel: BackgroundKernel
    let sigma: Double

    init(grid: AreaGrid, sigmaMeters: Double) {
        kernel = BackgroundKernel(grid: grid, radiusMeters: 3 * sigmaMeters)
        sigma = sigmaMeters
    }

    func add(mean: Double, x: Double, y: Double, into out: inout [Double]) {
        var cells: [(Int, Double)] = []
        var total = 0.0
        kernel.forLattice(near: x, y) { i, r2 in
            let w = exp(-r2 / (2 * sigma * sigma))
            total += w
            if let i { cells.append((i, w)) }
        }
        if total > 0 {
            for (i, w) in cells { out[i] += mean * w / total }
        } else if let i = kernel.grid.cellIndex(x: x, y: y), kernel.grid.mask[i] != 0 {
            out[i] += mean
        }
    }
}
