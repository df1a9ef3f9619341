import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// Simulates the model of `SelfExcitingParameters` exactly, by its branching structure: background
/// events arrive as a Poisson process in time with positions drawn from a mixture of Gaussian
/// patches (or uniformly in a rectangle); each event has Poisson(α) children, each after an
/// Exp(ω) delay and at a N(0, σ²) offset in x and y; children have children in turn. For tests with
/// known truth and for benchmarks; seeded, so every run gives the same events.
package struct SelfExcitingSimulator: Sendable {
    /// A background patch: a Gaussian of σ `sigmaKm` centred on (xKm, yKm), with a relative weight.
    package struct Patch: Sendable, Equatable {
        package var xKm: Double, yKm: Double, sigmaKm: Double, weight: Double
        package init(xKm: Double, yKm: Double, sigmaKm: Double, weight: Double) {
            self.xKm = xKm; self.yKm = yKm; self.sigmaKm = sigmaKm; self.weight = weight
        }
    }

    package var parameters: SelfExcitingParameters
    /// Background patches; when empty, the background is uniform on `uniformBox`.
    package var patches: [Patch]
    /// (minX, minY, maxX, maxY) km: the uniform background's rectangle, and the area outside which
    /// events (of either kind) are dropped when `clipToBox` is set.
    package var uniformBox: (minX: Double, minY: Double, maxX: Double, maxY: Double)
    package var clipToBox: Bool

    package init(parameters: SelfExcitingParameters, patches: [Patch] = [],
                uniformBox: (minX: Double, minY: Double, maxX: Double, maxY: Double), clipToBox: Bool = false) {
        self.parameters = parameters
        self.patches = patches
        self.uniformBox = uniformBox
        self.clipToBox = clipToBox
    }

    /// Events in [startDay, endDay), time order, and whether each is a background event.
    package func simulate(startDay: Double, endDay: Double, seed: UInt64) -> (points: SpaceTimePoints, isBackground: [Bool]) {
        var rng = SplitMix64(seed: seed)
        let p = parameters
        var xs: [Double] = [], ys: [Double] = [], ts: [Double] = [], bg: [Bool] = []
        let weights = patches.map(\.weight)
        var t = startDay
        while true {
            t += -log(max(1 - rng.nextDouble(), 1e-300)) / p.muPerDay
            guard t < endDay else { break }
            if patches.isEmpty {
                xs.append(uniformBox.minX + rng.nextDouble() * (uniformBox.maxX - uniformBox.minX))
                ys.append(uniformBox.minY + rng.nextDouble() * (uniformBox.maxY - uniformBox.minY))
            } else {
                let patch = patches[rng.pick(weights: weights)]
                xs.append(patch.xKm + patch.sigmaKm * rng.nextGaussian())
                ys.append(patch.yKm + patch.sigmaKm * rng.nextGaussian())
            }
            ts.append(t)
            bg.append(true)
        }
        // Children generation by generation (the queue grows as children are added).
        var k = 0
        while k < ts.count {
            let children = rng.nextPoisson(mean: p.alpha)
            for _ in 0..<children {
                let tc = ts[k] - log(max(1 - rng.nextDouble(), 1e-300)) / p.omegaPerDay
                let xc = xs[k] + p.sigmaKm * rng.nextGaussian(), yc = ys[k] + p.sigmaKm * rng.nextGaussian()
                guard tc < endDay else { continue }
                xs.append(xc); ys.append(yc); ts.append(tc); bg.append(false)
            }
            k += 1
        }
        var keep = Array(ts.indices)
        if clipToBox {
            keep = keep.filter {
                xs[$0] >= uniformBox.minX && xs[$0] <= uniformBox.maxX && ys[$0] >= uniformBox.minY && ys[$0] <= uniformBox.maxY
            }
        }
        keep.sort { ts[$0] < ts[$1] }
        return (SpaceTimePoints(xKm: keep.map { xs[$0] }, yKm: keep.map { ys[$0] }, tDays: keep.map { ts[$0] }), keep.map { bg[$0] })
    }

    /// Simulated points as incidents: positions unprojected from `crs` (km → metres → lon/lat),
    /// dates `floor(t)` days after `day0`. Source "simulated", ids "sim-<n>".
    package static func incidents(from points: SpaceTimePoints, crs: String, day0: CivilDate) throws -> [Incident] {
        var xs = points.xKm.map { $0 * 1000 }, ys = points.yKm.map { $0 * 1000 }
        try Projection(from: "EPSG:4326", to: crs).inverse(x: &xs, y: &ys)
        return (0..<points.count).map { i in
            Incident(source: "simulated", sourceEventID: "sim-\(i)", date: day0.adding(days: Int(floor(points.tDays[i]))),
                     location: LonLat(lon: xs[i], lat: ys[i]), locationPrecision: .exact)
        }
    }
}
