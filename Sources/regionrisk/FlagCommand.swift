import ArgumentParser
import Foundation
import Logging
import RegionRisk

/// Formats of vector outputs.
enum VectorOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case geojson, gpkg
}

enum FlagMethod: String, ExpressibleByArgument, CaseIterable {
    case quietToActive = "quiet-to-active"
    case ehsa
}

struct FlagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flag",
        abstract: "Flag regions that were previously quiet and are now active (or emerging hot spots with --method ehsa).",
        discussion: """
            Default method (quiet-to-active, by episode): the events of the recent window (--recent-days ending on
            --as-of) are grouped into episodes by single linkage at --bandwidth-km (two events closer than it share an
            episode, and so does any chain of such events). Each episode is one region: the area within --bandwidth-km
            of its events, clipped to the area; it holds its own incidents and no other episode's. Categories, per
            episode: new (no baseline event within --bandwidth-km of any of its events; at most --quiet-max),
            escalating (active before, significantly more now), persistent (active before, no significant change),
            cooling (active before, significantly fewer now). Evidence: each episode is tested as a unit against a
            stationary self-exciting (Hawkes) null fitted by EM to the events of both windows: its events against the
            null's expectation for its footprint, calibrated by --replicates Monte Carlo replicates of the recent
            window (seeded by --seed); Benjamini–Hochberg q-values over the episodes tested; significant when q < --alpha.
            Episodes with fewer than --min-recent events are not flagged. Events located only to a region (geo
            precision 3) are left out unless --include-region-only.

            Output: an RFC 7946 FeatureCollection of region polygons (properties: category, significant, score,
            p_value, q_value, recent_events, baseline_events, recent_fatalities, first_recent_event, last_event,
            area_km2, peak_density (events per 1,000 km²), admin1, places, summary, expected_events, event_ids, incidents with date, place as
            reported, fatalities and source) with every parameter, the fitted null, the as-of date and the
            inputs' SHA-256 at the top level. admin1 is one string ("Mopti, Ségou"), with admin1_list where several
            apply; start and end are ISO 8601 datetimes (first recent event's day to the end of the last event's day,
            end exclusive) for kepler.gl's time playback. --format gpkg writes the same features as a GeoPackage layer.
            """)

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var input: EventInputOptions
    @OptionGroup var area: AnalysisAreaOptions
    @OptionGroup var detection: DetectionOptions

    @Option(help: "Output file (written atomically), - for standard output.")
    var out: String = "regions.geojson"

    @Option(help: "Output format: geojson, or gpkg (a GeoPackage with one layer, regions). Default: gpkg when --out ends in .gpkg, else geojson.")
    var format: VectorOutputFormat?

    @Option(name: .customLong("step-days"), help: "EHSA: length of a time step, days.")
    var stepDays: Int = 30

    @Option(help: "EHSA: number of time steps ending on the as-of date (at least 10).")
    var steps: Int = 24

    @Option(name: .customLong("time-window-steps"), help: "EHSA: previous time steps counted as neighbours in Gi*.")
    var timeWindowSteps: Int = 1

    @Flag(name: .customLong("no-fdr"), help: "EHSA: no false-discovery-rate correction of the Gi* bins.")
    var noFDR = false

    func validate() throws {
        if out.isEmpty { throw ValidationError("--out is empty; give a file name, or - for standard output") }
        try OptionLimits.check("--steps", steps, in: ParameterLimits.timeSteps)
        try OptionLimits.check("--step-days", stepDays, in: ParameterLimits.stepDays, unit: "days")
        try OptionLimits.check("--time-window-steps", timeWindowSteps, in: 0...(steps - 1))
    }

    func run() throws {
        logging.bootstrap()
        let log = Console.standard
        let loaded = try input.loadIncidents(log: log, needsDates: true)
        if let warning = ParameterLimits.narrowBandwidthWarning("--bandwidth-km", bandwidthKm: detection.bandwidthKm, cellSizeKm: detection.cellKm) {
            log.warning(warning, event: "parameter_warning")
        }
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
            log.info("emerging hot spots, \(steps) steps of \(stepDays) days from \(result.firstDay) to \(result.asOf): \(result.eventsInCube) events in the cube",
                     event: "ehsa_finished",
                     ["steps": .number(steps), "step_days": .number(stepDays), "first_day": .string(result.firstDay.description),
                      "as_of": .string(result.asOf.description), "events_in_cube": .number(result.eventsInCube)])
            Console.run.count("events_in_cube", result.eventsInCube)
            for (category, cells) in result.categoryCellCounts {
                log.info("  \(category.rawValue): \(cells) cells", event: "ehsa_category", ["category": .string(category.rawValue), "cells": .number(cells)])
            }
            output = EmergingHotSpotRegions.featureCollection(result, inputs: loaded.fingerprints)
        } else {
            output = try detection.run(run, incidents: loaded.incidents, namer: try area.namer(for: aoi),
                                       inputs: loaded.fingerprints, log: log).geoJSON
        }
        switch format ?? (out.lowercased().hasSuffix(".gpkg") ? .gpkg : .geojson) {
        case .geojson:
            try AtomicFile.write(output.serialized(), toPath: out)
        case .gpkg:
            try AtomicFile.write(try GeoPackageWriter.data(layers: [VectorLayer(name: "regions", features: output.features, geometry: .polygons)]),
                                 toPath: out)
        }
        log.info("wrote \(out)", event: "output_written", ["path": .string(out)])
    }
}
