import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGrid

/// The fast density methods against the all-pairs reference (every event × every cell centre).
final class DensityEngineTests: XCTestCase {
    /// Clustered events over (and a little beyond) the grid, with weights.
    func randomEvents(count: Int, grid: GridSpec, seed: UInt64, weighted: Bool = true) -> ProjectedEvents {
        var rng = SplitMix64(seed: seed)  // deterministic, so failures reproduce
        var x: [Double] = [], y: [Double] = [], w: [Double] = []
        let width = grid.eastX - grid.westX, height = grid.northY - grid.southY
        for i in 0..<count {
            if i % 3 == 0 {
                // Clusters, so the peak is well above the background.
                x.append(grid.westX + width * 0.3 + Double.random(in: -20_000...20_000, using: &rng))
                y.append(grid.southY + height * 0.6 + Double.random(in: -20_000...20_000, using: &rng))
            } else {
                x.append(grid.westX + Double.random(in: -0.1...1.1, using: &rng) * width)
                y.append(grid.southY + Double.random(in: -0.1...1.1, using: &rng) * height)
            }
            w.append(weighted ? Double.random(in: 0...5, using: &rng).rounded() : 1)
        }
        return ProjectedEvents(x: x, y: y, weights: w)
    }

    func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    func assertMatchesBruteForce(kernel: KernelShape, bandwidthKm: Double, grid: GridSpec, events: Int,
                                 relativeTolerance: Double, file: StaticString = #filePath, line: UInt = #line) throws {
        let ev = randomEvents(count: events, grid: grid, seed: 42 &+ UInt64(events))
        let fast = try DensityEngine.compute(events: ev, grid: grid, kernel: kernel, bandwidthKm: bandwidthKm)
        let exact = DensityEngine.bruteForce(events: ev, grid: grid, kernel: kernel, bandwidthKm: bandwidthKm)
        let peak = exact.max()!
        XCTAssertGreaterThan(peak, 0, file: file, line: line)
        let diff = maxAbsDifference(fast.values, exact)
        XCTAssertLessThanOrEqual(diff, relativeTolerance * peak,
                                 "\(kernel) h=\(bandwidthKm) km: max |fast − exact| = \(diff), peak \(peak)", file: file, line: line)
        // The stated error bound must hold.
        XCTAssertLessThanOrEqual(diff, fast.errorBound + 1e-12 * peak, "\(kernel): bound \(fast.errorBound) < error \(diff)",
                                 file: file, line: line)
    }

    let smallGrid = GridSpec(crs: "+proj=laea +lat_0=17.5 +lon_0=-4 +datum=WGS84 +units=m", westX: -300_000, northY: 200_000,
                             columns: 120, rows: 90, cellSizeMeters: 5_000)

    func testPolynomialKernelsAreExactToTheBruteForceSum() throws {
        for kernel in [KernelShape.quartic, .epanechnikov, .uniform, .triangular] {
            for h in [7.0, 23.0, 50.0, 180.0] {
                try assertMatchesBruteForce(kernel: kernel, bandwidthKm: h, grid: smallGrid, events: 400, relativeTolerance: 1e-9)
            }
        }
    }

    /// A wide grid with a small bandwidth in cells is where a polynomial expanded around a
    /// far-away origin would cancel catastrophically; the block-local expansion must not.
    func testWideGridSmallBandwidthStaysExact() throws {
        let wide = GridSpec(crs: "+proj=laea", westX: -920_000, northY: 855_000, columns: 1840, rows: 12, cellSizeMeters: 1_000)
        try assertMatchesBruteForce(kernel: .quartic, bandwidthKm: 2.5, grid: wide, events: 300, relativeTolerance: 1e-9)
        try assertMatchesBruteForce(kernel: .quartic, bandwidthKm: 50, grid: wide, events: 300, relativeTolerance: 1e-9)
    }

    func testGaussianWithinOneMillionthOfPeakAndWithinItsBound() throws {
        for sigma in [15.0, 50.0] {
            try assertMatchesBruteForce(kernel: .gaussian, bandwidthKm: sigma, grid: smallGrid, events: 300, relativeTolerance: 1e-6)
        }
        // 1 km cells, σ = 50 cells, on a strip far longer than the ρσ the sums reach: cells beyond
        // it get no contribution from the clustered end, within the stated bound.
        let strip = GridSpec(crs: "+proj=laea", westX: -360_000, northY: 40_000, columns: 720, rows: 80, cellSizeMeters: 1_000)
        try assertMatchesBruteForce(kernel: .gaussian, bandwidthKm: 50, grid: strip, events: 400, relativeTolerance: 1e-6)
        // σ under two cells takes the direct path.
        try assertMatchesBruteForce(kernel: .gaussian, bandwidthKm: 6, grid: smallGrid, events: 200, relativeTolerance: 1e-9)
    }

    func testOneEventIntegratesToItsWeight() throws {
        // Σ density × cell area ≈ weight for an event well inside the grid (cell-centre sampling
        // of a smooth kernel: error falls as (cell/h)²).
        let grid = GridSpec(crs: "+proj=laea", westX: -200_000, northY: 200_000, columns: 400, rows: 400, cellSizeMeters: 1_000)
        let ev = ProjectedEvents(x: [1234], y: [-5678], weights: [3])
        for kernel in KernelShape.allCases {
            let v = try DensityEngine.compute(events: ev, grid: grid, kernel: kernel, bandwidthKm: 40).values
            let mass = v.reduce(0, +) * grid.cellAreaKm2
            XCTAssertEqual(mass, 3, accuracy: 3e-3, "\(kernel)")
        }
    }

    func testSplittingAcrossThreadsDoesNotChangeTheResult() throws {
        let ev = randomEvents(count: 500, grid: smallGrid, seed: 7)
        let one = try DensityEngine.compute(events: ev, grid: smallGrid, kernel: .quartic, bandwidthKm: 40, threads: 1)
        let many = try DensityEngine.compute(events: ev, grid: smallGrid, kernel: .quartic, bandwidthKm: 40, threads: 4)
        XCTAssertEqual(one.values, many.values)
    }

    func testRejectsNonFiniteInputAtTheEntry() {
        let grid = smallGrid
        XCTAssertThrowsError(try DensityEngine.compute(events: ProjectedEvents(x: [0, .nan], y: [0, 0]), grid: grid,
                                                       kernel: .quartic, bandwidthKm: 10)) {
            XCTAssertEqual($0 as? DensityError, .nonFiniteCoordinate(eventIndex: 1))
        }
        XCTAssertThrowsError(try DensityEngine.compute(events: ProjectedEvents(x: [0], y: [0], weights: [-1]), grid: grid,
                                                       kernel: .quartic, bandwidthKm: 10))
        XCTAssertThrowsError(try DensityEngine.compute(events: ProjectedEvents(x: [0], y: [0]), grid: grid,
                                                       kernel: .quartic, bandwidthKm: .infinity))
    }

    func testNoEventsGivesZeroes() throws {
        let v = try DensityEngine.compute(events: ProjectedEvents(x: [], y: []), grid: smallGrid, kernel: .gaussian, bandwidthKm: 30)
        XCTAssertEqual(v.values.max(), 0)
    }
}
