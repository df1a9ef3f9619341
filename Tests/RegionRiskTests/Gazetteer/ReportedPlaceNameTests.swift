import XCTest
@testable import RegionRiskData

final class ReportedPlaceNameTests: XCTestCase {
    func testNewsStyleNamesYieldThePlaceFirst() {
        XCTAssertEqual(ReportedPlaceName.readings(of: "Dioura (military camp)").first, "Dioura")
        XCTAssertEqual(ReportedPlaceName.readings(of: "Tinzaouatène area").first, "Tinzaouatène")
        XCTAssertEqual(ReportedPlaceName.readings(of: "near Sokolo").first, "Sokolo")
        XCTAssertEqual(ReportedPlaceName.readings(of: "Diallasougou (Diallassagou)"), ["Diallasougou", "Diallassagou"])
        XCTAssertTrue(ReportedPlaceName.readings(of: "forest between Bandiagara and Bankass").contains("Bandiagara"))
        XCTAssertEqual(ReportedPlaceName.readings(of: "Kingolola (commune de Saloba, cercle de Macina)"),
                       ["Kingolola", "Saloba", "Macina"])
        XCTAssertEqual(ReportedPlaceName.readings(of: "Kayes"), [])
    }

    func testGeocoderSaysHowItReadTheName() throws {
        let r = try Gazetteer.embeddedMali().geocode("Dioura (military camp)", admin1Hint: "Mopti")
        XCTAssertEqual(r.best?.place.name, "Dioura")
        XCTAssertTrue(r.notes.contains { $0.contains("as \"Dioura\"") }, "\(r.notes)")
        XCTAssertLessThan(r.confidence, 1)
    }

    /// A reading's own readings come with a text that holds the name already: its distance
    /// phrases count once ("near Bankass" was applied twice, its ring scored twice).
    func testReadingsOfReadingsApplyTheNamesPhrasesOnce() throws {
        let r = try Gazetteer.embeddedMali().geocode("forest between Bandiagara and Bankass (3 buses intercepted)", admin1Hint: "Mopti")
        XCTAssertEqual(r.best?.place.name, "Bandiagara")
        let applied = (r.hintApplied ?? "").components(separatedBy: "; ")
        XCTAssertEqual(applied.filter { $0.hasPrefix("near Bankass") }.count, 1, r.hintApplied ?? "no hint applied")
        XCTAssertEqual(Set(applied).count, applied.count, r.hintApplied ?? "")
    }

    /// The geocoder fuzz target's nested name (`Tests/Fuzz/geocoder/corpus/slow-between-phrases-2.txt`):
    /// no reading is looked up twice, and the lookups stay few (325 before each reading was kept
    /// and the name's phrases joined the hint once).
    func testNestedReadingsAreLookedUpOnceEach() throws {
        let name = "between close to yyyy:Anebetween Bandybetween igeron debetweenarAAAAkcircleoff  AAAacked a  Bn Bandirs0AAAAAAAAA close to yyyy:Anear AAAAkcircle of  AAAacked Kssaye 0  –sembuAkd"
        let counted = try Gazetteer.embeddedMali().readingLookups(name)
        XCTAssertEqual(counted.lookups, counted.distinct + 1)
        XCTAssertLessThanOrEqual(counted.lookups, 64)
    }
}
