import XCTest
@testable import RegionRiskData

final class Admin1NameMatchingTests: XCTestCase {
    /// The embedded regions' names (Natural Earth, English) and GeoNames' (French) meet.
    func testAliasesCaseAndAccentsMatchTheCanonicalName() {
        let embedded = ["Bamako", "Kayes", "Mopti", "Ségou", "Sikasso", "Koulikoro", "Timbuktu", "Gao", "Kidal"]
        let expectations: [(String, String?)] = [
            ("Timbuktu", "Timbuktu"), ("Tombouctou", "Timbuktu"), ("tombouctou", "Timbuktu"), ("Région de Tombouctou", "Timbuktu"),
            ("Segou", "Ségou"), ("SÉGOU", "Ségou"), ("Ségou Region", "Ségou"), ("kayes", "Kayes"), (" Gao ", "Gao"),
            ("District de Bamako", "Bamako"), ("Ménaka", nil), ("Atlantis", nil), ("", nil), ("Kaye", nil),
        ]
        for (query, expected) in expectations {
            XCTAssertEqual(Admin1NameMatching.match(query, in: embedded).map { embedded[$0] }, expected, query)
        }
        // And the other way round: GeoNames' names as the canonical ones.
        let geonames = Admin1Names.mali.all.map(\.name)
        XCTAssertEqual(Admin1NameMatching.match("Timbuktu", in: geonames).map { geonames[$0] }, "Tombouctou")
        XCTAssertEqual(Admin1NameMatching.match("menaka", in: geonames).map { geonames[$0] }, "Ménaka")
        XCTAssertEqual(Admin1NameMatching.match("Taoudeni", in: geonames).map { geonames[$0] }, "Taoudénit")
    }
}
