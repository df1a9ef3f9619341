import Foundation

/// The admin-1 regions a gazetteer knows, for reading region hints ("Mopti", "région de Ségou",
/// "Timbuktu region") into region keys "CC.code".
struct RegionTable: Sendable {
    private(set) var keysByName: [String: Set<String>] = [:]
    private(set) var displayNames: [String: String] = [:]
    /// Region key → the cercles (folded OCHA 2015 names) it consists of, for regions newer than
    /// the admin-1 codes places carry.
    private(set) var cerclesByKey: [String: Set<String>] = [:]
    /// Folded names of the cercles places lie in.
    private(set) var cercleNames: Set<String> = []

    /// Mali's regions created in 2016 and 2023, which GeoNames' codes (and the Natural Earth
    /// regions the embedded places are assigned to) predate, as the 2015 cercles they were cut
    /// from. Taoudénit, cut from the north of the Tombouctou cercle, also accepts the old
    /// Tombouctou region (ML.08) as a whole. Keys of the 2023 regions are "ML.new-<name>".
    static let maliNewerRegions: [(key: String, names: [String], cercles: [String], alsoKeys: [String])] = [
        ("ML.12070577", ["Ménaka", "Menaka"], ["Menaka"], []),
        ("ML.12070575", ["Taoudénit", "Taoudeni", "Taoudenni", "Taoudenit"], [], ["ML.08"]),
        ("ML.new-bandiagara", ["Bandiagara"], ["Bandiagara", "Bankass", "Koro"], []),
        ("ML.new-douentza", ["Douentza"], ["Douentza"], []),
        ("ML.new-nioro", ["Nioro", "Nioro du Sahel"], ["Nioro", "Diema"], []),
        ("ML.new-kita", ["Kita"], ["Kita"], []),
        ("ML.new-nara", ["Nara"], ["Nara"], []),
        ("ML.new-dioila", ["Dioïla", "Dioila"], ["Dioila"], []),
        ("ML.new-bougouni", ["Bougouni"], ["Bougouni", "Yanfolila", "Kolondieba"], []),
        ("ML.new-koutiala", ["Koutiala"], ["Koutiala", "Yorosso"], []),
        ("ML.new-san", ["San"], ["San", "Tominian"], []),
    ]

    /// Words around a region's name that do not identify it.
    static let genericWords: Set<String> = [
        "region", "regions", "area", "province", "state", "of", "de", "du", "la", "le", "the", "d", "l",
    ]

    /// English and older spellings readers use for Mali's regions.
    static let maliAliases: [String: String] = [
        "timbuktu": "ML.08", "tombouctou": "ML.08", "taoudenni": "ML.12070575", "taoudeni": "ML.12070575",
        "menaka": "ML.12070577", "segou": "ML.05",
    ]

    init(places: [Place]) {
        for (key, name) in Admin1Names.mali.all { add(name, key: key) }
        for (alias, key) in Self.maliAliases { add(alias, key: key) }
        var alsoKeys: [String: [String]] = [:]
        for r in Self.maliNewerRegions {
            for n in r.names { add(n, key: r.key) }
            cerclesByKey[r.key] = Set(r.cercles.map(PlaceNameNormalizer.fullKey))
            alsoKeys[r.key] = r.alsoKeys
        }
        self.alsoKeys = alsoKeys
        for p in places { if let c = p.admin2Name { cercleNames.insert(PlaceNameNormalizer.fullKey(c)) } }
        var seen = Set<String>()
        for p in places where !p.admin1Code.isEmpty {
            let key = "\(p.countryCode).\(p.admin1Code)"
            if let name = p.admin1Name, seen.insert(key + "|" + name).inserted { add(name, key: key) }
            if p.featureClass == "A", p.featureCode == "ADM1" {
                for n in [p.name, p.asciiName] + p.alternateNames { add(n, key: key) }
            }
        }
    }

    private mutating func add(_ name: String, key: String) {
        let folded = Self.fold(name)
        guard !folded.isEmpty else { return }
        keysByName[folded, default: []].insert(key)
        if displayNames[key] == nil || Admin1Names.mali.names[key] == name { displayNames[key] = name }
    }

    private var alsoKeys: [String: [String]] = [:]

    /// The keys a hint's region stands for: itself and, for Taoudénit, the region it was cut from.
    func expanded(_ keys: Set<String>) -> Set<String> {
        keys.union(keys.flatMap { alsoKeys[$0] ?? [] })
    }

    /// The cercles of the hinted regions (empty for regions places carry as codes).
    func cercles(of keys: Set<String>) -> Set<String> {
        Set(keys.flatMap { cerclesByKey[$0] ?? [] })
    }

    static func fold(_ name: String) -> String {
        let words = PlaceNameNormalizer.foldedWords(name)
        let kept = words.filter { !genericWords.contains($0) }
        return (kept.isEmpty ? words : kept).joined(separator: " ")
    }

    /// The regions a hint names, with a display name; nil when it names none. One typo is
    /// tolerated in hints of five letters or more ("Moptti").
    ///
    /// With `allowTypo` false (the hint is itself a place's name, e.g. "Niono" one letter from
    /// the Nioro region), only exact region names count.
    func match(_ hint: String, allowTypo: Bool = true) -> (keys: Set<String>, name: String)? {
        let folded = Self.fold(hint)
        guard !folded.isEmpty else { return nil }
        if let keys = keysByName[folded] { return (keys, display(keys)) }
        guard allowTypo, folded.utf8.count >= 5 else { return nil }
        let q = Array(folded.utf8)
        let scratch = FuzzyScratch()
        var best: (Set<String>, String)?
        for (name, keys) in keysByName.sorted(by: { $0.key < $1.key })
        where EditDistance.osa(q, Array(name.utf8)[...], cutoff: 1, scratch: scratch) <= 1 {
            if let b = best {
                if b.0 != keys { return nil }  // two different regions within one typo
            } else {
                best = (keys, name)
            }
        }
        return best.map { ($0.0, display($0.0)) }
    }

    private func display(_ keys: Set<String>) -> String {
        keys.sorted().map { displayNames[$0] ?? $0 }.joined(separator: " / ")
    }
}
