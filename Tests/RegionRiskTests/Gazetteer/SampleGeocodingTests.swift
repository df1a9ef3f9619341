import XCTest
import RegionRiskGeodata
@testable import RegionRiskBase
@testable import RegionRiskData
@testable import RegionRiskGeometry

/// The embedded sample's place names as reported ("Dioura (military camp)", "Tinzaouatène area",
/// "Diallasougou") against their GeoNames-resolved coordinates: how many the geocoder places
/// within 25 km (the sample's own "near" precision). The README quotes these figures.
final class SampleGeocodingTests: XCTestCase {
    struct Row { var place: String; var admin1: String?; var location: LonLat }

    func sampleRows() throws -> [Row] {
        let result = try IncidentFileReader().read(try EmbeddedGeodata.url("samples/incidents-2024-2025.csv"))
        return result.incidents.map { Row(place: $0.place ?? "", admin1: $0.admin1, location: $0.location) }
    }

    func resolvedNear(_ rows: [Row], gazetteer: Gazetteer) -> (near: Int, resolved: Int) {
        var near = 0, resolved = 0
        for r in rows {
            guard let match = gazetteer.resolvePlaceName(r.place, admin1Hint: r.admin1) else { continue }
            resolved += 1
            let km = Geodesic.wgs84.distanceKm(match.location, r.location)
            if km <= 25 { near += 1 } else if ProcessInfo.processInfo.environment["REGIONRISK_SHOW_MISSES"] != nil {
                print("  far: \(r.place) → \(match.matchedName) \(Int(km)) km")
            }
        }
        return (near, resolved)
    }

    func testEmbeddedGazetteerPlacesMostReportedNamesNearTheirCoordinates() throws {
        let rows = try sampleRows()
        XCTAssertEqual(rows.count, 77)
        let (near, resolved) = resolvedNear(rows, gazetteer: try Gazetteer.embeddedMali())
        print("sample geocoding, embedded gazetteer: \(near) of \(rows.count) within 25 km (\(resolved) resolved)")
        XCTAssertGreaterThanOrEqual(near, 48, "51 with the complete embedded gazetteer (24 with the old 100 towns)")
    }

    func testFullGeoNamesDumpPlacesNearlyAllOfThem() throws {
        let rows = try sampleRows()
        let gazetteer = try SharedDumpGazetteer.withEmbedded()
        let (near, resolved) = resolvedNear(rows, gazetteer: gazetteer)
        print("sample geocoding, with the GeoNames dump: \(near) of \(rows.count) within 25 km (\(resolved) resolved)")
        XCTAssertGreaterThanOrEqual(near, 50, "53 measured")
    }
}
