import Foundation

/// Finds which region a name written by a person means among canonical region names (those
/// of the region polygons, from which reports count events by geometry).
///
/// Names compare folded (case, diacritics and punctuation ignored: "SEGOU" = "Ségou"), with
/// "Région de …"/"… Region" stripped, and through known alternative spellings: the GeoNames
/// names of `Admin1Names.mali` beside the English ones of the embedded (Natural Earth) regions.
public enum Admin1NameMatching {
    /// Spellings of one region. Any name in a group matches a canonical name in the same group.
    public static let aliasGroups: [[String]] = [
        ["Tombouctou", "Timbuktu", "Timbuctoo", "Tumbutu"],
        ["Ségou", "Segu"],
        ["Ménaka", "Menaka"],
        ["Taoudénit", "Taoudeni", "Taoudenni"],
        ["Bamako", "District de Bamako", "Bamako District"],
    ]

    /// The comparison key: folded, without "region"/"région de"-style words.
    public static func key(_ name: String) -> String {
        PlaceNameNormalizer.fullKey(Admin1Names.regionName(fromFeatureName: name.trimmingCharacters(in: .whitespaces)))
    }

    /// Index in `names` of the region `query` means, or nil when it means none of them.
    ///
    /// `match("timbuktu", in: ["Kayes", "Tombouctou"])` is 1.
    public static func match(_ query: String, in names: [String]) -> Int? {
        let q = key(query)
        guard !q.isEmpty else { return nil }
        let keys = names.map(key)
        if let i = keys.firstIndex(of: q) { return i }
        for group in aliasGroups {
            let groupKeys = Set(group.map(key))
            guard groupKeys.contains(q) else { continue }
            if let i = keys.firstIndex(where: groupKeys.contains) { return i }
        }
        return nil
    }
}
