import ArgumentParser
import Foundation
import RegionRisk

/// Which gazetteer a command uses: the embedded Mali default plus imported ones, plus extra files.
struct GazetteerOptions: ParsableArguments {
    @Option(name: .customLong("gazetteer"),
            help: ArgumentHelp("A GeoNames dump (XX.txt, cached after the first load) or an imported .rrgaz file to use as well; repeatable.",
                               valueName: "file"))
    var gazetteerFiles: [String] = []

    @Flag(name: .customLong("no-embedded"),
          help: "Use only the --gazetteer files: no embedded Mali data, no imported gazetteers.")
    var noEmbedded = false

    @Option(name: .customLong("data-dir"),
            help: ArgumentHelp("RegionRisk's data folder (default $REGIONRISK_DATA_DIR, else ~/.local/share/regionrisk).",
                               valueName: "dir"))
    var dataDirectory: String?

    var dataDirectoryURL: URL { dataDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? Gazetteer.dataDirectory() }
    var importDirectory: URL { dataDirectoryURL.appendingPathComponent("gazetteers", isDirectory: true) }
    var cacheDirectory: URL { dataDirectoryURL.appendingPathComponent("cache", isDirectory: true) }

    func validate() throws {
        if noEmbedded && gazetteerFiles.isEmpty {
            throw ValidationError("--no-embedded needs at least one --gazetteer file")
        }
    }

    /// Loads the gazetteer; warnings (a cache that could not be written) go to standard error.
    func load() throws -> Gazetteer {
        var gazetteer: Gazetteer? = noEmbedded ? nil : try Gazetteer.standard(importedIn: importDirectory)
        for path in gazetteerFiles {
            let url = URL(fileURLWithPath: path)
            let extra = url.pathExtension == Gazetteer.importedExtension
                ? try Gazetteer.loadImported(url)
                : try Gazetteer.load(geonamesDump: url, cacheDirectory: cacheDirectory)
            if case let .unwritable(cachePath, reason) = extra.cacheStatus {
                Self.warn("warning: could not write the gazetteer cache \(cachePath) (\(reason)); the next run will re-read \(path)")
            }
            gazetteer = gazetteer?.adding(extra) ?? extra
        }
        return gazetteer!
    }
}

extension GazetteerOptions {
    /// Writes a line to standard error.
    static func warn(_ message: String) {
        if Console.format == .json { return Console.standard.warning(message, event: "gazetteer_warning") }
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
