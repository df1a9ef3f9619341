import Foundation

/// Names of first-level administrative regions, keyed by GeoNames country and admin-1 code.
///
/// GeoNames codes are not the national P-codes: Mali's OCHA ML05 is Mopti but GeoNames "04" is.
/// Country dumps carry the codes only; names come from this table for Mali and, for any other
/// country, from the dump's own ADM1 rows ("Mopti Region" → "Mopti").
package struct Admin1Names: Sendable, Hashable {
    /// "CC.code" → region name.
    package private(set) var names: [String: String]

    package init(names: [String: String] = [:]) { self.names = names }

    /// Mali's regions with their GeoNames admin-1 codes. Taoudénit and Ménaka, created in 2016,
    /// carry the geonameids of their ADM1 features as codes.
    package static let mali = Admin1Names(names: [
        "ML.01": "Bamako", "ML.03": "Kayes", "ML.04": "Mopti", "ML.05": "Ségou", "ML.06": "Sikasso",
        "ML.07": "Koulikoro", "ML.08": "Tombouctou", "ML.09": "Gao", "ML.10": "Kidal",
        "ML.12070575": "Taoudénit", "ML.12070577": "Ménaka",
    ])

    /// The region name for `code` in country `countryCode`, or nil.
    package func name(country countryCode: String, code: String) -> String? {
        names["\(countryCode).\(code)"]
    }

    /// Adds the names of ADM1 features ("Mopti Region", "Région de Ségou") that this table lacks.
    package mutating func learn(from places: [Place]) {
        for p in places where p.featureClass == "A" && p.featureCode == "ADM1" && !p.admin1Code.isEmpty {
            let key = "\(p.countryCode).\(p.admin1Code)"
            if names[key] == nil { names[key] = Self.regionName(fromFeatureName: p.name) }
        }
    }

    /// All (key, name) pairs, e.g. ("ML.04", "Mopti").
    package var all: [(key: String, name: String)] { names.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    /// "Mopti Region" → "Mopti", "Région de Ségou" → "Ségou", "Cercle de San" → "San".
    static func regionName(fromFeatureName name: String) -> String {
        var words = name.split(separator: " ").map(String.init)
        let generic: Set<String> = ["region", "région", "province", "district", "cercle", "de", "du", "of", "la", "le"]
        while words.count > 1, generic.contains(words[0].lowercased()) { words.removeFirst() }
        while words.count > 1, generic.contains(words[words.count - 1].lowercased()) { words.removeLast() }
        return words.joined(separator: " ")
    }
}
