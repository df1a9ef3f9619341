import XCTest
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
}
