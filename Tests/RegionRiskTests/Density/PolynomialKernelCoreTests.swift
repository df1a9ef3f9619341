import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGrid

/// The bucketed, band-local polynomial core: the cases its shortcuts could get wrong.
final class PolynomialKernelCoreTests: XCTestCase {
    func assertExact(_ ev: ProjectedEvents, grid: GridSpec, kernel: KernelShape, bandwidthKm: Double,
                     file: StaticString = #filePath, line: UInt = #line) throws {
        let fast = try DensityEngine.compute(events: ev, grid: grid, kernel: kernel, bandwidthKm: bandwidthKm)
        let exact = DensityEngine.bruteForce(events: ev, grid: grid, kernel: kernel, bandwidthKm: bandwidthKm)
        let peak = exact.max() ?? 0
        XCTAssertGreaterThan(peak, 0, file: file, line: line)
        let diff = zip(fast.values, exact).reduce(0) { max($0, abs($1.0 - $1.1)) }
        XCTAssertLessThanOrEqual(diff, 1e-9 * peak, "\(kernel) h=\(bandwidthKm): \(diff) vs peak \(peak)", file: file, line: line)
        XCTAssertLessThanOrEqual(diff, fast.errorBound + 1e-12 * peak, file: file, line: line)
    }

    /// A 1 km grid with a 50 km quartic, as the benchmarks run it, on many clustered events:
    /// every row sees hundreds of events and many pieces cross block starts.
    func testFineGridManyEventsMatchesAllPairs() throws {
        let grid = GridSpec(crs: "+proj=laea", westX: 0, northY: 0, columns: 230, rows: 140, cellSizeMeters: 1_000)
        var rng = SplitMix64(seed: 2024)
        var x: [Double] = [], y: [Double] = []
        for i in 0..<1_000 {
            let spread = i % 2 == 0 ? 15_000.0 : 120_000.0
            x.append(115_000 + Double.random(in: -spread...spread, using: &rng))
            y.append(-70_000 + Double.random(in: -spread...spread, using: &rng))
        }
        try assertExact(ProjectedEvents(x: x, y: y), grid: grid, kernel: .quartic, bandwidthKm: 50)
        try assertExact(ProjectedEvents(x: x, y: y), grid: grid, kernel: .epanechnikov, bandwidthKm: 31)
    }

    /// Events exactly on cell centres and at integer bandwidths put support edges exactly on
    /// cell centres: the strict support (u < 1) must hold there, where the uniform kernel jumps.
    func testSupportEdgesOnCellCentres() throws {
        let grid = GridSpec(crs: "+proj=laea", westX: 0, northY: 0, columns: 60, rows: 50, cellSizeMeters: 1_000)
        let x = [10_500.0, 30_500, 30_500, 59_500], y = [-10_500.0, -25_500, -25_500, -0.5]
        for kernel in [KernelShape.uniform, .epanechnikov, .quartic] {
            try assertExact(ProjectedEvents(x: x, y: y), grid: grid, kernel: kernel, bandwidthKm: 5)
            try assertExact(ProjectedEvents(x: x, y: y), grid: grid, kernel: kernel, bandwidthKm: 12)
        }
    }

    /// Events beyond the grid (some within one bandwidth, some far), zero weights, and a
    /// bandwidth wider than the grid.
    func testEventsOutsideTheGridAndHugeBandwidth() throws {
        let grid = GridSpec(crs: "+proj=laea", westX: -50_000, northY: 40_000, columns: 45, rows: 33, cellSizeMeters: 2_000)
        let x = [-60_000.0, 45_000, 0, 1e9, -3_000, 38_000], y = [0.0, -30_000, 45_000, 0, -1e8, -20_000]
        let w = [1.0, 2, 1, 5, 5, 0]
        try assertExact(ProjectedEvents(x: x, y: y, weights: w), grid: grid, kernel: .quartic, bandwidthKm: 20)
        try assertExact(ProjectedEvents(x: x, y: y, weights: w), grid: grid, kernel: .quartic, bandwidthKm: 400)
    }

    func testBucketsAreStableAndDropWhatCannotReach() {
        let grid = GridSpec(crs: "+proj=laea", westX: 0, northY: 0, columns: 10, rows: 10, cellSizeMeters: 1_000)
        let ev = ProjectedEvents(x: [5_500, 1_500, 2_500, 50_000, 3_500], y: [-2_500, -7_500, -2_500, -5_000, -2_100],
                                 weights: [1, 2, 3, 4, 0])
        let b = PolynomialKernelCore.Events(ev, grid: grid, reachCells: 3)
        // The far event (x = 50 km) and the zero weight go; rows 2, 2, 7 keep input order.
        XCTAssertEqual(b.weight, [1, 3, 2])
        XCTAssertEqual(b.row, [2, 2, 7])
        XCTAssertEqual(b.indices(floorRows: 2...2), 0..<2)
        XCTAssertEqual(b.indices(floorRows: 3...6), 2..<2)
        XCTAssertEqual(b.indices(floorRows: -100...100), 0..<3)
    }
}
