import Foundation
@testable import RegionRisk

/// Great-circle distance for test assertions, written independently of the library's haversine:
/// the spherical law of cosines (fine at the ≥ 100 m scales tested here).
func referenceDistanceKm(_ a: LonLat, _ b: LonLat) -> Double {
    let r = Double.pi / 180
    let c = sin(a.lat * r) * sin(b.lat * r) + cos(a.lat * r) * cos(b.lat * r) * cos((b.lon - a.lon) * r)
    return 6371.0088 * acos(min(1, max(-1, c)))
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
