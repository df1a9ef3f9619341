import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// The fit benchmark's scenario: about `events` simulated events of a known self-exciting
/// process over ten years on an area's 10 km grid, with background patches at seeded random
/// cells inside the area. Shared by `regionrisk bench --forecast-events` and the tests.
package struct ForecastBenchmarkScenario: Sendable {
    package var grid: AreaGrid
    package var points: SpaceTimePoints
    package var truth: SelfExcitingParameters
    package var days: Double

    /// - Parameter events: target count; the background rate is set so μ·T/(1 − α) ≈ events.
    package static func prepare(area: AreaOfInterest, events: Int, seed: UInt64 = 42) throws -> ForecastBenchmarkScenario {
        guard events >= 10, events <= 10_000_000 else { throw ForecastError.invalidSetting("benchmark events must be between 10 and 10,000,000") }
        let grid = try AreaGrid.make(area: area, cellSizeKm: 10)
        let days = 3650.0
        let alpha = 0.5
        let truth = SelfExcitingParameters(muPerDay: Double(events) * (1 - alpha) / days, alpha: alpha, omegaPerDay: 0.1, sigmaKm: 5)
        var rng = SplitMix64(seed: seed)
        let inside = (0..<grid.spec.cellCount).filter { grid.mask[$0] != 0 }
        guard !inside.isEmpty else { throw ForecastError.invalidSetting("the area has no cells") }
        var patches: [SelfExcitingSimulator.Patch] = []
        for _ in 0..<30 {
            let cell = inside[Int(rng.next() % UInt64(inside.count))]
            let c = grid.spec.cellCenter(column: cell % grid.spec.columns, row: cell / grid.spec.columns)
            patches.append(.init(xKm: c.x / 1000, yKm: c.y / 1000, sigmaKm: 20 + 30 * rng.nextDouble(), weight: 0.2 + rng.nextDouble()))
        }
        let box = (minX: grid.spec.westX / 1000, minY: grid.spec.southY / 1000, maxX: grid.spec.eastX / 1000, maxY: grid.spec.northY / 1000)
        let all = SelfExcitingSimulator(parameters: truth, patches: patches, uniformBox: box, clipToBox: true)
            .simulate(startDay: 0, endDay: days, seed: rng.next()).points
        // Keep the events inside the area, as the forecaster does.
        var xs: [Double] = [], ys: [Double] = [], ts: [Double] = []
        for i in 0..<all.count {
            guard let c = grid.spec.cell(containingX: all.xKm[i] * 1000, y: all.yKm[i] * 1000),
                grid.mask[c.row * grid.spec.columns + c.column] != 0 else { continue }
            xs.append(all.xKm[i]); ys.append(all.yKm[i]); ts.append(all.tDays[i])
        }
        return ForecastBenchmarkScenario(grid: grid, points: SpaceTimePoints(xKm: xs, yKm: ys, tDays: ts), truth: truth, days: days)
    }

    /// The measured body: the full fit (bandwidth selection, EM, standard errors).
    package func fit() throws -> SelfExcitingFit {
        try SelfExcitingFit.fit(points: points, grid: grid.spec, mask: grid.mask, startDay: 0, endDay: days,
                                minimumBandwidthKm: grid.spec.cellSizeMeters / 2000)
    }
}
