import XCTest
@testable import RegionRiskBase
@testable import RegionRiskData

final class NameIndexTests: XCTestCase {
    func testTrigramFilterLosesNothingBruteForceFinds() throws {
        let g = try Gazetteer.embeddedMali().adding(try syntheticGazetteer())
        let ix = g.index
        let latinKeys = (0..<ix.keyCount).filter { !ix.key($0).contains { $0 >= 0x80 } }
        let queries = ["kaye", "segu", "sgou", "bamkao", "diallassago", "tombuctou", "nioro du sahl", "mopt", "koutial",
                       "ka", "xq", "gao", "sikasos", "kalaban koor"]
        let scratch = FuzzyScratch()
        for q in queries {
            // Complete for one edit; for two, when the query has more than 8 trigrams.
            for k in 1...2 where k == 1 || q.utf8.count + 1 > 8 {
                let expected = Set(latinKeys.filter { referenceOSA(Array(q.utf8), Array(ix.key($0))) <= k })
                let found = ix.fuzzy(q, maxEdits: k, limit: 10_000, scratch: scratch)
                XCTAssertEqual(Set(found.map(\.key)), expected, "\(q), \(k) edits")
                for hit in found { XCTAssertEqual(hit.distance, referenceOSA(Array(q.utf8), Array(ix.key(hit.key))), q) }
            }
        }
    }

    func testAppendingEqualsRebuilding() throws {
        let big = try syntheticGazetteer()
        let small = try Gazetteer.embeddedMali()
        let merged = small.adding(big)
        let leftovers = small.places.filter { big.place(geonameID: $0.geonameID) == nil }
        let rebuilt = Gazetteer(places: big.places + leftovers)
        XCTAssertEqual(merged.places, rebuilt.places)
        XCTAssertEqual(merged.index.keyCount, rebuilt.index.keyCount)
        func postings(_ g: Gazetteer, _ key: String) -> Set<String> {
            guard let k = g.index.lookup(key) else { return [] }
            return Set(g.index.postings(ofKey: k).map { "\(g.places[$0.place].geonameID)/\($0.kind)/\($0.nameOrdinal)" })
        }
        for k in 0..<rebuilt.index.keyCount {
            let key = rebuilt.index.keyString(k)
            XCTAssertEqual(postings(merged, key), postings(rebuilt, key), key)
        }
        XCTAssertEqual(Set(zip(merged.index.trigramCodes, merged.index.trigramOffsets.dropFirst()).map { "\($0.0)" }),
                       Set(rebuilt.index.trigramCodes.map { "\($0)" }))
        for q in ["Dioura", "Kaye", "Koutial", "Sangarebougu", "Tombouctou", "Séou"] {
            XCTAssertEqual(try merged.geocode(q), try rebuilt.geocode(q), q)
        }
    }

    /// Both ways `adding` builds its index — a small gazetteer added to a large one's index
    /// (renumbered), a large one's index extended by the rest — give what indexing the merged
    /// places afresh gives, also when the added places replace some (same geonameid).
    func testAddingEitherWayEqualsRebuilding() throws {
        let synthetic = try syntheticGazetteer()
        var replacements = Array(synthetic.places.prefix(2))
        replacements[0].alternateNames.append("Nouveau Nom")
        let extra = Place(
            geonameID: 9_100_001, name: "Tessalit Bis", asciiName: "Tessalit Bis", location: LonLat(lon: 1.0, lat: 20.2),
            featureClass: "P", featureCode: "PPL", countryCode: "ML", admin1Code: "10", admin1Name: "Kidal", source: "test")
        let small = Gazetteer(places: replacements + [extra])
        // A replacement that drops a name leaves a key of the large index without places: the
        // renumbering drops it (and its trigram entries).
        var renamed = replacements[1]
        renamed.name = "Autre Nom"
        renamed.asciiName = "Autre Nom"
        renamed.alternateNames = []
        let dropping = Gazetteer(places: [renamed, extra])
        for (base, added) in [(synthetic, small), (small, synthetic), (synthetic, dropping)] {
            let merged = base.adding(added)
            let rebuilt = Gazetteer(places: added.places + base.places.filter { added.place(geonameID: $0.geonameID) == nil })
            XCTAssertEqual(merged.places, rebuilt.places)
            let keys = { (ix: NameIndex) in Set((0..<ix.keyCount).map(ix.keyString)) }
            XCTAssertEqual(keys(merged.index), keys(rebuilt.index))
            let trigrams = { (ix: NameIndex) in
                Set((0..<ix.trigramCodes.count).flatMap { t in
                    (Int(ix.trigramOffsets[t])..<Int(ix.trigramOffsets[t + 1])).map { "\(ix.trigramCodes[t])/\(ix.keyString(Int(ix.trigramKeys[$0])))" }
                })
            }
            XCTAssertEqual(trigrams(merged.index), trigrams(rebuilt.index))
            for p in rebuilt.places {
                for name in [p.name] + p.alternateNames {
                    XCTAssertEqual(try merged.geocode(name, limit: 10), try rebuilt.geocode(name, limit: 10), name)
                }
            }
            for q in ["Nouveau Nom", "Tessalit", "Dioura, Mopti", "Kaye", "Xqztvw"] {
                XCTAssertEqual(try merged.geocode(q, limit: 10), try rebuilt.geocode(q, limit: 10), q)
            }
        }
    }
}
