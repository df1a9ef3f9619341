import ArgumentParser
import Foundation
import RegionRisk

enum FlagMethod: String, ExpressibleByArgument, CaseIterable {
    case quietToActive = "quiet-to-active"
    case ehsa
}

struct FlagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flag",
        abstract: "Flag regions that were previously quiet and are now active (or emerging hot spots with --method ehsa).",
        discussion: """
            Default method (quiet-to-active): for each cell, events within --bandwidth-km in the recent window
            (--recent-days ending on --as-of) and in the baseline window (--baseline-days before it).
            A cell is "previously quiet" with at most --quiet-max baseline events (default 0), "active now" with
            at least --min-recent recent events (default 1). Categories: new (quiet before, active now),
            escalating (active before, significantly more now), persistent (active in both, no significant change),
            cooling (active before, significantly less now). Evidence: the exact conditional binomial test of the
            two Poisson rates (one-sided) with a small background rate so zero baselines can be tested, and
            Benjamini–Hochberg q-values over all tested cells; a region is significant when its best cell's
            q < --alpha. A single event on a quiet town is flagged "new" at once but is not yet significant.
            Events located only to a region (geo precision 3) are left out unless --include-region-only.

            Output: an RFC 7946 FeatureCollection of region polygons (properties: category, significant, score,
            p_value, q_value, recent_events, baseline_events, recent_fatalities, first_recent_event, last_event,
            area_km2, peak_density, admin1, places, summary) with every parameter, the as-of date and the
            inputs' SHA-256 at the top level.
            """)

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var input: EventInputOptions
    @OptionGroup var area: AnalysisAreaOptions
    @OptionGroup var detection: DetectionOptions

    @Option(help: "Output GeoJSON file (written atomically).")
    var out: String = "regions.geojson"

    @Option(name: .customLong("step-days"), help: "EHSA: length of a time step, days.")
    var stepDays: Int = 30

    @Option(help: "EHSA: number of time steps ending on the as-of date (at least 10).")
    var steps: Int = 24

    @Option(name: .customLong("time-window-steps"), help: "EHSA: previous time steps counted as neighbours in Gi*.")
    var timeWindowSteps: Int = 1

    @Flag(name: .customLong("no-fdr"), help: "EHSA: no false-discovery-rate correction of the Gi* bins.")
    var noFDR = false

    func run() throws {
        logging.bootstrap()
        let log = Console.standard
        let loaded = try input.loadIncidents(log: log)
        let run = try area.analysisRun(log: log)
        let aoi = run.area
        let output: GeoJSONFeatureCollection
        if detection.method == .ehsa {
            var p = EmergingHotSpotRunParameters()
            p.asOf = detection.parameters.asOf
            p.stepDays = stepDays
            p.steps = steps
            p.cellSizeKm = detection.cellKm
            p.neighborhoodKm = detection.bandwidthKm
            p.neighborhoodTimeSteps = timeWindowSteps
            p.alpha = detection.alpha
            p.falseDiscoveryRateCorrection = !noFDR
            p.excludeRegionOnlyLocations = !detection.includeRegionOnly
            let result = try EmergingHotSpotRegions.run(run, incidents: loaded.incidents, parameters: p,
                                                        namer: try area.namer(for: aoi))
            log.info("emerging hot spots, \(steps) steps of \(stepDays) days from \(result.firstDay) to \(result.asOf): \(result.eventsInCube) events in the cube")
            for (category, cells) in result.categoryCellCounts { log.info("  \(category.rawValue): \(cells) cells") }
            output = EmergingHotSpotRegions.featureCollection(result, inputs: loaded.fingerprints)
        } else {
            output = try detection.run(run, incidents: loaded.incidents, namer: try area.namer(for: aoi),
                                       inputs: loaded.fingerprints, log: log).geoJSON
        }
        try AtomicFile.write(output.serialized(), to: URL(fileURLWithPath: out))
        log.info("wrote \(out)")
    }
}
