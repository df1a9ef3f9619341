import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskGeometry
@testable import RegionRiskGrid

/// One analysis run per command: its CRS is checked once and reaches every grid.
final class AnalysisRunTests: XCTestCase {
    func testDefaultCRSIsEqualAreaOverMali() throws {
        let run = try AnalysisRun(area: try AreaOfInterest.embeddedMali())
        XCTAssertFalse(run.crsIsCustom)
        XCTAssertEqual(run.crsProperties.name, "Lambert Azimuthal Equal Area")
        XCTAssertLessThan(try XCTUnwrap(run.crsProperties.worstArealDistortion), 1e-9)
        XCTAssertEqual(try run.grid(cellSizeKm: 25).spec.crs, run.crs)
    }

    func testACustomEqualAreaCRSReachesTheGrid() throws {
        let run = try AnalysisRun(area: try AreaOfInterest.embeddedMali(), crs: "EPSG:6933")
        XCTAssertTrue(run.crsIsCustom)
        XCTAssertEqual(try run.grid(cellSizeKm: 25).spec.crs, "EPSG:6933")
        XCTAssertEqual(run.crsJSON["name"]?.stringValue, "WGS 84 / NSIDC EASE-Grid 2.0 Global")
        // The same cell size gives the same grid object's values without rebuilding.
        XCTAssertEqual(try run.grid(cellSizeKm: 25).mask, try run.grid(cellSizeKm: 25).mask)
    }

    func testGeographicAndConformalCRSsAreRefused() throws {
        let mali = try AreaOfInterest.embeddedMali()
        XCTAssertThrowsError(try AnalysisRun(area: mali, crs: "EPSG:4326")) { error in
            guard case .notProjected = error as? AnalysisRunError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try AnalysisRun(area: mali, crs: "EPSG:3857")) { error in
            guard case let .notEqualArea(_, _, distortion) = error as? AnalysisRunError else { return XCTFail("\(error)") }
            // Web Mercator's areal scale is 1/cos²(φ): between 11° and 25° N it grows by ~1.22 − 1.02.
            XCTAssertGreaterThan(distortion, 0.1)
        }
        XCTAssertThrowsError(try AnalysisRun(area: mali, crs: "+proj=aea +lat_1=11 +lat_2=24 +lat_0=17 +lon_0=-4 +datum=WGS84 +units=km +type=crs")) { error in
            guard case .notMetres = error as? AnalysisRunError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try AnalysisRun(area: mali, crs: "not a crs")) { XCTAssertTrue($0 is PROJError, "\($0)") }
    }

    func testWindowsAreInclusiveAndAdjacent() throws {
        let w = AnalysisWindows(asOf: CivilDate(year: 2025, month: 7, day: 8)!, recentDays: 30, baselineDays: 365)
        XCTAssertEqual(w.recentStart.description, "2025-06-09")
        XCTAssertEqual(w.baselineEnd.description, "2025-06-08")
        XCTAssertEqual(w.baselineStart.description, "2024-06-09")
        XCTAssertTrue(w.isRecent(w.recentStart) && w.isRecent(w.recentEnd) && !w.isRecent(w.baselineEnd))
        XCTAssertTrue(w.isBaseline(w.baselineStart) && !w.isBaseline(w.baselineStart.adding(days: -1)))
        XCTAssertFalse(w.contains(w.recentEnd.adding(days: 1)))
    }
}
