import Foundation
@testable import RegionRiskBase
@testable import RegionRiskData

/// Great-circle distance for test assertions, written independently of the library's haversine:
/// the spherical law of cosines (fine at the ≥ 100 m scales tested here).
func referenceDistanceKm(_ a: LonLat, _ b: LonLat) -> Double {
    let r = Double.pi / 180
    let c = sin(a.lat * r) * sin(b.lat * r) + cos(a.lat * r) * cos(b.lat * r) * cos((b.lon - a.lon) * r)
    return 6371.0088 * acos(min(1, max(-1, c)))
}

/// The GeoNames Mali dump from `../shared`, parsed and indexed once per test process (indexing
/// 24k places takes seconds in a debug build, and several test classes use it), through a cache
/// in a folder of this process: the first load writes it (`cacheStatus` `.created`).
enum SharedDumpGazetteer {
    static let cacheDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("regionrisk-dump-cache-\(getpid())", isDirectory: true)

    private static let loaded: Result<Gazetteer, Error> = Result {
        let dump = try SharedData.url("geodata/mali/geonames-ML.txt")
        try? FileManager.default.removeItem(at: cacheDirectory)
        return try Gazetteer.load(geonamesDump: dump, cacheDirectory: cacheDirectory)
    }
    private static let added: Result<Gazetteer, Error> = Result { try Gazetteer.embeddedMali().adding(try loaded.get()) }

    /// The dump alone; XCTSkip when `../shared` is absent.
    static func dump() throws -> Gazetteer { try loaded.get() }

    /// The embedded gazetteer with the dump added, as `regionrisk gazetteer import` leaves it
    /// (`Gazetteer.standard(importedIn:)` adds the imported file's places the same way).
    static func withEmbedded() throws -> Gazetteer { try added.get() }
}

/// The synthetic gazetteer of `Fixtures/gazetteer/in/synthetic-ML.txt`.
func syntheticGazetteer() throws -> Gazetteer {
    Gazetteer(places: try GeoNamesDump.read(Fixtures.url("gazetteer/in/synthetic-ML.txt")))
}

func temporaryDirectory(_ name: String = #function) -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("regionrisk-\(name.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)", isDirectory: true)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Textbook optimal-string-alignment distance, full matrix: the reference for the filtered search.
func referenceOSA(_ a: [UInt8], _ b: [UInt8]) -> Int {
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in stride(from: 1, through: a.count, by: 1) {
        for j in stride(from: 1, through: b.count, by: 1) {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
        }
    }
    return d[a.count][b.count]
}
