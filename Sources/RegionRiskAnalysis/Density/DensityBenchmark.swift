import Foundation
import RegionRiskData
import RegionRiskGrid

/// The fixed density scenarios of `regionrisk bench` (and the `GridBenchmarks` suite, which
/// runs the same setup, so the two agree): Mali's grid at a cell size, synthetic events, a kernel.
package struct DensityScenario: Sendable, Hashable {
    package var cellSizeKm: Double
    package var events: Int
    package var kernel: KernelShape
    /// km: the quartic's support radius or the Gaussian's σ.
    package var bandwidthKm: Double

    package init(cellSizeKm: Double, events: Int, kernel: KernelShape, bandwidthKm: Double = 50) {
        self.cellSizeKm = cellSizeKm
        self.events = events
        self.kernel = kernel
        self.bandwidthKm = bandwidthKm
    }

    package var name: String {
        let n = events >= 1_000_000 ? "\(events / 1_000_000)M" : "\(events / 1000)k"
        return "Mali \(cellSizeKm.formatted()) km, \(n) events, \(kernel.rawValue) \(bandwidthKm.formatted()) km"
    }

    /// Mali at 5, 2 and 1 km; 10k, 100k and 1M events; quartic (exact) and Gaussian (bounded).
    package static let standard: [DensityScenario] = [5.0, 2.0, 1.0].flatMap { cell in
        [10_000, 100_000, 1_000_000].flatMap { n in
            [KernelShape.quartic, .gaussian].map { DensityScenario(cellSizeKm: cell, events: n, kernel: $0) }
        }
    }

    /// Everything a run needs, prepared outside the timed part: the masked grid and the events
    /// already projected into it.
    package struct Prepared: Sendable {
        package var grid: AreaGrid
        package var events: ProjectedEvents
    }

    package func prepare(area: AreaOfInterest) throws -> Prepared {
        try prepare(grid: try AreaGrid.make(area: area, cellSizeKm: cellSizeKm))
    }

    /// Synthetic events (the generator's fixed seed) projected into `grid`.
    package func prepare(grid: AreaGrid) throws -> Prepared {
        let incidents = SyntheticIncidents.generate(count: events)
        let xy = try grid.project(incidents.map(\.location))
        return Prepared(grid: grid, events: ProjectedEvents(x: xy.x, y: xy.y))
    }

    /// The timed part: events in memory → finished density array.
    package func run(_ prepared: Prepared) throws -> (values: [Double], errorBound: Double) {
        try DensityEngine.compute(events: prepared.events, grid: prepared.grid.spec, kernel: kernel, bandwidthKm: bandwidthKm)
    }
}

extension Double {
    /// "5", "2.5": no trailing zeros.
    func formatted() -> String { self == rounded() ? String(Int(self)) : String(self) }
}

/// Peak resident memory of this process so far, bytes (Linux `ru_maxrss` is in KiB).
package func peakResidentMemoryBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
}
