import Benchmark
import Foundation
import RegionRisk

/// The peer harness's grid (../shared/peers/README.md): Mali's bounding box in a Mali-centred
/// LAEA, x −920…920 km, y −825…855 km; 1,840 × 1,680 = 3,091,200 cells at 1 km.
func peerGrid(cellKm: Double) -> GridSpec {
    let cs = cellKm * 1000
    return GridSpec(crs: "+proj=laea +lat_0=17.5 +lon_0=-4 +datum=WGS84 +units=m +no_defs", westX: -920_000, northY: 855_000,
                    columns: Int(1_840_000 / cs), rows: Int(1_680_000 / cs), cellSizeMeters: cs)
}

func projectedSyntheticEvents(count: Int, grid: GridSpec) -> ProjectedEvents {
    let incidents = SyntheticIncidents.generate(count: count)
    var xs = incidents.map(\.location.lon), ys = incidents.map(\.location.lat)
    do { try Projection(from: "EPSG:4326", to: grid.crs).forward(x: &xs, y: &ys) } catch { fatalError("\(error)") }
    return ProjectedEvents(x: xs, y: ys)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident], timeUnits: .milliseconds,
                                           warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10)

    let grid1km = peerGrid(cellKm: 1)
    for (label, count) in [("100k", 100_000), ("1M", 1_000_000)] {
        Benchmark("density 1km quartic 50km \(label) events") { benchmark, events in
            for _ in benchmark.scaledIterations {
                blackHole(try DensityEngine.compute(events: events, grid: grid1km, kernel: .quartic, bandwidthKm: 50))
            }
        } setup: {
            projectedSyntheticEvents(count: count, grid: grid1km)
        }
    }
    Benchmark("density 1km gaussian sigma 50km 100k events") { benchmark, events in
        for _ in benchmark.scaledIterations {
            blackHole(try DensityEngine.compute(events: events, grid: grid1km, kernel: .gaussian, bandwidthKm: 50))
        }
    } setup: {
        projectedSyntheticEvents(count: 100_000, grid: grid1km)
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
    Benchmark("mask Mali 1km grid") { benchmark, area in
        for _ in benchmark.scaledIterations {
            blackHole(try AreaGrid.make(area: area, cellSizeKm: 1))
        }
    } setup: {
        try AreaOfInterest.embeddedMali()
    }
}
