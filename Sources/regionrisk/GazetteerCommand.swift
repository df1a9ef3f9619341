import ArgumentParser
import Foundation
import RegionRisk

struct GazetteerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gazetteer",
        abstract: "Manage gazetteers: import or download GeoNames country dumps, list what is used.",
        subcommands: [Import.self, Download.self, List.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a GeoNames country dump (19-column XX.txt) for all later commands.",
            discussion: """
                The dump is stored, indexed, in <data-dir>/gazetteers/XX.rrgaz and used in addition \
                to the embedded Mali data (its places replace embedded ones with the same geonameid). \
                Re-import after updating the dump; delete the .rrgaz file to stop using it.
                """)

        @Argument(help: "The dump, e.g. ML.txt from https://download.geonames.org/export/dump/.")
        var file: String

        @Option(name: .customLong("data-dir"), help: ArgumentHelp("RegionRisk's data folder.", valueName: "dir"))
        var dataDirectory: String?

        @OptionGroup var logging: LoggingOptions

        /// The result goes to stdout; the log (JSON for collectors) gets a `gazetteer_imported` line.
        static func logImported(places: Int, from source: String, into target: URL) {
            Console.run.count("places", places)
            guard Console.format == .json else { return }  // text: the stdout line says it
            Console.standard.info("imported \(places) places from \(source)", event: "gazetteer_imported",
                                  ["places": .number(places), "source": .string(source), "path": .string(target.path)])
        }

        func run() throws {
            logging.bootstrap()
            let options = try GazetteerOptions.parse(dataDirectory.map { ["--data-dir", $0] } ?? [])
            let (gazetteer, target) = try Gazetteer.importDump(URL(fileURLWithPath: file), into: options.importDirectory)
            print("imported \(gazetteer.places.count) places from \(file) into \(target.path)")
            Self.logImported(places: gazetteer.places.count, from: file, into: target)
        }
    }

    struct Download: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a country dump from GeoNames (needs internet) and import it.",
            discussion: "Data: GeoNames (https://www.geonames.org), CC BY 4.0.")

        @Argument(help: "ISO 3166-1 alpha-2 country code, e.g. ML.")
        var countryCode: String

        @Option(name: .customLong("data-dir"), help: ArgumentHelp("RegionRisk's data folder.", valueName: "dir"))
        var dataDirectory: String?

        func validate() throws {
            do { _ = try GeoNamesDownload.url(countryCode: countryCode) } catch {
                throw ValidationError("'\(countryCode)' is not a two-letter country code such as ML")
            }
        }

        @OptionGroup var logging: LoggingOptions

        func run() throws {
            logging.bootstrap()
            let options = try GazetteerOptions.parse(dataDirectory.map { ["--data-dir", $0] } ?? [])
            let downloads = options.dataDirectoryURL.appendingPathComponent("downloads", isDirectory: true)
            GazetteerOptions.warn("downloading \(try GeoNamesDownload.url(countryCode: countryCode).absoluteString) …")
            let text = try GeoNamesDownload.download(countryCode: countryCode, into: downloads)
            let (gazetteer, target) = try Gazetteer.importDump(text, into: options.importDirectory)
            print("downloaded \(text.path); imported \(gazetteer.places.count) places into \(target.path)")
            Import.logImported(places: gazetteer.places.count, from: text.path, into: target)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the gazetteers geocoding uses.")

        @OptionGroup var gazetteerOptions: GazetteerOptions

        @OptionGroup var logging: LoggingOptions

        func run() throws {
            logging.bootstrap()
            let gazetteer = try gazetteerOptions.load()
            var counts: [String: Int] = [:]
            for p in gazetteer.places { counts[p.source, default: 0] += 1 }
            print("\(gazetteer.places.count) places")
            for source in gazetteer.sources { print("  \(source): \(counts[source] ?? 0)") }
            let imported = Gazetteer.importedFiles(in: gazetteerOptions.importDirectory)
            print("imported files in \(gazetteerOptions.importDirectory.path): \(imported.isEmpty ? "none" : imported.map(\.lastPathComponent).joined(separator: ", "))")
        }
    }
}
