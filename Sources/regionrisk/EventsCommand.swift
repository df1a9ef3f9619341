import ArgumentParser
import Foundation
import Logging
import RegionRisk
import RegionRiskPostgres

extension IncidentExportFormat: ExpressibleByArgument {}

/// `regionrisk events`: exports stored incidents.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Export stored incidents as CSV or GeoJSON, one row or point per event.",
        discussion: "The CSV reads back with `regionrisk ingest` as a plain CSV; both carry each event's provenance (file, SHA-256, line, ingest time).")

    @Option(help: ArgumentHelp(
        "Incident store: a SQLite path, or postgresql://user@host:port/dbname (default: $REGIONRISK_DB, else $XDG_DATA_HOME/regionrisk/incidents.sqlite, else ~/.local/share/regionrisk/incidents.sqlite).",
        valueName: "path-or-url"))
    var db: String?

    @Option(help: "csv or geojson.")
    var format: IncidentExportFormat = .csv

    @Option(help: ArgumentHelp("First day included (2025-07-01, today or yesterday, UTC).", valueName: "date")) var since: String?
    @Option(help: ArgumentHelp("Last day included.", valueName: "date")) var until: String?
    // .unconditional: a west edge such as -12.3 would otherwise be taken for an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Longitude/latitude box in degrees: west,south,east,north.", valueName: "w,s,e,n"))
    var bbox: String?
    @Option(help: "Region, as the report names it (from the region polygons, not the file's text; case, accents and aliases such as Timbuktu = Tombouctou ignored).")
    var admin1: String?
    @Option(help: ArgumentHelp("Region polygons for --admin1, GeoJSON with a `name` property (default: Mali's, embedded).", valueName: "file"))
    var regions: String?
    @Option(name: .customLong("type"), help: "Event type (case-insensitive).") var eventType: String?
    @Option(help: "Source (acled, ucdp, csv, geojson, or a name given at ingest).") var source: String?
    @Option(help: ArgumentHelp("Output file (default: standard output).", valueName: "path")) var out: String?

    func validate() throws {
        try DateOption.validate(since, option: "--since")
        try DateOption.validate(until, option: "--until")
        if let s = since.flatMap(DateOption.parse), let u = until.flatMap(DateOption.parse), s > u {
            throw ValidationError("--since \(s) is after --until \(u)")
        }
        if let bbox, IncidentQuery.BoundingBox(parsing: bbox) == nil {
            throw ValidationError("--bbox \(bbox) is not west,south,east,north in degrees (e.g. -12.3,10.1,4.3,25.0)")
        }
    }

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        let query = IncidentQuery(
            since: since.flatMap(DateOption.parse), until: until.flatMap(DateOption.parse),
            bbox: bbox.flatMap(IncidentQuery.BoundingBox.init(parsing:)), eventType: eventType, source: source)
        let inRegion = try admin1.map(regionFilter)
        let store = try IncidentStores.open(db ?? IncidentStores.defaultLocation(), create: false, readOnly: true)
        let n: Int
        if let out {
            let file = try StreamingAtomicFile(url: URL(fileURLWithPath: out))
            n = try store.export(query, format: format, including: inRegion) { try file.write($0) }
            try file.commit()
        } else {
            let stdout = BufferedStandardOutput()
            n = try store.export(query, format: format, including: inRegion) { stdout.write($0) }
            stdout.flush()
        }
        Console.run.count("events_exported", n)
        // On standard output the export is the whole output: text logs stay silent then.
        guard out != nil || Console.format == .json else { return }
        var fields: Logger.Metadata = ["count": .stringConvertible(n)]
        if let out { fields["path"] = .string(out) }
        Console.standard.info(out.map { "wrote \(n) event\(n == 1 ? "" : "s") to \($0)" } ?? "exported \(n) event\(n == 1 ? "" : "s")",
                              event: "events_exported", fields)
    }

    /// Whether an event lies in the region `name` means, by the region polygons, as the report's
    /// per-region table counts it (a point outside every polygon goes to the nearest region).
    func regionFilter(_ name: String) throws -> (Incident) -> Bool {
        let polygons = try regions.map { try AdminRegions.load(from: URL(fileURLWithPath: $0)) } ?? AdminRegions.embeddedMali()
        let names = polygons.regions.map(\.name)
        guard let index = Admin1NameMatching.match(name, in: names) else {
            throw CommandFailure.usage("--admin1 \(name) is none of the regions: \(names.joined(separator: ", "))")
        }
        if Admin1NameMatching.key(names[index]) != Admin1NameMatching.key(name) {
            Console.standard.info("--admin1 \(name): the region \(names[index])", event: "admin1_matched",
                                  ["admin1": .string(names[index])])
        }
        let locator = try polygons.locator()
        return { locator.regionIndex(at: $0.location) == index }
    }
}

/// Standard output in 64 KiB writes (print() per event is several times slower for 1M events).
final class BufferedStandardOutput {
    private var buffer: [UInt8] = []
    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }
    func flush() {
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
