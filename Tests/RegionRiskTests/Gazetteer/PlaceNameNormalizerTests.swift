import XCTest
@testable import RegionRiskData

final class PlaceNameNormalizerTests: XCTestCase {
    func testCaseAndDiacriticsFold() {
        XCTAssertEqual(PlaceNameNormalizer.fullKey("Ségou"), "segou")
        XCTAssertEqual(PlaceNameNormalizer.fullKey("SEGOU"), "segou")
        XCTAssertEqual(PlaceNameNormalizer.fullKey("Segou"), "segou")
        XCTAssertEqual(PlaceNameNormalizer.fullKey("Abeïbara"), "abeibara")
        XCTAssertEqual(PlaceNameNormalizer.fullKey("Ké-Macina"), "ke macina")
        // Precomposed and decomposed é give the same key.
        XCTAssertEqual(PlaceNameNormalizer.fullKey("Dianw\u{E9}li"), PlaceNameNormalizer.fullKey("Dianwe\u{301}li"))
    }

    func testHyphensApostrophesAndPunctuationBreakWords() {
        XCTAssertEqual(PlaceNameNormalizer.fullKey("Nioro-du-Sahel"), "nioro du sahel")
        XCTAssertEqual(PlaceNameNormalizer.fullKey("  Nioro   du Sahel. "), "nioro du sahel")
        XCTAssertEqual(PlaceNameNormalizer.fullKey("N’Tossoni"), "n tossoni")
        XCTAssertEqual(PlaceNameNormalizer.indexKeys("N'Tossoni").joined, "ntossoni")
        XCTAssertNil(PlaceNameNormalizer.indexKeys("Tossoni").joined)
    }

    func testCoreKeyDropsParticlesAndQualifiers() {
        XCTAssertEqual(PlaceNameNormalizer.coreKey("Molodo-Centre"), "molodo")
        XCTAssertEqual(PlaceNameNormalizer.coreKey("Nioro du Sahel"), "nioro sahel")
        XCTAssertEqual(PlaceNameNormalizer.coreKey("Cercle d’Abeïbara"), "cercle abeibara")
        XCTAssertEqual(PlaceNameNormalizer.coreKey("Sinzani Peulh"), "sinzani")
        XCTAssertEqual(PlaceNameNormalizer.coreKey("Kani Bonzon Dogon"), "kani bonzon")
        // A name that is nothing but a qualifier keeps it.
        XCTAssertEqual(PlaceNameNormalizer.coreKey("Dogon"), "dogon")
    }

    func testWestAfricanLettersBecomeLatin() {
        XCTAssertEqual(PlaceNameNormalizer.fullKey("Ɲɔnɔ"), "nyono")
        XCTAssertEqual(PlaceNameNormalizer.fullKey("Sɛgu"), "segu")
    }

    func testEditDistanceCountsTranspositionsOnce() {
        let scratch = FuzzyScratch()
        func d(_ a: String, _ b: String, _ cutoff: Int = 5) -> Int {
            EditDistance.osa(Array(a.utf8), Array(b.utf8)[...], cutoff: cutoff, scratch: scratch)
        }
        XCTAssertEqual(d("kayes", "kayes"), 0)
        XCTAssertEqual(d("kaye", "kayes"), 1)
        XCTAssertEqual(d("kyaes", "kayes"), 1)
        XCTAssertEqual(d("diallassago", "diallassagou"), 1)
        XCTAssertEqual(d("kitten", "sitting"), 3)  // textbook Levenshtein example
        XCTAssertEqual(d("kitten", "sitting", 1), 2, "stops at cutoff + 1")
    }
}
