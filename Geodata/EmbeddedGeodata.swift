import Foundation

/// Locates the data files embedded with RegionRisk (Mali by default).
///
/// The files themselves live in `Geodata/mali/` and are rebuilt by the scripts in
/// `Geodata/scripts/`; provenance and licences are in `Geodata/SOURCES.md`.
///
/// The data folder (the one holding `mali/`) is looked for, in this order:
/// 1. `$REGIONRISK_GEODATA`, when set;
/// 2. `RegionRisk_RegionRiskGeodata.resources` beside the running binary (where `swift build`
///    puts it, for the CLI, the tests and any program built with the package);
/// 3. `../share/regionrisk` from the binary's folder (where `scripts/install.sh` puts it).
///
/// This replaces SwiftPM's `Bundle.module`, which traps when the bundle is missing, e.g. for a
/// binary copied out of the build folder.
public enum EmbeddedGeodata {
    /// The data set's folder name inside the data folder.
    public static let dataSetName = "mali"

    /// Name of the bundle SwiftPM builds for this target beside the binaries.
    static let bundleName = "RegionRisk_RegionRiskGeodata.resources"

    /// The folders tried, in order (see the type's documentation).
    public static var candidateDirectories: [URL] {
        var out: [URL] = []
        if let env = ProcessInfo.processInfo.environment["REGIONRISK_GEODATA"], !env.isEmpty {
            out.append(URL(fileURLWithPath: env, isDirectory: true))
        }
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let bin = exe.deletingLastPathComponent()
            out.append(bin.appendingPathComponent(bundleName, isDirectory: true))
            out.append(bin.deletingLastPathComponent().appendingPathComponent("share/regionrisk", isDirectory: true))
        }
        return out
    }

    /// The folder holding the embedded Mali data set; throws naming every path tried when none has it.
    public static func maliDirectory() throws -> URL {
        let tried = candidateDirectories
        for folder in tried {
            let dir = folder.appendingPathComponent(dataSetName, isDirectory: true)
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("boundary.geojson").path) { return dir }
        }
        throw EmbeddedGeodataError.notFound(tried: tried.map { $0.appendingPathComponent(dataSetName).path })
    }

    /// URL of an embedded Mali file, e.g. `url("boundary.geojson")` or `url("samples/incidents-2024-2025.csv")`.
    public static func url(_ relativePath: String) throws -> URL {
        try maliDirectory().appendingPathComponent(relativePath)
    }
}

/// The embedded data could not be found.
public enum EmbeddedGeodataError: LocalizedError, Sendable, Equatable {
    case notFound(tried: [String])

    public var errorDescription: String? {
        switch self {
        case let .notFound(tried):
            return "RegionRisk's embedded data (Mali boundary, regions, gazetteer, sample) was not found; tried: "
                + tried.joined(separator: ", ")
                + ". Install it with scripts/install.sh, or set REGIONRISK_GEODATA to the folder that holds mali/."
        }
    }
}
