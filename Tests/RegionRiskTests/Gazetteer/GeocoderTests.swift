import XCTest
@testable import RegionRiskBase
@testable import RegionRiskData
@testable import RegionRiskReport
@testable import RegionRiskGeoJSON

final class GeocoderTests: XCTestCase {
    func testMatchKindsRankExactAlternateNormalisedFuzzy() throws {
        // Koro (name), Kandé (alternate "Koro"), Koro-Centre (normalised), Korot (one edit):
        // four villages of equal standing, more than 100 km apart.
        let g = try syntheticGazetteer()
        let r = try g.geocode("Koro", limit: 4)
        XCTAssertEqual(r.best?.place.geonameID, 9000007)
        XCTAssertEqual(r.best?.matchKind, .exact)
        XCTAssertEqual(r.alternatives.map(\.place.geonameID), [9000008, 9000009, 9000010])
        XCTAssertEqual(r.alternatives.map(\.matchKind), [.alternate, .normalised, .fuzzy])
        XCTAssertEqual(r.alternatives[0].matchedName, "Koro")
        XCTAssertEqual(r.alternatives[2].editDistance, 1)
        // Kandé is also called Koro: a real rival, 0.04 behind; Koro-Centre 0.11 behind (0.92,
        // less 0.03 for a name three or more edits from "koro"): 1 / (1 + e^(−0.04/0.03) +
        // e^(−0.11/0.03) + …) = 0.775, Korot's share being below 0.001.
        XCTAssertTrue(r.isAmbiguous)
        XCTAssertEqual(r.confidence, 1 / (1 + exp(-0.04 / 0.03) + exp(-0.11 / 0.03)), accuracy: 0.002)
    }

    func testAlternateNamesAndFolding() throws {
        let g = try syntheticGazetteer()
        for q in ["Tombouctou", "TOMBOUCTOU", "tombouctou", "Timbuktu"] {
            XCTAssertEqual(try g.geocode(q).best?.place.geonameID, 9000006, q)
        }
        XCTAssertEqual(try g.geocode("Tombouctou").best?.matchKind, .alternate)
        for q in ["Ségou", "Segou", "SEGOU", "Segu", "ségou"] {
            let r = try g.geocode(q)
            XCTAssertEqual(r.best?.place.geonameID, 9000004, q)
        }
        XCTAssertEqual(try g.geocode("Nioro-du-Sahel").best?.place.geonameID, 9000017)
        XCTAssertEqual(try g.geocode("nioro du sahel").best?.matchKind, .alternate)
        XCTAssertEqual(try g.geocode("Ntossoni").best?.place.geonameID, 9000013, "apostrophe dropped")
        XCTAssertEqual(try g.geocode("N Tossoni").best?.place.geonameID, 9000013, "apostrophe as a space")
    }

    func testNamesakesAreAmbiguousUntilAHintDecides() throws {
        let g = try syntheticGazetteer()
        let bare = try g.geocode("Dioura")
        XCTAssertTrue(bare.isAmbiguous)
        XCTAssertEqual(bare.confidence, 0.5, accuracy: 0.01, "two equal namesakes share the confidence")
        XCTAssertEqual(bare.alternatives.first?.place.name, "Dioura")

        for (query, hint) in [("Dioura", "Mopti"), ("Dioura, Mopti", nil), ("Dioura", "mopti region"), ("Dioura", "Moptti")] {
            let r = try g.geocode(query, admin1Hint: hint)
            XCTAssertEqual(r.best?.place.geonameID, 9000001, "\(query) / \(hint ?? "-")")
            XCTAssertFalse(r.isAmbiguous)
            XCTAssertGreaterThan(r.confidence, 0.99)
            XCTAssertEqual(r.alternatives.first?.place.geonameID, 9000002, "the runner-up is still shown")
            XCTAssertEqual(r.hintApplied, "region Mopti")
        }
        let kayes = try g.geocode("Dioura", admin1Hint: "Kayes")
        XCTAssertEqual(kayes.best?.place.geonameID, 9000002)
    }

    func testUnknownRegionHintsAreSoft() throws {
        let g = try syntheticGazetteer()
        // Bandiagara, a region since 2023 that GeoNames files under Mopti, is read as the 2015
        // cercles it was cut from (Bandiagara, Bankass, Koro); the synthetic places carry no
        // cercle, so the hint cannot confirm either Dioura and leaves them tied.
        let r = try g.geocode("Dioura", admin1Hint: "Bandiagara")
        XCTAssertEqual(r.hintApplied, "region Bandiagara")
        XCTAssertTrue(r.isAmbiguous)
        // A town that is no region is a soft hint: the Dioura 90 km from Niono wins over the one
        // 420 km away.
        let niono = try g.geocode("Dioura, Niono")
        XCTAssertEqual(niono.best?.place.geonameID, 9000001)
        XCTAssertEqual(niono.hintApplied, "near Niono, Ségou")
        // A hint that is nothing known is reported and ignored, not fatal.
        let unknown = try g.geocode("Dioura, Qwxyz")
        XCTAssertNotNil(unknown.best)
        XCTAssertTrue(unknown.isAmbiguous)
        XCTAssertEqual(unknown.notes.first, "hint 'Qwxyz' is neither a region nor a known place; ignored")
        XCTAssertTrue(unknown.notes.last?.hasPrefix("ambiguous: 2 places") == true, "\(unknown.notes)")
        // The country the gazetteer covers is no hint at all; another country is noted.
        XCTAssertEqual(try g.geocode("Ségou, Mali").notes, [])
        XCTAssertEqual(try g.geocode("Ségou, Mali").best?.place.geonameID, 9000004)
        XCTAssertEqual(try g.geocode("Ségou, Senegal").notes.count, 1)
    }

    func testProximityHint() throws {
        let g = try syntheticGazetteer()
        let nearKayes = try g.geocode("Dioura", near: LonLat(lon: -10.0, lat: 14.5))
        XCTAssertEqual(nearKayes.best?.place.geonameID, 9000002)
        XCTAssertFalse(nearKayes.isAmbiguous)
        let nearMopti = try g.geocode("Dioura", near: LonLat(lon: -5.0, lat: 14.6))
        XCTAssertEqual(nearMopti.best?.place.geonameID, 9000001)
        XCTAssertThrowsError(try g.geocode("Dioura", near: LonLat(lon: .nan, lat: 1)))
        XCTAssertThrowsError(try g.geocode("Dioura", limit: 0))
    }

    func testProminenceBreaksTies() throws {
        let g = try syntheticGazetteer()
        // The regional capital, not the region of the same name (which is no rival).
        let sikasso = try g.geocode("Sikasso")
        XCTAssertEqual(sikasso.best?.place.geonameID, 9000011)
        XCTAssertFalse(sikasso.isAmbiguous)
        XCTAssertEqual(sikasso.confidence, 1, accuracy: 1e-9)
        // A city of 205,000 one letter away outranks an unpopulated hamlet of the exact name,
        // which stays listed as the alternative.
        let seou = try g.geocode("Séou")
        XCTAssertEqual(seou.best?.place.geonameID, 9000004)
        XCTAssertEqual(seou.best?.matchKind, .fuzzy)
        XCTAssertEqual(seou.alternatives.first?.place.geonameID, 9000005)
        XCTAssertLessThanOrEqual(seou.confidence, 0.8)
        // …but a region hint for the hamlet's region brings it back.
        XCTAssertEqual(try g.geocode("Séou", admin1Hint: "Koulikoro").best?.place.geonameID, 9000005)
    }

    func testFuzzyMatchesAndSuggestions() throws {
        let g = try syntheticGazetteer()
        let r = try g.geocode("Diallassago")
        XCTAssertEqual(r.best?.place.geonameID, 9000018)
        XCTAssertEqual(r.best?.matchKind, .fuzzy)
        XCTAssertEqual(r.confidence, 0.8, accuracy: 0.01)
        XCTAssertEqual(try g.geocode("Bamkao").best?.place.name, "Bamako", "transposition")
        XCTAssertEqual(try g.geocode("Tombuctou").best?.place.geonameID, 9000006)
        let none = try g.geocode("Bmkxo")
        XCTAssertNil(none.best)
        XCTAssertEqual(none.status, "unresolved")
        XCTAssertEqual(none.suggestions.first?.place.name, "Bamako")
        XCTAssertTrue(try g.geocode("Xqztvw").suggestions.isEmpty)
    }

    func testGarbageGetsPerNameErrorsNotCrashes() throws {
        let g = try Gazetteer.embeddedMali()
        let cases: [(String, GeocodeInputError)] = [
            ("", .empty), ("   ", .empty), (String(repeating: "Kayes ", count: 1700), .tooLong(characters: 10199, limit: 200)),
            ("Kay\u{0}es", .controlCharacters), ("Kayes\nBamako", .controlCharacters), ("\u{7}", .controlCharacters),
            ("12345", .noLetters), ("---", .noLetters), ("Kay\u{FFFD}es", .invalidUTF8),
        ]
        for (query, expected) in cases {
            let r = try g.geocode(query)
            XCTAssertEqual(r.error, expected, query.debugDescription.prefix(40) + "")
            XCTAssertNil(r.best)
            XCTAssertEqual(r.status, "invalid")
            XCTAssertFalse(r.error?.localizedDescription.isEmpty ?? true)
        }
        // Odd but valid input is looked up, not rejected.
        XCTAssertNotNil(try g.geocode("  kayes  ").best)
        XCTAssertNil(try g.geocode("كايس").error)
    }

    func testResolverProtocol() throws {
        let resolver: any PlaceNameResolver = try syntheticGazetteer()
        let r = try XCTUnwrap(resolver.resolvePlaceName("Dioura", admin1Hint: "Kayes"))
        XCTAssertEqual(r.geonameID, 9000002)
        XCTAssertEqual(r.admin1, "Kayes")
        XCTAssertEqual(r.location, LonLat(lon: -9.85, lat: 14.3))
        XCTAssertFalse(r.isAmbiguous)
        XCTAssertTrue(try XCTUnwrap(resolver.resolvePlaceName("Dioura", admin1Hint: nil)).isAmbiguous)
        XCTAssertNil(resolver.resolvePlaceName("Xqztvw", admin1Hint: nil))
        XCTAssertNil(resolver.resolvePlaceName("", admin1Hint: nil))
    }

    func testJSONAndGeoJSONKeepEveryQuery() throws {
        let g = try syntheticGazetteer()
        let results = try ["Dioura", "Xqztvw", ""].map { try g.geocode($0) }
        let collection = GeoJSONFeatureCollection(features: results.map { $0.geoJSONFeature() })
        let reread = try GeoJSONFeatureCollection(json: JSONValue.parse(Data(collection.serialized().utf8)))
        XCTAssertEqual(reread.features.count, 3)
        XCTAssertEqual(reread.features[0].geometry, .point(LonLat(lon: -5.2547, lat: 14.8252)))
        XCTAssertNil(reread.features[1].geometry)
        XCTAssertEqual(reread.features[1].properties["status"], "unresolved")
        XCTAssertEqual(reread.features[2].properties["status"], "invalid")
        let json = results[0].json()
        XCTAssertEqual(json["ambiguous"], true)
        XCTAssertEqual(json["match"]?["geonameid"], 9000001)
        XCTAssertEqual(json["alternatives"]?.arrayValue?.first?["distance_km"]?.doubleValue ?? 0,
                       referenceDistanceKm(LonLat(lon: -5.2547, lat: 14.8252), LonLat(lon: -9.85, lat: 14.3)), accuracy: 0.5)
    }
}
