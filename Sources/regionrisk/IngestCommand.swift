import ArgumentParser
import Foundation
import Logging
import RegionRisk
import RegionRiskPostgres

extension IncidentFileFormat: ExpressibleByArgument {}

/// `regionrisk ingest FILE`: loads incidents into the incident database.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load incidents (ACLED, UCDP GED, CSV, GeoJSON points) into the incident database.",
        discussion: """
            Safe to run again on a fresh export (e.g. nightly from cron): events are keyed by source and \
            event id, so repeats change nothing and edits are updated. One ingest is one transaction. \
            Rows that cannot be read go to a rejects CSV beside the input (NAME.rejects.csv) with line, \
            column and reason.

            Exit status: 0 when rows were stored (or there was nothing to reject); 1 when the input or \
            database could not be used, or every row was rejected; 3 when --strict found rejected rows \
            (nothing stored); 75 when another ingest kept the database locked past --wait.
            """)

    @Argument(help: "Incident file: ACLED export, UCDP GED CSV, plain CSV or GeoJSON points.")
    var file: String

    @Option(help: ArgumentHelp(
        "Incident store: a SQLite path, or postgresql://user@host:port/dbname (default: $REGIONRISK_DB, else $XDG_DATA_HOME/regionrisk/incidents.sqlite, else ~/.local/share/regionrisk/incidents.sqlite).",
        valueName: "path-or-url"))
    var db: String?

    @Option(help: "File format (default: detected from the content and header).")
    var format: IncidentFileFormat?

    @Option(help: ArgumentHelp("Where to write rejected rows (default: NAME.rejects.csv beside the input).", valueName: "path"))
    var rejects: String?

    @Option(help: ArgumentHelp("ACLED deleted-events file (an event_id_cnty column, or one id per line): those events are removed.", valueName: "file"))
    var deletions: String?

    @Flag(help: "Store nothing if any row is rejected.")
    var strict = false

    @OptionGroup var columnOptions: ColumnOptions

    /// Events outside the area of interest are listed, not stored.
    @OptionGroup var area: AreaOptions

    @Option(name: .customLong("area-tolerance-km"), help: "Events this close to the area's outline count as inside (boundaries at 1:1M are off by up to ~1 km).")
    var areaToleranceKm: Double = Self.defaultAreaToleranceKm

    /// Events this close to the area's outline count as inside, km (ingest and report).
    static let defaultAreaToleranceKm = 5.0

    @Option(help: "Source name events are keyed under (default: the format's name). Give plain files whose ids could collide a name of their own.")
    var source: String?

    @Option(help: ArgumentHelp("Gazetteer matches below this confidence (0-1) are rejected.", valueName: "c"))
    var minConfidence: Double = 0.6

    @Option(help: ArgumentHelp("Seconds to wait for another ingest into the same database to finish.", valueName: "seconds"))
    var wait: Double = 60

    @Flag(name: .customLong("allow-undated"), help: "Store the events of a file without a date column (undated; no date window will include them). Without it such a file is refused.")
    var allowUndated = false

    @Flag(help: .hidden) var progress = false

    func validate() throws {
        guard (0...1).contains(minConfidence) else { throw ValidationError("--min-confidence must be between 0 and 1") }
        try OptionLimits.check("--wait", wait, in: ParameterLimits.lockTimeoutSeconds, unit: "s")
        try OptionLimits.check("--area-tolerance-km", areaToleranceKm, in: 0...1_000, unit: "km")
    }

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        let input = URL(fileURLWithPath: file)
        let dbPath = db ?? IncidentStores.defaultLocation()
        var reader = IncidentFileReader(
            format: format,
            columns: columnOptions.columns,
            resolver: Self.placeNameResolver, minimumGeocodeConfidence: minConfidence, source: source)
        reader.requiresDateColumn = !allowUndated
        let rejectsURL = rejects.map { URL(fileURLWithPath: $0) } ?? RejectsFile.defaultURL(for: input)
        let terminal = isatty(STDERR_FILENO) != 0
        let reporter = progress || (terminal && Console.format == .text) ? ProgressLine(terminal: terminal) : nil

        let summary: IngestSummary
        let inArea = try areaFilter()
        do {
            let store = try IncidentStores.open(dbPath, busyTimeout: wait)
            summary = try store.ingest(
                file: input, reader: reader, areaFilter: inArea, deletions: deletions.map { URL(fileURLWithPath: $0) },
                strict: strict, progress: reporter.map { r in { r.show($0) } })
            reporter?.finish()
        } catch let IngestError.rejectedRowsInStrictMode(s) {
            reporter?.finish()
            try? Self.writeRejects(s, to: rejectsURL)
            IngestLog.report(s, database: dbPath, rejectsURL: rejectsURL)
            throw CommandFailure.failed("\(s.rejected.count) row\(s.rejected.count == 1 ? "" : "s") rejected in --strict mode; nothing was stored", status: ExitStatus.newRegionsOrStrictRejects)
        } catch let e as IncidentStoreError {
            reporter?.finish()
            throw CommandFailure.failed(e.localizedDescription, status: e.isBusy ? ExitStatus.busy : ExitStatus.failure)
        } catch {
            reporter?.finish()
            throw CommandFailure.failed(error.localizedDescription, status: ExitStatus.failure)
        }

        try Self.finish(summary, database: dbPath, rejectsURL: rejectsURL, inArea: inArea)
    }

    /// After a committed ingest (of a file, or of a fetch): the summary on standard output, the
    /// rejected rows on standard error, the rejects file; throws when nothing could be stored.
    static func finish(_ summary: IngestSummary, database dbPath: String, rejectsURL: URL, inArea: (LonLat) -> Bool) throws {
        print(summaryText(summary, database: IncidentStores.displayName(dbPath)), terminator: "")
        IngestLog.report(summary, database: dbPath, rejectsURL: rejectsURL)
        do { try writeRejects(summary, to: rejectsURL) } catch {
            throw CommandFailure.failed("the events were stored, but the rejects file could not be written: \(error.localizedDescription) (choose another place with --rejects PATH)", status: ExitStatus.failure)
        }
        if summary.stored == 0, summary.rowsRead > 0 {
            throw CommandFailure.failed(nothingStoredText(summary, inArea: inArea, rejectsURL: rejectsURL), status: ExitStatus.failure)
        }
    }

    /// Places rows that have a place name but no coordinates: the embedded gazetteer plus any
    /// imported with `regionrisk gazetteer import`, loaded the first time a row needs it (most
    /// exports carry coordinates, and loading and indexing it cost seconds of CPU before the
    /// first row was read).
    static var placeNameResolver: (any PlaceNameResolver)? {
        LazyGazetteer(directory: Gazetteer.dataDirectory().appendingPathComponent("gazetteers", isDirectory: true))
    }

    /// The area of interest (`--area`, default the embedded Mali) widened by `--area-tolerance-km`;
    /// events outside it are listed, not stored.
    func areaFilter() throws -> (LonLat) -> Bool { try Self.areaFilter(area: area, toleranceKm: areaToleranceKm) }

    static func areaFilter(area: AreaOptions, toleranceKm: Double) throws -> (LonLat) -> Bool {
        let membership = try AreaMembership(area: try area.loadArea(), toleranceKm: toleranceKm)
        return { membership.contains($0) }
    }

    /// Why a non-empty file stored nothing: rejected rows, events outside the area (and whether
    /// swapping latitude and longitude would have put them inside).
    static func nothingStoredText(_ s: IngestSummary, inArea: (LonLat) -> Bool, rejectsURL: URL) -> String {
        var parts: [String] = []
        if !s.rejected.isEmpty { parts.append("\(s.rejected.count) rejected") }
        if !s.outsideArea.isEmpty {
            let swapped = s.outsideArea.filter { inArea(LonLat(lon: $0.location.lat, lat: $0.location.lon)) }.count
            parts.append("\(s.outsideArea.count) outside the area of interest"
                         + (swapped > 0 ? " (\(swapped) of them would be inside with latitude and longitude swapped: check --lat-col/--lon-col)" : " (another area? give it with --area)"))
        }
        if s.skipped > 0 { parts.append("\(s.skipped) duplicates skipped") }
        return "nothing was stored from \(s.rowsRead) rows: " + parts.joined(separator: ", ") + " (all listed in \(rejectsURL.path))"
    }

    static func summaryText(_ s: IngestSummary, database: String) -> String {
        let name = URL(fileURLWithPath: s.file).lastPathComponent
        var out = "\(name): \(s.format.rawValue.uppercased()), \(s.rowsRead) rows, sha256 \(s.sha256.prefix(12))… → \(database)\n"
        let lines: [(String, Int, String)] = [
            ("added", s.added, ""),
            ("updated", s.updated, ""),
            ("unchanged", s.unchanged, ""),
            ("skipped", s.skipped, ""),
            ("rejected", s.rejected.count, ""),
            ("outside area", s.outsideArea.count, ""),
            ("deleted", s.deleted, s.deletionsNotFound > 0 ? "\(s.deletionsNotFound) listed ids were not stored" : ""),
        ]
        for (label, n, note) in lines {
            out += "  " + label.padding(toLength: 13, withPad: " ", startingAt: 0) + String(repeating: " ", count: max(0, 9 - String(n).count)) + String(n)
            out += note.isEmpty ? "\n" : "   (\(note))\n"
        }
        for e in s.outsideArea.prefix(20) { out += "  outside the area of interest: \(e)\n" }
        if s.outsideArea.count > 20 { out += "  … and \(s.outsideArea.count - 20) more outside the area, listed in the rejects file\n" }
        for n in s.notes { out += "note: \(n)\n" }
        return out
    }

    /// Writes the rejects file when there is something in it; an older rejects file left at
    /// the same place is emptied so it never describes a previous run.
    static func writeRejects(_ s: IngestSummary, to url: URL) throws {
        let rows = s.rejectsFileRows
        if rows.isEmpty {
            guard let head = try? String(contentsOf: url, encoding: .utf8), head.hasPrefix(RejectsFile.header) else { return }
        }
        try RejectsFile.write(rows, to: url)
    }
}

/// The standard gazetteer (`Gazetteer.standard(importedIn:)`), loaded on the first lookup and kept.
/// When it cannot be loaded (a damaged imported gazetteer), one warning says why, and every lookup
/// finds nothing: the rows that need it are rejected, never stored at a guess.
final class LazyGazetteer: PlaceNameResolver, @unchecked Sendable {
    private let directory: URL?
    private let lock = NSLock()
    /// nil until the first lookup; then the gazetteer, or nil inside when it could not be loaded.
    private var loaded: (any PlaceNameResolver)??

    init(directory: URL?) { self.directory = directory }

    private var gazetteer: (any PlaceNameResolver)? {
        lock.withLock {
            if let loaded { return loaded }
            var g: (any PlaceNameResolver)?
            do { g = try Gazetteer.standard(importedIn: directory) } catch {
                Console.standard.warning("the gazetteer could not be loaded (\(error.localizedDescription)): rows without coordinates are rejected",
                                         event: "gazetteer_unavailable", ["reason": .string(error.localizedDescription)])
            }
            loaded = .some(g)
            return g
        }
    }

    func resolvePlaceName(_ name: String, admin1Hint: String?) -> PlaceNameResolution? {
        gazetteer?.resolvePlaceName(name, admin1Hint: admin1Hint)
    }

    func resolvePlaceName(_ name: String, hints: PlaceNameHints) -> PlaceNameResolution? {
        gazetteer?.resolvePlaceName(name, hints: hints)
    }
}

/// Progress on standard error: one rewritten line on a terminal, plain lines otherwise, and
/// `ingest_progress` lines with `--log-format json`.
final class ProgressLine {
    let terminal: Bool
    private var shown = false
    init(terminal: Bool) { self.terminal = terminal && Console.format == .text }

    func show(_ p: IngestProgress) {
        let pct = p.totalBytes > 0 ? " (\(min(100, p.bytesRead * 100 / p.totalBytes))%)" : ""
        let text = "progress: \(p.rowsRead) rows read\(pct)"
        if Console.format == .json {
            Console.standard.info(text, event: "ingest_progress",
                                  ["rows_read": .stringConvertible(p.rowsRead), "bytes_read": .stringConvertible(p.bytesRead)])
            return
        }
        FileHandle.standardError.write(Data((terminal ? "\r\(text)" : "\(text)\n").utf8))
        shown = true
    }

    func finish() {
        if terminal, shown { FileHandle.standardError.write(Data("\n".utf8)) }
        shown = false
    }
}

/// `regionrisk generate-acled`: writes a synthetic ACLED export (hidden; benchmarks and tests).
struct GenerateACLEDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-acled",
        abstract: "Write a deterministic synthetic ACLED export of any size (for benchmarks and tests).",
        shouldDisplay: false)

    @Option(help: "Data rows to write.") var rows: Int
    @Option(help: "Random seed; the same seed and options give the same bytes.") var seed: UInt64 = 20_240_601
    @Option(help: "classic (28 columns) or current (31 columns).") var layout: String = "classic"
    @Option(help: "Share of events repeated once per actor (0-1).") var repeatedActorShare: Double = 0
    @Option(help: "First event number (ids are MLI<n>).") var firstEvent: Int = 1
    @Option(help: "Output file.") var out: String

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        guard let layout = ACLEDFileGenerator.Layout(rawValue: layout) else {
            throw ValidationError("--layout must be classic or current")
        }
        let generator = ACLEDFileGenerator(
            rows: rows, seed: seed, layout: layout, repeatedActorShare: repeatedActorShare, firstEventNumber: firstEvent)
        do { try generator.write(to: URL(fileURLWithPath: out)) } catch { throw CommandFailure.failed(error.localizedDescription, status: ExitStatus.failure) }
    }
}
