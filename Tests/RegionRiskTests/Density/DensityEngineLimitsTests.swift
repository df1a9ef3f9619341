import XCTest
@testable import RegionRiskGrid
import RegionRiskBase

/// Public entry points refuse or survive what would have trapped: huge but finite coordinates,
/// bandwidths and grids beyond the budget.
final class DensityEngineLimitsTests: XCTestCase {
    let grid = GridSpec(crs: "+proj=laea", westX: 0, northY: 10_000, columns: 10, rows: 10, cellSizeMeters: 1_000)

    func testFarAwayFiniteEventsAreDroppedAndTheRestIsExact() throws {
        let events = ProjectedEvents(x: [5_000, 1e300, -1e300, 4e18, 5_000], y: [5_000, 1e300, 5_000, -9e18, 1e250])
        let near = ProjectedEvents(x: [5_000], y: [5_000])
        for kernel in [KernelShape.quartic, .epanechnikov, .uniform, .triangular, .gaussian] {
            let got = try DensityEngine.compute(events: events, grid: grid, kernel: kernel, bandwidthKm: 3)
            let reference = DensityEngine.bruteForce(events: near, grid: grid, kernel: kernel, bandwidthKm: 3)
            let peak = reference.max()!
            for (a, b) in zip(got.values, reference) { XCTAssertEqual(a, b, accuracy: 1e-9 * peak, "\(kernel)") }
        }
    }

    func testBandwidthAndGridBudgetsAreTypedErrors() {
        let one = ProjectedEvents(x: [5_000], y: [5_000])
        XCTAssertThrowsError(try DensityEngine.compute(events: one, grid: grid, kernel: .gaussian, bandwidthKm: 1e300)) {
            XCTAssertTrue($0 is ParameterLimitError, "\($0)")
        }
        let tiny = GridSpec(crs: "+proj=laea", westX: 0, northY: 1, columns: 10, rows: 10, cellSizeMeters: 1e-300)
        XCTAssertThrowsError(try DensityEngine.compute(events: one, grid: tiny, kernel: .quartic, bandwidthKm: 50)) {
            XCTAssertTrue($0 is ParameterLimitError, "\($0)")
        }
        let huge = GridSpec(crs: "+proj=laea", westX: 0, northY: 1, columns: Int.max / 2, rows: 4, cellSizeMeters: 1_000)
        XCTAssertThrowsError(try DensityEngine.compute(events: one, grid: huge, kernel: .quartic, bandwidthKm: 50))
        XCTAssertThrowsError(try GridSpec(crs: "x", covering: 0, 0, 2e6, 2e6, cellSizeMeters: 1e-297)) {
            XCTAssertTrue($0 is ParameterLimitError, "\($0)")
        }
        XCTAssertThrowsError(try GridSpec(crs: "x", covering: 0, 0, .infinity, 1, cellSizeMeters: 1))
    }

    func testSaturatingRoundingForDisplayedTotals() {
        XCTAssertEqual(ParameterLimits.roundedSaturating(1e23), Int.max)
        XCTAssertEqual(ParameterLimits.roundedSaturating(-1e23), Int.min)
        XCTAssertEqual(ParameterLimits.roundedSaturating(.nan), 0)
        XCTAssertEqual(ParameterLimits.roundedSaturating(2.5), 3)
        XCTAssertNil(ParameterLimits.product([Int.max, 2], atMost: Int.max))
    }
}
