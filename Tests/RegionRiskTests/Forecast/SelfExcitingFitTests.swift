import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskData
@testable import RegionRiskGeoJSON
@testable import RegionRiskGrid
@testable import RegionRiskReport

/// Simulated truth for the self-exciting fit: a 200 km square, three background patches.
enum ForecastSimulation {
    static let truth = SelfExcitingParameters(muPerDay: 0.25, alpha: 0.5, omegaPerDay: 0.1, sigmaKm: 6)
    static let box = (minX: 0.0, minY: 0.0, maxX: 200.0, maxY: 200.0)
    static let patches = [
        SelfExcitingSimulator.Patch(xKm: 50, yKm: 60, sigmaKm: 20, weight: 2),
        SelfExcitingSimulator.Patch(xKm: 140, yKm: 150, sigmaKm: 25, weight: 1),
        SelfExcitingSimulator.Patch(xKm: 150, yKm: 50, sigmaKm: 15, weight: 1),
    ]
    /// A 5 km grid over the square, every cell inside.
    static let grid = GridSpec(crs: "local", westX: 0, northY: 200_000, columns: 40, rows: 40, cellSizeMeters: 5000)
    static var mask: [UInt8] { [UInt8](repeating: 1, count: grid.cellCount) }

    static func simulate(days: Double, seed: UInt64, truth: SelfExcitingParameters = truth) -> SpaceTimePoints {
        SelfExcitingSimulator(parameters: truth, patches: patches, uniformBox: box, clipToBox: true)
            .simulate(startDay: 0, endDay: days, seed: seed).points
    }
}

final class SelfExcitingFitTests: XCTestCase {
    /// Parameter recovery: each of μ, α, ω, σ lies within 2 standard errors of the truth in at
    /// least 90% of seeded replicates (the SEs come from the fit's own observed information).
    func testParameterRecoveryWithinTwoStandardErrors() throws {
        #if DEBUG
        let replicates = 20, days = 600.0
        #else
        let replicates = 60, days = 1500.0
        #endif
        var within = [Int](repeating: 0, count: 4)
        var estimates: [[Double]] = []
        for r in 0..<replicates {
            let points = ForecastSimulation.simulate(days: days, seed: 1000 + UInt64(r))
            let fit = try SelfExcitingFit.fit(points: points, grid: ForecastSimulation.grid, mask: ForecastSimulation.mask,
                                              startDay: 0, endDay: days, minimumBandwidthKm: 2.5)
            estimates.append(fit.parameters.vector)
            for k in 0..<4 {
                guard let se = fit.standardErrors[k] else { continue }
                if abs(fit.parameters.vector[k] - ForecastSimulation.truth.vector[k]) <= 2 * se { within[k] += 1 }
            }
        }
        for k in 0..<4 {
            let mean = estimates.map { $0[k] }.reduce(0, +) / Double(replicates)
            print("recovery \(SelfExcitingParameters.names[k]): truth \(ForecastSimulation.truth.vector[k]), mean estimate \(mean), within 2 SE in \(within[k])/\(replicates)")
            XCTAssertGreaterThanOrEqual(Double(within[k]) / Double(replicates), 0.9, SelfExcitingParameters.names[k])
        }
    }

    /// With no self-excitation in the truth the fit finds little: α near 0.
    func testPoissonTruthGivesSmallBranchingRatio() throws {
        let truth = SelfExcitingParameters(muPerDay: 0.5, alpha: 0, omegaPerDay: 0.1, sigmaKm: 6)
        let points = ForecastSimulation.simulate(days: 800, seed: 7, truth: truth)
        let fit = try SelfExcitingFit.fit(points: points, grid: ForecastSimulation.grid, mask: ForecastSimulation.mask,
                                          startDay: 0, endDay: 800, minimumBandwidthKm: 2.5)
        XCTAssertLessThan(fit.parameters.alpha, 0.1)
        XCTAssertEqual(fit.parameters.muPerDay, 0.5, accuracy: 0.1)
    }

    /// The EM's fixed point is a maximum of the likelihood: moving any parameter by 2% lowers it.
    func testEMEndsAtALikelihoodMaximum() throws {
        let points = ForecastSimulation.simulate(days: 600, seed: 11)
        let fit = try SelfExcitingFit.fit(points: points, grid: ForecastSimulation.grid, mask: ForecastSimulation.mask,
                                          startDay: 0, endDay: 600, minimumBandwidthKm: 2.5)
        let atEvents = try fit.background.leaveOneOut(xKm: fit.points.xKm, yKm: fit.points.yKm, weights: fit.backgroundWeights)
        var fitter = SelfExcitingFitter(points: fit.points, backgroundAtEvent: atEvents, backgroundMassInArea: fit.backgroundMassInArea,
                                        startDay: 0, endDay: 600)
        fitter.buildPairs(maxLagDays: fit.maxLagDays, maxDistanceKm: fit.maxDistanceKm)
        let best = fitter.logLikelihood(fit.parameters)
        XCTAssertEqual(best, fit.logLikelihood, accuracy: 1e-6 * abs(best))
        for k in 0..<4 {
            for factor in [0.98, 1.02] {
                var v = fit.parameters.vector
                v[k] *= factor
                XCTAssertLessThan(fitter.logLikelihood(SelfExcitingParameters(vector: v)), best, "\(SelfExcitingParameters.names[k]) × \(factor)")
            }
        }
    }

    /// The grid path of the leave-one-out background agrees with the all-pairs sums.
    func testGridLeaveOneOutMatchesAllPairs() throws {
        let points = ForecastSimulation.simulate(days: 400, seed: 5)
        let w = (0..<points.count).map { 0.5 + Double($0 % 3) * 0.25 }
        for h in [4.0, 15.0, 60.0] {
            let exact = BackgroundDensity.exactLeaveOneOut(xKm: points.xKm, yKm: points.yKm, weights: w, bandwidthKm: h)
            let viaGrid = try BackgroundDensity.leaveOneOutViaGrid(xKm: points.xKm, yKm: points.yKm, weights: w, bandwidthKm: h)
            var worst = 0.0
            for i in 0..<points.count where exact[i] > 1e-3 * exact.max()! {
                worst = max(worst, abs(viaGrid[i] - exact[i]) / exact[i])
            }
            XCTAssertLessThan(worst, 0.03, "σ \(h) km")
        }
    }

    /// The simulator's mean count matches the branching process: μ·T/(1 − α) for a long window.
    func testSimulatorMeanCount() {
        let truth = SelfExcitingParameters(muPerDay: 0.2, alpha: 0.5, omegaPerDay: 0.2, sigmaKm: 3)
        var total = 0
        for seed in 0..<20 {
            total += SelfExcitingSimulator(parameters: truth, uniformBox: ForecastSimulation.box)
                .simulate(startDay: 0, endDay: 1000, seed: UInt64(seed)).points.count
        }
        // E ≈ 0.2·1000/(1 − 0.5) = 400 per run (less the few children after the end); SD of the mean ≈ 10.
        XCTAssertEqual(Double(total) / 20, 400, accuracy: 35)
    }
}
