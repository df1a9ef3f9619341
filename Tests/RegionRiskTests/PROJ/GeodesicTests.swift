import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGeometry

/// Against GeographicLib's Python implementation (Fixtures/proj/geodesic.json, made by
/// Fixtures/proj/make_fixtures.py) and textbook values.
final class GeodesicTests: XCTestCase {
    struct Reference: Decodable {
        struct Inverse: Decodable {
            let name: String
            let from: [Double], to: [Double]
            let distance_m: Double, azimuth1_deg: Double, azimuth2_deg: Double
        }
        struct Direct: Decodable {
            let from: [Double], azimuth_deg: Double, distance_m: Double, to: [Double]
        }
        struct Area: Decodable {
            let name: String
            let rings: [[[Double]]]
            let area_km2: Double
        }
        let inverse: [Inverse], direct: [Direct], area: [Area]
    }

    func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: Fixtures.url("proj/geodesic.json")))
    }

    func testInverseMatchesGeographicLib() throws {
        let ref = try reference()
        XCTAssertGreaterThanOrEqual(ref.inverse.count, 5)
        for c in ref.inverse {
            let r = Geodesic.wgs84.inverse(from: LonLat(c.from[0], c.from[1]), to: LonLat(c.to[0], c.to[1]))
            XCTAssertEqual(r.distanceMeters, c.distance_m, accuracy: 1e-6, c.name)
            XCTAssertEqual(r.azimuth1Degrees, c.azimuth1_deg, accuracy: 1e-9, c.name)
            XCTAssertEqual(r.azimuth2Degrees, c.azimuth2_deg, accuracy: 1e-9, c.name)
            XCTAssertEqual(Geodesic.wgs84.distanceKm(LonLat(c.from[0], c.from[1]), LonLat(c.to[0], c.to[1])),
                           c.distance_m / 1000, accuracy: 1e-9, c.name)
        }
    }

    func testTextbookDistances() {
        // One degree of longitude on the equator is a·π/180 for WGS 84 (a = 6 378 137 m).
        XCTAssertEqual(Geodesic.wgs84.inverse(from: LonLat(0, 0), to: LonLat(1, 0)).distanceMeters,
                       6_378_137 * Double.pi / 180, accuracy: 1e-6)
        // The WGS 84 quarter meridian, 10 001 965.729 m (NIMA TR8350.2 / Karney 2013).
        XCTAssertEqual(Geodesic.wgs84.inverse(from: LonLat(10, 0), to: LonLat(10, 90)).distanceMeters,
                       10_001_965.729, accuracy: 1e-3)
        XCTAssertEqual(Geodesic.wgs84.distanceKm(LonLat(-2, 17), LonLat(-2, 17)), 0)
    }

    func testDirectMatchesGeographicLibAndInvertsInverse() throws {
        for c in try reference().direct {
            let p = Geodesic.wgs84.direct(from: LonLat(c.from[0], c.from[1]), azimuthDegrees: c.azimuth_deg, distanceMeters: c.distance_m)
            XCTAssertEqual(p.lon, c.to[0], accuracy: 1e-10)
            XCTAssertEqual(p.lat, c.to[1], accuracy: 1e-10)
            let back = Geodesic.wgs84.inverse(from: LonLat(c.from[0], c.from[1]), to: p)
            XCTAssertEqual(back.distanceMeters, c.distance_m, accuracy: 1e-6)
        }
    }

    func testAreaMatchesGeographicLib() throws {
        for c in try reference().area {
            let rings = c.rings.map { $0.map { LonLat($0[0], $0[1]) } }
            XCTAssertEqual(Geodesic.wgs84.areaKm2(rings: rings), c.area_km2, accuracy: c.area_km2 * 1e-9, c.name)
            // Orientation and closing position do not matter; the area stays positive.
            let reversedOpen = rings.map { Array($0.reversed().dropLast()) }
            XCTAssertEqual(Geodesic.wgs84.areaKm2(rings: reversedOpen), c.area_km2, accuracy: c.area_km2 * 1e-9, c.name)
        }
    }

    func testEquatorCellAreaIsAboutTwelveThousandKm2() throws {
        // Sanity bound independent of any library: a 1°×1° cell at the equator is close to
        // (a·π/180)² minus a little for the ellipsoid's flattening.
        let cell = [[LonLat(0, 0), LonLat(1, 0), LonLat(1, 1), LonLat(0, 1)]]
        let a = Geodesic.wgs84.areaKm2(rings: cell)
        let flat = pow(6_378.137 * Double.pi / 180, 2)
        XCTAssertLessThan(a, flat)
        XCTAssertGreaterThan(a, flat * 0.99)
        XCTAssertEqual(Geodesic.wgs84.areaKm2(rings: []), 0)
        XCTAssertEqual(Geodesic.wgs84.areaKm2(rings: [[LonLat(0, 0), LonLat(1, 1)]]), 0)
    }
}
