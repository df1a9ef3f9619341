import XCTest
import RegionRiskGeodata
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskData
@testable import RegionRiskGrid

/// The run's events: split into its windows and projected once, for every stage.
final class AnalysisEventsTests: XCTestCase {
    private func event(_ id: String, _ date: String?, _ lon: Double, _ lat: Double) -> Incident {
        Incident(source: "test", sourceEventID: id, date: date.flatMap(CivilDate.init(parsing:)),
                 location: LonLat(lon: lon, lat: lat), locationPrecision: .exact)
    }

    func testWindowsSplitAndOrderTheEventsAndProjectThemAsTheGridDoes() throws {
        let run = try AnalysisRun(area: try AreaOfInterest.embeddedMali())
        let input = [
            event("b2", "2025-07-02", -11.40, 14.43), event("old", "2023-01-01", -4.0, 14.0),
            event("a1", "2025-07-01", -11.44, 14.45), event("base", "2025-01-15", -4.2, 14.5),
            event("undated", nil, -5.0, 15.0), event("a0", "2025-07-01", -8.0, 13.0), event("later", "2025-07-20", -6.0, 13.5),
        ]
        let w = try XCTUnwrap(try run.windowedIncidents(input, asOf: CivilDate(parsing: "2025-07-08"), recentDays: 30,
                                                         baselineDays: 365))
        XCTAssertEqual(w.asOf.description, "2025-07-08")
        XCTAssertEqual(w.inWindows.incidents.map(\.sourceEventID), ["b2", "a1", "base", "a0"], "input order, windows only")
        XCTAssertEqual(w.recentIndices.map { w.inWindows.incidents[$0].sourceEventID }, ["a0", "a1", "b2"], "by date, then id")
        XCTAssertEqual(w.baselineIndices.map { w.inWindows.incidents[$0].sourceEventID }, ["base"])
        XCTAssertEqual(w.firstDate.description, "2023-01-01")
        XCTAssertEqual(w.latestDate.description, "2025-07-20")
        XCTAssertEqual(w.undatedCount, 1)
        // The same coordinates, bit for bit, as each grid of the run would give.
        let grid = try run.grid(cellSizeKm: 10)
        let direct = try grid.project(w.inWindows.incidents.map(\.location))
        XCTAssertEqual(w.inWindows.x, direct.x)
        XCTAssertEqual(w.inWindows.y, direct.y)
        let recent = w.inWindows.subset(w.recentIndices)
        XCTAssertEqual(recent.x, w.recentIndices.map { direct.x[$0] })
        // Without an as-of date, the windows end on the latest dated event.
        let latest = try XCTUnwrap(try run.windowedIncidents(input, asOf: nil, recentDays: 30, baselineDays: 365))
        XCTAssertEqual(latest.asOf.description, "2025-07-20")
        XCTAssertNil(try run.windowedIncidents([event("u", nil, -5, 15)], asOf: nil, recentDays: 30, baselineDays: 365))
    }

    func testDetectionAndDensityOnTheSharedEventsEqualTheirOwnRuns() throws {
        let run = try AnalysisRun(area: try AreaOfInterest.embeddedMali())
        let input = try IncidentFileReader().read(try EmbeddedGeodata.url("samples/incidents-2024-2025.csv")).incidents
        var p = ChangeDetectionParameters()
        p.asOf = CivilDate(parsing: "2025-07-08")
        p.monteCarloReplicates = 99
        let shared = try XCTUnwrap(try run.windowedIncidents(input, asOf: p.asOf, recentDays: p.recentDays,
                                                              baselineDays: p.baselineDays))
        let a = try ChangeDetector.run(run, incidents: input, parameters: p)
        let b = try ChangeDetector.run(run, events: shared, parameters: p)
        XCTAssertEqual(a.regions.map(\.summary), b.regions.map(\.summary))
        XCTAssertEqual(a.regions.map(\.pValue), b.regions.map(\.pValue))
        XCTAssertFalse(a.regions.isEmpty)
        let grid = try run.grid(cellSizeKm: 10)
        let d1 = try DensityAnalysis.run(incidents: shared.inWindows.incidents, grid: grid, parameters: DensityParameters(cellSizeKm: 10))
        let d2 = try DensityAnalysis.run(shared.inWindows, grid: grid, parameters: DensityParameters(cellSizeKm: 10))
        XCTAssertEqual(d1.grid.values, d2.grid.values)
        XCTAssertGreaterThan(d1.grid.peak, 0)
        // Windows other than the parameters' are refused rather than silently used.
        var other = p
        other.recentDays = 60
        XCTAssertThrowsError(try ChangeDetector.run(run, events: shared, parameters: other))
    }
}
