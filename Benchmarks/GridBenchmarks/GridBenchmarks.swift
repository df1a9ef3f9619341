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
/// thresholds (Benchmarks/Thresholds/, written by `benchmark thresholds update`) fails
/// `swift package benchmark thresholds check --target GridBenchmarks`. CPU time is the guarded
/// metric as well as wall clock, since on a shared machine the wall clock also measures the neighbours.
/// One tile and the events of its halo: what a distributed task receives.
struct TileInput: Sendable {
    var tile: DensityTile
    var events: ProjectedEvents
}

let coreTolerance: [BenchmarkMetric: BenchmarkThresholds] = [
    .cpuTotal: BenchmarkThresholds(relative: [.p90: 20.0]),
    .wallClock: BenchmarkThresholds(relative: [.p90: 20.0]),
]

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident], timeUnits: .milliseconds,
                                           warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10)
    let core = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .peakMemoryResident], timeUnits: .milliseconds,
                                       warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10,
                                       thresholds: coreTolerance)

    // The peer harness's grid (../shared/peers/README.md): 1,840 × 1,680 = 3,091,200 cells at 1 km.
    let grid1km: GridSpec
    do { grid1km = try AreaGrid.peerHarness(cellSizeKm: 1).spec } catch { fatalError("\(error)") }
    for (label, count) in [("100k", 100_000), ("1M", 1_000_000)] {
        Benchmark("density 1km quartic 50km \(label) events", configuration: core) { benchmark, events in
            for _ in benchmark.scaledIterations {
                blackHole(try DensityEngine.compute(events: events, grid: grid1km, kernel: .quartic, bandwidthKm: 50))
            }
        } setup: {
            projectedSyntheticEvents(count: count, grid: grid1km)
        }
    }
    Benchmark("density 1km gaussian sigma 50km 100k events", configuration: core) { benchmark, events in
        for _ in benchmark.scaledIterations {
            blackHole(try DensityEngine.compute(events: events, grid: grid1km, kernel: .gaussian, bandwidthKm: 50))
        }
    } setup: {
        projectedSyntheticEvents(count: 100_000, grid: grid1km)
    }
    // One 512 × 512 tile of the 1 km grid from its halo's events: the unit of work of a distributed run.
    Benchmark("density tile 512x512 1km quartic 50km of 1M events", configuration: core) { (benchmark: Benchmark, input: TileInput) in
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
        Benchmark("bench scenario: \(scenario.name)") { benchmark, prepared in
            for _ in benchmark.scaledIterations { blackHole(try scenario.run(prepared)) }
        } setup: {
            try scenario.prepare(area: try AreaOfInterest.embeddedMali())
        }
    }
    Benchmark("mask Mali 1km grid", configuration: core) { benchmark, area in
        for _ in benchmark.scaledIterations {
            blackHole(try AreaGrid.make(area: area, cellSizeKm: 1))
        }
    } setup: {
        try AreaOfInterest.embeddedMali()
    }
    Benchmark("mask Africa 1km grid", configuration: core) { benchmark, area in
        for _ in benchmark.scaledIterations {
            blackHole(try AreaGrid.make(area: area, cellSizeKm: 1))
        }
    } setup: {
        try AreaOfInterest.embeddedAfrica()
    }
}
