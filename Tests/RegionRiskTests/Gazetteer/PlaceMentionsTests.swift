import XCTest
@testable import RegionRiskData

final class PlaceMentionsTests: XCTestCase {
    func mentions() throws -> [PlaceMention] {
        let text = try String(contentsOf: Fixtures.url("gazetteer/in/mentions.txt"), encoding: .utf8)
        return try syntheticGazetteer().mentions(inText: text)
    }

    func testFindsThePlacesAndOnlyThem() throws {
        let found = try mentions()
        XCTAssertEqual(found.map(\.text), ["Bamako", "Kayes", "Nioro du Sahel", "Dioura", "Mopti", "Diallassago", "Dianweli", "N’Tossoni"])
        XCTAssertEqual(found.first?.result.best?.place.geonameID, 9000024, "the dateline's place")
    }

    func testOrdinaryWordsPeopleAndForeignNamesAreNotPlaces() throws {
        let texts = Set(try mentions().map(\.text))
        // "Safety" (a village here) is written in lower case elsewhere in the text; "Tounkara"
        // (a village too) is part of a person's name; "India" is a country one letter from
        // Mindia; "Sahel" is a plain, not a settlement; "FAMa" an acronym; "Mali" the country.
        for word in ["Safety", "Tounkara", "Aly Tounkara", "India", "Sahel", "FAMa", "Mali", "Later", "The"] {
            XCTAssertFalse(texts.contains(word), word)
        }
    }

    func testContextDecidesNamesakes() throws {
        let found = try mentions()
        func best(_ text: String) -> GeocodeResult? { found.first { $0.text == text }?.result }
        // Dioura: "in the Mopti region" in the same sentence.
        XCTAssertEqual(best("Dioura")?.best?.place.geonameID, 9000001)
        XCTAssertFalse(best("Dioura")?.isAmbiguous ?? true)
        // Dianweli: named beside Diallassagou (misspelt), 2 km from the Mopti namesake.
        XCTAssertEqual(best("Diallassago")?.best?.place.geonameID, 9000018)
        XCTAssertEqual(best("Dianweli")?.best?.place.geonameID, 9000019)
        XCTAssertEqual(best("Dianweli")?.alternatives.first?.place.geonameID, 9000020, "the runner-up is shown")
        let mopti = try XCTUnwrap(found.first { $0.text == "Mopti" })
        XCTAssertTrue(mopti.refersToRegion)
        XCTAssertEqual(mopti.line, 2)
    }

    func testPositions() throws {
        let text = try String(contentsOf: Fixtures.url("gazetteer/in/mentions.txt"), encoding: .utf8)
        for m in try mentions() {
            XCTAssertEqual(String(text[m.range]), m.text)
            let line = text.split(separator: "\n", omittingEmptySubsequences: false)[m.line - 1]
            XCTAssertEqual(String(line.dropFirst(m.column - 1).prefix(m.text.count)), m.text)
        }
    }

    func testEmptyAndWordlessTexts() throws {
        let g = try Gazetteer.embeddedMali()
        XCTAssertEqual(g.mentions(inText: "").count, 0)
        XCTAssertEqual(g.mentions(inText: "   \n\n 12 34 … — ").count, 0)
        XCTAssertEqual(g.mentions(inText: "KAYES AND NIORO SAW ATTACKS BY MEN FROM THE NORTH TODAY").map(\.text), ["KAYES", "NIORO"],
                       "a text in capitals has no case to go by")
    }
}
