import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase

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
