import ArgumentParser
import Foundation
import Logging
import RegionRisk

enum RiskOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, geojson, asc
}

struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Forecast expected events per cell over the next --horizon-days from a fitted space-time model.",
        discussion: """
            The model (fitted by maximum likelihood to the events dated on or before --as-of, nothing later):
            a long-run background μ·b(x, y), b a Gaussian kernel density of past events whose bandwidth is chosen by
            leave-one-out likelihood cross-validation, plus self-excitation Σ α·ω·e^(−ω·Δt)·N(Δx; σ) from every past
            event (Hawkes/ETAS-type), fitted by EM; standard errors from the observed information.

            Output, one row or cell per grid cell inside the area:
              csv     header `lon,lat,expected,p_any,background,triggered,triggered_share,quiet,naive_flag,recent_nearby,baseline_nearby`
              geojson cell squares with those properties; fitted parameters (with SEs) at the top level
              asc     ESRI ASCII grid of `expected` (+ .prj)
            For csv and asc the fitted parameters and their standard errors go to the sidecar <out>.json.
            expected: events in (as-of, as-of + horizon]; p_any: P(≥ 1) = 1 − e^(−expected) (Poisson approximation);
            quiet: no event within --quiet-km in the 365 days before the last 30; naive_flag: quiet with ≥ 1 event
            within --quiet-km in the last 30 days.

              regionrisk risk --as-of 2025-07-08 --horizon-days 90 --cell-km 10 --format csv --out risk.csv
            """)

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var input: EventInputOptions
    @OptionGroup var area: AnalysisAreaOptions

    @Option(name: .customLong("as-of"), help: "Fit on events up to this day: YYYY-MM-DD, today or yesterday (UTC) (default: the latest event date).")
    var asOf: String?

    @Option(name: .customLong("horizon-days"), help: "Forecast window after the as-of date, days.")
    var horizonDays: Int = 90

    @Option(name: .customLong("cell-km"), help: "Cell size, km.")
    var cellKm: Double = 10

    @Option(name: .customLong("quiet-km"), help: "Distance for the quiet test and the naive rule, km.")
    var quietKm: Double = 50

    @Flag(name: .customLong("include-region-only"), help: "Keep events located only to a region (geo precision 3).")
    var includeRegionOnly = false

    @Option(help: "Output format: csv, geojson, asc.")
    var format: RiskOutputFormat = .csv

    @Option(help: "Output file (written atomically).")
    var out: String = "risk.csv"

    func validate() throws {
        try DateOption.validate(asOf, option: "--as-of")
        guard horizonDays >= 1, horizonDays <= 3660 else { throw ValidationError("--horizon-days must be between 1 and 3660") }
        guard cellKm.isFinite, cellKm > 0 else { throw ValidationError("--cell-km must be a positive number") }
        guard quietKm.isFinite, quietKm > 0 else { throw ValidationError("--quiet-km must be a positive number") }
    }

    func run() throws {
        logging.bootstrap()
        let log = Console.standard
        let started = Date()
        let loaded = try input.loadIncidents(log: log, needsDates: true)
        guard let date = asOf.flatMap(DateOption.parse) ?? loaded.incidents.compactMap(\.date).max() else {
            throw ForecastError.tooFewEvents(0)
        }
        let run = try area.analysisRun(log: log)
        let grid = try run.grid(cellSizeKm: cellKm)
        log.info("\(grid.cellsInside) cells of \(cellKm) km inside, grid \(grid.spec.columns)×\(grid.spec.rows)",
                 event: "grid_built", GridLog.fields(grid, cellKm: cellKm))
        var p = RiskForecastParameters(asOf: date)
        p.horizonDays = horizonDays
        p.cellSizeKm = cellKm
        p.quietDistanceKm = quietKm
        p.excludeRegionOnlyLocations = !includeRegionOnly
        let forecast = try RiskForecaster.run(incidents: loaded.incidents, grid: grid, parameters: p)
        for note in forecast.notes { log.warning(note, event: "forecast_note") }
        let fit = forecast.fit
        let se = fit.standardErrors.map { $0.map { String(format: "%.3g", $0) } ?? "n/a" }
        log.info(String(format: "fit on %d events up to %@: μ = %.4g/day (SE %@), α = %.3g (SE %@), mean delay %.3g days (ω SE %@), σ = %.3g km (SE %@); background %@; %d EM iterations",
                        forecast.eventsUsed, date.description, fit.parameters.muPerDay, se[0], fit.parameters.alpha, se[1],
                        1 / fit.parameters.omegaPerDay, se[2], fit.parameters.sigmaKm, se[3], fit.backgroundDescription, fit.emIterations),
                 event: "forecast_fitted",
                 ["events_used": .number(forecast.eventsUsed), "as_of": .string(date.description),
                  "mu_per_day": .number(fit.parameters.muPerDay), "alpha": .number(fit.parameters.alpha),
                  "mean_delay_days": .number(1 / fit.parameters.omegaPerDay), "sigma_km": .number(fit.parameters.sigmaKm),
                  "em_iterations": .number(fit.emIterations), "background": .string(fit.backgroundDescription)])
        Console.run.count("events_used", forecast.eventsUsed)
        let metadata: [(String, JSONValue)] = [("software", RunMetadata.software)] + forecast.metadata + [
            ("area", .object([("name", .string(grid.area.name)), ("source", .string(grid.area.source))])),
            ("grid", .object([
                ("crs", .string(grid.spec.crs)), ("columns", .number(Double(grid.spec.columns))),
                ("rows", .number(Double(grid.spec.rows))), ("cell_m", .number(grid.spec.cellSizeMeters)),
                ("cells_in_area", .number(Double(grid.cellsInside))),
            ])),
            ("crs", run.crsJSON),
            ("inputs", .array(loaded.fingerprints)),
        ]
        let url = URL(fileURLWithPath: out)
        let sidecar = URL(fileURLWithPath: out + ".json")
        switch format {
        case .csv:
            try AtomicFile.write(RiskForecastExport.sidecar(metadata: metadata), to: sidecar)
            try AtomicFile.write(try RiskForecastExport.csv(forecast), to: url)
        case .geojson:
            try AtomicFile.write(try RiskForecastExport.geoJSON(forecast, metadata: metadata).serialized(), to: url)
        case .asc:
            let ascii = try RiskForecastExport.esriASCII(forecast)
            try AtomicFile.write(RiskForecastExport.sidecar(metadata: metadata), to: sidecar)
            try AtomicFile.write(ascii.prj, to: url.deletingPathExtension().appendingPathExtension("prj"))
            try AtomicFile.write(ascii.grid, to: url)
        }
        log.info(String(format: "expected %.3g events in the %d days after %@ over %d cells; wrote %@ in %.2f s",
                        forecast.expected.reduce(0, +), horizonDays, date.description, grid.cellsInside, url.path,
                        Date().timeIntervalSince(started)),
                 event: "forecast_written",
                 ["expected": .number(forecast.expected.reduce(0, +)), "horizon_days": .number(horizonDays),
                  "cells_inside": .number(grid.cellsInside), "path": .string(url.path), "seconds": .seconds(since: started)])
    }
}
