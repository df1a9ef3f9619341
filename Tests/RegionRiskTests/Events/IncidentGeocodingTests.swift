import XCTest
@testable import RegionRiskBase
@testable import RegionRiskData

/// Rows without coordinates placed by the embedded gazetteer with every hint the row gives
/// (admin1, admin2, the event's text), or rejected with the reason: never stored at a guess.
final class IncidentGeocodingTests: XCTestCase {
    func testRowsAreGeocodedWithAllTheirHintsOrRejectedWithTheReason() throws {
        let url = Fixtures.url("events/in/geocode-hints.csv")
        let r = try IncidentFileReader(resolver: try Gazetteer.embeddedMali()).read(url)
        let byID = Dictionary(uniqueKeysWithValues: r.incidents.enumerated().map { ($0.element.sourceEventID, $0.offset) })
        func geonameID(_ id: String) -> Int? { byID[id].flatMap { r.geocodes[$0]?.geonameID } }

        // Kwala, Koulikoro: the Kwala of Kolokani cercle (GeoNames 2454220), not Sokolo 217 km off.
        XCTAssertEqual(geonameID("G-1"), 2454220)
        let kwala = try XCTUnwrap(byID["G-1"].map { r.incidents[$0].location })
        XCTAssertLessThan(referenceDistanceKm(kwala, LonLat(lon: -8.0422, lat: 14.1506)), 1)
        // Nine Sokouras in Mopti's namesakes; the cercle column picks Bankass's (2450836).
        XCTAssertEqual(geonameID("G-2"), 2450836)
        // No region, three Domas: "about 100 km north of Mopti" picks the one of Youwarou cercle.
        XCTAssertEqual(geonameID("G-3"), 6687468)

        let reasons = Dictionary(uniqueKeysWithValues: r.rejected.map { ($0.line, $0.reason) })
        XCTAssertEqual(r.rejected.count, 4, r.rejected.map(\.description).joined(separator: "\n"))
        // Goundam is in Tombouctou: contradicting the Ménaka hint, it is not stored.
        XCTAssertTrue(reasons[5]?.contains("Goundam") == true && reasons[5]?.contains("outside the hinted region") == true, "\(reasons[5] ?? "")")
        // Echell: a fuzzy match to a well in Gao, far from the Tombouctou hint.
        XCTAssertTrue(reasons[6]?.contains("below the 0.60 threshold") == true, "\(reasons[6] ?? "")")
        // Sokoura, Mopti without a cercle: several namesakes, none singled out.
        XCTAssertTrue(reasons[7]?.contains("ambiguous") == true, "\(reasons[7] ?? "")")
        XCTAssertTrue(reasons[8]?.contains("not in the gazetteer") == true, "\(reasons[8] ?? "")")
    }
}
