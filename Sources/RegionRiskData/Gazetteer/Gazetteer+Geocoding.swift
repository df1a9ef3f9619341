import Foundation
import RegionRiskBase

/// Why a name could not be looked up at all (as opposed to looked up and not found).
public enum GeocodeInputError: LocalizedError, Sendable, Hashable {
    case empty
    case tooLong(characters: Int, limit: Int)
    case controlCharacters
    case noLetters
    case invalidUTF8

    public var errorDescription: String? {
        switch self {
        case .empty: return "empty name"
        case let .tooLong(n, limit): return "name of \(n) characters is longer than the \(limit) a place name can have"
        case .controlCharacters: return "name contains control characters (tabs, line breaks, NUL…)"
        case .noLetters: return "name contains no letters"
        case .invalidUTF8: return "not valid UTF-8 text"
        }
    }
}

/// A caller's mistake in the arguments of `geocode` (not in the name being looked up).
public enum GeocodeArgumentError: LocalizedError, Sendable, Hashable {
    case invalidLimit(Int)
    case invalidNear(lon: Double, lat: Double)

    public var errorDescription: String? {
        switch self {
        case let .invalidLimit(n): return "limit must be at least 1, not \(n)"
        case let .invalidNear(lon, lat): return "proximity hint (\(lat), \(lon)) is not a valid latitude, longitude"
        }
    }
}

/// A candidate place for a name, with how it matched and how it ranked.
public struct ScoredPlace: Sendable, Hashable {
    public var place: Place
    /// How the name matched.
    package var matchKind: MatchKind
    /// The place's name that matched ("Nioro du Sahel" for Nioro).
    public var matchedName: String
    /// Edits between the query and `matchedName` after folding (0 unless fuzzy).
    public var editDistance: Int
    /// Ranking score: name evidence (≤ 1) plus small bonuses for prominence and hints. Only the
    /// differences between candidates of one query mean anything.
    public var score: Double
    /// Distance from the best match, km (nil for the best match itself).
    public var distanceKmFromBest: Double?
}

/// What `geocode` found for one name.
///
/// **Confidence** (0…1) estimates how sure one can be that `best` is the place meant. It is the
/// name evidence — 1.0 exact name, 0.96 alternate name, 0.92 after normalisation, at most 0.80
/// for a fuzzy match (0.15 less per further edit) — times the best match's share against distinct
/// rivals (places of a matching name more than 10 km away): 1 / (1 + Σ exp(−gap / 0.03)), gap
/// being the score difference. Areas named after a town that lies in them (Kayes Region for
/// Kayes) are another level of the same place, not rivals. A lone exact match scores 1.0; two
/// equally good namesakes 0.5 each; hints and prominence widen the gap (prominence at a third of
/// its ranking weight). Capped at 0.5 when the match lies outside the hinted region or cercle or
/// is two or more edits away with no region to confirm it, at 0.3 for a fuzzy match outside the
/// hint or to a feature that is no settlement (a well, a wadi). Rule of thumb: ≥ 0.9 take it,
/// 0.6–0.9 check the alternatives, < 0.6 needs a human or a region hint.
public struct GeocodeResult: Sendable, Hashable {
    /// The query as given.
    public var query: String
    /// The name part that was looked up ("Dioura" for "Dioura, Mopti").
    public var name: String
    /// The region or place hint that was applied, as understood ("Mopti", "near Bandiagara").
    public var hintApplied: String?
    /// Notes about hints that were not understood and therefore ignored.
    public var notes: [String]
    /// The best match; nil when nothing matched.
    public var best: ScoredPlace?
    /// 0…1; see the type's documentation.
    public var confidence: Double
    /// True when a distinct rival scored within 0.05 of the best: the name alone does not decide.
    public var isAmbiguous: Bool
    /// The other candidates, best first.
    public var alternatives: [ScoredPlace]
    /// When nothing matched: the closest names, for the user to pick from.
    public var suggestions: [ScoredPlace]
    /// Set when the name could not be looked up at all.
    public var error: GeocodeInputError?

    /// The result for a name that could not be looked up (e.g. an undecodable batch line).
    public static func invalid(query: String, error: GeocodeInputError) -> GeocodeResult {
        GeocodeResult(query: query, name: query, error: error)
    }

    public var place: Place? { best?.place }
    public var isResolved: Bool { best != nil }

    init(query: String, name: String, error: GeocodeInputError? = nil) {
        self.query = query
        self.name = name
        hintApplied = nil
        notes = []
        best = nil
        confidence = 0
        isAmbiguous = false
        alternatives = []
        suggestions = []
        self.error = error
    }
}

/// Everything besides the name that can favour one candidate over another.
struct RankingHints {
    /// Admin-1 region keys ("ML.04") the user named.
    var regionKeys: Set<String>?
    /// A place the user named as the area ("Bandiagara"): soft region and proximity hint.
    var hintPlace: Place?
    var near: LonLat?
    /// Places resolved elsewhere in the same text, with weights (same sentence counts more).
    var anchors: [(location: LonLat, weight: Double)] = []
    /// Regions a text names around the mention ("in the Mopti region").
    var contextRegionKeys: Set<String> = []
    /// Cercles (folded names) that make up the hinted regions when they are newer than the
    /// gazetteer's admin-1 codes ("Bandiagara" region: the Bandiagara, Bankass and Koro cercles).
    var regionCercles: Set<String> = []
    /// The cercle (folded name) the user named (ACLED `admin2`, UCDP `adm_2`).
    var admin2: Set<String>?
    /// Distances the row's text gives from named places ("30 km from Gao"), km; 0 for "near X"
    /// and "between X and Y".
    var rings: [(center: LonLat, km: Double)] = []

    /// True when the place lies in a hinted region (or cercle); nil without such a hint or when
    /// the place's region is unknown.
    func regionAgreement(_ p: Place) -> Bool? {
        guard let keys = regionKeys else { return nil }
        if p.admin1Keys.contains(where: keys.contains) { return true }
        if let c = p.admin2Name, regionCercles.contains(PlaceNameNormalizer.fullKey(c)) { return true }
        return p.admin1Code.isEmpty ? nil : false
    }

    func cercleAgreement(_ p: Place) -> Bool? {
        guard let admin2, let c = p.admin2Name else { return nil }
        return admin2.contains(PlaceNameNormalizer.fullKey(c))
    }
}

extension Gazetteer: PlaceNameResolver {
    /// Longest name accepted; GeoNames' longest Malian names are about 50 characters.
    public static let maximumNameLength = 200

    /// Score weights; see `GeocodeResult` for how they become a confidence.
    enum Weight {
        static let exact = 1.0, alternate = 0.96, normalised = 0.92
        /// Same phonetic key (see `PlaceNameNormalizer.phoneticKey`): below any exact spelling,
        /// above any fuzzy one.
        static let phonetic = 0.86
        /// Fuzzy evidence: 0.80 for one edit, 0.15 less per further edit, and up to 0.05 less
        /// as the edits make up more of the name.
        static let fuzzyOneEdit = 0.80, fuzzyPerEdit = 0.15, fuzzySimilarity = 0.05
        /// Prominence: feature rank (0…1, capital highest) and log-population of settlements,
        /// scaled so that a town one letter away outranks an unpopulated hamlet of the exact
        /// name when it is big enough — about 35,000 people for a village, 15,000 for a district
        /// seat, a few thousand for a regional capital ("Koutala" → Koutiala, 218,000) — while
        /// among places of like standing the better name match always wins.
        static let featureRank = 0.12, population = 0.30, populationLog10Cap = 6.5
        static let regionMatch = 0.30, regionMismatch = -0.15
        static let cercleMatch = 0.20, cercleMismatch = -0.10
        /// Proximity phrases: a place at the stated distance from the named one gains this much,
        /// falling off over 25 km plus half the distance.
        static let ring = 0.25, ringScaleKm = 25.0
        /// How much differences in prominence (feature rank, population) count towards
        /// confidence, as against name evidence and hints: a bigger namesake is the likelier
        /// meaning, not a certain one.
        static let prominenceInConfidence = 0.35
        /// Highest confidence of a match that contradicts the region or cercle hint, of a fuzzy
        /// match that does, and of a fuzzy match that is not a settlement or area (a well or a
        /// wadi one letter away from an unknown village) outside the hinted region.
        static let contradictsHintCap = 0.5, fuzzyContradictsHintCap = 0.3, fuzzyOtherFeatureCap = 0.3
        static let fuzzyOtherFeatureInRegionCap = 0.5
        /// A fuzzy match of two or more edits that no region hint confirms.
        static let fuzzyUnconfirmedCap = 0.5
        /// For fuzzy candidates when the name matches as written in the hinted region.
        static let fuzzyBesideHintedExact = -0.3
        static let hintPlaceRegion = 0.10, hintPlaceProximity = 0.15, hintPlaceScaleKm = 75.0
        static let near = 0.25, nearScaleKm = 50.0
        static let contextRegion = 0.10, anchorScaleKm = 50.0
        static let ambiguityGap = 0.05, confidenceTemperature = 0.03, distinctKm = 10.0
        /// Among places a spelling-insensitive or fuzzy key matches alike ("Caana" is one key
        /// away from both Kaana and Kana), the one whose own name is spelled nearest the query:
        /// this much less evidence per edit to its nearest name (an alternate name counting half
        /// an edit more), at most three edits. Small enough to decide only between equals.
        static let spellingTiebreak = 0.01
    }

    /// Looks up one place name.
    ///
    /// - Parameters:
    ///   - query: a place name, optionally followed by region hints after commas ("Dioura, Mopti").
    ///   - admin1Hint: a region ("Mopti"; a newer one such as "Ménaka" or "Bandiagara" is read as
    ///     the 2015 cercles it was cut from); a name that is not a region ("Niono") is used as a
    ///     soft hint: places in its region and near it rank higher.
    ///   - near: favours places near this (lon, lat) point: 50 km away a candidate gets 37% of
    ///     the bonus.
    ///   - limit: how many candidates to return (best + alternatives), ≥ 1.
    /// - Returns: the result; garbage names come back with `error` set, never thrown.
    /// - Throws: `GeocodeArgumentError` for an invalid `limit` or `near`.
    public func geocode(_ query: String, admin1Hint: String? = nil, near: LonLat? = nil, limit: Int = 5) throws -> GeocodeResult {
        try geocode(query, hints: PlaceNameHints(admin1: admin1Hint), near: near, limit: limit)
    }

    /// Looks up one place name with everything a row gives: admin-1, admin-2 (cercle) and the
    /// row's text, whose proximity phrases ("~30 km from Gao", "between Kidal and Anefis") favour
    /// places at that distance from those places. See `geocode(_:admin1Hint:near:limit:)`.
    package func geocode(_ query: String, hints rowHints: PlaceNameHints, near: LonLat? = nil, limit: Int = 5) throws -> GeocodeResult {
        guard limit >= 1 else { throw GeocodeArgumentError.invalidLimit(limit) }
        if let near, !(near.lat.isFinite && near.lon.isFinite && abs(near.lat) <= 90 && abs(near.lon) <= 180) {
            throw GeocodeArgumentError.invalidNear(lon: near.lon, lat: near.lat)
        }
        var readings = ReadingLookups()
        return lookUp(query, hints: rowHints, near: near, limit: limit, isReading: false, readings: &readings)
    }

    /// How many lookups `geocode(_:hints:)` makes for `query`, the name itself included, and how
    /// many distinct readings (with their hints) it looked up: the second plus one is the first
    /// when no reading is looked up twice.
    package func readingLookups(_ query: String, hints: PlaceNameHints = PlaceNameHints()) -> (lookups: Int, distinct: Int) {
        var readings = ReadingLookups()
        _ = lookUp(query, hints: hints, near: nil, limit: 5, isReading: false, readings: &readings)
        return (readings.lookups, readings.results.count)
    }

    /// One lookup of `geocode(_:hints:near:limit:)`, arguments checked. A name that does not
    /// match is looked up again as each of its readings, and each reading in turn as its own
    /// readings, so one name can reach the same reading along many paths (the fuzzer's
    /// "between … close to … – …" names, 180 bytes, went seven readings deep): `readings`
    /// keeps each reading's result, keyed by the reading and its hints, for the whole lookup,
    /// which depends on nothing else (`near` and `limit` are the same throughout). A reading's
    /// suggestions are never shown (only a match is taken from it), so they are worked out for
    /// the name as given only.
    private func lookUp(_ query: String, hints rowHints: PlaceNameHints, near: LonLat?, limit: Int, isReading: Bool,
                        readings: inout ReadingLookups) -> GeocodeResult {
        readings.lookups += 1
        let admin1Hint = rowHints.admin1
        if let error = Self.validate(query) { return GeocodeResult(query: query, name: query, error: error) }
        var (name, hintParts) = splitHints(query)
        if let error = Self.validate(name) { return GeocodeResult(query: query, name: name, error: error) }
        var hints = RankingHints(near: near)
        var applied: [String] = []
        var notes: [String] = []
        if let admin1Hint, !admin1Hint.trimmingCharacters(in: .whitespaces).isEmpty {
            hintParts = [admin1Hint]
        }
        for part in hintParts { apply(hint: part, to: &hints, applied: &applied, notes: &notes) }
        if let admin2 = rowHints.admin2?.trimmingCharacters(in: .whitespaces), !admin2.isEmpty {
            apply(admin2Hint: admin2, to: &hints, applied: &applied, notes: &notes)
        }
        if let text = rowHints.text, !text.isEmpty { apply(textHint: text, excluding: name, to: &hints, applied: &applied) }
        var result = rank(query: query, name: name, candidates: candidates(for: name), hints: hints, limit: limit)
        result.hintApplied = applied.isEmpty ? nil : applied.joined(separator: "; ")
        result.notes = notes + result.notes
        if result.best == nil || result.best?.matchKind == .fuzzy {
            // News-style names ("Dioura (military camp)", "In-Ekar Ouest", "N'Goma Coura K23",
            // "Gao-Ansongo axis", "Sokoura 2"): try the readings without the qualifiers, saying
            // so and trusting them a little less; a fuzzy match gives way to a reading that
            // matches a name as written.
            let phrases = ProximityPhrases.find(in: name)
            for reading in ReportedPlaceName.weightedReadings(of: name) where reading.text.count >= 3 {
                var readingHints = rowHints
                readingHints.admin1 = hintParts.isEmpty ? admin1Hint : hintParts.joined(separator: ", ")
                // Distances the name itself gives ("Kobe (~30 km from Gao)") locate its readings;
                // once: a reading's own readings come with a text that holds the name already, and
                // each copy of a phrase would add its ring to the score again.
                if phrases.contains(where: { $0.place != reading.text }), !(rowHints.text?.contains(name) ?? false) {
                    readingHints.text = [rowHints.text, name].compactMap { $0 }.joined(separator: " ")
                }
                let key = ReadingKey(text: reading.text, hints: readingHints)
                let looked: GeocodeResult
                if let known = readings.results[key] {
                    looked = known
                } else {
                    looked = lookUp(reading.text, hints: readingHints, near: near, limit: limit, isReading: true,
                                    readings: &readings)
                    readings.results[key] = looked
                }
                var alternative = looked
                guard let found = alternative.best else { continue }
                if result.best != nil, found.matchKind == .fuzzy { continue }
                alternative.query = query
                alternative.confidence *= reading.trust
                alternative.notes.insert(
                    "read \"\(name)\" as \"\(reading.text)\"\(reading.trust < ReportedPlaceName.Trust.alternative ? " (a place it is in or near)" : "")",
                    at: 0)
                return alternative
            }
            if result.best == nil, !isReading { result.suggestions = suggestions(for: name, limit: limit) }
        }
        return result
    }

    /// A reading looked up within one `geocode` call, with the hints it was looked up with.
    private struct ReadingKey: Hashable {
        var text: String
        var hints: PlaceNameHints
    }

    /// The readings one `geocode` call has looked up, and how many lookups it has made.
    private struct ReadingLookups {
        var results: [ReadingKey: GeocodeResult] = [:]
        var lookups = 0
    }

    public func resolvePlaceName(_ name: String, admin1Hint: String?) -> PlaceNameResolution? {
        resolvePlaceName(name, hints: PlaceNameHints(admin1: admin1Hint))
    }

    public func resolvePlaceName(_ name: String, hints: PlaceNameHints) -> PlaceNameResolution? {
        guard let r = try? geocode(name, hints: hints, limit: 2), let best = r.best else { return nil }
        return PlaceNameResolution(
            location: best.place.location, matchedName: best.place.name, geonameID: best.place.geonameID,
            admin1: best.place.admin1Name, confidence: r.confidence, isAmbiguous: r.isAmbiguous,
            notes: r.notes)
    }

    static func validate(_ name: String) -> GeocodeInputError? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .empty }
        let count = trimmed.unicodeScalars.count
        if count > maximumNameLength { return .tooLong(characters: count, limit: maximumNameLength) }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{FFFD}" }) {
            return trimmed.unicodeScalars.contains("\u{FFFD}") ? .invalidUTF8 : .controlCharacters
        }
        if !trimmed.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) { return .noLetters }
        return nil
    }

    /// "Dioura, Mopti, Mali" → ("Dioura", ["Mopti", "Mali"]): parts after commas are hints.
    /// A name that itself contains a comma and matches as a whole stays whole.
    private func splitHints(_ query: String) -> (String, [String]) {
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        // Commas inside brackets belong to the name's qualifier ("Labbezanga (camp, Ansongo area)").
        var parts: [String] = [], current = "", depth = 0
        for ch in trimmed {
            if ch == "(" { depth += 1 } else if ch == ")" { depth = max(0, depth - 1) }
            if ch == ",", depth == 0 { parts.append(current); current = "" } else { current.append(ch) }
        }
        parts.append(current)
        parts = parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard parts.count > 1, index.lookup(PlaceNameNormalizer.fullKey(trimmed)) == nil else { return (trimmed, []) }
        return (parts[0], Array(parts.dropFirst()))
    }

    private func apply(hint: String, to hints: inout RankingHints, applied: inout [String], notes: inout [String]) {
        if let country = WorldNames.country(named: hint) {
            // "Kayes, Mali": the country the gazetteer covers anyway.
            if !places.contains(where: { $0.countryCode == country }) {
                notes.append("hint '\(hint)' names a country this gazetteer does not cover; ignored")
            }
            return
        }
        if let region = regions.match(hint, allowTypo: index.lookup(PlaceNameNormalizer.fullKey(hint)) == nil) {
            hints.regionKeys = (hints.regionKeys ?? []).union(regions.expanded(region.keys))
            hints.regionCercles.formUnion(regions.cercles(of: region.keys))
            applied.append("region \(region.name)")
            return
        }
        // Not a region: the name of a town or district inside one (e.g. "Bandiagara", a region cut
        // from Mopti in 2023 that GeoNames still files under Mopti).
        let found = candidates(for: hint, allowFuzzy: false).filter { places[$0.place].isPopulatedPlace || places[$0.place].isAdministrativeArea }
        if let best = found.max(by: { prominenceOrder($0, $1) }) {
            hints.hintPlace = places[best.place]
            applied.append("near \(places[best.place].label)")
        } else {
            notes.append("hint '\(hint)' is neither a region nor a known place; ignored")
        }
    }

    /// An admin-2 hint: a cercle the places carry, else a place whose surroundings are meant
    /// (cercles created after 2015 are named after their seats).
    private func apply(admin2Hint: String, to hints: inout RankingHints, applied: inout [String], notes: inout [String]) {
        let folded = PlaceNameNormalizer.fullKey(admin2Hint)
        let core = RegionTable.fold(admin2Hint.replacingOccurrences(of: "cercle", with: "", options: .caseInsensitive))
        for key in [folded, core] where regions.cercleNames.contains(key) {
            hints.admin2 = [key]
            applied.append("cercle \(admin2Hint)")
            return
        }
        let found = candidates(for: admin2Hint, allowFuzzy: false).filter {
            places[$0.place].isPopulatedPlace || places[$0.place].isAdministrativeArea
        }
        // Among namesakes, the one in the hinted region, then the most prominent.
        let best = found.max { a, b in
            let ra = hints.regionAgreement(places[a.place]) == true, rb = hints.regionAgreement(places[b.place]) == true
            return ra != rb ? rb : prominenceOrder(a, b)
        }
        if let best, hints.hintPlace == nil {
            hints.hintPlace = places[best.place]
            applied.append("near \(places[best.place].label) (admin-2)")
        } else if best == nil {
            notes.append("admin-2 hint '\(admin2Hint)' is neither a cercle nor a known place; ignored")
        }
    }

    /// Proximity phrases in the row's text: each named place (resolved without fuzzy matching,
    /// in the hinted region when there is one) favours candidates at the stated distance from it.
    private func apply(textHint text: String, excluding name: String, to hints: inout RankingHints, applied: inout [String]) {
        let own = PlaceNameNormalizer.fullKey(name)
        for phrase in ProximityPhrases.find(in: text) where PlaceNameNormalizer.fullKey(phrase.place) != own {
            let found = candidates(for: phrase.place, allowFuzzy: false).filter {
                places[$0.place].isPopulatedPlace || places[$0.place].isAdministrativeArea
            }
            guard !found.isEmpty else { continue }
            let r = rank(query: phrase.place, name: phrase.place, candidates: found, hints: hints, limit: 1)
            guard let anchor = r.best?.place, r.confidence >= 0.5 else { continue }
            hints.rings.append((anchor.location, phrase.km))
            applied.append(phrase.km > 0 ? "\(Int(phrase.km.rounded())) km from \(anchor.label)" : "near \(anchor.label)")
        }
    }

    private func prominenceOrder(_ a: Candidate, _ b: Candidate) -> Bool {
        let pa = places[a.place], pb = places[b.place]
        return (a.kind > b.kind ? 0 : 1, pa.featureRank, pa.population, -pa.geonameID)
            < (b.kind > a.kind ? 0 : 1, pb.featureRank, pb.population, -pb.geonameID)
    }

    // MARK: Candidates

    struct Candidate {
        var place: Int
        var kind: MatchKind
        var nameOrdinal: Int
        var distance: Int
        var evidence: Double
    }

    /// Edits tolerated for a folded name of `letters` letters.
    static func maxEdits(letters: Int) -> Int {
        switch letters {
        case ..<3: return 0
        case 3...5: return 1
        case 6...10: return 2
        default: return 3
        }
    }

    /// Places whose names match `name`: exact, alternate and normalised keys, and names within a
    /// few edits — only one edit when the name as typed exists, so that a big town one typo
    /// away can compete with an obscure namesake but a real name is not drowned in near-misses.
    func candidates(for name: String, allowFuzzy: Bool = true) -> [Candidate] {
        let keys = PlaceNameNormalizer.indexKeys(name)
        var best: [Int: Candidate] = [:]
        func consider(_ c: Candidate) {
            if let old = best[c.place], old.evidence >= c.evidence { return }
            best[c.place] = c
        }
        if let k = index.lookup(keys.full) {
            for p in index.postings(ofKey: k) {
                consider(Candidate(place: p.place, kind: p.kind, nameOrdinal: p.nameOrdinal, distance: 0,
                                   evidence: Self.evidence(p.kind)))
            }
        }
        // Phonetic keys of short words collide with common words ("saw" and Sawou): fuzzy
        // lookups of names of four letters or more only ("Nyna" is Nina, "Waie" Waye).
        let phonetic = allowFuzzy && keys.full.utf8.count >= 4 ? PlaceNameNormalizer.phoneticKey(fullKey: keys.full) : nil
        for (variant, evidence) in [(keys.core, Weight.normalised), (keys.joined, Weight.normalised), (phonetic, Weight.phonetic)]
        where variant != nil && variant != keys.full {
            guard let variant, let k = index.lookup(variant) else { continue }
            for p in index.postings(ofKey: k) {
                consider(Candidate(place: p.place, kind: .normalised, nameOrdinal: p.nameOrdinal, distance: 0,
                                   evidence: evidence))
            }
        }
        if allowFuzzy {
            let letters = keys.full.utf8.filter { $0 != 0x20 }.count
            let edits = best.isEmpty ? Self.maxEdits(letters: letters) : min(1, Self.maxEdits(letters: letters))
            if edits > 0 {
                // The fewest edits that find anything: one first (most typos, and a much
                // tighter filter), more only when one finds nothing.
                let hits = scratchPool.withScratch { scratch in
                    let one = index.fuzzy(keys.full, maxEdits: 1, limit: 64, scratch: scratch)
                    return one.isEmpty && edits > 1 ? index.fuzzy(keys.full, maxEdits: edits, limit: 64, scratch: scratch) : one
                }
                for h in hits {
                    for p in index.postings(ofKey: h.key) {
                        consider(Candidate(place: p.place, kind: .fuzzy, nameOrdinal: p.nameOrdinal,
                                           distance: h.distance, evidence: Self.fuzzyEvidence(h)))
                    }
                }
            }
        }
        breakSpellingTies(&best, query: keys.full)
        return best.values.sorted { $0.place < $1.place }
    }

    /// Lowers the evidence of normalised and fuzzy candidates by `Weight.spellingTiebreak` per
    /// edit between the query and the candidate's nearest name (see there). Only when two or
    /// more such candidates compete: the distance is then worth its cost.
    private func breakSpellingTies(_ best: inout [Int: Candidate], query: String) {
        let loose = best.keys.filter { best[$0]!.kind >= .normalised }
        guard loose.count >= 2 else { return }
        let q = Array(query.utf8)
        var rows: [Int] = []
        for i in loose {
            let p = places[i]
            var nearest = 3.0
            for (ordinal, name) in ([p.name, p.asciiName] + p.alternateNames).enumerated() {
                let key = Array(PlaceNameNormalizer.fullKey(name).utf8)
                let edits = key.withUnsafeBufferPointer { Double(EditDistance.osa(q, $0, cutoff: 3, rows: &rows)) }
                nearest = min(nearest, edits + (ordinal < 2 ? 0 : 0.5))
            }
            best[i]!.evidence -= Weight.spellingTiebreak * min(3, nearest)
        }
    }

    static func evidence(_ kind: MatchKind) -> Double {
        switch kind {
        case .exact: return Weight.exact
        case .alternate: return Weight.alternate
        case .normalised, .fuzzy: return Weight.normalised
        }
    }

    static func fuzzyEvidence(_ hit: NameIndex.FuzzyHit) -> Double {
        guard hit.distance > 0 else { return Weight.normalised }
        return Weight.fuzzyOneEdit - Weight.fuzzyPerEdit * Double(hit.distance - 1)
            - Weight.fuzzySimilarity * (1 - hit.similarity)
    }

    /// Closest names when nothing matched: a wider fuzzy search, nearest spellings first.
    private func suggestions(for name: String, limit: Int) -> [ScoredPlace] {
        let key = PlaceNameNormalizer.fullKey(name)
        let letters = key.utf8.filter { $0 != 0x20 }.count
        guard letters >= 2 else { return [] }
        let edits = max(2, Self.maxEdits(letters: letters) + 2)
        let hits = scratchPool.withScratch { index.fuzzy(key, maxEdits: edits, limit: 32, scratch: $0) }
        var out: [ScoredPlace] = []
        var seen = Set<Int>()
        for h in hits {
            let ranked = index.postings(ofKey: h.key).sorted {
                (places[$0.place].featureRank, places[$0.place].population, -$0.place)
                    > (places[$1.place].featureRank, places[$1.place].population, -$1.place)
            }
            for p in ranked where seen.insert(p.place).inserted {
                let evidence = Self.fuzzyEvidence(h)
                out.append(scoredPlace(Candidate(place: p.place, kind: .fuzzy, nameOrdinal: p.nameOrdinal,
                                                 distance: h.distance, evidence: evidence),
                                       score: evidence, from: nil))
                if out.count == limit { return out }
            }
        }
        return out
    }

    // MARK: Ranking

    func score(_ c: Candidate, _ hints: RankingHints) -> Double {
        let p = places[c.place]
        // Settlements only: an area's population says nothing about how often its name is meant.
        var s = c.evidence + prominence(p)
        let region = "\(p.countryCode).\(p.admin1Code)"
        if let inRegion = hints.regionAgreement(p) {
            s += inRegion ? Weight.regionMatch : Weight.regionMismatch
        } else if hints.regionKeys != nil {
            s += Weight.regionMismatch / 2  // region unknown: neither confirms nor contradicts
        }
        if let inCercle = hints.cercleAgreement(p) {
            s += inCercle ? Weight.cercleMatch : Weight.cercleMismatch
        }
        for ring in hints.rings {
            let off = abs(GreatCircle.distanceKm(ring.center, p.location) - ring.km)
            s += Weight.ring * exp(-off / (Weight.ringScaleKm + ring.km / 2))
        }
        if let hp = hints.hintPlace {
            if hp.countryCode == p.countryCode, hp.admin1Code == p.admin1Code, !p.admin1Code.isEmpty {
                s += Weight.hintPlaceRegion
            }
            s += Weight.hintPlaceProximity * exp(-GreatCircle.distanceKm(hp.location, p.location) / Weight.hintPlaceScaleKm)
        }
        if let near = hints.near {
            s += Weight.near * exp(-GreatCircle.distanceKm(near, p.location) / Weight.nearScaleKm)
        }
        if !hints.anchors.isEmpty {
            var bonus = 0.0
            for a in hints.anchors {
                bonus = max(bonus, a.weight * exp(-GreatCircle.distanceKm(a.location, p.location) / Weight.anchorScaleKm))
            }
            s += bonus
        }
        if hints.contextRegionKeys.contains(region) { s += Weight.contextRegion }
        return s
    }

    func rank(query: String, name: String, candidates: [Candidate], hints: RankingHints, limit: Int) -> GeocodeResult {
        var result = GeocodeResult(query: query, name: name)
        guard !candidates.isEmpty else { return result }
        // The name exists as written where the user said: a near-miss spelling elsewhere in the
        // region is not what was meant, however big.
        let exactInRegion = hints.regionKeys != nil
            && candidates.contains { $0.kind != .fuzzy && hints.regionAgreement(places[$0.place]) == true }
        let scored = candidates.map { c in
            (c, score(c, hints) + (exactInRegion && c.kind == .fuzzy ? Weight.fuzzyBesideHintedExact : 0))
        }.sorted {
            $0.1 != $1.1 ? $0.1 > $1.1 : places[$0.0.place].geonameID < places[$1.0.place].geonameID
        }
        let (top, topScore) = scored[0]
        let topPlace = places[top.place]
        // Confidence weighs prominence less than the ranking does (see Weight).
        let discount = (1 - Weight.prominenceInConfidence)
        let topDecisive = topScore - discount * prominence(topPlace)
        var rivalMass = 0.0
        var ambiguous = false
        var namesakes = 0
        for (c, s) in scored.dropFirst() {
            let p = places[c.place]
            guard GreatCircle.distanceKm(p.location, topPlace.location) > Weight.distinctKm,
                  !Self.isNamesakeArea(p, of: topPlace), !Self.isNamesakeArea(topPlace, of: p) else { continue }
            let gap = topDecisive - (s - discount * prominence(p))
            rivalMass += exp(-gap / Weight.confidenceTemperature)
            if gap < Weight.ambiguityGap { ambiguous = true; namesakes += 1 }
        }
        result.best = scoredPlace(top, score: topScore, from: nil)
        var confidence = min(1, max(0, top.evidence / (1 + rivalMass)))
        if ambiguous {
            result.notes.append("ambiguous: \(namesakes + 1) places match about equally well and nothing given singles one out")
        }
        let contradicts = hints.regionAgreement(topPlace) == false || hints.cercleAgreement(topPlace) == false
        if contradicts {
            let cap = top.kind == .fuzzy ? Weight.fuzzyContradictsHintCap : Weight.contradictsHintCap
            if confidence > cap {
                confidence = cap
                result.notes.append("\(topPlace.label) is outside the hinted \(hints.regionAgreement(topPlace) == false ? "region" : "cercle"); confidence capped at \(cap)")
            }
        } else if top.kind == .fuzzy, top.distance >= 2, hints.regionAgreement(topPlace) != true,
                  confidence > Weight.fuzzyUnconfirmedCap {
            // Two or more edits from any name of a complete gazetteer, and no hint to confirm it:
            // more likely a place the gazetteer lacks than a misspelling.
            confidence = Weight.fuzzyUnconfirmedCap
            result.notes.append("\(top.distance) edits from \(topPlace.name) and no region hint confirms it; confidence capped at \(Weight.fuzzyUnconfirmedCap)")
        }
        if top.kind == .fuzzy, !(topPlace.isPopulatedPlace || topPlace.isAdministrativeArea) {
            let cap = hints.regionAgreement(topPlace) == true ? Weight.fuzzyOtherFeatureInRegionCap : Weight.fuzzyOtherFeatureCap
            if confidence > cap {
                confidence = cap
                result.notes.append("a fuzzy match to a \(topPlace.featureDescription), not a settlement; confidence capped at \(cap)")
            }
        }
        result.confidence = confidence
        result.isAmbiguous = ambiguous
        result.alternatives = scored.dropFirst().prefix(limit - 1).map { scoredPlace($0.0, score: $0.1, from: topPlace) }
        return result
    }

    /// The prominence part of a score: feature rank and, for settlements, population.
    func prominence(_ p: Place) -> Double {
        var s = Weight.featureRank * p.featureRank
        if p.isPopulatedPlace { s += Weight.population * min(1, log10(1 + Double(p.population)) / Weight.populationLog10Cap) }
        return s
    }

    /// An administrative area of the same name around a town (Kayes Region, Kayes Cercle and
    /// Kayes): another level of one place, not a rival — areas are named after their seats.
    static func isNamesakeArea(_ area: Place, of town: Place) -> Bool {
        area.featureClass == "A" && area.featureCode.hasPrefix("ADM") && town.isPopulatedPlace
            && area.countryCode == town.countryCode && !area.admin1Code.isEmpty && area.admin1Code == town.admin1Code
    }

    func scoredPlace(_ c: Candidate, score: Double, from best: Place?) -> ScoredPlace {
        let p = places[c.place]
        let names = [p.name, p.asciiName] + p.alternateNames
        return ScoredPlace(
            place: p, matchKind: c.kind, matchedName: c.nameOrdinal < names.count ? names[c.nameOrdinal] : p.name,
            editDistance: c.distance, score: score,
            distanceKmFromBest: best.map { GreatCircle.distanceKm($0.location, p.location) })
    }
}
