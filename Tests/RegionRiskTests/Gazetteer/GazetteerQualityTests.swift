import Foundation
import XCTest
@testable import RegionRiskBase
@testable import RegionRiskData

/// The issue's quality bars, measured on the real GeoNames dump for Mali (skipped without it).
final class GazetteerQualityTests: XCTestCase {
    /// Every place of population ≥ 5,000 resolves from its ASCII name, its name without diacritics
    /// and its name with any one character dropped, to within 10 km, in ≥ 97% of cases.
    ///
    /// "Place" as in GeoNames' cities5000: populated places (class P). Administrative areas carry
    /// the population of the whole area and are named after their seat ("Segou" the cercle), so
    /// their name rightly finds the town. Characters are dropped only from names of five or more:
    /// a dropped letter turns "Gao" into "Ga" and "Kati" into "Kat", which are other places' names
    /// or near them, so no matcher could recover the original and the case would measure luck.
    func testPopulousPlacesResolveFromVariantSpellings() throws {
        let gazetteer = try SharedDumpGazetteer.dump()
        let populous = gazetteer.places.filter { $0.population >= 5000 && $0.featureClass == "P" }
        XCTAssertGreaterThan(populous.count, 30, "the Mali dump has 34 populated places of 5,000 or more")
        var cases = 0, passed = 0
        var failures: [String] = []
        for place in populous {
            // Independent of the matcher's own folding: Foundation's diacritic-insensitive folding.
            let stripped = place.name.folding(options: .diacriticInsensitive, locale: nil)
            let characters = Array(place.name)
            let dropped = characters.count < 5 ? [] : characters.indices.map { i in String(characters[..<i] + characters[(i + 1)...]) }
            for query in [place.asciiName, stripped] + dropped {
                cases += 1
                let result = try gazetteer.geocode(query)
                if let best = result.best, GreatCircle.distanceKm(best.place.location, place.location) <= 10 {
                    passed += 1
                } else {
                    failures.append("\(query) → \(result.best?.place.label ?? "nothing") (wanted \(place.label), \(place.geonameID))")
                }
            }
        }
        XCTAssertGreaterThan(cases, 250)
        let rate = Double(passed) / Double(cases)
        print("populous places: \(populous.count), cases: \(cases), within 10 km: \(passed) (\(String(format: "%.1f", rate * 100))%)")
        for f in failures { print("  miss: \(f)") }
        XCTAssertGreaterThanOrEqual(rate, 0.97, failures.prefix(20).joined(separator: "\n"))
    }

    /// With the full dump (embedded data added, as users run it), every table row still resolves
    /// by the query as reported; the two names the dump makes ambiguous say so, and a region
    /// hint decides them with the runner-up shown.
    func testTableRowsWithTheFullDump() throws {
        let gazetteer = try SharedDumpGazetteer.withEmbedded()
        for row in EmbeddedGazetteerTests.table {
            let r = try gazetteer.geocode(row.query)
            let best = try XCTUnwrap(r.best, row.query)
            if row.query == "Dianweli" || row.query == "Dioura" {
                XCTAssertTrue(r.isAmbiguous, row.query)
                XCTAssertLessThan(r.confidence, 0.6, row.query)
                let hinted = try gazetteer.geocode(row.query, admin1Hint: "Mopti")
                XCTAssertEqual(hinted.best?.place.geonameID, row.id, row.query)
                XCTAssertFalse(hinted.isAmbiguous, row.query)
                XCTAssertNotNil(hinted.alternatives.first { $0.place.name == best.place.name && $0.place.geonameID != row.id },
                                "\(row.query): the namesake is the runner-up")
            } else {
                XCTAssertEqual(best.place.geonameID, row.id, row.query)
                XCTAssertFalse(r.isAmbiguous, row.query)
                XCTAssertLessThanOrEqual(referenceDistanceKm(best.place.location, LonLat(lon: row.lon, lat: row.lat)), 1, row.query)
            }
        }
    }

    /// The seed report, with the full dump: the places it names, each within 10 km of the
    /// table (Sikasso at its town), and nothing else.
    func testSeedReportMentions() throws {
        let gazetteer = try SharedDumpGazetteer.withEmbedded()
        let text = try String(contentsOf: try SharedData.url("seed/mali-attacks-report.txt"), encoding: .utf8)
        let mentions = gazetteer.mentions(inText: text)
        var expected = Dictionary(uniqueKeysWithValues: EmbeddedGazetteerTests.table.map { ($0.query, LonLat(lon: $0.lon, lat: $0.lat)) })
        expected["Sikasso"] = LonLat(lon: -5.66654, lat: 11.31755)  // GeoNames 2451185, the regional capital
        for (name, location) in expected {
            let found = mentions.filter { $0.text == name && !$0.refersToRegion }
            XCTAssertFalse(found.isEmpty, "\(name) not found")
            for m in found {
                let place = try XCTUnwrap(m.result.best?.place, name)
                XCTAssertLessThanOrEqual(referenceDistanceKm(place.location, location), 10, "\(name) at line \(m.line) → \(place.label)")
            }
        }
        // "the Kayes area", "the Mopti area": the regions.
        let regions = mentions.filter(\.refersToRegion)
        XCTAssertEqual(Set(regions.map(\.text)), ["Kayes", "Mopti"])
        XCTAssertTrue(regions.allSatisfy { $0.result.best?.place.featureCode == "ADM1" })
        // Nothing but places: not Mali (the country), India, Russia, Sahel, the people quoted…
        let allowed = Set(expected.keys).union(["Mopti"])
        XCTAssertEqual(Set(mentions.map(\.text)).subtracting(allowed), [])
    }

    /// Importing the dump loses nothing the embedded gazetteer knows of a place: every embedded
    /// place comes back from the dump with the same feature class and code, the same derived
    /// region and cercle, and every name it had (by folded key). So the dump can only add.
    func testTheImportedDumpKeepsWhatTheEmbeddedPlacesCarry() throws {
        let dump = try SharedDumpGazetteer.dump()
        var compared = 0
        for e in try Gazetteer.embeddedMali().places {
            let d = try XCTUnwrap(dump.place(geonameID: e.geonameID), "\(e.geonameID) \(e.name) missing from the dump")
            XCTAssertEqual([d.featureClass, d.featureCode, d.admin1Code, d.admin2Name ?? "-"],
                           [e.featureClass, e.featureCode, e.admin1Code, e.admin2Name ?? "-"], "\(e.geonameID) \(e.name)")
            let keys = Set(([d.name, d.asciiName] + d.alternateNames).map(PlaceNameNormalizer.fullKey))
            let missing = Set(([e.name, e.asciiName] + e.alternateNames).map(PlaceNameNormalizer.fullKey)).subtracting(keys)
            XCTAssertEqual(missing, [], "\(e.geonameID) \(e.name)")
            compared += 1
        }
        XCTAssertEqual(compared, 18146)
    }

    /// The cache a user's second run reads gives the same gazetteer as parsing the dump.
    func testCacheRoundTripOnTheFullDump() throws {
        let dump = try SharedData.url("geodata/mali/geonames-ML.txt")
        // Parsed and indexed once per process, its cache written on the way.
        let first = try SharedDumpGazetteer.dump()
        guard case .created = first.cacheStatus else { return XCTFail("\(first.cacheStatus)") }
        let second = try Gazetteer.load(geonamesDump: dump, cacheDirectory: SharedDumpGazetteer.cacheDirectory)
        guard case .loaded = second.cacheStatus else { return XCTFail("\(second.cacheStatus)") }
        XCTAssertEqual(second.places.count, 24312)
        XCTAssertEqual(second.places, first.places)
        XCTAssertEqual(second.index.keyBytes, first.index.keyBytes)
        XCTAssertEqual(second.index.trigramKeys, first.index.trigramKeys)
        XCTAssertEqual(second.places.filter { $0.featureClass == "P" }.count, 15448, "as ../shared/geodata/SOURCES.md counts")
    }

    /// On the real index (29k keys) the one-edit search finds every key brute force finds,
    /// including past the 400-candidate cap.
    func testOneEditSearchIsCompleteOnTheFullDump() throws {
        let g = try SharedDumpGazetteer.dump()
        let ix = g.index
        let latin = (0..<ix.keyCount).filter { !ix.key($0).contains { $0 >= 0x80 } }
        let names = g.places.filter { $0.featureClass == "P" }.map { PlaceNameNormalizer.fullKey($0.asciiName) }
        let queries = stride(from: 0, to: names.count, by: names.count / 40).map { i -> String in
            var c = Array(names[i])
            if c.count > 3 { c.remove(at: c.count / 2) }
            return String(c)
        } + ["ba", "sa", "kou", "dia"]
        let scratch = FuzzyScratch()
        for q in queries {
            let bytes = Array(q.utf8)
            let expected = Set(latin.filter { k in
                abs(ix.key(k).count - bytes.count) <= 1 && referenceOSA(bytes, Array(ix.key(k))) <= 1
            })
            let found = Set(ix.fuzzy(q, maxEdits: 1, limit: 100_000, scratch: scratch).map(\.key))
            XCTAssertEqual(found, expected, q)
        }
    }
}
