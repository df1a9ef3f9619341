import XCTest
@testable import RegionRiskBase
@testable import RegionRiskData

/// How the geocoder decides between places a loose key matches alike, and how it reads names
/// of news reports. Small gazetteers of villages of equal standing in
/// one region, more than 10 km apart, so that only the rule under test can decide.
final class SpellingTieTests: XCTestCase {
    func village(_ id: Int, _ name: String, alternates: [String] = [], lon: Double) -> Place {
        Place(geonameID: id, name: name, asciiName: name.folding(options: .diacriticInsensitive, locale: nil),
              alternateNames: alternates, location: LonLat(lon: lon, lat: 13.5), featureClass: "P", featureCode: "PPL",
              countryCode: "ML", admin1Code: "05", admin1Name: "Ségou", source: "test")
    }

    func testTheNearestSpellingWinsBetweenPlacesOfOneLooseKey() throws {
        // "Caana" folds phonetically to "kana", the key of both; Kaana is one letter away, Kana two.
        let g = Gazetteer(places: [village(1, "Kana", lon: -6.0), village(2, "Kaana", lon: -5.0)])
        let r = try g.geocode("Caana, Ségou")
        XCTAssertEqual(r.best?.place.geonameID, 2)
        XCTAssertTrue(r.isAmbiguous, "still one key for both: the tie is broken, not hidden")
        // The same with the order of the places reversed: not the geonameid deciding.
        let h = Gazetteer(places: [village(2, "Kaana", lon: -5.0), village(1, "Kana", lon: -6.0)])
        XCTAssertEqual(try h.geocode("Caana, Ségou").best?.place.geonameID, 2)
    }

    func testAPlaceOfTheNameBeatsAnotherThatHasItOnlyAsAlternate() throws {
        // One transposition from Darabo; Daraou carries "Darabo" as an alternate name (GeoNames facts, Kayes).
        let g = Gazetteer(places: [village(2459305, "Daraou", alternates: ["Danaou", "Darabo"], lon: -10.2),
                                   village(2459313, "Darabo", lon: -11.4)])
        XCTAssertEqual(try g.geocode("Daarbo, Ségou").best?.place.geonameID, 2459313)
        // Exact alternate against exact name: unchanged (1.0 against 0.96).
        XCTAssertEqual(try g.geocode("Darabo").best?.place.geonameID, 2459313)
    }

    func testFourLetterNamesUseTheSpellingInsensitiveKey() throws {
        let g = Gazetteer(places: [village(1, "Niéna", lon: -6.0), village(2, "Nina", lon: -5.0), village(3, "Waye", lon: -4.0),
                                   village(4, "Naye", lon: -3.0)])
        XCTAssertEqual(try g.geocode("Nyna, Ségou").best?.place.geonameID, 2)
        XCTAssertEqual(try g.geocode("Nyna, Ségou").best?.matchKind, .normalised)
        XCTAssertEqual(try g.geocode("Waie, Ségou").best?.place.geonameID, 3)
    }

    func testAnAxisWithAHyphenatedPlaceAtOneEnd() throws {
        XCTAssertEqual(ReportedPlaceName.roadEnds("Idiéli-Goudana-Bandiagara"),
                       ["Idiéli-Goudana", "Bandiagara", "Idiéli", "Goudana-Bandiagara"])
        XCTAssertEqual(ReportedPlaceName.roadEnds("Gao-Ansongo"), ["Gao", "Ansongo"])
        XCTAssertEqual(ReportedPlaceName.roadEnds("Koro-Centre"), ["Koro", "Centre"], "two parts: as before")
        XCTAssertEqual(ReportedPlaceName.roadEnds("Ti-n-Zaouatène"), [], "a lower-case particle is no road end")
        let g = Gazetteer(places: [village(1, "Idiéli-Goudana", lon: -3.7), village(2, "Idiéli", lon: -2.0),
                                   village(3, "Bandiagara", lon: -3.6)])
        let r = try g.geocode("Idiéli-Goudana-Bandiagara axis, Ségou")
        XCTAssertEqual(r.best?.place.geonameID, 1)
    }

    func testAdjoiningIsAProximityPhrase() {
        XCTAssertEqual(ProximityPhrases.find(in: "Mamaribougou (commune du Mandé, adjoining Bamako)"),
                       [ProximityPhrases.Phrase(place: "Bamako", km: 0)])
        XCTAssertEqual(ProximityPhrases.find(in: "a village next to Boni").map(\.place), ["Boni"])
    }
}
