import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskGrid

/// The episode test on simulated data with no change (it must reject at its nominal rate) and with
/// a planted burst (it must find it). Seeded: every run sees the same replicates.
final class EpisodeSignificanceCalibrationTests: XCTestCase {
    /// Per replicate: the p-value of one tested episode drawn at random, and whether BH over the
    /// replicate's episodes made any discovery at 0.05.
    func nullRejections(_ simulate: (inout SplitMix64) -> EpisodeSimulation.Events, sim: EpisodeSimulation, replicates: Int,
                        seed: UInt64) -> (rate: Double, pooled: Double, anyDiscovery: Double, tested: Int) {
        var rng = SplitMix64(seed: seed)
        var rejected = 0, tested = 0, pooledRejected = 0, pooled = 0, discoveries = 0
        for r in 0..<replicates {
            let events = simulate(&rng)
            let run = sim.test(events, replicates: 19, seed: UInt64(1000 + r))
            let p = run.outcome.excessP
            guard !p.isEmpty else { continue }
            tested += 1
            if p[Int(rng.next() % UInt64(p.count))] < 0.05 { rejected += 1 }
            pooled += p.count
            pooledRejected += p.filter { $0 < 0.05 }.count
            if MultipleTesting.benjaminiHochbergQValues(p).contains(where: { $0 < 0.05 }) { discoveries += 1 }
        }
        return (Double(rejected) / Double(max(tested, 1)), Double(pooledRejected) / Double(max(pooled, 1)),
                Double(discoveries) / Double(max(tested, 1)), tested)
    }

    func testHomogeneousPoissonWithNoChangeRejectsAtTheNominalRate() throws {
        let sim = try EpisodeSimulation()
        let r = nullRejections({ sim.poisson(perDay: 0.3, &$0) }, sim: sim, replicates: 400, seed: 11)
        print("Poisson null: p < 0.05 in \(r.rate) of \(r.tested) replicates; pooled episodes \(r.pooled); any BH discovery \(r.anyDiscovery)")
        XCTAssertGreaterThan(r.tested, 380)
        XCTAssertTrue((0.03...0.07).contains(r.rate), "\(r)")
    }

    func testStationaryHawkesWithNoChangeRejectsAtTheNominalRate() throws {
        let sim = try EpisodeSimulation()
        let r = nullRejections({ sim.hawkes(perDay: 0.15, branching: 0.5, meanDelayDays: 5, sigmaKm: 8, &$0) }, sim: sim,
                               replicates: 400, seed: 12)
        print("Hawkes null: p < 0.05 in \(r.rate) of \(r.tested) replicates; pooled episodes \(r.pooled); any BH discovery \(r.anyDiscovery)")
        XCTAssertGreaterThan(r.tested, 380)
        XCTAssertTrue((0.03...0.07).contains(r.rate), "\(r)")
    }

    /// Background activity everywhere but the western third; four events within ~5 km and ten
    /// days of each other somewhere in that quiet third, inside the recent window.
    func testFourEventBurstInAQuietRegionIsSignificant() throws {
        let sim = try EpisodeSimulation()
        let quietEdge = sim.grid.spec.westX + Double(sim.grid.spec.columns) * sim.grid.spec.cellSizeMeters / 3
        var rng = SplitMix64(seed: 13)
        var found = 0
        let replicates = 60
        for r in 0..<replicates {
            var events = sim.poisson(perDay: 0.3, &rng) { x, _ in x > quietEdge }
            let centre = sim.uniformPoint(&rng) { x, _ in x < quietEdge - 60_000 }
            let start = sim.baselineDays + rng.nextDouble() * (sim.recentDays - 10)
            for _ in 0..<4 {
                events.append(centre.0 + 2_500 * rng.nextGaussian(), centre.1 + 2_500 * rng.nextGaussian(), start + 10 * rng.nextDouble())
            }
            let run = sim.test(events, replicates: 49, seed: UInt64(2000 + r))
            let burstIndex = events.day.count - 1
            guard let k = run.episodes.firstIndex(where: { $0.contains { run.recentIndex[$0] == burstIndex } }) else { continue }
            let q = MultipleTesting.benjaminiHochbergQValues(run.outcome.excessP)
            if q[k] < 0.05 { found += 1 }
        }
        print("burst of 4 in a quiet region: significant in \(found) of \(replicates) replicates")
        XCTAssertGreaterThanOrEqual(Double(found) / Double(replicates), 0.9)
    }

    func testTheFitRecoversNoSelfExcitationOnPoissonData() throws {
        let sim = try EpisodeSimulation()
        var rng = SplitMix64(seed: 14)
        let run = sim.test(sim.poisson(perDay: 1, &rng), replicates: 0, seed: 1)
        XCTAssertLessThan(run.outcome.null.branchingRatio, 0.1, "\(run.outcome.null)")
        XCTAssertEqual(run.outcome.null.backgroundPerDay, 1, accuracy: 0.15)
    }
}
