import Benchmark
import Foundation
import RegionRisk

// Detection statistics at Mali scale. Run (release):
//   swift package --allow-writing-to-package-directory benchmark --target DetectionBenchmarks
// Target (issue 5): EHSA with 24 monthly steps at 5 km in well under 10 s.

/// A synthetic Mali-sized space-time cube: a 370 × 340 grid of 5 km cells, an elliptical
/// "country" mask of ~48k cells, 24 monthly steps, ~100k events: a sparse background, a few
/// persistent clusters, one that fades and one that emerges in the last quarter.
struct SyntheticCube {
    let nx = 370, ny = 340, steps = 24
    let counts: [Double]
    let mask: [Bool]

    init() {
        let nx = self.nx, ny = self.ny, steps = self.steps
        var rng = SplitMix64(seed: 20_250_708)
        var mask = [Bool](repeating: false, count: nx * ny)
        for y in 0..<ny {
            for x in 0..<nx {
                let dx = (Double(x) - 185) / 130, dy = (Double(y) - 170) / 118
                mask[y * nx + x] = dx * dx + dy * dy <= 1
            }
        }
        var counts = [Double](repeating: 0, count: steps * nx * ny)
        let inside = mask.indices.filter { mask[$0] }
        // Background: 30k events anywhere inside.
        for _ in 0..<30_000 {
            let t = Int(rng.next() % UInt64(steps)), cell = inside[Int(rng.next() % UInt64(inside.count))]
            counts[t * nx * ny + cell] += 1
        }
        // Clusters: (centre x, y, radius in cells, first step, last step, events).
        let clusters = [(200, 150, 12, 0, 23, 30_000), (150, 200, 8, 0, 23, 15_000), (240, 120, 10, 0, 14, 12_000),
                        (100, 190, 6, 18, 23, 8_000), (260, 220, 5, 0, 23, 5_000)]
        for (cx, cy, r, t0, t1, n) in clusters {
            for _ in 0..<n {
                let x = cx + Int(rng.next() % UInt64(2 * r + 1)) - r, y = cy + Int(rng.next() % UInt64(2 * r + 1)) - r
                let t = t0 + Int(rng.next() % UInt64(t1 - t0 + 1))
                if mask[y * nx + x] { counts[t * nx * ny + y * nx + x] += 1 }
            }
        }
        self.counts = counts
        self.mask = mask
    }
}

struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let benchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .peakMemoryResident],
                                         warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 5)
    let cube = SyntheticCube()

    Benchmark("EHSA Mali 5 km, 24 monthly steps, 25 km x 1 step neighbourhood, FDR", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations {
            let result = try! EmergingHotSpotAnalysis.analyze(
                counts: cube.counts, nx: cube.nx, ny: cube.ny, steps: cube.steps, mask: cube.mask,
                parameters: EmergingHotSpotParameters(neighborhoodRadiusCells: 5, neighborhoodTimeSteps: 1))
            blackHole(result.categoryCounts)
        }
    }

    Benchmark("Gi* one 5 km Mali slice, 25 km band", configuration: config) { benchmark in
        let slice = Array(cube.counts[0..<(cube.nx * cube.ny)])
        for _ in benchmark.scaledIterations {
            blackHole(try! GetisOrdGiStar.zScores(grid: slice, nx: cube.nx, ny: cube.ny, mask: cube.mask, neighborhoodRadiusCells: 5))
        }
    }

    // The `flag` path: one exact rate test per tested cell, then BH across them.
    Benchmark("Rate test + BH, 50k cells", configuration: config) { benchmark in
        var rng = SplitMix64(seed: 1)
        let cells = (0..<50_000).map { _ in (Int(rng.next() % 40), Int(rng.next() % 300)) }
        for _ in benchmark.scaledIterations {
            let p = cells.map { k1, k0 in
                RateComparison.exceedancePValue(recentCount: k1, recentDays: 30, baselineCount: k0, baselineDays: 365)
            }
            blackHole(MultipleTesting.benjaminiHochbergQValues(p))
        }
    }
}
