import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGeometry
@testable import RegionRiskGrid

final class AreaGridTests: XCTestCase {
    func testEmbeddedMaliHasTheDCWArea() throws {
        let mali = try AreaOfInterest.embeddedMali()
        // DCW 1:1M outline: 1,250,249 km² (geodesic), see Geodata/SOURCES.md.
        XCTAssertEqual(mali.areaKm2, 1_250_249, accuracy: 1_250_249 * 0.001)
    }

    /// The scanline mask against GEOS's prepared point-in-polygon at every cell centre.
    func testMaskMatchesGEOSPreparedContainsAt10km() throws {
        let mali = try AreaOfInterest.embeddedMali()
        let grid = try AreaGrid.make(area: mali, cellSizeKm: 10)
        let projection = try Projection(from: "EPSG:4326", to: grid.spec.crs)
        let projected = try Geometry(geoJSON: mali.boundary).transformed { try projection.forward(x: &$0, y: &$1) }
        let prepared = try PreparedGeometry(projected)
        var disagreements = 0
        for r in 0..<grid.spec.rows {
            for c in 0..<grid.spec.columns {
                let p = grid.spec.cellCenter(column: c, row: r)
                if try prepared.contains(x: p.x, y: p.y) != (grid.mask[r * grid.spec.columns + c] == 1) { disagreements += 1 }
            }
        }
        XCTAssertEqual(disagreements, 0)
        // Equal-area cells: their count × cell area ≈ the area (to the boundary's raggedness).
        XCTAssertEqual(Double(grid.cellsInside) * grid.spec.cellAreaKm2, mali.areaKm2, accuracy: mali.areaKm2 * 0.01)
    }

    func testOneKilometreGridOfMali() throws {
        let grid = try AreaGrid.make(area: try AreaOfInterest.embeddedMali(), cellSizeKm: 1)
        // ~3.1M cells in the bounding box, ~1.25M inside.
        XCTAssertGreaterThan(grid.spec.cellCount, 2_500_000)
        XCTAssertEqual(Double(grid.cellsInside), 1_250_249, accuracy: 1_250_249 * 0.002)
    }

    func testInvalidAreaIsRepairedOrRejectedClearly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rr-area-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A bow-tie: self-intersecting, repaired into two triangles.
        let bowtie = dir.appendingPathComponent("bowtie.geojson")
        try #"{"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}"#.write(to: bowtie, atomically: true, encoding: .utf8)
        let area = try AreaOfInterest.load(from: bowtie)
        XCTAssertEqual(area.boundary.polygons.count, 2)
        // Only points: rejected with the file named.
        let points = dir.appendingPathComponent("points.geojson")
        try #"{"type":"MultiPoint","coordinates":[[0,0],[1,1]]}"#.write(to: points, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try AreaOfInterest.load(from: points)) { e in
            XCTAssertTrue(e.localizedDescription.contains("points.geojson"), e.localizedDescription)
        }
    }

    func testAdminRegionsNameGoguiByNearestRegion() throws {
        let regions = try AdminRegions.embeddedMali()
        XCTAssertEqual(regions.regions.count, 9)
        // Inside DCW's outline but outside every Natural Earth region.
        XCTAssertEqual(regions.name(at: LonLat(lon: -9.32967, lat: 15.68592)), "Kayes")
        XCTAssertEqual(regions.name(at: LonLat(lon: -5.2547, lat: 14.8252)), "Mopti")  // Dioura
        XCTAssertEqual(regions.name(at: LonLat(lon: -8.0, lat: 12.65)), "Bamako")
    }
}
