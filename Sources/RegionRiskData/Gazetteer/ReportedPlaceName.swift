import Foundation

/// Place names as news reports give them: "Dioura (military camp)", "Tinzaouatène area",
/// "near Sokolo", "forest between Bandiagara and Bankass", "Diallasougou (Diallassagou)".
/// When a name does not match as written, these are the readings to try next, in order.
package enum ReportedPlaceName {
    /// Words that describe a place rather than name it, dropped from the ends of a name.
    static let qualifiers: Set<String> = [
        "area", "region", "outskirts", "surroundings", "vicinity", "village", "town", "city", "camp", "base",
        "military", "district", "zone", "environs", "axis", "axe", "road", "market", "checkpoint",
    ]
    static let leadingPhrases = ["near ", "outskirts of ", "around ", "village of ", "town of ", "north of ", "south of ",
                                 "east of ", "west of ", "close to ", "près de ", "à "]

    /// Alternative readings, best first; empty when the name has nothing to strip.
    package static func readings(of name: String) -> [String] {
        var out: [String] = []
        func add(_ s: String) {
            let t = s.trimmingCharacters(in: CharacterSet.whitespaces.union(.punctuationCharacters))
            if !t.isEmpty, t != name, !out.contains(t), t.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) { out.append(t) }
        }
        // "X (…)": the part outside brackets, then each bracketed part (an alternative spelling
        // or the commune it belongs to).
        var outside = "", inside: [String] = [], depth = 0, current = ""
        for ch in name {
            if ch == "(" { depth += 1; if depth == 1 { current = "" }; continue }
            if ch == ")" { depth = max(0, depth - 1); if depth == 0 { inside.append(current) }; continue }
            if depth > 0 { current.append(ch) } else { outside.append(ch) }
        }
        let base = stripQualifiers(outside)
        add(base)
        // "between X and Y": the first-named place (ACLED's convention).
        if let r = base.range(of: "between ", options: .caseInsensitive) {
            let rest = base[r.upperBound...]
            add(String(rest.components(separatedBy: " and ").first ?? String(rest)))
        }
        for part in inside {
            for piece in part.split(separator: ",") {
                var p = String(piece).trimmingCharacters(in: .whitespaces)
                for prefix in ["commune rurale de ", "commune de ", "cercle de ", "circle of ", "near ", "axe "] where p.lowercased().hasPrefix(prefix) {
                    p = String(p.dropFirst(prefix.count))
                }
                add(stripQualifiers(p))
            }
        }
        return out
    }

    /// Drops leading phrases ("near …") and descriptive words at either end ("… area").
    package static func stripQualifiers(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespaces)
        while true {
            let before = t
            for phrase in leadingPhrases where t.lowercased().hasPrefix(phrase) {
                t = String(t.dropFirst(phrase.count)).trimmingCharacters(in: .whitespaces)
            }
            var words = t.split(separator: " ").map(String.init)
            while words.count > 1, qualifiers.contains(words.last!.lowercased()) { words.removeLast() }
            while words.count > 1, qualifiers.contains(words.first!.lowercased()) { words.removeFirst() }
            t = words.joined(separator: " ")
            if t == before { return t }
        }
    }
}
