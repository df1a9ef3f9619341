import Foundation
import RegionRiskGeodata
import RegionRiskBase

/// An offline gazetteer: places with a name index for geocoding, free-text mention search and
/// nearest-place queries. Immutable after loading, so one instance can be shared by threads.
///
/// Sources: the embedded Mali default (`embeddedMali()`), a GeoNames country dump
/// (`load(geonamesDump:cacheDirectory:)`), dumps imported earlier (`loadImported(_:)`), or any
/// combination (`adding(_:)`: the added gazetteer's places replace those with the same geonameid).
public final class Gazetteer: Sendable {
    /// All places, in source order.
    public let places: [Place]
    /// Where the places came from ("geonames-ML-compact", "geonames:ML.txt"…), in order.
    public let sources: [String]
    /// What happened with the binary cache when this gazetteer was loaded.
    public let cacheStatus: CacheStatus

    let index: NameIndex
    let regions: RegionTable
    let placeIndexByID: [Int: Int]
    /// The populated places by latitude, for `places(near:)`.
    let populatedByLatitude: LatitudeIndex
    let scratchPool = FuzzyScratchPool()
    /// Folded names of the world's countries, capitals and continents that `mentions(inText:)`
    /// skips: those outside this gazetteer's countries, and every country. Built once here, not
    /// per text (it was a pass over all places per call).
    let foreignMentionNames: Set<String>

    /// The outcome of looking for a dump's binary cache.
    public enum CacheStatus: Sendable, Equatable {
        /// No cache involved (embedded data, in-memory places, no cache directory given).
        case notUsed
        /// Loaded from the cache at `path`.
        case loaded(path: String)
        /// The dump was parsed and its cache written to `path` for the next run.
        case created(path: String)
        /// The dump was parsed but the cache could not be written (the gazetteer is complete; only
        /// the next load will be slow).
        case unwritable(path: String, reason: String)
    }

    /// A gazetteer of `places`. When two share a geonameid the later one wins.
    public convenience init(places: [Place]) {
        var seen: [Int: Int] = [:]
        var unique: [Place] = []
        unique.reserveCapacity(places.count)
        for p in places {
            if let i = seen[p.geonameID] { unique[i] = p } else {
                seen[p.geonameID] = unique.count
                unique.append(p)
            }
        }
        self.init(places: unique, index: NameIndex(places: unique), cacheStatus: .notUsed)
    }

    init(places: [Place], index: NameIndex, cacheStatus: CacheStatus) {
        self.places = places
        self.index = index
        self.cacheStatus = cacheStatus
        var ids: [Int: Int] = [:]
        ids.reserveCapacity(places.count)
        var sources: [String] = []
        var countries = Set<String>()
        for (i, p) in places.enumerated() {
            ids[p.geonameID] = i
            if sources.last != p.source, !sources.contains(p.source) { sources.append(p.source) }
            countries.insert(p.countryCode)
        }
        foreignMentionNames = Set(WorldNames.all.filter { !countries.contains($0.country) || $0.kind == .country }.map(\.folded))
        placeIndexByID = ids
        self.sources = sources
        regions = RegionTable(places: places)
        populatedByLatitude = LatitudeIndex(places: places)
    }

    /// The place with GeoNames id `id`, if present.
    public func place(geonameID id: Int) -> Place? { placeIndexByID[id].map { places[$0] } }

    /// This gazetteer with `other`'s places added; places of `other` replace those with the same
    /// geonameid (a full GeoNames dump thus supersedes the embedded subset). The result lists
    /// `other`'s places first, then the rest of this one's.
    public func adding(_ other: Gazetteer) -> Gazetteer {
        let leftovers = places.filter { other.placeIndexByID[$0.geonameID] == nil }
        if leftovers.isEmpty { return Gazetteer(places: other.places, index: other.index, cacheStatus: .notUsed) }
        // Extend the larger of the two ready-built indexes rather than re-folding its names: a
        // full dump added to the embedded places, or a small import added to them (this
        // gazetteer's places renumbered to follow other's).
        if other.places.count < leftovers.count {
            var map = [UInt32?](repeating: nil, count: places.count)
            var next = UInt32(other.places.count)
            for (i, p) in places.enumerated() where other.placeIndexByID[p.geonameID] == nil {
                map[i] = next
                next += 1
            }
            return Gazetteer(places: other.places + leftovers,
                             index: index.remappingPlaces(map).appending(other.index, placeOffset: 0), cacheStatus: .notUsed)
        }
        let index = other.index.appending(NameIndex(places: leftovers), placeOffset: other.places.count)
        return Gazetteer(places: other.places + leftovers, index: index, cacheStatus: .notUsed)
    }

    // MARK: Embedded default

    private static let embedded: Result<Gazetteer, Error> = Result { try loadEmbeddedMali(cacheDirectory: cacheDirectory()) }

    /// Loads the embedded Mali gazetteer afresh (`embeddedMali()` loads it once per process):
    /// through a binary cache in `cacheDirectory`, or parsed and indexed when that is nil.
    /// Indexing 18k places takes a few hundred milliseconds; the cache reloads them in a few,
    /// and a cache that cannot be written only costs the next run that time again.
    public static func loadEmbeddedMali(cacheDirectory: URL?) throws -> Gazetteer {
        let url = try EmbeddedGeodata.url("gazetteer/ML-gazetteer.tsv")
        return try loadCached(url, cacheDirectory: cacheDirectory) { try CompactGazetteerFile.read(url, source: embeddedSource) }
    }

    /// Where caches go: `$REGIONRISK_DATA_DIR/cache` when that is set (tests, sandboxes), else
    /// `$XDG_CACHE_HOME/regionrisk`, else `~/.cache/regionrisk`.
    public static func cacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let dir = environment["REGIONRISK_DATA_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true).appendingPathComponent("cache", isDirectory: true)
        }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("regionrisk", isDirectory: true)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache/regionrisk", isDirectory: true)
    }

    /// `Place.source` of the embedded places.
    public static let embeddedSource = "geonames-ML-compact"

    /// The embedded Mali gazetteer: every populated place of the GeoNames Mali dump and the
    /// camps, wells, localities and areas reports name (18,146 places), with alternate names,
    /// admin-1 derived from each point and its cercle (see Geodata/SOURCES.md). Loaded once.
    public static func embeddedMali() throws -> Gazetteer { try embedded.get() }

    /// Places named in the July 2025 reporting on western Mali (Sandaré, Gogui, Dioura, Diboli,
    /// Diallassagou, Dianwéli): worth naming before equally unpopulated hamlets.
    static let reportedPlaceIDs: Set<Int> = [2451711, 2457077, 2458636, 2458925, 2459040, 6874959]

    /// GeoNames ids of the embedded places worth naming before others of equal population: towns
    /// of at least 500 inhabitants, seats of administrative divisions and the places of the
    /// July 2025 reporting.
    public static func notableMaliPlaceIDs() throws -> Set<Int> {
        Set(try embeddedMali().places.filter { p in
            p.isPopulatedPlace && (p.population >= 500 || p.featureRank >= 0.6 || reportedPlaceIDs.contains(p.geonameID))
        }.map(\.geonameID))
    }

    // MARK: GeoNames dumps

    /// Reads a GeoNames country dump (`ML.txt`), using a binary cache in `cacheDirectory` when
    /// one is given: the first load writes it, later loads of the unchanged file read it.
    public static func load(geonamesDump url: URL, cacheDirectory: URL?) throws -> Gazetteer {
        try loadCached(url, cacheDirectory: cacheDirectory) { try readDerivingAdmin(url) }
    }

    /// The places `read` makes of `url`, through a binary cache in `cacheDirectory` keyed by
    /// the file's path, size and modification time.
    static func loadCached(_ url: URL, cacheDirectory: URL?, read: () throws -> [Place]) throws -> Gazetteer {
        let fingerprint = try GazetteerCache.Fingerprint(of: url)
        guard let cacheDirectory else { return Gazetteer(places: try read()) }
        let cacheURL = cacheDirectory.appendingPathComponent(cacheFileName(for: url))
        if let cached = try? GazetteerCache.read(cacheURL, expected: fingerprint) {
            return Gazetteer(places: cached.places, index: cached.index, cacheStatus: .loaded(path: cacheURL.path))
        }
        let fresh = Gazetteer(places: try read())
        let status: CacheStatus
        do {
            try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
            try AtomicFile.write(fresh.cacheData(fingerprint: fingerprint), to: cacheURL)
            status = .created(path: cacheURL.path)
        } catch {
            status = .unwritable(path: cacheURL.path, reason: error.localizedDescription)
        }
        return Gazetteer(places: fresh.places, index: fresh.index, cacheStatus: status)
    }

    /// A dump's places, with the region and cercle of each Malian place derived from its point
    /// (via the embedded gazetteer; see `AdminDerivation`).
    static func readDerivingAdmin(_ url: URL) throws -> [Place] {
        AdminDerivation.derive(try GeoNamesDump.read(url), from: (try? embeddedMali())?.places ?? [])
    }

    /// Imports a dump for good: writes `<directory>/<name>.rrgaz` (e.g. ML.rrgaz for ML.txt),
    /// which `loadImported` and `standard(dataDirectory:)` read without the original file.
    @discardableResult
    public static func importDump(_ url: URL, into directory: URL) throws -> (gazetteer: Gazetteer, file: URL) {
        let fingerprint = try GazetteerCache.Fingerprint(of: url)
        let gazetteer = Gazetteer(places: try readDerivingAdmin(url))
        let name = url.deletingPathExtension().lastPathComponent
        let target = directory.appendingPathComponent("\(name).\(importedExtension)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: directory.path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
        try AtomicFile.write(gazetteer.cacheData(fingerprint: fingerprint), to: target)
        return (Gazetteer(places: gazetteer.places, index: gazetteer.index, cacheStatus: .created(path: target.path)), target)
    }

    /// RegionRisk's own data folder: `$REGIONRISK_DATA_DIR`, else `$XDG_DATA_HOME/regionrisk`,
    /// else `~/.local/share/regionrisk`. Imported gazetteers live in its `gazetteers/`, dump
    /// caches in its `cache/`.
    public static func dataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let dir = environment["REGIONRISK_DATA_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir, isDirectory: true) }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("regionrisk", isDirectory: true)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".local/share/regionrisk", isDirectory: true)
    }

    /// File extension of imported gazetteers.
    public static let importedExtension = "rrgaz"

    /// Reads a gazetteer written by `importDump`.
    public static func loadImported(_ url: URL) throws -> Gazetteer {
        let contents: GazetteerCache.Contents?
        do { contents = try GazetteerCache.read(url, expected: nil) } catch {
            throw GazetteerError.unreadable(path: url.path, reason: "damaged; import the GeoNames dump again")
        }
        guard let contents else {
            throw GazetteerError.unreadable(
                path: url.path,
                reason: "not a gazetteer imported by this version of regionrisk; import the GeoNames dump again")
        }
        return Gazetteer(places: contents.places, index: contents.index, cacheStatus: .loaded(path: url.path))
    }

    /// The embedded Mali gazetteer plus every gazetteer imported into `directory` (in file-name
    /// order; imported places replace embedded ones with the same geonameid).
    public static func standard(importedIn directory: URL?) throws -> Gazetteer {
        var gazetteer = try embeddedMali()
        for file in importedFiles(in: directory) { gazetteer = gazetteer.adding(try loadImported(file)) }
        return gazetteer
    }

    /// Imported gazetteer files in `directory`, sorted by name.
    public static func importedFiles(in directory: URL?) -> [URL] {
        guard let directory,
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.filter { $0.hasSuffix(".\(importedExtension)") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }

    func cacheData(fingerprint: GazetteerCache.Fingerprint) -> Data {
        GazetteerCache.encode(.init(fingerprint: fingerprint, places: places, index: index))
    }

    /// One cache file per dump path, so two different `ML.txt` files do not evict each other.
    static func cacheFileName(for url: URL) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in url.standardizedFileURL.path.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let hex = String(h, radix: 16)
        return "\(url.deletingPathExtension().lastPathComponent)-\(String(repeating: "0", count: 16 - hex.count))\(hex).\(importedExtension)"
    }

    // MARK: Nearby places

    /// Populated places (class P) within `withinKm` kilometres of `point`, nearest first (or most
    /// populous first with `ordering: .population`), at most `limit`. Great-circle distances on a
    /// sphere of radius 6371.0088 km (haversine): at most 0.5% off the ellipsoid, plenty for naming.
    public func places(near point: LonLat, withinKm radiusKm: Double, limit: Int,
                       ordering: PlaceOrdering = .distance) -> [Place] {
        guard limit > 0, radiusKm >= 0, point.lat.isFinite, point.lon.isFinite else { return [] }
        var found: [(index: Int, km: Double)] = []
        populatedByLatitude.forEach(within: radiusKm, ofLatitude: point.lat) { i, location in
            let d = GreatCircle.distanceKm(point, location)
            if d <= radiusKm { found.append((i, d)) }
        }
        sort(&found, ordering)
        return found.prefix(limit).map { places[$0.index] }
    }

    /// The `limit` populated places nearest to `point` with at least `minPopulation` inhabitants,
    /// nearest first.
    ///
    /// Keeps only the best `limit` (distance, geonameid) so far, and skips a place without computing
    /// its distance when its latitude alone puts it beyond the worst of a full list (a great-circle
    /// distance is at least R·|Δφ|): the same places in the same order as sorting them all, in a
    /// fraction of the time (naming hundreds of regions called this once each).
    public func nearestPlaces(to point: LonLat, limit: Int, minPopulation: Int = 0) -> [Place] {
        guard limit > 0, point.lat.isFinite, point.lon.isFinite else { return [] }
        var best: [(km: Double, id: Int, index: Int)] = []
        best.reserveCapacity(limit + 1)
        let kmPerDegree = GreatCircle.earthRadiusKm * Double.pi / 180
        for i in places.indices {
            let p = places[i]
            guard p.isPopulatedPlace, p.population >= minPopulation else { continue }
            if best.count == limit, abs(p.location.lat - point.lat) * kmPerDegree > best[limit - 1].km * (1 + 1e-9) + 1e-9 { continue }
            let km = GreatCircle.distanceKm(point, p.location)
            if best.count == limit {
                guard (km, p.geonameID) < (best[limit - 1].km, best[limit - 1].id) else { continue }
                best.removeLast()
            }
            // After any equal key, as a stable sort keeps them.
            let at = best.firstIndex { (km, p.geonameID) < ($0.km, $0.id) } ?? best.count
            best.insert((km, p.geonameID, i), at: at)
        }
        return best.map { places[$0.index] }
    }

    /// Order of `places(near:withinKm:limit:ordering:)`.
    public enum PlaceOrdering: Sendable {
        case distance, population
    }

    private func sort(_ found: inout [(index: Int, km: Double)], _ ordering: PlaceOrdering) {
        switch ordering {
        case .distance:
            found.sort { ($0.km, places[$0.index].geonameID) < ($1.km, places[$1.index].geonameID) }
        case .population:
            found.sort { a, b in
                let pa = places[a.index].population, pb = places[b.index].population
                return pa != pb ? pa > pb : (a.km, places[a.index].geonameID) < (b.km, places[b.index].geonameID)
            }
        }
    }
}

/// Populated places sorted by latitude in flat arrays: a radius query visits only the band of
/// latitudes that can hold a place within the radius, since a great-circle distance is at least
/// R·|Δφ|, without copying a `Place`.
struct LatitudeIndex: Sendable {
    /// Latitudes ascending, degrees; `order[k]` is the index in the gazetteer's places of the
    /// place at `locations[k]`.
    private let latitudes: [Double]
    private let locations: [LonLat]
    private let order: [Int]

    init(places: [Place]) {
        let sorted = places.indices.filter { places[$0].isPopulatedPlace && places[$0].location.lat.isFinite }
            .sorted { (places[$0].location.lat, $0) < (places[$1].location.lat, $1) }
        order = sorted
        locations = sorted.map { places[$0].location }
        latitudes = locations.map(\.lat)
    }

    /// Calls `body` with the index and location of every populated place whose latitude lies
    /// within `radiusKm` of `latitude` along a meridian (with a margin of 10⁻⁹ for rounding),
    /// in latitude order (callers sort by a total order: distance, then the unique geonameid).
    func forEach(within radiusKm: Double, ofLatitude latitude: Double, _ body: (Int, LonLat) -> Void) {
        let kmPerDegree = GreatCircle.earthRadiusKm * Double.pi / 180
        let band = radiusKm / kmPerDegree * (1 + 1e-9) + 1e-9
        var lo = 0, hi = latitudes.count
        let south = latitude - band, north = latitude + band
        while lo < hi {
            let mid = (lo + hi) / 2
            if latitudes[mid] < south { lo = mid + 1 } else { hi = mid }
        }
        var k = lo
        while k < latitudes.count, latitudes[k] <= north {
            body(order[k], locations[k])
            k += 1
        }
    }
}

/// Great-circle distance on the mean Earth sphere.
package enum GreatCircle {
    /// Mean Earth radius (IUGG), km.
    static let earthRadiusKm = 6371.0088

    /// Haversine distance between two (lon, lat) points, km.
    package static func distanceKm(_ a: LonLat, _ b: LonLat) -> Double {
        let rad = Double.pi / 180
        let dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.lat * rad) * cos(b.lat * rad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * earthRadiusKm * asin(min(1, sqrt(h)))
    }
}
