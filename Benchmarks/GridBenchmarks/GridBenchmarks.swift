import Benchmark
import Foundation
import RegionRisk

func projectedSyntheticEvents(count: Int, grid: GridSpec) -> ProjectedEvents {
    let incidents = SyntheticIncidents.generate(count: count)
    var xs = incidents.map(\.location.lon), ys = incidents.map(\.location.lat)
    do { try Projection(from: "EPSG:4326", to: grid.crs).forward(x: &xs, y: &ys) } catch { fatalError("\(error)") }
    return ProjectedEvents(x: xs, y: ys)
}

/// Regression guard for the core scenarios: a p90 more than 20% above the committed static
/// thresholds (Thresholds/ at the package root, written by `benchmark thresholds update`) fails
/// `swift package benchmark thresholds check --target GridBenchmarks`. CPU time is the guarded
/// metric as well as wall clock, since on a shared machine the wall clock also measures the neighbours.
/// Names have no spaces: package-benchmark 1.38 writes a threshold file under the name with spaces
/// turned into underscores but looks it up under the name as it is.
/// One tile and the events of its halo: what a distributed task receives.
struct TileInput: Sendable {
    var tile: DensityTile
    var events: ProjectedEvents
}

/// 20% on every guarded metric (a metric without a tolerance would fail on any change at all).
let coreTolerance: [BenchmarkMetric: BenchmarkThresholds] = [
    .cpuTotal: BenchmarkThresholds(relative: [.p90: 20.0]),
    .wallClock: BenchmarkThresholds(relative: [.p90: 20.0]),
    .peakMemoryResident: BenchmarkThresholds(relative: [.p90: 20.0]),
]

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident], timeUnits: .milliseconds,
                                           warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10)
    let core = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .peakMemoryResident], timeUnits: .milliseconds,
                                       warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10,
                                       thresholds: coreTolerance)
    // Runs of under ~100 ms of CPU: the process CPU clock ticks in 10 ms (a tick is over 10% of the
    // run), so CPU time is not guarded there, only the wall clock and memory.
    let short = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds,
                                        warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10,
                                        thresholds: coreTolerance)

    // The peer harness's grid (../shared/peers/README.md): 1,840 × 1,680 = 3,091,200 cells at 1 km.
    let grid1km: GridSpec
    do { grid1km = try AreaGrid.peerHarness(cellSizeKm: 1).spec } catch { fatalError("\(error)") }
    for (label, count) in [("100k", 100_000), ("1M", 1_000_000)] {
        Benchmark("density_1km_quartic_50km_\(label)_events", configuration: core) { benchmark, events in
            for _ in benchmark.scaledIterations {
                blackHole(try DensityEngine.compute(events: events, grid: grid1km, kernel: .quartic, bandwidthKm: 50))
            }
        } setup: {
            projectedSyntheticEvents(count: count, grid: grid1km)
        }
    }
    Benchmark("density_1km_gaussian_sigma_50km_100k_events", configuration: short) { benchmark, events in
        for _ in benchmark.scaledIterations {
            blackHole(try DensityEngine.compute(events: events, grid: grid1km, kernel: .gaussian, bandwidthKm: 50))
        }
    } setup: {
        projectedSyntheticEvents(count: 100_000, grid: grid1km)
    }
    // One 512 × 512 tile of the 1 km grid from its halo's events: the unit of work of a distributed run.
    Benchmark("density_tile_512x512_1km_quartic_50km_of_1M_events", configuration: core) { (benchmark: Benchmark, input: TileInput) in
        for _ in benchmark.scaledIterations {
            blackHole(try TiledDensity.compute(tile: input.tile, events: input.events, grid: grid1km, kernel: .quartic,
                                               bandwidthKm: 50))
        }
    } setup: {
        let all = projectedSyntheticEvents(count: 1_000_000, grid: grid1km)
        let tile = DensityTile(rows: 600..<1112, columns: 600..<1112)
        return TileInput(tile: tile, events: TiledDensity.events(inHaloOf: tile, from: all, grid: grid1km, bandwidthKm: 50))
    }
    // The same setup as `regionrisk bench`, so the two report the same figures.
    for scenario in [DensityScenario(cellSizeKm: 1, events: 100_000, kernel: .quartic),
                     DensityScenario(cellSizeKm: 2, events: 100_000, kernel: .quartic)] {
        Benchmark("bench_scenario_" + scenario.name.replacingOccurrences(of: " ", with: "_"),
                  configuration: scenario.cellSizeKm < 2 ? core : short) { benchmark, prepared in
            for _ in benchmark.scaledIterations { blackHole(try scenario.run(prepared)) }
        } setup: {
            try scenario.prepare(area: try AreaOfInterest.embeddedMali())
        }
    }
    Benchmark("mask_Mali_1km_grid", configuration: short) { benchmark, area in
        for _ in benchmark.scaledIterations {
            blackHole(try AreaGrid.make(area: area, cellSizeKm: 1))
        }
    } setup: {
        try AreaOfInterest.embeddedMali()
    }
    Benchmark("mask_Africa_1km_grid", configuration: short) { benchmark, area in
        for _ in benchmark.scaledIterations {
            blackHole(try AreaGrid.make(area: area, cellSizeKm: 1))
        }
    } setup: {
        try AreaOfInterest.embeddedAfrica()
    }
}
