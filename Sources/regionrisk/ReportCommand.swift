import ArgumentParser
import Foundation
import Logging
import RegionRisk
import RegionRiskPostgres

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Run the whole pipeline and write a dated report folder (the main job; cron-friendly).",
        discussion: """
            Writes OUT/<as-of>/ with regions.geojson (flagged regions), density.geojson (density classes),
            density.asc + density.prj (the density grid), admin1.csv and admin1.geojson (per region: events and
            fatalities in each window, rate ratio, score, rank), report.gpkg (layers regions, density, admin1, events,
            styled), a QGIS style beside each layer (regions.qml, density.qml, admin1.qml, events.qml: the HTML map's
            colours), report.html (standalone; its map zooms, pans and lists a region's incidents on click) and report.md,
            and manifest.json (parameters, versions, input SHA-256, counts, seconds per stage). The folder is
            written aside and renamed into place, then OUT/latest is repointed: a crash leaves the previous
            latest intact. Each run's new and escalating regions are remembered — in the store with --db, else in
            OUT/history.json — so the report says which are new since the previous run, which continue and which ended.

            With no --events or --db it runs on the embedded sample of real incidents in Mali (Feb 2024 – Jul 2025).

            Exit status (for cron wrappers):
              0   done; no new or escalating region since the previous run
              3   done; new or escalating regions appeared since the previous run (the first run counts all)
              4   the report was published, but the run history could not be written (disk full?): read
                  the report; the next run may announce the same regions again
              1   error (unreadable input, unwritable output, another run holding the lock past --lock-timeout)
              64  usage error
            """)

    /// Exit status when new regions appeared since the previous run.
    static let newRegionsExitCode = ExitStatus.newRegionsOrStrictRejects
    /// Exit status when the report was published but the run history could not be written.
    static let historyNotRecordedExitCode = ExitStatus.publishedWithoutHistory

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var input: EventInputOptions
    @OptionGroup var area: AnalysisAreaOptions
    @OptionGroup var detection: DetectionOptions
    @OptionGroup var densityMap: DensityMapOptions

    @Option(help: "Reports root folder.")
    var out: String = "reports"

    @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for a running report to finish before giving up.")
    var lockTimeout: Double = 60

    @Option(name: .customLong("density-cell-km"), help: "Cell size of the density map, km.")
    var densityCellKm: Double = 5

    @Option(name: .customLong("density-bandwidth-km"), help: "Bandwidth of the density map (quartic support radius), km.")
    var densityBandwidthKm: Double = 50

    @Flag(help: "Also forecast the next --horizon-days: risk map layer, a watch list of quiet places at risk (category at-risk), risk.csv.")
    var forecast = false

    @Option(name: .customLong("horizon-days"), help: "Forecast horizon with --forecast, days.")
    var horizonDays: Int = 90

    func validate() throws {
        guard horizonDays >= 1, horizonDays <= 3660 else { throw ValidationError("--horizon-days must be between 1 and 3660") }
        try OptionLimits.check("--lock-timeout", lockTimeout, in: ParameterLimits.lockTimeoutSeconds, unit: "s")
        try OptionLimits.check("--density-cell-km", densityCellKm, in: ParameterLimits.cellSizeKm, unit: "km")
        try OptionLimits.check("--density-bandwidth-km", densityBandwidthKm, in: ParameterLimits.bandwidthKm, unit: "km")
        if out.isEmpty { throw ValidationError("--out is empty; give the reports folder, e.g. --out reports") }
        if detection.method != .quietToActive { throw ValidationError("report uses --method quiet-to-active; run `regionrisk flag --method ehsa` for emerging hot spots") }
    }

    func run() throws {
        logging.bootstrap()
        let log = Console.standard
        let started = Date()
        let folder = try ReportFolder(root: URL(fileURLWithPath: out))
        try folder.lock(timeoutSeconds: lockTimeout)
        defer { folder.unlock() }
        for repair in folder.recover().repairs { log.warning(repair, event: "publish_repaired", ["path": .string(out)]) }

        var loaded = try input.loadIncidents(log: log, needsDates: true)
        for (what, bandwidth, cell) in [("--bandwidth-km", detection.bandwidthKm, detection.cellKm),
                                        ("--density-bandwidth-km", densityBandwidthKm, densityCellKm)] {
            if let warning = ParameterLimits.narrowBandwidthWarning(what, bandwidthKm: bandwidth, cellSizeKm: cell) { log.warning(warning, event: "parameter_warning") }
        }
        let run = try area.analysisRun(log: log)
        let aoi = run.area
        let outside = try loaded.keepInside(aoi, log: log)
        var request = RiskReportRequest(
            incidents: loaded.incidents, inputs: loaded.fingerprints, analysis: run, adminRegions: try area.loadRegions(for: aoi),
            namer: try area.namer(for: aoi), detection: detection.parameters)
        if outside > 0 {
            request.inputNotes.append("\(outside) of \(outside + loaded.incidents.count) events in the input are outside the area \(aoi.name) and were left out")
        }
        request.densityCellKm = densityCellKm
        request.densityBreaks = try densityMap.classBreaks()
        request.densityUnit = densityMap.densityUnit
        request.densityBandwidthKm = densityBandwidthKm
        if forecast { request.forecastHorizonDays = horizonDays }
        let progress = Progress(enabled: isatty(STDERR_FILENO) == 1 && !logging.quiet && logging.logFormat == .text, total: RiskReport.stageCount(for: request))
        // Runs on a store are remembered in it; otherwise beside the reports.
        let history: RunHistoryStore? = try input.db.map {
            IncidentStores.isPostgreSQL($0) ? try IncidentStores.open($0, create: false) : try Self.historyStore($0, log: log)
        }
        let outcome: RiskReportOutcome
        var historyFailure: RiskReportHistoryError?
        do { outcome = try RiskReport.run(request, folder: folder, history: history) { progress.step($0) } } catch let e as RiskReportHistoryError {
            (outcome, historyFailure) = (e.outcome, e)
        }
        progress.finish()

        DetectionLog.report(outcome.detection, regionsOfInterest: { $0.category == .new || $0.category == .escalating }, log: log)
        let since = outcome.previousAsOf.map { "since the run as of \($0)" } ?? "(first run)"
        var sinceFields: Logger.Metadata = ["count": .stringConvertible(outcome.newSincePreviousRun.count),
                                            "regions": .array(outcome.newSincePreviousRun.map { .string($0) })]
        if let previous = outcome.previousAsOf { sinceFields["previous_as_of"] = .string(previous) }
        log.info("new \(since): \(outcome.newSincePreviousRun.isEmpty ? "none" : outcome.newSincePreviousRun.joined(separator: "; "))",
                 event: "new_since_previous_run", sinceFields)
        Console.run.count("new_since_previous_run", outcome.newSincePreviousRun.count)
        if !outcome.continuing.isEmpty {
            log.info("continuing: \(outcome.continuing.joined(separator: "; "))", event: "continuing_regions",
                     ["count": .stringConvertible(outcome.continuing.count), "regions": .array(outcome.continuing.map { .string($0) })])
        }
        if !outcome.ended.isEmpty {
            log.info("ended: \(outcome.ended.joined(separator: "; "))", event: "ended_regions",
                     ["count": .stringConvertible(outcome.ended.count), "regions": .array(outcome.ended.map { .string($0) })])
        }
        let stages = outcome.stageSeconds.map { String(format: "%@ %.2f s", $0.0, $0.1) }.joined(separator: ", ")
        let seconds = Date().timeIntervalSince(started)
        log.info("wrote \(outcome.folder.path) in \(String(format: "%.2f", seconds)) s (\(stages))", event: "report_written",
                 ["path": .string(outcome.folder.path), "as_of": .string(outcome.asOf.description),
                  "seconds": .stringConvertible((seconds * 1000).rounded() / 1000)])
        if let historyFailure {
            throw CommandFailure.failed(historyFailure.localizedDescription, status: Self.historyNotRecordedExitCode)
        }
        if !outcome.newSincePreviousRun.isEmpty { throw CommandFailure.result(Self.newRegionsExitCode) }
    }
}

extension ReportCommand {
    /// The store's run history, opened for writing; a store that can be read but not written (a
    /// read-only medium) still gives the previous runs, and the report is published and exits 4.
    static func historyStore(_ db: String, log: Console) throws -> RunHistoryStore {
        do { return try IncidentStore(path: db, create: false) } catch let writeError {
            guard let store = try? IncidentStore(path: db, create: false, readOnly: true) else { throw writeError }
            let reason = unwritableReason(db) ?? writeError.localizedDescription
            log.warning("the store \(db) cannot be written (\(reason)); the report will be published, but this run cannot be recorded in its history",
                        event: "history_not_writable", ["db": .string(db), "reason": .string(reason)])
            return UnwritableRunHistory(store: store, reason: reason)
        }
    }

    /// Why `path` cannot be written, when the system says: a read-only file system, or no
    /// write permission; nil otherwise.
    static func unwritableReason(_ path: String) -> String? {
        var fs = statvfs()
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if statvfs(folder, &fs) == 0, fs.f_flag & UInt(ST_RDONLY) != 0 { return "its file system is mounted read-only" }
        if access(path, W_OK) != 0 || access(folder, W_OK) != 0 { return "no permission to write it or its folder" }
        return nil
    }
}

/// A store's run history that can be read but not written: recording the run throws, so the
/// report ends with exit 4 ("published, but the run history could not be written").
struct UnwritableRunHistory: RunHistoryStore {
    let store: IncidentStore
    let reason: String

    func loadHistory() throws -> RunHistory { try store.loadHistory() }

    func appendHistory(_ entry: RunHistory.Entry) throws {
        throw IncidentStoreError(path: store.path, reason: "cannot be written: \(reason)")
    }
}

/// A one-line progress indicator on stderr, only when stderr is a terminal.
final class Progress {
    let enabled: Bool
    let total: Int
    var steps = 0
    init(enabled: Bool, total: Int) { self.enabled = enabled; self.total = total }
    func step(_ name: String) {
        guard enabled else { return }
        steps += 1
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(steps)/\(total)] \(name) done".utf8))
    }
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
