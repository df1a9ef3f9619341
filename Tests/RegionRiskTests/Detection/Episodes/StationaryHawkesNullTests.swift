import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskGrid

final class StationaryHawkesNullTests: XCTestCase {
    /// Large inputs smooth the background on the grid instead of over event pairs: both give the same fit.
    func testGridSmoothingAgreesWithPairSmoothing() throws {
        let sim = try EpisodeSimulation(cellKm: 5)
        var rng = SplitMix64(seed: 21)
        let e = sim.hawkes(perDay: 0.3, branching: 0.4, meanDelayDays: 4, sigmaKm: 6, &rng)
        func fit(_ limit: Int) -> StationaryHawkesNull {
            StationaryHawkesNull.fit(x: e.x, y: e.y, day: e.day, endDay: sim.periodDays, spanDays: sim.periodDays, grid: sim.grid,
                                     smoothingMeters: 50_000, exactSmoothingLimit: limit)
        }
        let pairs = fit(.max), cells = fit(0)
        XCTAssertEqual(cells.branchingRatio, pairs.branchingRatio, accuracy: 0.03)
        XCTAssertEqual(cells.backgroundPerDay, pairs.backgroundPerDay, accuracy: 0.03 * pairs.backgroundPerDay)
        XCTAssertEqual(cells.triggerSigmaMeters, pairs.triggerSigmaMeters, accuracy: 0.1 * pairs.triggerSigmaMeters)
        // And both find the simulated branching ratio roughly (one replicate, ~200 events).
        XCTAssertEqual(pairs.branchingRatio, 0.4, accuracy: 0.2)
    }

    /// With the clustering held, the fit sums each event's triggering density once instead of
    /// keeping a list of pairs: its background against the EM written out over all pairs, on
    /// both smoothing paths.
    func testHeldClusteringFitMatchesAnAllPairsEM() throws {
        let sim = try EpisodeSimulation(cellKm: 5)
        var rng = SplitMix64(seed: 33)
        let e = sim.hawkes(perDay: 0.4, branching: 0.5, meanDelayDays: 3, sigmaKm: 5, &rng)
        XCTAssertGreaterThan(e.day.count, 150)
        let past = StationaryHawkesNull.fit(x: e.x, y: e.y, day: e.day, endDay: sim.periodDays, spanDays: sim.periodDays,
                                            grid: sim.grid, smoothingMeters: 30_000)
        XCTAssertGreaterThan(past.branchingRatio, 0.2)
        for limit in [Int.max, 0] {
            let want = Self.allPairsHeldEM(e, span: sim.periodDays, grid: sim.grid, smoothing: 30_000, held: past,
                                           atCellCentres: limit == 0)
            let got = StationaryHawkesNull.fit(x: e.x, y: e.y, day: e.day, endDay: sim.periodDays, spanDays: sim.periodDays,
                                               grid: sim.grid, smoothingMeters: 30_000, triggering: past, exactSmoothingLimit: limit)
            XCTAssertEqual(got.branchingRatio, past.branchingRatio)
            XCTAssertEqual(got.backgroundPerDay, want.perDay, accuracy: 1e-9 * want.perDay, "smoothing limit \(limit)")
            XCTAssertEqual(got.iterations, want.iterations, "smoothing limit \(limit)")
            let worst = zip(got.backgroundCellShare, want.share).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(worst, 1e-12, "smoothing limit \(limit)")
        }
    }

    /// The held-clustering EM of `StationaryHawkesNull.fit`, every sum over all pairs of events:
    /// background νᵢ = ν Σⱼ wⱼ K(xᵢ − xⱼ) / Σⱼ wⱼ mⱼ (mⱼ the kernel's mass inside the area; with
    /// `atCellCentres`, as the fit's grid path does, xᵢ is the centre of event i's cell and νᵢ = 0
    /// when that cell is outside the area), triggering over parents at most min(120, 10/ω) days
    /// and min(100 km, max(4σ, cell)) before and away.
    static func allPairsHeldEM(_ e: EpisodeSimulation.Events, span: Double, grid: AreaGrid, smoothing: Double,
                               held: StationaryHawkesNull, atCellCentres: Bool) -> (perDay: Double, share: [Double], iterations: Int) {
        let spec = grid.spec, cs = spec.cellSizeMeters
        let at: [(Double, Double)?] = e.x.indices.map { i in
            guard atCellCentres else { return (e.x[i], e.y[i]) }
            guard let cell = grid.cellIndex(x: e.x[i], y: e.y[i]), grid.mask[cell] != 0 else { return nil }
            return (spec.westX + (Double(cell % spec.columns) + 0.5) * cs, spec.northY - (Double(cell / spec.columns) + 0.5) * cs)
        }
        let n = e.day.count
        let kernel = BackgroundKernel(grid: grid, radiusMeters: smoothing)
        let mass = (0..<n).map { kernel.massInside(x: e.x[$0], y: e.y[$0]) }
        let cutoff: Double = min(120, 10 / held.decayPerDay)
        let size: Double = min(100_000, max(4 * held.triggerSigmaMeters, grid.spec.cellSizeMeters))
        let s2 = held.triggerSigmaMeters * held.triggerSigmaMeters
        var triggering = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for j in 0..<n {
                let t = e.day[i] - e.day[j]
                let dx = e.x[i] - e.x[j], dy = e.y[i] - e.y[j], d2 = dx * dx + dy * dy
                guard t > 0, t <= cutoff, d2 <= size * size else { continue }
                triggering[i] += held.branchingRatio * held.decayPerDay * exp(-held.decayPerDay * t) * exp(-d2 / (2 * s2)) / (2 * Double.pi * s2)
            }
        }
        var weight = [Double](repeating: 1, count: n), perDay = Double(n) / span, iterations = 0
        while iterations < 40 {
            iterations += 1
            let norm = (0..<n).reduce(0.0) { $0 + weight[$1] * mass[$1] }
            var sumW = 0.0
            var next = weight
            for i in 0..<n {
                var k = 0.0
                if let (px, py) = at[i] {
                    for j in 0..<n {
                        let dx = px - e.x[j], dy = py - e.y[j]
                        k += weight[j] * kernel.value(dx * dx + dy * dy)
                    }
                }
                let background = norm > 0 ? perDay * k / norm : 0
                let lambda = background + triggering[i]
                next[i] = lambda > 0 ? background / lambda : 1
                sumW += next[i]
            }
            weight = next
            let old = perDay
            perDay = sumW / span
            if abs(perDay - old) / old < 1e-5 { break }
        }
        return (perDay, kernel.cellShare(x: e.x, y: e.y, weight: weight), iterations)
    }

    /// Large means (a busy country's background over a month) are drawn correctly: mean and variance.
    func testPoissonDrawsForLargeMeans() {
        var rng = SplitMix64(seed: 5)
        for mean in [0.0, 3.0, 2_000.0] {
            let draws = (0..<400).map { _ in Double(StationaryHawkesNull.poisson(&rng, mean: mean)) }
            let m = draws.reduce(0, +) / 400
            let v = draws.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 399
            XCTAssertEqual(m, mean, accuracy: 4 * (max(mean, 1e-9) / 400).squareRoot() + 1e-9, "mean \(mean)")
            XCTAssertEqual(v, mean, accuracy: 0.25 * mean + 1e-9, "variance at mean \(mean)")
        }
        XCTAssertEqual(StationaryHawkesNull.poisson(&rng, mean: .nan), 0)
    }
}
