import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGeoJSON
@testable import RegionRiskGeometry

final class GeometryTests: XCTestCase {
    /// Fixtures/geos/in/shapes.geojson: one feature per geometry type with its hand-computed area.
    func shapes() throws -> [(name: String, geometry: GeoJSONGeometry, area: Double)] {
        let fc = try GeoJSONFeatureCollection(contentsOf: Fixtures.url("geos/in/shapes.geojson"))
        return fc.features.map { f in
            (f.properties["name"]?.stringValue ?? "?", f.geometry!, f.properties["area"]?.doubleValue ?? .nan)
        }
    }

    func testGeoJSONRoundTripKeepsEveryType() throws {
        let all = try shapes()
        XCTAssertEqual(Set(all.map(\.geometry.typeName)).count, 7, "the fixture covers all seven GeoJSON types")
        for s in all {
            let g = try Geometry(geoJSON: s.geometry)
            XCTAssertEqual(try g.geoJSON(), s.geometry, s.name)
            XCTAssertEqual(try g.type().name, s.geometry.typeName, s.name)
            XCTAssertEqual(g.numCoordinates, s.geometry.allPositions.count, s.name)
        }
    }

    func testAreaOfKnownShapes() throws {
        for s in try shapes() {
            XCTAssertEqual(try Geometry(geoJSON: s.geometry).area(), s.area, accuracy: 1e-12, s.name)
        }
    }

    func testPolygonClosesRingsAndExportsThem() throws {
        // Open rings in, closed rings out; the hole stays second.
        let g = try Geometry.polygon(rings: [
            [(0, 0), (10, 0), (10, 10), (0, 10)],
            [(2, 2), (2, 4), (4, 4), (4, 2)],
        ])
        XCTAssertEqual(try g.area(), 100 - 4)
        XCTAssertEqual(g.wkt, "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))")
        let parts = try g.polygons()
        XCTAssertEqual(parts.count, 1)
        XCTAssertEqual(parts[0].count, 2)
        XCTAssertEqual(parts[0][1].count, 5)
        XCTAssertTrue(parts[0][1].first! == parts[0][1].last!)
        XCTAssertTrue(try g.isValid())
        XCTAssertEqual(try Geometry.polygon(rings: []).isEmpty(), true)
    }

    func testPolygonsSkipsLinesAndPoints() throws {
        let mixed = try shapes().first { $0.name == "mixed" }!.geometry
        let parts = try Geometry(geoJSON: mixed).polygons()
        XCTAssertEqual(parts.count, 1)
        XCTAssertEqual(parts[0][0].count, 5)
        XCTAssertEqual(try Geometry(wkt: "LINESTRING (0 0, 1 1)").polygons().count, 0)
        let poly = try Geometry(geoJSON: mixed).polygonalParts()
        XCTAssertEqual(try poly.type(), .polygon)
        XCTAssertEqual(try poly.area(), 1)
        XCTAssertEqual(try Geometry(wkt: "POINT (1 2)").polygonalParts().isEmpty(), true)
    }

    func testBadRingsAreRejectedWithAReason() {
        XCTAssertThrowsError(try Geometry.polygon(rings: [[(0, 0), (1, 1)]])) { e in
            XCTAssertTrue(e.localizedDescription.contains("exterior ring"), e.localizedDescription)
        }
        XCTAssertThrowsError(try Geometry.polygon(rings: [[(0, 0), (1, 0), (1, 1)], [(0.1, 0.1), (0.2, 0.2)]])) { e in
            XCTAssertTrue(e.localizedDescription.contains("hole 1"), e.localizedDescription)
        }
        XCTAssertThrowsError(try Geometry.polygon(rings: [[(0, 0), (.nan, 0), (1, 1)]]))
        XCTAssertThrowsError(try Geometry.point(x: .infinity, y: 0))
        XCTAssertThrowsError(try Geometry.rectangle(minX: 1, minY: 0, maxX: 0, maxY: 1))
        XCTAssertThrowsError(try Geometry(geoJSON: .lineString([LonLat(0, 0)])))
    }

    func testRectangleAndBounds() throws {
        let r = try Geometry.rectangle(minX: -3, minY: 10, maxX: 4.5, maxY: 12)
        XCTAssertEqual(try r.area(), 7.5 * 2)
        let b = try r.bounds()
        XCTAssertEqual([b.minX, b.minY, b.maxX, b.maxY], [-3, 10, 4.5, 12])
        XCTAssertThrowsError(try Geometry(wkt: "POLYGON EMPTY").bounds())
        let c = try r.centroid().pointXY()
        XCTAssertEqual(c.x, 0.75, accuracy: 1e-12)
        XCTAssertEqual(c.y, 11, accuracy: 1e-12)
    }

    func testOverlayAreasAreConsistent() throws {
        // Two overlapping squares: |A∪B| = |A| + |B| − |A∩B|, and A − B leaves |A| − |A∩B|.
        let a = try Geometry.rectangle(minX: 0, minY: 0, maxX: 4, maxY: 4)
        let b = try Geometry.rectangle(minX: 3, minY: 1, maxX: 6, maxY: 3)
        XCTAssertEqual(try a.intersection(b).area(), 2)
        XCTAssertEqual(try a.union(b).area(), 16 + 6 - 2)
        XCTAssertEqual(try a.difference(b).area(), 14)
        XCTAssertEqual(try Geometry.unaryUnion([a, b]).area(), 20)
        XCTAssertTrue(try a.intersects(b))
        XCTAssertFalse(try a.contains(b))
        XCTAssertTrue(try a.contains(Geometry.point(x: 1, y: 1)))
        XCTAssertEqual(try a.distance(to: Geometry.point(x: 7, y: 8)), 5, accuracy: 1e-12)
        XCTAssertTrue(try a.union(b).equals(Geometry(wkt: "POLYGON ((0 0, 4 0, 4 1, 6 1, 6 3, 4 3, 4 4, 0 4, 0 0))")))
    }

    func testCoverageUnionOfGridIsOneRectangle() throws {
        var cells: [Geometry] = []
        for i in 0..<10 {
            for j in 0..<8 {
                cells.append(try Geometry.rectangle(minX: Double(i) * 5, minY: Double(j) * 5, maxX: Double(i + 1) * 5, maxY: Double(j + 1) * 5))
            }
        }
        let grid = try Geometry.collection(cells)
        XCTAssertEqual(try grid.type(), .multiPolygon)
        XCTAssertEqual(grid.numGeometries, 80)
        let union = try grid.coverageUnion()
        XCTAssertEqual(try union.type(), .polygon)
        XCTAssertEqual(try union.area(), 80 * 25, accuracy: 1e-9)
        XCTAssertTrue(try union.equals(Geometry.rectangle(minX: 0, minY: 0, maxX: 50, maxY: 40)))
        XCTAssertTrue(try union.isValid())
        // The collection holds copies: the cells are still usable on their own.
        XCTAssertEqual(try cells[79].area(), 25)
    }

    func testBufferOfPointIsTheExpectedPolygon() throws {
        // A point buffered with q segments per quadrant is a regular 4q-gon inscribed in the
        // circle: area (n/2)·r²·sin(2π/n).
        let r = 1000.0
        for q in [2, 8, 16] {
            let n = Double(4 * q)
            let area = try Geometry.point(x: 10, y: 20).buffer(r, quadrantSegments: q).area()
            XCTAssertEqual(area, n / 2 * r * r * sin(2 * .pi / n), accuracy: 1e-6 * area, "q = \(q)")
        }
        XCTAssertEqual(try Geometry.rectangle(minX: 0, minY: 0, maxX: 10, maxY: 10).buffer(-1).area(), 64, accuracy: 1e-9)
    }

    func testSimplifiedKeepsTopology() throws {
        // A wiggly square ring with a hole near the edge: simplification must not let the hole escape.
        var outer: [(x: Double, y: Double)] = []
        for k in 0..<100 { outer.append((Double(k) * 0.1, k % 2 == 0 ? 0 : 0.05)) }
        outer += [(10, 0), (10, 10), (0, 10)]
        let hole: [(x: Double, y: Double)] = [(1, 0.2), (2, 0.2), (2, 1), (1, 1)]
        let g = try Geometry.polygon(rings: [outer, hole])
        let s = try g.simplified(tolerance: 0.5)
        XCTAssertTrue(try s.isValid())
        XCTAssertLessThan(s.numCoordinates, g.numCoordinates)
        XCTAssertEqual(try s.polygons()[0].count, 2, "the hole survives")
    }

    func testPointOnSurfaceIsInsideAConcavePolygon() throws {
        // A C shape whose centroid falls in the gap.
        let c = try Geometry(wkt: "POLYGON ((0 0, 10 0, 10 2, 2 2, 2 8, 10 8, 10 10, 0 10, 0 0))")
        XCTAssertFalse(try c.contains(c.centroid()))
        XCTAssertTrue(try c.contains(c.pointOnSurface()))
    }

    func testTransformedAppliesTheBatchToEveryCoordinate() throws {
        let g = try Geometry(wkt: "MULTIPOLYGON (((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 1 2, 2 2, 2 1, 1 1)), ((10 10, 11 10, 11 11, 10 10)))")
        var seen = 0
        let t = try g.transformed { x, y in
            seen = x.count
            for k in x.indices { x[k] = x[k] * 2 + 1; y[k] = y[k] * 3 - 1 }
        }
        XCTAssertEqual(seen, g.numCoordinates)
        XCTAssertEqual(try t.area(), try g.area() * 6, accuracy: 1e-9)
        let b = try t.bounds()
        XCTAssertEqual([b.minX, b.minY, b.maxX, b.maxY], [1, -1, 23, 32])
        XCTAssertEqual(t.wkt, "MULTIPOLYGON (((1 -1, 9 -1, 9 11, 1 11, 1 -1), (3 2, 3 5, 5 5, 5 2, 3 2)), ((21 29, 23 29, 23 32, 21 29)))")
        // The original is untouched.
        XCTAssertEqual(try g.bounds().maxX, 11)
    }

    func testTransformedReportsProblems() throws {
        let g = try Geometry.rectangle(minX: 0, minY: 0, maxX: 1, maxY: 1)
        XCTAssertThrowsError(try g.transformed { x, _ in x.removeLast() }) { e in
            XCTAssertTrue(e.localizedDescription.contains("4 x and 5 y values for 5 points"), e.localizedDescription)
        }
        struct Refused: Error {}
        XCTAssertThrowsError(try g.transformed { _, _ in throw Refused() }) { e in XCTAssertTrue(e is Refused) }
    }

    func testTransformedWithProjectionRoundTrips() throws {
        let mali = try Geometry(wkt: "POLYGON ((-12 10, 4 10, 4 25, -12 25, -12 10), (-5 14, -5 16, -3 16, -3 14, -5 14))")
        let proj = try Projection(from: "EPSG:4326", to: Projection.laeaDefinition(centeredOn: LonLat(-2, 17)))
        let metres = try mali.transformed { try proj.forward(x: &$0, y: &$1) }
        XCTAssertGreaterThan(try metres.area(), 1e12)
        let back = try metres.transformed { try proj.inverse(x: &$0, y: &$1) }
        let a = try mali.polygons()[0], b = try back.polygons()[0]
        for (ra, rb) in zip(a, b) {
            for (p, q) in zip(ra, rb) {
                XCTAssertEqual(p.x, q.x, accuracy: 1e-7)
                XCTAssertEqual(p.y, q.y, accuracy: 1e-7)
            }
        }
        // A coordinate PROJ cannot transform surfaces as PROJ's error.
        let beyond = try Geometry(wkt: "LINESTRING (0 0, 0 95)")
        XCTAssertThrowsError(try beyond.transformed { try proj.forward(x: &$0, y: &$1) }) { e in
            XCTAssertTrue(e is PROJError, "\(e)")
        }
    }
}
