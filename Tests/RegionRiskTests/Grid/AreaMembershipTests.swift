import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGeometry
@testable import RegionRiskGrid

final class AreaMembershipTests: XCTestCase {
    /// Against GEOS: points inside the outline are in; points farther than tolerance + one cell
    /// diagonal (~1.6 km) outside are out; in between, within the tolerance band, they are in.
    func testAgreesWithGEOSDistanceToTheOutline() throws {
        let mali = try AreaOfInterest.embeddedMali()
        let membership = AreaMembership(area: mali, toleranceKm: 5)
        let projection = try Projection(from: "EPSG:4326", to: mali.defaultCRS)
        let outline = try Geometry(geoJSON: mali.boundary).transformed { try projection.forward(x: &$0, y: &$1) }
        var rng = SplitMix64(seed: 3)
        let box = mali.boundary.boundingBox!
        var checked = 0
        for _ in 0..<4000 {
            let p = LonLat(lon: box.west - 0.5 + rng.nextDouble() * (box.east - box.west + 1),
                           lat: box.south - 0.5 + rng.nextDouble() * (box.north - box.south + 1))
            let xy = try projection.forward(p)
            let km = try outline.distance(to: try Geometry.point(x: xy.x, y: xy.y)) / 1000
            if km == 0 || (km > 0.5 && km < 3.5) { XCTAssertTrue(membership.contains(p), "\(p) at \(km) km"); checked += 1 }
            if km > 7.5 { XCTAssertFalse(membership.contains(p), "\(p) at \(km) km"); checked += 1 }
        }
        XCTAssertGreaterThan(checked, 3000)
        // The sample's Tinzaouaten and Boulkessi points, just outside DCW's outline, count as inside.
        XCTAssertTrue(membership.contains(LonLat(lon: -1.30361, lat: 14.79361)))
    }
}
