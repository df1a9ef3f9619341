import Foundation

/// Phrases in a report that place an event relative to named places: "~30 km from Gao",
/// "45 km north of Mopti", "between Kidal and Anefis", "near Boni", "adjoining Bamako",
/// "à 20 km de Tessit".
enum ProximityPhrases {
    struct Phrase: Equatable {
        /// The place named, as written ("Gao").
        var place: String
        /// The distance stated, km; 0 for "near X" and each end of "between X and Y".
        var km: Double
    }

    // A place name: one to three capitalised words, hyphens and apostrophes inside.
    private static let name = #"((?:[A-ZÀ-Ý][\p{L}'’\-]*)(?:\s+(?:[A-ZÀ-Ý][\p{L}'’\-]*|du|de|el)){0,2})"#
    private static let direction = #"(?:(?:north|south|east|west|nord|sud|est|ouest)(?:[\s\-]?(?:east|west|est|ouest))?\s+)?"#
    private static let distance = try! NSRegularExpression(
        pattern: #"(\d+(?:[.,]\d+)?)\s*(?:km|kilomet(?:er|re)s?)\s+"# + direction + #"(?:of|from|de|du|d'|d’)\s*"# + name)
    private static let between = try! NSRegularExpression(
        pattern: #"(?:between|entre)\s+"# + name + #"\s+(?:and|et)\s+"# + name)
    private static let near = try! NSRegularExpression(
        pattern: #"(?:near|close to|next to|adjoining|adjacent to|outskirts of|près de|pres de|proche de|environs de)\s+"# + name)

    /// The phrases in `text`, in order of kind (distances, then "between", then "near").
    static func find(in text: String) -> [Phrase] {
        let ns = text as NSString
        let whole = NSRange(location: 0, length: ns.length)
        func group(_ m: NSTextCheckingResult, _ i: Int) -> String? {
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
        var out: [Phrase] = []
        for m in distance.matches(in: text, range: whole) {
            guard let number = group(m, 1).flatMap({ Double($0.replacingOccurrences(of: ",", with: ".")) }),
                  number.isFinite, number <= 500, let place = group(m, 2) else { continue }
            out.append(Phrase(place: place, km: number))
        }
        for m in between.matches(in: text, range: whole) {
            for i in [1, 2] { if let place = group(m, i) { out.append(Phrase(place: place, km: 0)) } }
        }
        for m in near.matches(in: text, range: whole) {
            if let place = group(m, 1) { out.append(Phrase(place: place, km: 0)) }
        }
        return out
    }
}
