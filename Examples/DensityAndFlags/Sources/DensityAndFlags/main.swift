// Computes a density and flags newly active regions for a small, made-up input in Mali, through
// RegionRisk's public API only: the same stages the `regionrisk` CLI runs.
//
//   swift run --package-path Examples/DensityAndFlags
import Foundation
import RegionRisk

/// Six events: a steady cluster near Mopti all year, and a burst near Kayes in the last month.
func day(_ text: String) -> CivilDate { CivilDate(parsing: text)! }
let events: [Incident] = [
    ("2024-09-10", -4.19, 14.49), ("2024-12-02", -4.21, 14.52), ("2025-03-15", -4.17, 14.47),
    ("2025-06-20", -4.20, 14.50), ("2025-07-01", -11.44, 14.45), ("2025-07-02", -11.40, 14.43),
].enumerated().map { i, e in
    Incident(source: "example", sourceEventID: "E\(i + 1)", date: day(e.0), location: LonLat(lon: e.1, lat: e.2),
             locationPrecision: .exact)
}

do {
    // 1. One analysis run: the area (Mali, embedded) and the equal-area CRS of every grid.
    let run = try AnalysisRun(area: try AreaOfInterest.embeddedMali())
    print("CRS: \(run.crsProperties.name)")

    // 2. Density: quartic kernel, 50 km support, on 10 km cells, in events per km².
    let grid = try run.grid(cellSizeKm: 10)
    let density = try DensityAnalysis.run(incidents: events, grid: grid,
                                          parameters: DensityParameters(cellSizeKm: 10, bandwidthKm: 50))
    print(String(format: "density: %d events on %d cells, peak %.3g events/km²", density.eventsUsed,
                 grid.cellsInside, density.grid.peak))

    // 3. Regions that were quiet in the year before and are active in the last 30 days.
    var parameters = ChangeDetectionParameters()
    parameters.asOf = day("2025-07-08")
    let flags = try ChangeDetector.run(run, incidents: events, parameters: parameters)
    for region in flags.regions {
        print("\(region.category.rawValue): \(region.recentEvents) recent, \(region.baselineEvents) before, p = \(region.pValue)")
    }

    // 4. The same regions as GeoJSON, as `regionrisk flag` writes them.
    let geoJSON = FlaggedRegionExport.featureCollection(flags, inputs: []).serialized()
    print("GeoJSON: \(geoJSON.utf8.count) bytes")
} catch {
    FileHandle.standardError.write(Data("error: \(error.localizedDescription)\n".utf8))
    exit(1)
}
