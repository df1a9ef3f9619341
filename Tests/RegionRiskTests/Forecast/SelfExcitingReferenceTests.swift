import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskGrid

/// The fitter's fast paths (pair index, threaded sums, negligible-term skipping, SQUAREM) against
/// plain all-pairs O(n²) computations written out from the formulas.
final class SelfExcitingReferenceTests: XCTestCase {
    static let days = 200.0
    static let theta = SelfExcitingParameters(muPerDay: 0.2, alpha: 0.45, omegaPerDay: 0.08, sigmaKm: 7)

    /// About 100 simulated events and a made-up background density at each.
    static func input() -> (points: SpaceTimePoints, background: [Double]) {
        let points = ForecastSimulation.simulate(days: days, seed: 31).sortedByTime()
        var rng = SplitMix64(seed: 2)
        return (points, (0..<points.count).map { _ in 2e-5 * (0.5 + rng.nextDouble()) })
    }

    static func fitter(cutoffDays: Double, cutoffKm: Double) -> SelfExcitingFitter {
        let (points, background) = input()
        var f = SelfExcitingFitter(points: points, backgroundAtEvent: background, backgroundMassInArea: 0.9, startDay: 0, endDay: days)
        f.buildPairs(maxLagDays: cutoffDays, maxDistanceKm: cutoffKm)
        return f
    }

    /// Triggering intensity from j at i, all pairs, with optional cut-offs.
    static func kernel(_ p: SpaceTimePoints, _ i: Int, _ j: Int, _ t: SelfExcitingParameters, cutoffDays: Double, cutoffKm: Double) -> Double {
        let dt = p.tDays[i] - p.tDays[j]
        let r2 = pow(p.xKm[i] - p.xKm[j], 2) + pow(p.yKm[i] - p.yKm[j], 2)
        guard dt > 0, dt <= cutoffDays, r2 <= cutoffKm * cutoffKm else { return 0 }
        return t.alpha * t.omegaPerDay * exp(-t.omegaPerDay * dt) * exp(-r2 / (2 * t.sigmaKm * t.sigmaKm)) / (2 * Double.pi * t.sigmaKm * t.sigmaKm)
    }

    func testPairIndexHoldsExactlyThePairsWithinTheCutoffs() {
        let f = Self.fitter(cutoffDays: 30, cutoffKm: 15)
        let p = f.points
        var expected = 0
        for i in 0..<p.count {
            var reference: [Double] = []
            for j in 0..<p.count {
                let dt = p.tDays[i] - p.tDays[j], r2 = pow(p.xKm[i] - p.xKm[j], 2) + pow(p.yKm[i] - p.yKm[j], 2)
                if dt > 0, dt <= 30, r2 <= 225 { reference.append(dt * 1e6 + r2) }
            }
            expected += reference.count
            let got = (f.pairs.start[i]..<f.pairs.start[i + 1]).map { f.pairs.lagDays[$0] * 1e6 + f.pairs.distanceSquaredKm2[$0] }
            XCTAssertEqual(got.sorted(), reference.sorted(), "child \(i)")
        }
        XCTAssertGreaterThan(expected, 20, "the scenario has pairs inside the cut-offs")
        XCTAssertLessThan(expected, p.count * (p.count - 1) / 2, "and pairs outside them")
    }

    func testLogLikelihoodEqualsAllPairsSum() {
        for (days, km) in [(30.0, 15.0), (1e9, 1e9)] {
            let f = Self.fitter(cutoffDays: days, cutoffKm: km)
            let p = f.points, t = Self.theta
            var reference = 0.0
            for i in 0..<p.count {
                var lam = t.muPerDay * f.backgroundAtEvent[i]
                for j in 0..<p.count { lam += Self.kernel(p, i, j, t, cutoffDays: days, cutoffKm: km) }
                reference += log(lam)
            }
            reference -= t.muPerDay * Self.days * 0.9
            for j in 0..<p.count { reference -= t.alpha * (1 - exp(-t.omegaPerDay * (Self.days - p.tDays[j]))) }
            XCTAssertEqual(f.logLikelihood(t), reference, accuracy: 1e-9 * abs(reference), "cut-offs \(days) d, \(km) km")
        }
    }

    /// One EM step: the declustering probabilities and the M-step's closed forms, and ω from a
    /// bisection on the derivative of its objective (the fitter uses Newton's method).
    func testEMStepEqualsAllPairsStep() {
        let f = Self.fitter(cutoffDays: 1e9, cutoffKm: 1e9)
        let p = f.points, t = Self.theta, n = p.count
        var pBackground = [Double](repeating: 0, count: n)
        var sumP = 0.0, sumPLag = 0.0, sumPR2 = 0.0
        for i in 0..<n {
            let g = (0..<n).map { Self.kernel(p, i, $0, t, cutoffDays: 1e9, cutoffKm: 1e9) }
            let lam = t.muPerDay * f.backgroundAtEvent[i] + g.reduce(0, +)
            pBackground[i] = t.muPerDay * f.backgroundAtEvent[i] / lam
            for j in 0..<n where g[j] > 0 {
                sumP += g[j] / lam
                sumPLag += g[j] / lam * (p.tDays[i] - p.tDays[j])
                sumPR2 += g[j] / lam * (pow(p.xKm[i] - p.xKm[j], 2) + pow(p.yKm[i] - p.yKm[j], 2))
            }
        }
        let exposure = p.tDays.map { Self.days - $0 }
        let mu = pBackground.reduce(0, +) / (Self.days * 0.9)
        let alpha = sumP / exposure.reduce(0) { $0 + 1 - exp(-t.omegaPerDay * $1) }
        // d/dω [S·log ω − ω·Σp·lag − α·Σ(1 − e^{−ω·e})] = S/ω − Σp·lag − α·Σ e·e^{−ω·e}: its root by bisection.
        func slope(_ w: Double) -> Double { sumP / w - sumPLag - alpha * exposure.reduce(0) { $0 + $1 * exp(-w * $1) } }
        var lo = 1e-6, hi = 10.0
        XCTAssertGreaterThan(slope(lo), 0)
        XCTAssertLessThan(slope(hi), 0)
        for _ in 0..<200 { let mid = (lo + hi) / 2; if slope(mid) > 0 { lo = mid } else { hi = mid } }
        let omega = (lo + hi) / 2
        let sigma = (sumPR2 / (2 * sumP)).squareRoot()

        var fast = [Double](repeating: 0, count: n)
        let (next, ll) = f.emStep(t, pBackground: &fast)
        for (k, reference) in [mu, alpha, omega, sigma].enumerated() {
            XCTAssertEqual(next.vector[k], reference, accuracy: 1e-9 * reference, SelfExcitingParameters.names[k])
        }
        for i in 0..<n { XCTAssertEqual(fast[i], pBackground[i], accuracy: 1e-9) }
        XCTAssertEqual(ll, f.logLikelihood(t), accuracy: 1e-9 * abs(ll))
    }

    /// The temporal sum that skips negligible terms equals the full one.
    func testTriggerExposureSkipsOnlyNegligibleTerms() {
        let exposure = stride(from: 3650.0, through: 0, by: -0.37).map { $0 }
        for omega in [0.001, 0.1, 3.0] {
            let full = exposure.reduce(0) { $0 + (1 - exp(-omega * $1)) }
            XCTAssertEqual(SelfExcitingFitter.triggerExposure(exposure, omega: omega), full, accuracy: 1e-12 * full)
        }
        XCTAssertGreaterThan(SelfExcitingFitter.firstNonNegligible(exposure, omega: 3), 0, "terms are skipped")
    }

    /// SQUAREM reaches plain EM's fixed point, in fewer E-steps.
    func testAcceleratedEMReachesThePlainFixedPoint() {
        let points = ForecastSimulation.simulate(days: 600, seed: 12).sortedByTime()
        var rng = SplitMix64(seed: 4)
        let background = (0..<points.count).map { _ in 2e-5 * (0.5 + rng.nextDouble()) }
        var f = SelfExcitingFitter(points: points, backgroundAtEvent: background, backgroundMassInArea: 1, startDay: 0, endDay: 600)
        f.buildPairs(maxLagDays: 120, maxDistanceKm: 40)
        let start = SelfExcitingParameters(muPerDay: 0.3, alpha: 0.5, omegaPerDay: 0.2, sigmaKm: 5)
        let plain = f.fitEM(initial: start, maxIterations: 5000, tolerance: 1e-10, accelerated: false)
        let fast = f.fitEM(initial: start, maxIterations: 5000, tolerance: 1e-10, accelerated: true)
        XCTAssertTrue(plain.converged)
        XCTAssertTrue(fast.converged)
        print("EM E-steps: plain \(plain.iterations), SQUAREM \(fast.iterations)")
        for k in 0..<4 {
            XCTAssertEqual(fast.parameters.vector[k], plain.parameters.vector[k], accuracy: 1e-6 * plain.parameters.vector[k],
                           SelfExcitingParameters.names[k])
        }
        XCTAssertLessThan(fast.iterations, plain.iterations)
        XCTAssertGreaterThanOrEqual(fast.logLikelihood, plain.logLikelihood - 1e-9 * abs(plain.logLikelihood))
    }
}
