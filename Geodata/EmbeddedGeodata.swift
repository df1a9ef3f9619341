import Foundation

/// Locates the data files embedded with RegionRisk (Mali by default).
///
/// The files themselves live in `Geodata/mali/` and are rebuilt by the scripts in
/// `Geodata/scripts/`; provenance and licences are in `Geodata/SOURCES.md`.
public enum EmbeddedGeodata {
    /// The folder holding the embedded Mali data set.
    public static var maliDirectory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("mali", isDirectory: true)
    }

    /// Africa's outline (DCW, simplified), for continent-scale benchmarks: `Geodata/africa/outline.geojson`.
    public static var africaOutline: URL {
        Bundle.module.resourceURL!.appendingPathComponent("africa/outline.geojson")
    }

    /// URL of an embedded Mali file, e.g. `url("boundary.geojson")` or `url("samples/incidents-2024-2025.csv")`.
    public static func url(_ relativePath: String) -> URL {
        maliDirectory.appendingPathComponent(relativePath)
    }
}
