import Foundation
import RegionRiskBase

/// Binary cache of an imported gazetteer: the places and the ready-built name index, so a
/// 24k-place country dump loads in milliseconds instead of being re-parsed and re-indexed.
///
/// Layout (little-endian): magic "RRGAZ", format version, the key fingerprint (see
/// `keyFingerprint`), the dump's fingerprint (size and
/// modification time, so an edited dump is re-imported), a vocabulary of short repeated strings
/// (feature codes, admin codes, sources), the places, then the index arrays as raw words.
/// The cache is private to one build of RegionRisk; anything unexpected makes `read` fail and
/// the caller rebuilds it from the dump.
enum GazetteerCache {
    static let magic: [UInt8] = Array("RRGAZ\0\0\0".utf8)
    /// Bump when the layout or the way the index is built (NameIndex) changes: caches of the
    /// old version are then rebuilt, imported files must be imported again. Changes to how
    /// names fold into keys (PlaceNameNormalizer) are caught by `keyFingerprint` as well.
    /// 3: the key fingerprint in the header.
    static let formatVersion: UInt32 = 3

    /// Names that exercise every folding rule of `PlaceNameNormalizer`: case, diacritics,
    /// West African letters, apostrophes and hyphens, particles and qualifiers, the
    /// phonetic rewrites, digits, marks and format characters.
    static let keyProbes = [
        "Ségou", "SÉGOU", "Nioro-du-Sahel", "N'Tossoni", "N’Goma Coura K23", "In-Ekar", "I-n-Ekar", "Molodo-Centre",
        "Kayes Peulh", "Foulbé Dogon", "Bambara Marka", "Bozo Maure Sonrhaï", "d'Ansongo", "L'Ouest de la Ville",
        "The Town of Gao", "Djénné", "Kouloumbo", "Dyalakoro", "Coba", "Quéréfa", "Pharaon", "Shiba", "Wabaria",
        "Tessit", "Ɲɛna", "Ŋara", "Ɔrɔ", "Ɗiré", "Ɓamba", "Ƙano", "Ƴola", "Øster Æble Œuvre", "Straße", "Đakovo",
        "Łódź", "Kırıkkale", "Þingvellir", "ʼApostrophe`Back´tick", "Kidal‐Nord", "Tim\u{AD}buktu", "Sokoura 2",
        "Tombouctou (Timbuktu)", "Ti-n-Zaouatène", "e\u{301}\u{302}", "Ⅻ ①", "Κάιρο",
    ]

    /// A digest of the keys `keys` makes of `keyProbes` (default: the keys the index is built
    /// from): a cache written by a build that folded names differently has another one, so it
    /// is rebuilt even when nobody remembered to bump `formatVersion`.
    static func keyFingerprint(keys: (String) -> [String] = indexedKeys) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for probe in keyProbes {
            for key in keys(probe) {
                for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
                h = (h ^ 0xFF) &* 0x100_0000_01b3
            }
            h = (h ^ 0xFE) &* 0x100_0000_01b3
        }
        return h
    }

    static func indexedKeys(_ name: String) -> [String] {
        let k = PlaceNameNormalizer.indexKeys(name)
        return [k.full, k.core, k.joined ?? "", PlaceNameNormalizer.phoneticKey(fullKey: k.full) ?? ""]
    }

    static let currentKeyFingerprint = keyFingerprint()

    struct Fingerprint: Equatable {
        var size: UInt64
        var modificationTime: Int64

        init(size: UInt64, modificationTime: Int64) {
            self.size = size
            self.modificationTime = modificationTime
        }

        /// Size and modification time (nanoseconds since 1970) of the file at `url`.
        init(of url: URL) throws {
            let attributes: [FileAttributeKey: Any]
            do { attributes = try FileManager.default.attributesOfItem(atPath: url.path) } catch {
                throw GazetteerError.unreadable(path: url.path, reason: error.localizedDescription)
            }
            size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
            let date = attributes[.modificationDate] as? Date ?? Date(timeIntervalSince1970: 0)
            modificationTime = Int64((date.timeIntervalSince1970 * 1e9).rounded())
        }
    }

    /// Vocabulary words stored per place: feature class, feature code, country, admin-1 code,
    /// admin-1 name, admin-2 code, source, cercle name, source admin-1 code.
    static let wordsPerPlace = 9

    struct Contents {
        var fingerprint: Fingerprint
        var places: [Place]
        var index: NameIndex
    }

    // MARK: Writing

    static func encode(_ contents: Contents) -> Data {
        var w = ByteWriter()
        w.bytes(magic)
        w.u32(formatVersion)
        w.native(0x0102_0304)  // the index arrays are stored in this machine's byte order
        w.u64(currentKeyFingerprint)
        w.u64(contents.fingerprint.size)
        w.u64(UInt64(bitPattern: contents.fingerprint.modificationTime))
        var vocabulary: [String] = []
        var vocabularyIndex: [String: UInt32] = [:]
        func word(_ s: String) -> UInt32 {
            if let i = vocabularyIndex[s] { return i }
            let i = UInt32(vocabulary.count)
            vocabulary.append(s)
            vocabularyIndex[s] = i
            return i
        }
        var placeWords: [UInt32] = []
        for p in contents.places {
            placeWords += [word(p.featureClass), word(p.featureCode), word(p.countryCode), word(p.admin1Code),
                           p.admin1Name.map { word($0) + 1 } ?? 0, word(p.admin2Code), word(p.source),
                           p.admin2Name.map { word($0) + 1 } ?? 0, word(p.sourceAdmin1Code)]
        }
        w.u32(UInt32(vocabulary.count))
        for s in vocabulary { w.string(s) }
        w.u32(UInt32(contents.places.count))
        for (i, p) in contents.places.enumerated() {
            w.u64(UInt64(bitPattern: Int64(p.geonameID)))
            w.u64(p.location.lon.bitPattern)
            w.u64(p.location.lat.bitPattern)
            w.u64(UInt64(bitPattern: Int64(p.population)))
            for j in 0..<wordsPerPlace { w.u32(placeWords[i * wordsPerPlace + j]) }
            w.string(p.name)
            w.string(p.asciiName)
            w.u32(UInt32(p.alternateNames.count))
            for a in p.alternateNames { w.string(a) }
        }
        let ix = contents.index
        w.array(ix.keyBytes)
        w.array(ix.keyOffsets)
        w.array(ix.postingOffsets)
        w.array(ix.postings)
        w.array(ix.postingInfo)
        w.array(ix.hashSlots)
        w.array(ix.trigramCodes)
        w.array(ix.trigramOffsets)
        w.array(ix.trigramKeys)
        w.bytes(Array("END!".utf8))
        return Data(w.buffer)
    }

    // MARK: Reading

    struct Corrupt: Error {}

    /// Reads a cache file; nil when it is absent, from another format version, or stale
    /// (`expected` fingerprint differs). Throws `Corrupt` when it is truncated or inconsistent.
    static func read(_ url: URL, expected: Fingerprint?) throws -> Contents? {
        guard let data = try? Data(contentsOf: url, options: .alwaysMapped) else { return nil }
        return try data.withUnsafeBytes { raw -> Contents? in
            var r = ByteReader(raw)
            guard try r.bytes(magic.count).elementsEqual(magic), try r.u32() == formatVersion,
                  try r.native() == 0x0102_0304, try r.u64() == currentKeyFingerprint else { return nil }
            let fingerprint = Fingerprint(size: try r.u64(), modificationTime: Int64(bitPattern: try r.u64()))
            if let expected, expected != fingerprint { return nil }
            let vocabularyCount = Int(try r.u32())
            var vocabulary: [String] = []
            vocabulary.reserveCapacity(vocabularyCount)
            for _ in 0..<vocabularyCount { vocabulary.append(try r.string()) }
            func word(_ i: UInt32) throws -> String {
                guard Int(i) < vocabulary.count else { throw Corrupt() }
                return vocabulary[Int(i)]
            }
            let placeCount = Int(try r.u32())
            var places: [Place] = []
            places.reserveCapacity(placeCount)
            for _ in 0..<placeCount {
                let id = Int(Int64(bitPattern: try r.u64()))
                let lon = Double(bitPattern: try r.u64())
                let lat = Double(bitPattern: try r.u64())
                let population = Int(Int64(bitPattern: try r.u64()))
                var words: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
                words.0 = try r.u32(); words.1 = try r.u32(); words.2 = try r.u32(); words.3 = try r.u32()
                words.4 = try r.u32(); words.5 = try r.u32(); words.6 = try r.u32(); words.7 = try r.u32()
                words.8 = try r.u32()
                let name = try r.string()
                let ascii = try r.string()
                let alternateCount = Int(try r.u32())
                guard alternateCount <= r.remaining else { throw Corrupt() }
                var alternates: [String] = []
                alternates.reserveCapacity(alternateCount)
                for _ in 0..<alternateCount { alternates.append(try r.string()) }
                places.append(Place(
                    geonameID: id, name: name, asciiName: ascii, alternateNames: alternates,
                    location: LonLat(lon: lon, lat: lat), featureClass: try word(words.0),
                    featureCode: try word(words.1), countryCode: try word(words.2), admin1Code: try word(words.3),
                    admin1Name: words.4 == 0 ? nil : try word(words.4 - 1), admin2Code: try word(words.5),
                    population: population, source: try word(words.6),
                    admin2Name: words.7 == 0 ? nil : try word(words.7 - 1), sourceAdmin1Code: try word(words.8)))
            }
            var ix = NameIndex()
            ix.keyBytes = try r.array()
            ix.keyOffsets = try r.array()
            ix.postingOffsets = try r.array()
            ix.postings = try r.array()
            ix.postingInfo = try r.array()
            ix.hashSlots = try r.array()
            ix.trigramCodes = try r.array()
            ix.trigramOffsets = try r.array()
            ix.trigramKeys = try r.array()
            guard try r.bytes(4).elementsEqual("END!".utf8), r.remaining == 0 else { throw Corrupt() }
            try validate(ix, placeCount: places.count)
            return Contents(fingerprint: fingerprint, places: places, index: ix)
        }
    }

    /// Bounds checks, so a damaged cache can never index out of range later.
    private static func validate(_ ix: NameIndex, placeCount: Int) throws {
        let keys = ix.keyOffsets.count - 1
        guard keys >= 0, ix.keyOffsets.first == 0, Int(ix.keyOffsets.last!) == ix.keyBytes.count,
              zip(ix.keyOffsets, ix.keyOffsets.dropFirst()).allSatisfy({ $0 <= $1 }),
              ix.postingOffsets.count == keys + 1, ix.postingOffsets.first == 0,
              Int(ix.postingOffsets.last!) == ix.postings.count, ix.postingInfo.count == ix.postings.count,
              zip(ix.postingOffsets, ix.postingOffsets.dropFirst()).allSatisfy({ $0 <= $1 }),
              ix.postings.allSatisfy({ Int($0) < placeCount }),
              ix.postingInfo.allSatisfy({ $0 >> 14 <= 3 }),
              ix.hashSlots.count.nonzeroBitCount == 1, ix.hashSlots.allSatisfy({ Int($0) <= keys }),
              ix.trigramOffsets.count == ix.trigramCodes.count + 1, ix.trigramOffsets.first == 0,
              Int(ix.trigramOffsets.last!) == ix.trigramKeys.count,
              zip(ix.trigramOffsets, ix.trigramOffsets.dropFirst()).allSatisfy({ $0 <= $1 }),
              ix.trigramKeys.allSatisfy({ Int($0) < keys })
        else { throw Corrupt() }
    }
}

private struct ByteWriter {
    var buffer: [UInt8] = []

    mutating func bytes(_ b: [UInt8]) { buffer.append(contentsOf: b) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func native(_ v: UInt32) { withUnsafeBytes(of: v) { buffer.append(contentsOf: $0) } }
    mutating func string(_ s: String) {
        u32(UInt32(s.utf8.count))
        buffer.append(contentsOf: s.utf8)
    }
    /// Element count, padding to 8 bytes, then the elements' raw bytes (native order, checked
    /// by the header's byte-order word).
    mutating func array<T: FixedWidthInteger>(_ a: [T]) {
        u64(UInt64(a.count))
        while buffer.count % 8 != 0 { buffer.append(0) }
        a.withUnsafeBytes { buffer.append(contentsOf: $0) }
    }
}

private struct ByteReader {
    let raw: UnsafeRawBufferPointer
    var offset = 0

    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

    var remaining: Int { raw.count - offset }

    mutating func bytes(_ n: Int) throws -> UnsafeRawBufferPointer {
        guard n >= 0, n <= remaining else { throw GazetteerCache.Corrupt() }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: raw[offset..<offset + n])
    }
    mutating func u32() throws -> UInt32 { UInt32(littleEndian: try bytes(4).loadUnaligned(as: UInt32.self)) }
    mutating func u64() throws -> UInt64 { UInt64(littleEndian: try bytes(8).loadUnaligned(as: UInt64.self)) }
    mutating func native() throws -> UInt32 { try bytes(4).loadUnaligned(as: UInt32.self) }
    mutating func string() throws -> String {
        let n = Int(try u32())
        return String(decoding: try bytes(n), as: UTF8.self)
    }
    mutating func array<T: FixedWidthInteger>() throws -> [T] {
        let count = try u64()
        while offset % 8 != 0 { _ = try bytes(1) }
        guard count <= UInt64(remaining / MemoryLayout<T>.stride) else { throw GazetteerCache.Corrupt() }
        let src = try bytes(Int(count) * MemoryLayout<T>.stride)
        return [T](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: src)
            initialized = Int(count)
        }
    }
}
