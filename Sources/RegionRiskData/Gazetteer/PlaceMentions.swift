import Foundation
import RegionRiskBase

/// A gazetteer place named in a text.
public struct PlaceMention: Sendable, Hashable {
    /// The words as written ("Nioro du Sahel").
    public var text: String
    /// Where they are in the text.
    public var range: Range<String.Index>
    /// 1-based line and column (in characters) of the first letter.
    public var line: Int
    public var column: Int
    /// 0-based index of the sentence holding the mention.
    public var sentence: Int
    /// True when the text speaks of the place's region ("the Mopti area", "région de Kayes").
    public var refersToRegion: Bool
    /// The resolution, ranked with the text's other places as context.
    public var result: GeocodeResult
}

extension Gazetteer {
    /// Finds the gazetteer's places named in `text` and resolves each with the text's other
    /// places as context: a namesake near the places mentioned in the same sentence (or, less
    /// so, elsewhere in the text), or in a region the sentence names, ranks higher.
    ///
    /// Only capitalised words are considered, and a word is not reported when it is an ordinary
    /// word — a common English or French word, one the text also writes in lower case, an acronym
    /// — or part of a longer proper name that is not a place (people: "Aly Tounkara" — and that
    /// name alone later in the text). Names must resolve to a populated place or an
    /// administrative area other than a country. One typo is tolerated in a single word of five
    /// letters or more when the same sentence names a place correctly ("Diallassago and
    /// Dianweli"). Names of the world's countries, capitals and continents are skipped unless
    /// they are in this gazetteer's countries (Bamako, not India).
    public func mentions(inText text: String) -> [PlaceMention] {
        let tokens = MentionTokenizer.tokens(of: text)
        let lowercaseWords = Set(tokens.filter { !$0.isCapitalized }.map(\.folded))
        let mentions = findSpans(tokens, lowercaseWords: lowercaseWords, foreignNames: foreignMentionNames,
                                 allCapsText: MentionTokenizer.isMostlyUppercase(text))
        return resolveInContext(mentions, text: text)
    }

    private struct Span {
        var first: Int, last: Int
        var refersToRegion: Bool
        var candidates: [Candidate]
        var name: String
    }

    private func findSpans(_ tokens: [MentionToken], lowercaseWords: Set<String>, foreignNames: Set<String>,
                           allCapsText: Bool) -> [(Span, [MentionToken])] {
        // Runs of capitalised words joined by spaces, hyphens, apostrophes and particles.
        var runs: [[Int]] = []
        var current: [Int] = []
        func close() {
            while let last = current.last, !tokens[last].isCapitalized { current.removeLast() }
            if !current.isEmpty { runs.append(current) }
            current = []
        }
        for (i, t) in tokens.enumerated() {
            if !t.joinedToPrevious || t.sentence != (current.last.map { tokens[$0].sentence } ?? t.sentence) { close() }
            if t.isCapitalized || (!current.isEmpty && MentionWords.particles.contains(t.folded)) {
                current.append(i)
            } else {
                close()
            }
        }
        close()

        // Words of proper names that are not places (people, organisations), to skip them when
        // they recur alone ("Aly Tounkara" … "Tounkara said").
        var nonPlaceWords = Set<String>()
        var accepted: [Span] = []
        var fuzzySpans: [Span] = []
        for run in runs {
            var spans: [Span] = []
            var uncovered: [Int] = []
            var i = 0
            while i < run.count {
                var matched = false
                for length in stride(from: min(5, run.count - i), through: 1, by: -1) {
                    let ids = Array(run[i..<i + length])
                    guard tokens[ids.last!].isCapitalized else { continue }
                    let name = ids.map { tokens[$0].text }.joined(separator: " ")
                    if length == 1, !singleWordAllowed(tokens[ids[0]], lowercaseWords: lowercaseWords, allCapsText: allCapsText) {
                        continue
                    }
                    if foreignNames.contains(PlaceNameNormalizer.fullKey(name)) { continue }
                    var cands = candidates(for: name, allowFuzzy: false)
                    // "The Kayes" is Kayes; only a name that really starts so ("In Khalil") keeps its first word.
                    if length > 1, MentionWords.stopwords.contains(tokens[ids[0]].folded) {
                        cands.removeAll { $0.kind > .alternate }
                    }
                    guard mentionable(cands) else { continue }
                    cands = preferTowns(cands)
                    spans.append(Span(first: ids[0], last: ids.last!, refersToRegion: false, candidates: cands, name: name))
                    i += length
                    matched = true
                    break
                }
                if !matched {
                    uncovered.append(run[i])
                    i += 1
                }
            }
            let properLeftovers = uncovered.filter {
                tokens[$0].isCapitalized && !MentionWords.stopwords.contains(tokens[$0].folded)
                    && !MentionWords.generic.contains(tokens[$0].folded)
            }
            // In a text written in capitals every word looks like a name: no run tells people apart.
            if !properLeftovers.isEmpty, !allCapsText {
                if run.count > 1 { for t in run where tokens[t].isCapitalized { nonPlaceWords.insert(tokens[t].folded) } }
                // A lone unknown word: maybe a misspelt place ("Diallassago").
                if run.count == 1, spans.isEmpty, !foreignNames.contains(tokens[run[0]].folded),
                   let fuzzy = fuzzySpan(tokens[run[0]], lowercaseWords: lowercaseWords, allCapsText: allCapsText) {
                    fuzzySpans.append(fuzzy)
                }
                continue
            }
            accepted.append(contentsOf: spans)
        }
        accepted.removeAll { span in span.first == span.last && nonPlaceWords.contains(tokens[span.first].folded) }
        // A misspelt name is believed only beside a correctly spelt place, as in a list of
        // attacked towns; alone, a near-miss is more likely a word or a person's name.
        let sentencesWithPlaces = Set(accepted.map { tokens[$0.first].sentence })
        accepted += fuzzySpans.filter {
            sentencesWithPlaces.contains(tokens[$0.first].sentence) && !nonPlaceWords.contains(tokens[$0.first].folded)
        }
        accepted.sort { $0.first < $1.first }
        return accepted.map { span in
            var span = span
            markRegionReference(&span, tokens)
            return (span, Array(tokens[span.first...span.last]))
        }
    }

    private func singleWordAllowed(_ t: MentionToken, lowercaseWords: Set<String>, allCapsText: Bool) -> Bool {
        t.folded.unicodeScalars.count >= 3
            && !MentionWords.stopwords.contains(t.folded)
            && !MentionWords.generic.contains(t.folded)
            && !lowercaseWords.contains(t.folded)
            && (allCapsText || !t.isAllCaps)
            && !t.hasInnerCapital
    }

    /// Candidates worth reporting: the most prominent is a populated place or an administrative
    /// area — not a country ("Mali"), and not a stream or hill that happens to share a word.
    private func mentionable(_ cands: [Candidate]) -> Bool {
        guard let top = cands.max(by: { score($0, RankingHints()) < score($1, RankingHints()) }) else { return false }
        let p = places[top.place]
        return (p.isPopulatedPlace || p.isAdministrativeArea) && !p.isCountry
    }

    /// In running text a bare name means the town, not the district named after it (the district's
    /// centroid would otherwise win whenever it lies nearer the text's other places).
    private func preferTowns(_ cands: [Candidate]) -> [Candidate] {
        let towns = cands.filter { places[$0.place].isPopulatedPlace }.map { places[$0.place] }
        guard !towns.isEmpty else { return cands }
        return cands.filter { c in !towns.contains { Self.isNamesakeArea(places[c.place], of: $0) } }
    }

    private func fuzzySpan(_ t: MentionToken, lowercaseWords: Set<String>, allCapsText: Bool) -> Span? {
        guard singleWordAllowed(t, lowercaseWords: lowercaseWords, allCapsText: allCapsText) else { return nil }
        let letters = t.folded.unicodeScalars.count
        // Demonyms ("Malian", "Burkinabese") sit one letter away from many village names.
        guard letters >= 5, !["ian", "ians", "ese", "ois", "oise"].contains(where: { t.folded.hasSuffix($0) }) else { return nil }
        let cands = candidates(for: t.text).filter { $0.kind == .fuzzy && $0.distance <= (letters >= 9 ? 2 : 1) && places[$0.place].isPopulatedPlace }
        guard !cands.isEmpty, mentionable(cands) else { return nil }
        return Span(first: t.index, last: t.index, refersToRegion: false, candidates: cands, name: t.text)
    }

    /// "the Mopti area", "Kayes region", "région de Ségou": prefer the region's own feature when
    /// the gazetteer has one ("Mopti Region"), and remember that the region is meant.
    private func markRegionReference(_ span: inout Span, _ tokens: [MentionToken]) {
        let after = span.last + 1 < tokens.count ? tokens[span.last + 1] : nil
        let before = span.first >= 2 ? (tokens[span.first - 2], tokens[span.first - 1]) : nil
        let followed = after.map { $0.sentence == tokens[span.last].sentence && MentionWords.regionWords.contains($0.folded) } ?? false
        let preceded = before.map { MentionWords.regionWords.contains($0.0.folded) && ["de", "du", "of"].contains($0.1.folded) } ?? false
        guard followed || preceded else { return }
        span.refersToRegion = true
        let regionCands = candidates(for: span.name + " Region", allowFuzzy: false).filter {
            places[$0.place].featureCode == "ADM1" && $0.kind <= .normalised
        }
        if !regionCands.isEmpty { span.candidates = regionCands }
    }

    private func resolveInContext(_ spans: [(Span, [MentionToken])], text: String) -> [PlaceMention] {
        // Round 1 without context. Confident, unambiguous results become anchors for the others;
        // round 2 adds those that context settled, round 3 gives the final ranking.
        var results = spans.map { rank(query: $0.0.name, name: $0.0.name, candidates: $0.0.candidates, hints: RankingHints(), limit: 5) }
        var sentenceRegions: [Int: Set<String>] = [:]
        for ((span, toks), r) in zip(spans, results) where span.refersToRegion {
            if let best = r.best {
                sentenceRegions[toks[0].sentence, default: []].insert("\(best.place.countryCode).\(best.place.admin1Code)")
            }
        }
        for _ in 0..<2 {
            var anchors: [(location: LonLat, sentence: Int, key: String)] = []
            for ((span, toks), r) in zip(spans, results) where !span.refersToRegion {
                if let best = r.best, !r.isAmbiguous, r.confidence >= 0.7 {
                    anchors.append((best.place.location, toks[0].sentence, PlaceNameNormalizer.fullKey(span.name)))
                }
            }
            let index = MentionAnchors(anchors)
            results = spans.map { span, toks in
                let key = PlaceNameNormalizer.fullKey(span.name)
                let sentence = toks[0].sentence
                var hints = RankingHints()
                hints.anchors = index.hints(forKey: key, sentence: sentence, sameSentence: 0.2, elsewhere: 0.08)
                hints.contextRegionKeys = span.refersToRegion ? [] : sentenceRegions[sentence] ?? []
                return rank(query: span.name, name: span.name, candidates: span.candidates, hints: hints, limit: 5)
            }
        }
        var out: [PlaceMention] = []
        for ((span, toks), result) in zip(spans, results) {
            let sentence = toks[0].sentence
            let range = toks.first!.range.lowerBound..<toks.last!.range.upperBound
            out.append(PlaceMention(
                text: String(text[range]), range: range, line: toks[0].line, column: toks[0].column,
                sentence: sentence, refersToRegion: span.refersToRegion, result: result))
        }
        return out
    }
}

/// A word of a text, with what the mention finder needs to know about it.
struct MentionToken {
    var index: Int
    var text: String
    var folded: String
    var range: Range<String.Index>
    var line: Int
    var column: Int
    var sentence: Int
    var isCapitalized: Bool
    var isAllCaps: Bool
    /// Capitals after the first letter without being all capitals: an acronym or brand ("FAMa").
    var hasInnerCapital: Bool
    /// Only spaces, a hyphen or an apostrophe separate it from the previous word.
    var joinedToPrevious: Bool
}

enum MentionTokenizer {
    static func tokens(of text: String) -> [MentionToken] {
        var tokens: [MentionToken] = []
        var line = 1, column = 1, sentence = 0
        var wordStart: String.Index?
        var wordLine = 1, wordColumn = 1
        var joined = false
        var separatorSeen = false  // since the last word: anything that breaks a run
        var apostropheBefore = false
        let scalars = text.unicodeScalars
        var i = scalars.startIndex
        func finishWord(at end: String.Index) {
            guard let start = wordStart else { return }
            let word = String(text.unicodeScalars[start..<end])
            wordStart = nil
            // Possessive "'s" belongs to the previous word ("Mali’s"): drop it, and end the run.
            if apostropheBefore, word == "s" || word == "S", let last = tokens.last, last.range.upperBound < end {
                separatorSeen = true
                return
            }
            let first = word.unicodeScalars.first!
            let letters = word.unicodeScalars.filter { $0.properties.isAlphabetic }
            tokens.append(MentionToken(
                index: tokens.count, text: word, folded: PlaceNameNormalizer.fullKey(word), range: start..<end,
                line: wordLine, column: wordColumn, sentence: sentence,
                isCapitalized: first.properties.isUppercase || first.properties.generalCategory == .titlecaseLetter,
                isAllCaps: letters.count >= 2 && letters.allSatisfy { $0.properties.isUppercase },
                hasInnerCapital: letters.dropFirst().contains { $0.properties.isUppercase }
                    && !letters.allSatisfy { $0.properties.isUppercase },
                joinedToPrevious: joined && !separatorSeen))
            joined = true
            separatorSeen = false
            apostropheBefore = false
        }
        while i < scalars.endIndex {
            let u = scalars[i]
            let props = u.properties
            let isWordChar = props.isAlphabetic || props.numericType != nil
                || props.generalCategory == .nonspacingMark || props.generalCategory == .spacingMark
            if isWordChar {
                if wordStart == nil { wordStart = i; wordLine = line; wordColumn = column }
            } else {
                finishWord(at: i)
                if u == "\n" || u == "\r" || u == "\u{2029}" {
                    if u == "\n" || u == "\u{2029}" { sentence += 1 }
                    separatorSeen = true
                } else if PlaceNameNormalizer.isApostrophe(u) {
                    apostropheBefore = true
                } else if u == "-" || u == "\u{2010}" || u == "\u{2011}" || props.isWhitespace {
                    // joins (or at least does not break) a run
                } else {
                    separatorSeen = true
                    apostropheBefore = false
                    // Dashes too: "Sikasso, Mali – The Kayes area…" is a dateline, then the story.
                    if ".!?;\u{2026}\u{2013}\u{2014}".unicodeScalars.contains(u) { sentence += 1 }
                }
            }
            if u == "\n" { line += 1; column = 1 } else if props.generalCategory != .nonspacingMark { column += 1 }
            i = scalars.index(after: i)
        }
        finishWord(at: scalars.endIndex)
        return tokens
    }

    /// A text written in capitals (telegrams, some field reports) has no case to go by.
    static func isMostlyUppercase(_ text: String) -> Bool {
        var upper = 0, lower = 0
        for u in text.unicodeScalars where u.properties.isAlphabetic {
            if u.properties.isUppercase { upper += 1 } else if u.properties.isLowercase { lower += 1 }
        }
        return upper > 3 * lower && upper > 20
    }
}

/// Word lists for mention finding (folded: lower case, no diacritics).
enum MentionWords {
    static let particles: Set<String> = ["de", "du", "des", "la", "le", "les", "d", "l", "n", "el"]

    static let regionWords: Set<String> = ["region", "regions", "area", "province", "cercle", "district"]

    /// Words that describe a place rather than name it; they may sit in a run of capitalised
    /// words around a place name without making it a person's or organisation's name.
    static let generic: Set<String> = [
        "region", "regions", "area", "province", "cercle", "circle", "district", "commune", "city", "town",
        "village", "camp", "base", "airport", "road", "north", "south", "east", "west", "central", "northern",
        "southern", "eastern", "western", "centre", "center", "nord", "sud", "est", "ouest", "ville", "prefecture",
    ]

    /// Common English and French words that start sentences or titles and also occur as
    /// Malian place names in GeoNames (or could), so are never reported alone.
    static let stopwords: Set<String> = [
        // English
        "a", "about", "after", "again", "against", "all", "also", "although", "an", "and", "another", "any", "are",
        "around", "as", "at", "be", "because", "been", "before", "being", "between", "both", "but", "by", "can",
        "could", "did", "do", "does", "during", "each", "earlier", "either", "even", "ever", "every", "few",
        "for", "from", "further", "had", "has", "have", "he", "her", "here", "hers", "him", "his", "how",
        "however", "i", "if", "in", "into", "is", "it", "its", "just", "last", "later", "least", "less", "like",
        "many", "may", "meanwhile", "might", "more", "most", "much", "must", "my", "near", "neither", "never",
        "new", "next", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other",
        "our", "out", "over", "own", "per", "since", "so", "some", "still", "such", "than", "that", "the",
        "their", "them", "then", "there", "these", "they", "this", "those", "though", "through", "thus", "to",
        "too", "two", "three", "under", "until", "up", "upon", "us", "very", "was", "we", "were", "what", "when",
        "where", "whereas", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with",
        "within", "without", "would", "yet", "you", "your", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "january", "february", "march", "april", "june", "july", "august",
        "september", "october", "november", "december", "mr", "mrs", "ms", "dr", "gen", "col", "sir", "saint",
        "president", "minister", "ministry", "army", "police", "government", "state", "states", "group",
        "forces", "force", "national", "international", "united", "nations", "council", "union", "corps",
        "islamic", "republic", "people", "said", "says", "according", "reuters", "afp", "news", "report",
        "sahel", "sahara", "maghreb", "west", "africa",
        // News vocabulary that starts titles ("Battle of Tinzaouaten") and is one letter from a village.
        "battle", "attack", "attacks", "ambush", "massacre", "operation", "offensive", "siege", "clashes",
        "killed", "soldiers", "troops", "militants", "jihadists", "rebels", "fighters", "civilians", "victims",
        "security", "defence", "defense", "military", "peace", "war", "coup", "junta", "transition", "election",
        "elections", "hostages", "convoy", "mission", "source", "sources", "official", "officials",
        // French
        "au", "aux", "avec", "ce", "ces", "cette", "dans", "donc", "elle", "elles", "en", "entre", "et", "il",
        "ils", "je", "leur", "leurs", "lors", "mais", "ni", "nous", "ou", "où", "par", "pas", "pour", "puis",
        "qu", "que", "qui", "sa", "sans", "se", "selon", "ses", "si", "son", "sous", "sur", "ta", "tes", "ton",
        "tous", "tout", "toute", "toutes", "un", "une", "vers", "vous", "janvier", "fevrier", "mars", "avril",
        "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre", "lundi", "mardi",
        "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "armee", "etat", "gouvernement",
    ]
}

