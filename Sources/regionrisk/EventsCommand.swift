import ArgumentParser
import Foundation
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

    @Option(help: ArgumentHelp("First day included (2025-07-01).", valueName: "date")) var since: String?
    @Option(help: ArgumentHelp("Last day included.", valueName: "date")) var until: String?
    // .unconditional: a west edge such as -12.3 would otherwise be taken for an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Longitude/latitude box in degrees: west,south,east,north.", valueName: "w,s,e,n"))
    var bbox: String?
    @Option(help: "Region name (case-insensitive).") var admin1: String?
    @Option(name: .customLong("type"), help: "Event type (case-insensitive).") var eventType: String?
    @Option(help: "Source (acled, ucdp, csv, geojson, or a name given at ingest).") var source: String?
    @Option(help: ArgumentHelp("Output file (default: standard output).", valueName: "path")) var out: String?

    func validate() throws {
        if let since, CivilDate(parsing: since) == nil { throw ValidationError("--since \(since) is not a date (use 2025-07-01)") }
        if let until, CivilDate(parsing: until) == nil { throw ValidationError("--until \(until) is not a date (use 2025-07-01)") }
        if let s = since.flatMap(CivilDate.init(parsing:)), let u = until.flatMap(CivilDate.init(parsing:)), s > u {
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
            since: since.flatMap(CivilDate.init(parsing:)), until: until.flatMap(CivilDate.init(parsing:)),
            bbox: bbox.flatMap(IncidentQuery.BoundingBox.init(parsing:)), admin1: admin1, eventType: eventType, source: source)
        let store = try IncidentStores.open(db ?? IncidentStores.defaultLocation(), create: false, readOnly: true)
        if let out {
            let file = try StreamingAtomicFile(url: URL(fileURLWithPath: out))
            let n = try store.export(query, format: format) { try file.write($0) }
            try file.commit()
            Console.standard.info("wrote \(n) event\(n == 1 ? "" : "s") to \(out)")
        } else {
            let stdout = BufferedStandardOutput()
            try store.export(query, format: format) { stdout.write($0) }
            stdout.flush()
        }
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
