import ArgumentParser
import Foundation
import Logging
import RegionRisk

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "How well would the forecast have worked on these data? Rolling-origin back-test against the naive rule, random cells and the `new` flags.",
        discussion: """
            For each month-end T in [--from, --to], the forecast is fitted on events dated ≤ T only and scored on
            (T, T + --horizon-days]. Quiet cells: no event within --distance-km in the 365 days before the last 30.
            Onset events: outcome events in quiet cells. Compared at the naive rule's flagged area (the naive rule flags a
            quiet cell with ≥ 1 event within --distance-km in the last 30 days): the forecast's top quiet cells by p_any,
            and area-matched random quiet cells (mean of --random-draws seeded draws); RegionRisk's `new` flags (flag's
            quiet-to-active method at the same cell size and distance) at their own area, and the forecast at that area.
            Metrics pooled over origins: lift (onsets per flagged cell ÷ onsets per quiet cell), share of onsets caught,
            PAI; for the forecast over all cells: Brier score of p_any, Poisson log-likelihood of the counts (each
            against a uniform reference: the last year's rate spread evenly), a reliability table by decile of expected,
            and summed expected against observed.

              regionrisk backtest --from 2024-08-31 --to 2025-04-30 --json --html backtest.html
            """)

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var input: EventInputOptions
    @OptionGroup var area: AnalysisAreaOptions

    @Option(help: "First origin: month-ends on or after this day (default: 180 days after the first event).")
    var from: String?

    @Option(help: "Last origin: month-ends on or before this day (default: the latest event date minus the horizon).")
    var to: String?

    @Option(name: .customLong("horizon-days"), help: "Outcome window after each origin, days.")
    var horizonDays: Int = 90

    @Option(name: .customLong("cell-km"), help: "Cell size, km.")
    var cellKm: Double = 10

    @Option(name: .customLong("distance-km"), help: "Distance of the quiet test and the naive rule, km.")
    var distanceKm: Double = 50

    @Option(name: .customLong("random-draws"), help: "Random area-matched draws per origin.")
    var randomDraws: Int = 100

    @Option(help: "Seed of the random draws.")
    var seed: UInt64 = 20_250_708

    @Flag(name: .customLong("no-new"), help: "Do not score the `new` flags (faster).")
    var noNew = false

    @Flag(name: .customLong("single-scale-background"),
          help: "Fit the forecast's background as one kernel instead of a fine + broad mixture (the earlier model, for comparison).")
    var singleScaleBackground = false

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Option(help: "Also write an HTML page with SVG charts here (no network needed to view it).")
    var html: String?

    func validate() throws {
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, CivilDate(parsing: value) == nil { throw ValidationError("\(name) \"\(value)\" is not a date like 2025-04-30") }
        }
        guard horizonDays >= 1, horizonDays <= 3660 else { throw ValidationError("--horizon-days must be between 1 and 3660") }
        guard cellKm.isFinite, cellKm > 0, distanceKm.isFinite, distanceKm > 0 else {
            throw ValidationError("--cell-km and --distance-km must be positive numbers")
        }
        guard randomDraws >= 1, randomDraws <= 100_000 else { throw ValidationError("--random-draws must be between 1 and 100000") }
    }

    func run() throws {
        logging.bootstrap()
        let log = Console.standard
        let loaded = try input.loadIncidents(log: log, needsDates: true)
        let dates = loaded.incidents.compactMap(\.date)
        guard let first = dates.min(), let last = dates.max() else { throw ForecastError.tooFewEvents(0) }
        let start = from.flatMap { CivilDate(parsing: $0) } ?? first.adding(days: 180)
        let end = to.flatMap { CivilDate(parsing: $0) } ?? last.adding(days: -horizonDays)
        let run = try area.analysisRun(log: log)
        let aoi = run.area
        var p = BacktestParameters(from: start, to: end)
        p.horizonDays = horizonDays
        p.cellSizeKm = cellKm
        p.distanceKm = distanceKm
        p.randomDraws = randomDraws
        p.seed = seed
        p.includeNewFlags = !noNew
        p.multiScaleBackground = !singleScaleBackground
        log.info("back-test over \(p.origins.count) month-ends from \(start) to \(end), \(horizonDays)-day outcomes, \(cellKm) km cells",
                 event: "backtest_started",
                 ["origins": .number(p.origins.count), "start": .string(start.description), "end": .string(end.description),
                  "horizon_days": .number(horizonDays), "cell_km": .number(cellKm)])
        let result = try Backtester.run(run, incidents: loaded.incidents, parameters: p) { o in
            if let note = o.note {
                log.warning("\(o.asOf): \(note)", event: "backtest_origin_skipped", ["as_of": .string(o.asOf.description), "reason": .string(note)])
            } else {
                log.info(String(format: "%@: %d events fitted, expected %.3g, observed %d (%d onsets in %d quiet cells)",
                                o.asOf.description, o.eventsFitted, o.expectedTotal, o.outcomeEvents, o.onsetEvents, o.quietCells),
                         event: "backtest_origin",
                         ["as_of": .string(o.asOf.description), "events_fitted": .number(o.eventsFitted), "expected": .number(o.expectedTotal),
                          "observed": .number(o.outcomeEvents), "onsets": .number(o.onsetEvents), "quiet_cells": .number(o.quietCells)])
            }
        }
        let document = BacktestReport.json(result, inputs: loaded.fingerprints)
        if json { print(document.serialized(pretty: true)) } else { print(BacktestReport.table(result), terminator: "") }
        if let html {
            try AtomicFile.write(BacktestReport.html(result, title: "Back-test: \(aoi.name)"), to: URL(fileURLWithPath: html))
            log.info("wrote \(html)", event: "output_written", ["path": .string(html)])
        }
    }
}
