import Foundation

/// How a query matched a place's name, best first.
package enum MatchKind: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    /// The query is the place's name or ASCII name (ignoring case and diacritics).
    case exact = 0
    /// The query is one of the place's alternate names (e.g. "Timbuktu" for Tombouctou).
    case alternate = 1
    /// Equal after dropping particles, qualifiers and apostrophes ("Molodo" = "Molodo-Centre").
    case normalised = 2
    /// Within a few edits of a name ("Diallassago" → "Diallassagou").
    case fuzzy = 3

    package static func < (a: MatchKind, b: MatchKind) -> Bool { a.rawValue < b.rawValue }
    package var description: String { ["exact", "alternate", "normalised", "fuzzy"][rawValue] }
}

/// The gazetteer's name index, in flat arrays so that the binary cache can store and reload it
/// with a few memory copies (rebuilding Swift dictionaries of 70k names on every run is what
/// made loading slow).
///
/// - Unique keys (folded names) live in one byte buffer; `postings` list, per key, the places
///   carrying that name and how (`postingInfo`: match kind in the top 2 bits, name ordinal below:
///   0 name, 1 ASCII name, 2+ alternate name n−2).
/// - Exact lookup: open-addressing hash table of key indices (FNV-1a, linear probing).
/// - Fuzzy lookup: padded byte-trigram posting lists over keys (CSR layout), a count filter,
///   then optimal-string-alignment edit distance on the best-sharing candidates.
///   Written by hand because it is the product's core and must answer ≥10k fuzzy lookups/s.
struct NameIndex: Sendable {
    var keyBytes: [UInt8] = []
    var keyOffsets: [UInt32] = [0]
    var postingOffsets: [UInt32] = [0]
    var postings: [UInt32] = []
    var postingInfo: [UInt16] = []
    var hashSlots: [UInt32] = []
    var trigramCodes: [UInt32] = []
    var trigramOffsets: [UInt32] = [0]
    var trigramKeys: [UInt32] = []

    var keyCount: Int { keyOffsets.count - 1 }

    struct Posting: Hashable {
        var place: Int
        var kind: MatchKind
        var nameOrdinal: Int
    }

    // MARK: Building

    init() {}

    init(places: [Place]) {
        var keyIndex: [String: Int] = [:]
        var keys: [String] = []
        var lists: [[(place: UInt32, info: UInt16)]] = []
        func add(_ key: String, place: Int, kind: MatchKind, ordinal: Int) {
            guard !key.isEmpty else { return }
            let info = UInt16(kind.rawValue) << 14 | UInt16(min(ordinal, 0x3FFF))
            if let k = keyIndex[key] {
                // One posting per (key, place): keep the best match kind.
                if let j = lists[k].lastIndex(where: { $0.place == UInt32(place) }) {
                    if info >> 14 < lists[k][j].info >> 14 { lists[k][j].info = info }
                    return
                }
                lists[k].append((UInt32(place), info))
            } else {
                keyIndex[key] = keys.count
                keys.append(key)
                lists.append([(UInt32(place), info)])
            }
        }
        for (p, place) in places.enumerated() {
            let names = [place.name, place.asciiName] + place.alternateNames
            for (ordinal, name) in names.enumerated() {
                let k = PlaceNameNormalizer.indexKeys(name)
                add(k.full, place: p, kind: ordinal < 2 ? .exact : .alternate, ordinal: ordinal)
                if k.core != k.full { add(k.core, place: p, kind: .normalised, ordinal: ordinal) }
                if let j = k.joined { add(j, place: p, kind: .normalised, ordinal: ordinal) }
                if let ph = PlaceNameNormalizer.phoneticKey(fullKey: k.full), ph != k.joined {
                    add(ph, place: p, kind: .normalised, ordinal: ordinal)
                }
            }
        }
        for key in keys {
            keyBytes.append(contentsOf: key.utf8)
            keyOffsets.append(UInt32(keyBytes.count))
        }
        for list in lists {
            for e in list {
                postings.append(e.place)
                postingInfo.append(e.info)
            }
            postingOffsets.append(UInt32(postings.count))
        }
        buildHashTable()
        buildTrigrams()
    }

    private mutating func buildHashTable() {
        var size = 16
        while size < keyCount * 2 { size <<= 1 }
        hashSlots = [UInt32](repeating: 0, count: size)
        let mask = size - 1
        for k in 0..<keyCount {
            var slot = Int(truncatingIfNeeded: hash(key(k))) & mask
            while hashSlots[slot] != 0 { slot = (slot + 1) & mask }
            hashSlots[slot] = UInt32(k + 1)
        }
    }

    private mutating func buildTrigrams() {
        var pairs: [UInt64] = []
        var codes: [UInt32] = []
        for k in 0..<keyCount {
            let bytes = key(k)
            // Non-Latin names (Arabic, Cyrillic…) stay exact-match only: Latin-script queries
            // never come within a few edits of them, and they would double the index.
            guard !bytes.contains(where: { $0 >= 0x80 }) else { continue }
            Self.trigrams(of: bytes, into: &codes)
            for c in codes { pairs.append(UInt64(c) << 32 | UInt64(k)) }
        }
        pairs.sort()
        trigramCodes = []
        trigramOffsets = [0]
        trigramKeys = []
        trigramKeys.reserveCapacity(pairs.count)
        for pair in pairs {
            let code = UInt32(pair >> 32)
            if trigramCodes.last != code {
                if !trigramCodes.isEmpty { trigramOffsets.append(UInt32(trigramKeys.count)) }
                trigramCodes.append(code)
            }
            trigramKeys.append(UInt32(truncatingIfNeeded: pair))
        }
        if !trigramCodes.isEmpty { trigramOffsets.append(UInt32(trigramKeys.count)) }
    }

    /// This index with `other`'s keys added, `other`'s place indices shifted by `placeOffset`.
    /// Works on the flat arrays (no name is folded again), so adding the embedded data's few
    /// leftover places to an imported 24k-place index costs milliseconds, not a rebuild.
    func appending(_ other: NameIndex, placeOffset: Int) -> NameIndex {
        var merged = NameIndex()
        // Where each of other's keys goes: an existing key of self, or a new one after them.
        var target = [Int](repeating: 0, count: other.keyCount)
        var newKeys: [Int] = []
        for k in 0..<other.keyCount {
            if let existing = lookup(bytes: Array(other.key(k))) { target[k] = existing } else {
                target[k] = keyCount + newKeys.count
                newKeys.append(k)
            }
        }
        var extra = [[(UInt32, UInt16)]](repeating: [], count: keyCount + newKeys.count)
        for k in 0..<other.keyCount {
            for i in Int(other.postingOffsets[k])..<Int(other.postingOffsets[k + 1]) {
                extra[target[k]].append((other.postings[i] + UInt32(placeOffset), other.postingInfo[i]))
            }
        }
        merged.keyBytes = keyBytes
        merged.keyOffsets = keyOffsets
        for k in newKeys {
            merged.keyBytes.append(contentsOf: other.key(k))
            merged.keyOffsets.append(UInt32(merged.keyBytes.count))
        }
        merged.postings.reserveCapacity(postings.count + other.postings.count)
        merged.postingInfo.reserveCapacity(postings.count + other.postings.count)
        for k in 0..<merged.keyCount {
            if k < keyCount {
                merged.postings.append(contentsOf: postings[Int(postingOffsets[k])..<Int(postingOffsets[k + 1])])
                merged.postingInfo.append(contentsOf: postingInfo[Int(postingOffsets[k])..<Int(postingOffsets[k + 1])])
            }
            for (p, info) in extra[k] {
                merged.postings.append(p)
                merged.postingInfo.append(info)
            }
            merged.postingOffsets.append(UInt32(merged.postings.count))
        }
        merged.buildHashTable()
        // Trigram lists stay sorted by key: the new keys' indices are above all existing ones.
        var pairs: [UInt64] = []
        var codes: [UInt32] = []
        for (n, k) in newKeys.enumerated() {
            let bytes = other.key(k)
            guard !bytes.contains(where: { $0 >= 0x80 }) else { continue }
            Self.trigrams(of: bytes, into: &codes)
            for c in codes { pairs.append(UInt64(c) << 32 | UInt64(keyCount + n)) }
        }
        pairs.sort()
        var j = 0
        var t = 0
        while t < trigramCodes.count || j < pairs.count {
            let oldCode = t < trigramCodes.count ? trigramCodes[t] : UInt32.max
            let newCode = j < pairs.count ? UInt32(pairs[j] >> 32) : UInt32.max
            let code = min(oldCode, newCode)
            if oldCode == code {
                merged.trigramKeys.append(contentsOf: trigramKeys[Int(trigramOffsets[t])..<Int(trigramOffsets[t + 1])])
                t += 1
            }
            while j < pairs.count, UInt32(pairs[j] >> 32) == code {
                merged.trigramKeys.append(UInt32(truncatingIfNeeded: pairs[j]))
                j += 1
            }
            merged.trigramCodes.append(code)
            merged.trigramOffsets.append(UInt32(merged.trigramKeys.count))
        }
        return merged
    }

    /// This index with each posting's place renumbered by `map` (old place index → new one) and
    /// the postings of places mapped to nil dropped, with any key left without places. Works on
    /// the flat arrays like `appending`: a large index takes in a small one without folding its
    /// names again.
    func remappingPlaces(_ map: [UInt32?]) -> NameIndex {
        var out = NameIndex()
        var keyMap = [UInt32?](repeating: nil, count: keyCount)
        out.postings.reserveCapacity(postings.count)
        out.postingInfo.reserveCapacity(postings.count)
        out.keyBytes.reserveCapacity(keyBytes.count)
        for k in 0..<keyCount {
            let start = out.postings.count
            for i in Int(postingOffsets[k])..<Int(postingOffsets[k + 1]) {
                guard let p = map[Int(postings[i])] else { continue }
                out.postings.append(p)
                out.postingInfo.append(postingInfo[i])
            }
            guard out.postings.count > start else { continue }
            keyMap[k] = UInt32(out.keyCount)
            out.keyBytes.append(contentsOf: key(k))
            out.keyOffsets.append(UInt32(out.keyBytes.count))
            out.postingOffsets.append(UInt32(out.postings.count))
        }
        guard out.keyCount < keyCount else {
            out.hashSlots = hashSlots
            out.trigramCodes = trigramCodes
            out.trigramOffsets = trigramOffsets
            out.trigramKeys = trigramKeys
            return out
        }
        out.buildHashTable()
        // The same trigram lists with the keys renumbered; the renumbering keeps their order.
        out.trigramKeys.reserveCapacity(trigramKeys.count)
        for t in 0..<trigramCodes.count {
            let start = out.trigramKeys.count
            for i in Int(trigramOffsets[t])..<Int(trigramOffsets[t + 1]) {
                if let k = keyMap[Int(trigramKeys[i])] { out.trigramKeys.append(k) }
            }
            guard out.trigramKeys.count > start else { continue }
            out.trigramCodes.append(trigramCodes[t])
            out.trigramOffsets.append(UInt32(out.trigramKeys.count))
        }
        return out
    }

    // MARK: Access

    func key(_ k: Int) -> ArraySlice<UInt8> { keyBytes[Int(keyOffsets[k])..<Int(keyOffsets[k + 1])] }

    func keyString(_ k: Int) -> String { String(decoding: key(k), as: UTF8.self) }

    func postings(ofKey k: Int) -> [Posting] {
        (Int(postingOffsets[k])..<Int(postingOffsets[k + 1])).map { i in
            Posting(place: Int(postings[i]), kind: MatchKind(rawValue: Int(postingInfo[i] >> 14))!,
                    nameOrdinal: Int(postingInfo[i] & 0x3FFF))
        }
    }

    /// The index of `key`, or nil when no name folds to it.
    func lookup(_ key: String) -> Int? { lookup(bytes: Array(key.utf8)) }

    func lookup(bytes: [UInt8]) -> Int? {
        guard !hashSlots.isEmpty, !bytes.isEmpty else { return nil }
        let mask = hashSlots.count - 1
        var slot = Int(truncatingIfNeeded: hash(bytes[...])) & mask
        while true {
            let v = hashSlots[slot]
            if v == 0 { return nil }
            if self.key(Int(v - 1)).elementsEqual(bytes) { return Int(v - 1) }
            slot = (slot + 1) & mask
        }
    }

    private func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h ^ (h >> 29)
    }

    /// Unique trigram codes of "  key " (two spaces before, one after, as in PostgreSQL's
    /// pg_trgm, so that short names and word starts carry weight).
    static func trigrams(of key: some Collection<UInt8>, into codes: inout [UInt32]) {
        codes.removeAll(keepingCapacity: true)
        var a: UInt32 = 0x20, b: UInt32 = 0x20
        for c in key {
            let code = a << 16 | b << 8 | UInt32(c)
            if !codes.contains(code) { codes.append(code) }
            a = b; b = UInt32(c)
        }
        let last = a << 16 | b << 8 | 0x20
        if !codes.contains(last) { codes.append(last) }
    }

    // MARK: Fuzzy search

    struct FuzzyHit {
        var key: Int
        var distance: Int
        var similarity: Double
    }

    /// Keys within `maxEdits` edits of `query` (transpositions count one), fewest edits first,
    /// at most `limit`. Complete for one edit, and for more whenever the query has more than 4k
    /// trigrams (see the filter below); beyond 400 trigram candidates, those sharing most win.
    func fuzzy(_ query: String, maxEdits: Int, limit: Int, scratch: FuzzyScratch) -> [FuzzyHit] {
        let q = Array(query.utf8)
        guard !q.isEmpty, !trigramCodes.isEmpty else { return [] }
        scratch.prepare(keyCount: keyCount)
        // Work on local arrays moved out of the scratch object: element access through a class
        // property costs a dynamic exclusivity check each time, which dominated the lookup.
        var codes: [UInt32] = [], counts: [UInt16] = [], touched: [UInt32] = []
        swap(&codes, &scratch.codes)
        swap(&counts, &scratch.counts)
        swap(&touched, &scratch.touched)
        defer {
            swap(&codes, &scratch.codes)
            swap(&counts, &scratch.counts)
            swap(&touched, &scratch.touched)
        }
        Self.trigrams(of: q, into: &codes)
        // An edit changes at most 3 trigrams, a transposition 4: a key within k edits shares at
        // least n − 4k of the query's n trigrams. Where that bound is < 1 the index guarantees
        // nothing: one edit then scans every key of a near length (short queries only); more
        // edits settle for keys sharing one trigram (best effort: short names, two typos).
        let guaranteed = codes.count - 4 * maxEdits
        if guaranteed < 1 && maxEdits == 1 {
            return scanAll(q, maxEdits: maxEdits, limit: limit, rows: &scratch.rows)
        }
        let minShared = max(1, guaranteed)
        // Prefix filtering: a key sharing ≥ minShared of the query's n trigrams is in at least
        // one of any n − minShared + 1 of their lists, so only the rarest lists are scanned and
        // the frequent ones ("  k", "ou ") are probed by binary search for those candidates.
        var lists: [Range<Int>] = codes.map { code in
            guard let t = findTrigram(code) else { return 0..<0 }
            return Int(trigramOffsets[t])..<Int(trigramOffsets[t + 1])
        }
        lists.sort { $0.count < $1.count }
        let scanned = min(lists.count, codes.count - minShared + 1)
        var candidates: [(key: Int, shared: Int)] = []
        trigramKeys.withUnsafeBufferPointer { trigramKeys in
            counts.withUnsafeMutableBufferPointer { counts in
                for list in lists[..<scanned] {
                    for i in list {
                        let k = Int(trigramKeys[i])
                        if counts[k] == 0 { touched.append(UInt32(k)) }
                        counts[k] &+= 1
                    }
                }
                for k32 in touched {
                    let k = Int(k32)
                    var shared = Int(counts[k])
                    counts[k] = 0
                    let length = Int(keyOffsets[k + 1] - keyOffsets[k])
                    guard abs(length - q.count) <= maxEdits else { continue }
                    var remaining = lists.count - scanned
                    for list in lists[scanned...] {
                        if shared + remaining < minShared { break }
                        if Self.contains(trigramKeys, list, k32) { shared += 1 }
                        remaining -= 1
                    }
                    if shared >= minShared { candidates.append((k, shared)) }
                }
            }
        }
        touched.removeAll(keepingCapacity: true)
        // Verify the best-sharing candidates first; past a few hundred the rest cannot beat them
        // in practice and verifying them all would cost more than the whole lookup budget.
        if candidates.count > 400 {
            candidates.sort { $0.shared > $1.shared || ($0.shared == $1.shared && $0.key < $1.key) }
            candidates.removeLast(candidates.count - 400)
        }
        var rows: [Int] = []
        swap(&rows, &scratch.rows)
        defer { swap(&rows, &scratch.rows) }
        return verify(q, candidates.lazy.map(\.key), maxEdits: maxEdits, limit: limit, rows: &rows)
    }

    /// Every key of a length within `maxEdits` of the query's, checked one by one.
    private func scanAll(_ q: [UInt8], maxEdits: Int, limit: Int, rows: inout [Int]) -> [FuzzyHit] {
        let near = (0..<keyCount).lazy.filter { k in
            abs(Int(keyOffsets[k + 1] - keyOffsets[k]) - q.count) <= maxEdits && !key(k).contains { $0 >= 0x80 }
        }
        return verify(q, near, maxEdits: maxEdits, limit: limit, rows: &rows)
    }

    private func verify(_ q: [UInt8], _ keys: some Sequence<Int>, maxEdits: Int, limit: Int, rows: inout [Int]) -> [FuzzyHit] {
        var hits: [FuzzyHit] = []
        keyBytes.withUnsafeBufferPointer { bytes in
            for k in keys {
                let start = Int(keyOffsets[k]), end = Int(keyOffsets[k + 1])
                let d = EditDistance.osa(q, UnsafeBufferPointer(rebasing: bytes[start..<end]), cutoff: maxEdits, rows: &rows)
                guard d <= maxEdits else { continue }
                hits.append(FuzzyHit(key: k, distance: d, similarity: 1 - Double(d) / Double(max(q.count, end - start))))
            }
        }
        hits.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.key < $1.key) }
        if hits.count > limit { hits.removeLast(hits.count - limit) }
        return hits
    }

    /// Whether the sorted posting slice `list` holds `key`.
    private static func contains(_ keys: UnsafeBufferPointer<UInt32>, _ list: Range<Int>, _ key: UInt32) -> Bool {
        var lo = list.lowerBound, hi = list.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            if keys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < list.upperBound && keys[lo] == key
    }

    private func findTrigram(_ code: UInt32) -> Int? {
        var lo = 0, hi = trigramCodes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if trigramCodes[mid] < code { lo = mid + 1 } else { hi = mid }
        }
        return lo < trigramCodes.count && trigramCodes[lo] == code ? lo : nil
    }
}

/// Per-lookup working memory for fuzzy search, pooled so concurrent lookups on a shared
/// gazetteer neither allocate a key-sized counter array each time nor share one.
final class FuzzyScratch {
    var counts: [UInt16] = []
    var touched: [UInt32] = []
    var codes: [UInt32] = []
    var rows: [Int] = []

    func prepare(keyCount: Int) {
        if counts.count < keyCount { counts = [UInt16](repeating: 0, count: keyCount) }
    }
}

final class FuzzyScratchPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [FuzzyScratch] = []

    func withScratch<T>(_ body: (FuzzyScratch) -> T) -> T {
        lock.lock()
        let scratch = free.popLast() ?? FuzzyScratch()
        lock.unlock()
        defer {
            lock.lock()
            free.append(scratch)
            lock.unlock()
        }
        return body(scratch)
    }
}

enum EditDistance {
    /// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), or
    /// `cutoff + 1` as soon as the distance must exceed `cutoff`.
    static func osa(_ a: [UInt8], _ b: some Collection<UInt8>, cutoff: Int, scratch: FuzzyScratch) -> Int {
        let b = Array(b)
        return b.withUnsafeBufferPointer { osa(a, $0, cutoff: cutoff, rows: &scratch.rows) }
    }

    /// The same, with `rows` as reusable working memory.
    static func osa(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>, cutoff: Int, rows: inout [Int]) -> Int {
        let n = a.count, m = b.count
        if abs(n - m) > cutoff { return cutoff + 1 }
        if n == 0 || m == 0 { return max(n, m) }
        let width = m + 1
        if rows.count < 3 * width { rows = [Int](repeating: 0, count: 3 * width) }
        return rows.withUnsafeMutableBufferPointer { rows -> Int in
            // Three rolling rows: i−2 (for transpositions), i−1 and i.
            var prev2 = 0, prev = width, cur = 2 * width
            for j in 0...m { rows[prev + j] = j }
            for i in 1...n {
                rows[cur] = i
                var rowMin = i
                for j in 1...m {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    var v = min(rows[prev + j] + 1, rows[cur + j - 1] + 1, rows[prev + j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                        v = min(v, rows[prev2 + j - 2] + 1)
                    }
                    rows[cur + j] = v
                    rowMin = min(rowMin, v)
                }
                if rowMin > cutoff { return cutoff + 1 }
                (prev2, prev, cur) = (prev, cur, prev2)
            }
            return rows[prev + m]
        }
    }
}
