import Foundation
import Logging
import RegionRisk
import RegionRiskPostgres

/// What `ingest` and `fetch` tell standard error about an ingest: its rejected and outside-area
/// rows (text: the lines people read; JSON: one `row_rejected` / `outside_area` line each, with
/// `path`, `line`, `column`, `reason`), then, in JSON, one `ingest_finished` line with the counts.
/// The counts also go into the run's closing `run_finished` line.
enum IngestLog {
    /// Rows listed one by one before "… and N more".
    static let listedRows = 10

    /// `database` is the `--db` value as given; logs name it redacted (no password).
    static func report(_ s: IngestSummary, database location: String, rejectsURL: URL, log: Console = .standard) {
        let database = IncidentStores.displayName(location)
        let counts = counts(of: s)
        for (name, n) in counts { Console.run.count(name, n) }
        guard Console.format == .json else {
            printRejected(s, rejectsURL: rejectsURL)
            return
        }
        for r in s.rejected.prefix(listedRows) {
            var fields: Logger.Metadata = ["path": .string(r.file), "line": .stringConvertible(r.line), "reason": .string(r.reason)]
            if let column = r.column { fields["column"] = .string(column) }
            log.warning("rejected: \(r)", event: "row_rejected", fields)
        }
        for e in s.outsideArea.prefix(listedRows) {
            log.warning("outside the area of interest: \(e)", event: "outside_area",
                        ["path": .string(URL(fileURLWithPath: s.file).lastPathComponent), "line": .stringConvertible(e.line),
                         "event_id": .string(e.sourceEventID), "lon": .stringConvertible(e.location.lon), "lat": .stringConvertible(e.location.lat)])
        }
        for note in s.notes { log.warning(note, event: "ingest_note", ["path": .string(s.file)]) }
        var fields: Logger.Metadata = ["path": .string(s.file), "db": .string(database), "format": .string(s.format.rawValue),
                                       "source": .string(s.source)]
        for (name, n) in counts { fields[name] = .stringConvertible(n) }
        if !s.rejected.isEmpty || !s.outsideArea.isEmpty { fields["rejects_path"] = .string(rejectsURL.path) }
        log.info("\(URL(fileURLWithPath: s.file).lastPathComponent): \(s.rowsRead) rows, \(s.added) added, \(s.updated) updated, \(s.unchanged) unchanged, \(s.rejected.count) rejected, \(s.outsideArea.count) outside the area, \(s.deleted) deleted",
                 event: "ingest_finished", fields)
    }

    static func counts(of s: IngestSummary) -> [(String, Int)] {
        [("rows_read", s.rowsRead), ("added", s.added), ("updated", s.updated), ("unchanged", s.unchanged), ("skipped", s.skipped),
         ("rejected", s.rejected.count), ("outside_area", s.outsideArea.count), ("deleted", s.deleted),
         ("deletions_not_found", s.deletionsNotFound)]
    }

    /// The text-mode listing on standard error (as `ingest` always printed it).
    private static func printRejected(_ s: IngestSummary, rejectsURL: URL) {
        guard !s.rejected.isEmpty || !s.outsideArea.isEmpty else { return }
        var text = ""
        for r in s.rejected.prefix(listedRows) { text += "rejected: \(r)\n" }
        if s.rejected.count > listedRows { text += "… and \(s.rejected.count - listedRows) more\n" }
        text += "all rejected and outside-area rows: \(rejectsURL.path)\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
