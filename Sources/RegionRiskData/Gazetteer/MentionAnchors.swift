import Foundation
import RegionRiskBase

/// The confident mentions of a text, indexed so that each mention's context costs what its own
/// sentence holds plus one entry per distinct anchor place — not one per anchor mention, which
/// made a text of n mentions cost n² (150k mentions: 28 s).
///
/// Exactly the hints the plain list gave: the geocoder takes the maximum of weight × closeness
/// over anchors, so anchors repeating a location add nothing beyond the largest weight there.
struct MentionAnchors {
    /// Anchors of each sentence: (location, key).
    private var bySentence: [Int: [(location: LonLat, key: String)]] = [:]
    /// Each distinct anchor location with the keys of the names anchored there, in first-seen order.
    private var locations: [(location: LonLat, keys: Set<String>)] = []

    init(_ anchors: [(location: LonLat, sentence: Int, key: String)]) {
        var slot: [LonLat: Int] = [:]
        for a in anchors {
            bySentence[a.sentence, default: []].append((a.location, a.key))
            if let k = slot[a.location] {
                locations[k].keys.insert(a.key)
            } else {
                slot[a.location] = locations.count
                locations.append((a.location, [a.key]))
            }
        }
    }

    /// The anchors for a mention named `key` in `sentence`: other names in its sentence weigh
    /// `sameSentence`, every other anchor place `elsewhere` (a mention never anchors itself).
    func hints(forKey key: String, sentence: Int, sameSentence: Double, elsewhere: Double) -> [(location: LonLat, weight: Double)] {
        var out: [(location: LonLat, weight: Double)] = []
        for a in bySentence[sentence] ?? [] where a.key != key { out.append((a.location, sameSentence)) }
        for l in locations where l.keys.count > 1 || !l.keys.contains(key) { out.append((l.location, elsewhere)) }
        return out
    }
}
