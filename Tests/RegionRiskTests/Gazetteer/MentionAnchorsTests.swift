import XCTest
@testable import RegionRiskData
import RegionRiskBase

/// The indexed anchors give every mention the same context bonus as the full list of anchors
/// they replace (the geocoder takes the maximum of weight × closeness over anchors).
final class MentionAnchorsTests: XCTestCase {
    func testSameBonusAsTheFullAnchorList() {
        var rng = SplitMix64(seed: 12)
        let places = (0..<6).map { _ in LonLat(lon: -12 + 16 * rng.nextDouble(), lat: 10 + 15 * rng.nextDouble()) }
        let keys = ["kayes", "gao", "mopti", "niono", "dioura"]
        for _ in 0..<200 {
            let anchors = (0..<Int(rng.next() % 30)).map { _ in
                (location: places[Int(rng.next() % 6)], sentence: Int(rng.next() % 4), key: keys[Int(rng.next() % 5)])
            }
            let index = MentionAnchors(anchors)
            let key = keys[Int(rng.next() % 5)], sentence = Int(rng.next() % 4)
            let probe = LonLat(lon: -12 + 16 * rng.nextDouble(), lat: 10 + 15 * rng.nextDouble())
            func bonus(_ list: [(location: LonLat, weight: Double)]) -> Double {
                list.reduce(0) { max($0, $1.weight * exp(-GreatCircle.distanceKm($1.location, probe) / 30)) }
            }
            // The list the mention finder used to build: every anchor but the mention's own name.
            let full = anchors.filter { $0.key != key }.map { (location: $0.location, weight: $0.sentence == sentence ? 0.2 : 0.08) }
            XCTAssertEqual(bonus(index.hints(forKey: key, sentence: sentence, sameSentence: 0.2, elsewhere: 0.08)), bonus(full))
        }
    }
}
