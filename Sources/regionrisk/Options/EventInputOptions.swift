import ArgumentParser
import Foundation
import Logging
import RegionRisk
import RegionRiskPostgres
import RegionRiskGeodata


/// Incidents come from a file (`--events`), the store (`--db`), or, with neither, the embedded
/// sample of real incidents in Mali (February 2024 – July 2025).
struct EventInputOptions: ParsableArguments {
    @Option(help: "Incidents file: ACLED or UCDP GED export, plain CSV, or GeoJSON points (default: the embedded Mali sample).")
    var events: String?

    @Option(help: ArgumentHelp(
        "Read incidents from this RegionRisk store instead of a file (see `regionrisk ingest`): a SQLite path, or postgresql://user@host:port/dbname.",
        valueName: "path-or-url"))
    var db: String?

    @Option(name: .customLong("input-format"), help: "Input format (default: detected from the header): acled, ucdp, csv, geojson.")
    var inputFormat: IncidentFileFormat?

    @OptionGroup var columnOptions: ColumnOptions

    @Option(help: "Write rejected rows (file, line, column, reason) to this CSV.")
    var rejects: String?

    func validate() throws {
        if events != nil, db != nil { throw ValidationError("give --events or --db, not both") }
    }

    struct Loaded {
        var incidents: [Incident]
        /// What was read, for output metadata: path, SHA-256, rows.
        var fingerprints: [JSONValue]
    }

    /// Where a report on `--db` remembers its runs: the store itself (nil without `--db`).
    func historyStore() throws -> RunHistoryStore? {
        try db.map { try IncidentStores.open($0, create: false) }
    }

    /// The incidents; with `needsDates` (detection, forecasts) a source none of whose incidents
    /// has a date fails here, with a message naming the file and its date column.
    func loadIncidents(log: Console, needsDates: Bool = false) throws -> Loaded {
        if let db {
            let store = try IncidentStores.open(db, create: false, readOnly: true)
            let incidents = try store.query(IncidentQuery())
            log.info("read \(incidents.count) incidents from the store \(store.displayName)", event: "events_read",
                     ["db": .string(store.displayName), "events": .number(incidents.count)])
            Console.run.count("events_read", incidents.count)
            let badFatalities = try store.countFatalitiesOutOfRange()
            if badFatalities > 0 {
                log.warning("the store \(store.displayName) holds \(badFatalities) event\(badFatalities == 1 ? "" : "s") whose fatalities lie outside \(Int(ParameterLimits.fatalities.lowerBound)) … \(Int(ParameterLimits.fatalities.upperBound)) (written by an older RegionRisk, or edited by hand): read as unknown; ingest the source file again to correct them",
                            event: "fatalities_out_of_range", ["db": .string(store.displayName), "count": .number(badFatalities)])
            }
            if needsDates, !incidents.contains(where: { $0.date != nil }) {
                throw CommandFailure.failed("the store \(store.displayName) has no dated events (\(incidents.count) events, none with a date): ingest a file with a date column", status: ExitStatus.failure)
            }
            return Loaded(incidents: incidents,
                          fingerprints: [["store": .string(store.displayName), "events": .number(Double(incidents.count))]])
        }
        let url = try events.map { URL(fileURLWithPath: $0) } ?? EmbeddedGeodata.url("samples/incidents-2024-2025.csv")
        if events == nil {
            log.info("no --events or --db: using the embedded sample of real incidents in Mali (Feb 2024 – Jul 2025)", event: "embedded_sample",
                     ["path": .string(url.path)])
        }
        let reader = IncidentFileReader(format: inputFormat, columns: columnOptions.columns, resolver: IngestCommand.placeNameResolver)
        let result = try reader.read(url)
        for r in result.rejected.prefix(20) {
            log.warning("rejected \(r.description)", event: "row_rejected", ["path": .string(url.path), "line": .number(r.line), "reason": .string(r.reason)])
        }
        if result.rejected.count > 20 {
            log.warning("… \(result.rejected.count - 20) more rejected rows\(rejects == nil ? " (list them all with --rejects FILE)" : "")",
                        event: "rows_rejected_more", ["path": .string(url.path), "count": .number(result.rejected.count - 20)])
        }
        if let rejects { try RejectsFile.write(result.rejected, to: URL(fileURLWithPath: rejects)) }
        for note in result.notes { log.warning(note, event: "read_note", ["path": .string(url.path)]) }
        log.info("read \(result.incidents.count) incidents from \(url.path) (\(result.format.rawValue)); \(result.rejected.count) rows rejected",
                 event: "events_read",
                 ["path": .string(url.path), "format": .string(result.format.rawValue), "events": .number(result.incidents.count),
                  "rejected": .number(result.rejected.count)])
        Console.run.count("events_read", result.incidents.count)
        Console.run.count("rejected", result.rejected.count)
        if needsDates, !result.incidents.contains(where: { $0.date != nil }) {
            let why: String
            if let column = result.dateColumn {
                why = result.incidents.isEmpty
                    ? "none of its \(result.rowsRead) rows was read (\(result.rejected.count) rejected; its date \(result.format == .geojson ? "property" : "column") is \"\(column)\")"
                    : "its date \(result.format == .geojson ? "property" : "column") \"\(column)\" is empty in all \(result.incidents.count) events read"
            } else {
                why = "it has no date \(result.format == .geojson ? "property" : "column") (looked for \(IncidentFileReader.dateNamesLookedFor)); name it with --date-col"
            }
            throw CommandFailure.failed("\(url.path) has no dated events: \(why)", status: ExitStatus.failure)
        }
        let name = events ?? "embedded:samples/incidents-2024-2025.csv"
        return Loaded(incidents: result.incidents,
                      fingerprints: [["file": .string(name), "sha256": .string(result.sha256),
                                      "rows": .number(Double(result.rowsRead)), "events": .number(Double(result.incidents.count)),
                                      "rejected": .number(Double(result.rejected.count))]])
    }
}

extension EventInputOptions.Loaded {
    /// Keeps the events inside `area` widened by `toleranceKm`, as `ingest` does (so a worldwide
    /// file reports on the area alone and its as-of date comes from the area's own events).
    /// Returns how many fell outside; each input's fingerprint records it as `outside_area`.
    mutating func keepInside(_ area: AreaOfInterest, toleranceKm: Double = IngestCommand.defaultAreaToleranceKm, log: Console) throws -> Int {
        let membership = try AreaMembership(area: area, toleranceKm: toleranceKm)
        let before = incidents.count
        incidents.removeAll { !membership.contains($0.location) }
        let outside = before - incidents.count
        fingerprints = fingerprints.map { input in
            guard case var .object(members) = input else { return input }
            members.append(("outside_area", .number(Double(outside))))
            return .object(members)
        }
        Console.run.count("events_read", before)
        Console.run.count("events_outside_area", outside)
        if outside > 0 {
            log.warning("\(outside) of \(before) events are outside the area \(area.name) (more than \(String(format: "%g", toleranceKm)) km beyond its outline) and were left out",
                        event: "events_outside_area",
                        ["count": .stringConvertible(outside), "events_read": .stringConvertible(before), "area": .string(area.name)])
        }
        return outside
    }
}
