import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskData
@testable import RegionRiskGeometry
@testable import RegionRiskGrid

final class DensityAnalysisTests: XCTestCase {
    /// Density in the LAEA grid against an independent computation on the ellipsoid: PROJ's
    /// geodesic distances from each cell centre (inverse-projected) to each event, no projection.
    func testAgreesWithGeodesicDensityAcrossMali() throws {
        let mali = try AreaOfInterest.embeddedMali()
        let grid = try AreaGrid.make(area: mali, cellSizeKm: 25)
        let incidents = SyntheticIncidents.generate(count: 400, seed: 11)
        let result = try DensityAnalysis.run(incidents: incidents, grid: grid,
                                             parameters: DensityParameters(cellSizeKm: 25, bandwidthKm: 80, kernel: .quartic))
        let centres = try grid.cellCentresInside()
        let peak = result.grid.peak
        var worst = 0.0
        for (k, index) in centres.index.enumerated() where k % 7 == 0 {
            var geodesic = 0.0
            for e in incidents {
                let d = Geodesic.wgs84.distanceKm(centres.positions[k], e.location)
                geodesic += KernelShape.quartic.value(distanceSquaredKm2: d * d, bandwidthKm: 80)
            }
            worst = max(worst, abs(geodesic - result.grid.values[index]))
        }
        XCTAssertLessThan(worst, 0.01 * peak, "max |LAEA − geodesic| = \(worst), peak \(peak)")
    }

    func testMassInAreaEqualsTheWeightsOfEventsWellInside() throws {
        let mali = try AreaOfInterest.embeddedMali()
        let grid = try AreaGrid.make(area: mali, cellSizeKm: 2)
        // Three events far (> bandwidth) from the border: near Mopti, Ségou and Tombouctou.
        let towns = [LonLat(lon: -4.2, lat: 14.5), LonLat(lon: -6.26, lat: 13.43), LonLat(lon: -3.0, lat: 16.77)]
        let incidents = towns.enumerated().map { n, p in
            Incident(source: "test", sourceEventID: "\(n)", date: nil, location: p, fatalities: Double(n))
        }
        let parameters = DensityParameters(cellSizeKm: 2, bandwidthKm: 40, kernel: .quartic,
                                           weighting: EventWeighting(source: .fatalities(.onePlus)))
        let result = try DensityAnalysis.run(incidents: incidents, grid: grid, parameters: parameters)
        XCTAssertEqual(result.grid.totalWeight, 1 + 2 + 3)
        XCTAssertEqual(result.grid.massInArea, 6, accuracy: 6 * 0.005)
        XCTAssertEqual(result.eventsOutsideArea, 0)
    }

    func testTimeDecayHalvesWeightPerHalfLife() {
        let asOf = CivilDate(year: 2025, month: 7, day: 8)!
        let w = EventWeighting(source: .unweighted, halfLifeDays: 30, asOf: asOf)
        func incident(_ days: Int) -> Incident {
            Incident(source: "t", sourceEventID: "x", date: asOf.adding(days: -days), location: LonLat(0, 0))
        }
        XCTAssertEqual(try w.weight(of: incident(0)).get(), 1)
        XCTAssertEqual(try w.weight(of: incident(30)).get(), 0.5, accuracy: 1e-12)
        XCTAssertEqual(try w.weight(of: incident(90)).get(), 0.125, accuracy: 1e-12)
        XCTAssertEqual(w.weight(of: incident(-1)), .failure(.afterAsOf(asOf.adding(days: 1))))
        let precise = EventWeighting(excludeRegionOnlyLocations: true)
        var vague = incident(0)
        vague.locationPrecision = .regionOnly
        XCTAssertEqual(precise.weight(of: vague), .failure(.regionOnlyLocation))
    }
}
