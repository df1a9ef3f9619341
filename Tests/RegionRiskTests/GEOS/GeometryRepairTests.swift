import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGeoJSON
@testable import RegionRiskGeometry

final class GeometryRepairTests: XCTestCase {
    func testValidAreaIsReturnedAsIs() throws {
        let g = try Geometry.rectangle(minX: 0, minY: 0, maxX: 3, maxY: 2)
        XCTAssertTrue(try g.repairedPolygonal() === g)
    }

    func testBowTieBecomesTwoTriangles() throws {
        // The ring crosses itself at (1, 1): two triangles of area 1 each.
        let bowTie = try Geometry(geoJSON: .polygon([[LonLat(0, 0), LonLat(2, 2), LonLat(2, 0), LonLat(0, 2), LonLat(0, 0)]]))
        XCTAssertFalse(try bowTie.isValid())
        XCTAssertTrue(try bowTie.validityReason().contains("Self-intersection"))
        let fixed = try bowTie.repairedPolygonal()
        XCTAssertTrue(try fixed.isValid())
        XCTAssertEqual(try fixed.type(), .multiPolygon)
        XCTAssertEqual(try fixed.area(), 2, accuracy: 1e-12)
        XCTAssertTrue(try fixed.equals(Geometry(wkt: "MULTIPOLYGON (((0 0, 1 1, 0 2, 0 0)), ((2 0, 2 2, 1 1, 2 0)))")))
    }

    func testOverlappingPartsAreMergedNotCancelled() throws {
        // Two 2×2 squares overlapping by 1×1. The default (linework) repair cancels the overlap
        // (area 6); an area of interest means the union (area 7).
        let g = try Geometry(wkt: "MULTIPOLYGON (((0 0, 2 0, 2 2, 0 2, 0 0)), ((1 1, 3 1, 3 3, 1 3, 1 1)))")
        XCTAssertFalse(try g.isValid())
        XCTAssertEqual(try g.makeValid().area(), 6, accuracy: 1e-12)
        let fixed = try g.repairedPolygonal()
        XCTAssertEqual(try fixed.area(), 7, accuracy: 1e-12)
        XCTAssertTrue(try fixed.isValid())
    }

    func testMakeValidKeepsCollapsedLinesThatPolygonalPartsDrops() throws {
        // A square with a spike (a zero-width line sticking out).
        let g = try Geometry(wkt: "POLYGON ((0 0, 2 0, 2 1, 4 1, 2 1, 2 2, 0 2, 0 0))")
        let valid = try g.makeValid()
        XCTAssertEqual(try valid.type(), .geometryCollection)
        let area = try valid.polygonalParts()
        XCTAssertEqual(try area.type(), .polygon)
        XCTAssertEqual(try area.area(), 4, accuracy: 1e-12)
    }

    func testCollapsedPolygonGivesAClearError() {
        let flat = try! Geometry(wkt: "POLYGON ((0 0, 1 1, 2 2, 0 0))")
        XCTAssertThrowsError(try flat.repairedPolygonal()) { e in
            XCTAssertTrue(e is GEOSError)
            let m = e.localizedDescription
            XCTAssertTrue(m.hasPrefix("the area polygon is invalid ("), m)
            XCTAssertTrue(m.contains("could not be repaired"), m)
        }
    }

    func testLineOnlyInputGivesAClearError() throws {
        for (wkt, kind) in [("LINESTRING (0 0, 1 1, 1 0)", "LineString"), ("POINT (1 1)", "Point"), ("MULTILINESTRING ((0 0, 1 1))", "MultiLineString")] {
            XCTAssertThrowsError(try Geometry(wkt: wkt).repairedPolygonal()) { e in
                XCTAssertEqual(e.localizedDescription, "the area is a \(kind), not a Polygon or MultiPolygon")
            }
        }
        XCTAssertThrowsError(try Geometry(wkt: "GEOMETRYCOLLECTION (LINESTRING (0 0, 1 1))").repairedPolygonal()) { e in
            XCTAssertTrue(e.localizedDescription.contains("contains no polygon"), e.localizedDescription)
        }
        XCTAssertThrowsError(try Geometry(wkt: "POLYGON EMPTY").repairedPolygonal()) { e in
            XCTAssertTrue(e.localizedDescription.contains("empty"), e.localizedDescription)
        }
    }

    func testMaliRegionsRepairAndUnionToMalisArea() throws {
        // ../shared OCHA admin-1 boundaries: every region usable as an area, its true area as
        // GeographicLib computes it (Fixtures/geos/out/ocha-adm1-areas.json, from
        // make_ocha_areas.py), and the regions tiling the country.
        struct Reference: Decodable {
            struct Region: Decodable { let pcode: String, area_km2: Double }
            let regions: [Region]
        }
        let url = try SharedData.url("geodata/mali/ocha-adm1.geojson")
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: Fixtures.url("geos/out/ocha-adm1-areas.json")))
        let features = try GeoJSONFeatureCollection(contentsOf: url).features
        XCTAssertEqual(features.count, reference.regions.count)
        var repaired: [Geometry] = []
        for (f, ref) in zip(features, reference.regions) {
            XCTAssertEqual(f.properties["admin1Pcod"]?.stringValue, ref.pcode)
            let g = try Geometry(geoJSON: f.geometry!).repairedPolygonal()
            XCTAssertTrue(try g.isValid(), ref.pcode)
            XCTAssertEqual(Geodesic.wgs84.areaKm2Sum(try g.polygons()), ref.area_km2, accuracy: ref.area_km2 * 1e-6, ref.pcode)
            repaired.append(g)
        }
        let union = try Geometry.unaryUnion(repaired)
        XCTAssertTrue(try union.isValid())
        XCTAssertEqual(try union.polygons().count, 1, "Mali is one piece")
        let km2 = Geodesic.wgs84.areaKm2Sum(try union.polygons())
        let sum = reference.regions.reduce(0) { $0 + $1.area_km2 }
        XCTAssertEqual(km2, sum, accuracy: sum * 0.001)
        // Published national area 1 240 192 km² (CIA World Factbook); boundary datasets differ by ~1 %.
        XCTAssertEqual(km2, 1_240_192, accuracy: 1_240_192 * 0.02)
    }
}

extension Geodesic {
    /// Total geodesic area of polygons given in lon/lat (x, y).
    func areaKm2Sum(_ polygons: [[[(x: Double, y: Double)]]]) -> Double {
        polygons.reduce(0) { $0 + areaKm2(rings: $1.map { $0.map { LonLat($0.x, $0.y) } }) }
    }
}
