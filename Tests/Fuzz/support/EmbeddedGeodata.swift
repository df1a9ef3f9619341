import Foundation

/// Stand-in for the RegionRiskGeodata module in fuzz builds (no SwiftPM resource bundle there):
/// the same API, reading the repository's Geodata/mali folder, whose path fuzz.sh passes in
/// REGIONRISK_FUZZ_GEODATA.
public enum EmbeddedGeodata {
    public static var maliDirectory: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.environment["REGIONRISK_FUZZ_GEODATA"] ?? "Geodata/mali", isDirectory: true)
    }

    public static func url(_ relativePath: String) -> URL { maliDirectory.appendingPathComponent(relativePath) }
}
