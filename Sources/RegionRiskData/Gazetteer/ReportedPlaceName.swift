import Foundation

/// Place names as news reports give them: "Dioura (military camp)", "Tinzaouatène area",
/// "near Sokolo", "forest between Bandiagara and Bankass", "Diallasougou (Diallassagou)".
/// When a name does not match as written, these are the readings to try next, in order.
package enum ReportedPlaceName {
    /// Words that describe a place rather than name it, dropped from the ends of a name.
    static let qualifiers: Set<String> = [
        "area", "region", "outskirts", "surroundings", "vicinity", "village", "town", "city", "camp", "base",
        "military", "district", "zone", "environs", "axis", "axe", "road", "market", "checkpoint",
        "route", "piste", "well", "puits", "forest", "foret", "forêt", "commune", "cercle", "mine", "site",
    ]
    /// Compass words that tell a quarter or a twin village apart ("In-Ekar Ouest").
    static let directions: Set<String> = [
        "nord", "sud", "est", "ouest", "north", "south", "east", "west", "centre", "center",
        "nord-est", "nord-ouest", "sud-est", "sud-ouest", "northeast", "northwest", "southeast", "southwest",
    ]
    static let leadingPhrases = ["near ", "outskirts of ", "around ", "village of ", "town of ", "north of ", "south of ",
                                 "east of ", "west of ", "close to ", "près de ", "à ", "commune rurale de ", "commune de ",
                                 "commune of ", "cercle de ", "cercle of ", "circle of ", "région de ", "region de ",
                                 "village de ", "camp de ", "forêt de ", "foret de ", "forest of "]

    /// A way of reading a reported name, and how much of the name's evidence it keeps: the
    /// place itself without its qualifiers keeps most, a place the name is only near or in
    /// (a commune, a cercle, one end of a road, a place it is "30 km from") much less.
    package struct Reading: Equatable {
        package var text: String
        /// Factor on the confidence of the reading's match, 0…1.
        package var trust: Double
    }

    /// Trust of each kind of reading (see `Reading`).
    package enum Trust {
        package static let itself = 0.9, alternative = 0.85, roadEnd = 0.8, between = 0.7, container = 0.6, proximity = 0.6
    }

    /// Alternative readings, best first; empty when the name has nothing to strip.
    package static func readings(of name: String) -> [String] { weightedReadings(of: name).map(\.text) }

    package static func weightedReadings(of name: String) -> [Reading] {
        var out: [Reading] = []
        func add(_ s: String, _ trust: Double) {
            let t = s.trimmingCharacters(in: CharacterSet.whitespaces.union(.punctuationCharacters))
            if !t.isEmpty, t != name, !out.contains(where: { $0.text == t }),
               t.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) { out.append(Reading(text: t, trust: trust)) }
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
        add(base, Trust.itself)
        // "In-Ekar Ouest", "N'Goma Coura K23", "Sokoura 2", "Sokoura II": the place without
        // the compass word, canal or kilometre tag, or number.
        add(stripTags(base), Trust.itself)
        // "Gao – Ansongo road", "Gao-Ansongo axis": each end, the first first.
        if base != outside.trimmingCharacters(in: .whitespaces) || outside.lowercased().contains("axis") || outside.contains("–") {
            for end in roadEnds(base) { add(end, Trust.roadEnd); add(stripTags(end), Trust.roadEnd) }
        }
        // "between X and Y": the first-named place (ACLED's convention).
        if let r = base.range(of: "between ", options: .caseInsensitive) {
            let rest = base[r.upperBound...]
            add(String(rest.components(separatedBy: " and ").first ?? String(rest)), Trust.between)
        }
        for part in inside {
            for piece in part.split(separator: ",") {
                var p = String(piece).trimmingCharacters(in: .whitespaces)
                var trust = Trust.alternative
                for prefix in ["commune rurale de ", "commune de ", "commune du ", "cercle de ", "circle of ", "near ", "axe ", "outskirts of "]
                where p.lowercased().hasPrefix(prefix) {
                    p = String(p.dropFirst(prefix.count))
                    trust = Trust.container
                }
                if p.lowercased().hasPrefix("between ") { trust = Trust.container }
                add(stripQualifiers(p), trust)
            }
        }
        // "Kobe (~30 km from Gao)": last, the place it is said to be near.
        for phrase in ProximityPhrases.find(in: name) { add(phrase.place, Trust.proximity) }
        return out
    }

    /// "Gao – Ansongo" → ["Gao", "Ansongo"]: a spaced dash of any kind, or a bare hyphen between
    /// capitalised words when the name was a road or an axis.
    static func roadEnds(_ s: String) -> [String] {
        for separator in [" – ", " — ", " - ", "–", "—", " to ", " à "] where s.contains(separator) {
            let parts = s.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) { return parts }
        }
        let hyphenated = s.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard hyphenated.count >= 2, hyphenated.count <= 4,
              hyphenated.allSatisfy({ $0.count >= 2 && $0.first?.isUppercase == true }),
              hyphenated.first!.count >= 3, hyphenated.last!.count >= 3 else { return [] }
        if hyphenated.count == 2 { return hyphenated }
        // "Idiéli-Goudana-Bandiagara axis": a hyphenated name at one end. Each way of cutting
        // the name in two, the longer first end first (the geocoder keeps the first reading
        // that matches a name as written).
        var ends: [String] = []
        for cut in stride(from: hyphenated.count - 1, through: 1, by: -1) {
            ends.append(hyphenated[..<cut].joined(separator: "-"))
            ends.append(hyphenated[cut...].joined(separator: "-"))
        }
        return ends
    }

    /// Drops a trailing compass word, canal/kilometre tag ("K23", "PK 12", "km 5"), number or
    /// Roman numeral from a name of more than one word.
    static func stripTags(_ s: String) -> String {
        var words = s.split(separator: " ").map(String.init)
        func isTag(_ w: String) -> Bool {
            let l = w.lowercased()
            if directions.contains(l) { return true }
            if l.allSatisfy(\.isNumber) { return true }
            if ["i", "ii", "iii", "iv", "v", "km", "pk"].contains(l) { return true }
            if let first = l.first, first == "k" || l.hasPrefix("pk"), l.drop(while: { $0.isLetter }).allSatisfy(\.isNumber),
               l.contains(where: \.isNumber), l.count <= 6 { return true }
            return false
        }
        while words.count > 1, let last = words.last, isTag(last) { words.removeLast() }
        // "In-Ekar-Ouest": a compass word joined by a hyphen.
        if words.count == 1, let w = words.first, let dash = w.lastIndex(of: "-"),
           directions.contains(String(w[w.index(after: dash)...]).lowercased()), w[..<dash].count >= 3 {
            return String(w[..<dash])
        }
        return words.joined(separator: " ")
    }

    /// Drops leading phrases ("near …") and descriptive words at either end ("… area").
    package static func stripQualifiers(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespaces)
        while true {
            let before = t
            // Lower-cased once per change of `t`, not once per phrase (a paragraph given as a
            // name was lower-cased 25 times a pass).
            var lower = t.lowercased()
            for phrase in leadingPhrases where lower.hasPrefix(phrase) {
                t = String(t.dropFirst(phrase.count)).trimmingCharacters(in: .whitespaces)
                lower = t.lowercased()
            }
            var words = t.split(separator: " ").map(String.init)
            while words.count > 1, qualifiers.contains(words.last!.lowercased()) { words.removeLast() }
            while words.count > 1, qualifiers.contains(words.first!.lowercased()) { words.removeFirst() }
            t = words.joined(separator: " ")
            if t == before { return t }
        }
    }
}
