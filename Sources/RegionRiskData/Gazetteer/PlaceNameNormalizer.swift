import Foundation

/// Turns place names into comparison keys.
///
/// Folding: case and diacritics ("Ségou" = "Segou" = "SEGOU"), letters of West African
/// orthographies to their usual French spelling (ɲ → ny, ɔ → o, ɛ → e, ŋ → ng), and
/// apostrophes, hyphens and punctuation to word breaks ("Molodo-Centre" → "molodo centre").
/// The core key then drops French/English particles (de, du, la, d', of…) and the qualifiers
/// that tell neighbouring settlements apart (-Centre, Peulh, Dogon, Bambara, Marka…), so
/// "Molodo-Centre" and "Molodo", "Nioro du Sahel" and "Nioro Sahel" share a core key.
package enum PlaceNameNormalizer {
    static let particles: Set<String> = ["d", "l", "de", "du", "des", "la", "le", "les", "of", "the"]
    static let qualifiers: Set<String> = [
        "centre", "center", "peulh", "peul", "peuhl", "foulbe", "dogon", "bambara", "banbara", "bamanan",
        "marka", "bozo", "maure", "sonrai", "sonrhai",
    ]

    /// The folded words of `name` ("Nioro-du-Sahel" → ["nioro", "du", "sahel"]).
    static func foldedWords(_ name: String) -> [String] {
        fold(name, apostrophesJoin: false).split(separator: " ").map(String.init)
    }

    /// Words joined by one space: the key for exact and alternate-name matches.
    package static func fullKey(_ name: String) -> String { fold(name, apostrophesJoin: false) }

    /// The full key without particles and qualifiers (unchanged when nothing else would remain).
    package static func coreKey(_ name: String) -> String { coreKey(words: foldedWords(name)) }

    static func coreKey(words: [String]) -> String {
        let kept = words.filter { !particles.contains($0) && !qualifiers.contains($0) }
        return (kept.isEmpty ? words : kept).joined(separator: " ")
    }

    /// The keys a name is indexed under: full, core, and — for names of several words — the
    /// spelling run together ("N'Tossoni" is also "ntossoni", "In-Ekar" and "I-n-Ekar" are
    /// "inekar", as Tamasheq names are written both ways).
    static func indexKeys(_ name: String) -> (full: String, core: String, joined: String?) {
        let full = fullKey(name)
        let core = coreKey(words: full.split(separator: " ").map(String.init))
        var joined: String?
        if full.contains(" ") {
            let j = full.replacingOccurrences(of: " ", with: "")
            if j != full { joined = j }
        }
        return (full, core, joined)
    }

    /// A spelling-insensitive key for names transliterated from Bambara, Fulfulde, Songhay and
    /// Tamasheq, which French and English writers spell differently: run together, dj → j,
    /// sh → ch, ou and w → u, y → i, c, q and qu → k, ph → f, doubled letters single
    /// ("Djénné"/"Jenne", "Kouloumbo"/"Kulumbo", "Dyalakoro"/"Dialakoro", "Coba"/"Koba").
    /// nil when it equals the full key.
    static func phoneticKey(fullKey full: String) -> String? {
        var t = Array(full.utf8.filter { $0 != 0x20 })
        func replace(_ from: String, _ to: String) {
            let f = Array(from.utf8), r = Array(to.utf8)
            var out: [UInt8] = [], i = 0
            out.reserveCapacity(t.count)
            while i < t.count {
                if i + f.count <= t.count, t[i..<i + f.count].elementsEqual(f) { out += r; i += f.count } else { out.append(t[i]); i += 1 }
            }
            t = out
        }
        for (from, to) in [("dj", "j"), ("sh", "ch"), ("ph", "f"), ("qu", "k"), ("ou", "u"), ("w", "u"), ("y", "i"), ("c", "k"), ("q", "k")] {
            replace(from, to)
        }
        var collapsed: [UInt8] = []
        for b in t where collapsed.last != b { collapsed.append(b) }
        let key = String(decoding: collapsed, as: UTF8.self)
        return key.isEmpty || key == full ? nil : key
    }

    static func isApostrophe(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x27, 0x60, 0xB4, 0x2018, 0x2019, 0x201B, 0x2032, 0x02BC, 0x02BB: return true
        default: return false
        }
    }

    /// Lower-case, diacritic-free, words separated by single spaces.
    static func fold(_ name: String, apostrophesJoin: Bool) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        func emit(_ s: Unicode.Scalar) {
            if pendingSpace, !out.isEmpty { out.append(" ") }
            pendingSpace = false
            out.append(s)
        }
        func emit(_ s: String) { for u in s.unicodeScalars { emit(u) } }
        let isASCII = name.utf8.allSatisfy { $0 < 0x80 }
        // Canonical decomposition splits "é" into "e" + a combining mark, which is then dropped.
        let source = isASCII ? name : name.decomposedStringWithCanonicalMapping
        for u in source.unicodeScalars {
            let v = u.value
            if v < 0x80 {
                switch v {
                case 0x61...0x7A, 0x30...0x39: emit(u)
                case 0x41...0x5A: emit(Unicode.Scalar(v + 32)!)
                default:
                    if apostrophesJoin, isApostrophe(u) { continue }
                    pendingSpace = true
                }
                continue
            }
            if apostrophesJoin, isApostrophe(u) { continue }
            if let replacement = specialLetters[v] { emit(replacement); continue }
            switch u.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .format:
                continue
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter, .decimalNumber:
                emit(u.properties.lowercaseMapping)
            default:
                pendingSpace = true
            }
        }
        return String(out)
    }

    /// Letters without a canonical decomposition that readers treat as plain Latin letters.
    private static let specialLetters: [UInt32: String] = [
        0xD8: "o", 0xF8: "o", 0xC6: "ae", 0xE6: "ae", 0x152: "oe", 0x153: "oe", 0xDF: "ss",
        0x110: "d", 0x111: "d", 0xD0: "d", 0xF0: "d", 0x141: "l", 0x142: "l", 0x131: "i",
        0xDE: "th", 0xFE: "th", 0x19D: "ny", 0x272: "ny", 0x186: "o", 0x254: "o",
        0x190: "e", 0x25B: "e", 0x14A: "ng", 0x14B: "ng", 0x18A: "d", 0x257: "d", 0x181: "b", 0x253: "b",
        0x198: "k", 0x199: "k", 0x1B3: "y", 0x1B4: "y",
    ]
}
