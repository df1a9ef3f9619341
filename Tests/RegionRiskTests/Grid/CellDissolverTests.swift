import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGeoJSON
@testable import RegionRiskGeometry
@testable import RegionRiskGrid

final class CellDissolverTests: XCTestCase {
    /// The outline from a sorted cell list is the very same geometry (vertex for vertex) as the
    /// one from a whole-grid scan, on random sets with runs that end at the grid's right edge.
    func testSortedCellsGiveTheSameGeometryAsTheScan() throws {
        let spec = GridSpec(crs: Projection.laeaDefinition(centeredOn: LonLat(lon: -4, lat: 17)), westX: -50_000, northY: 40_000,
                            columns: 23, rows: 17, cellSizeMeters: 5000)
        let projection = try Projection(from: "EPSG:4326", to: spec.crs)
        var rng = SplitMix64(seed: 3)
        for density in [0.1, 0.5, 0.9] {
            let cells = (0..<spec.cellCount).filter { _ in rng.nextDouble() < density }
            let set = Set(cells)
            let scanned = try XCTUnwrap(try CellDissolver.projectedGeometry(spec: spec, includes: { set.contains($0) }))
            let listed = try XCTUnwrap(try CellDissolver.projectedGeometry(spec: spec, sortedCells: cells))
            XCTAssertEqual(try listed.geoJSON(), try scanned.geoJSON(), "density \(density)")
            XCTAssertEqual(try CellDissolver.lonLatGeometry(spec: spec, sortedCells: cells, projection: projection),
                           try CellDissolver.lonLatGeometry(spec: spec) { set.contains($0) })
        }
        XCTAssertNil(try CellDissolver.projectedGeometry(spec: spec, sortedCells: []))
    }
}
