import ArgumentParser
import Foundation
import RegionRisk

/// Detection settings shared by `flag` and `report`.
struct DetectionOptions: ParsableArguments {
    @Option(help: "Method: quiet-to-active (default) or ehsa (emerging hot spot analysis).")
    var method: FlagMethod = .quietToActive

    @Option(name: .customLong("as-of"), help: "End of the recent window, YYYY-MM-DD (default: the latest event date).")
    var asOf: String?

    @Option(name: .customLong("recent-days"), help: "Recent window, days.") var recentDays: Int = 30
    @Option(name: .customLong("baseline-days"), help: "Baseline window, days before the recent window.") var baselineDays: Int = 365
    @Option(name: .customLong("cell-km"), help: "Cell size, km.") var cellKm: Double = 5
    @Option(name: .customLong("bandwidth-km"), help: "Events within this distance of a cell count for it, km.") var bandwidthKm: Double = 50
    @Option(name: .customLong("quiet-max"), help: "Most baseline events a cell may have and still be 'previously quiet'.") var quietMax: Int = 0
    @Option(name: .customLong("min-recent"), help: "Fewest recent events that make a cell 'active now'.") var minRecent: Int = 1
    @Option(help: "False-discovery rate for the q-values.") var alpha: Double = 0.05
    @Flag(name: .customLong("include-region-only"), help: "Keep events located only to a region (geo precision 3) in the test.") var includeRegionOnly = false
    @Flag(name: .customLong("significant-only"), help: "Keep only regions whose evidence is significant.") var significantOnly = false

    func validate() throws {
        if let asOf, CivilDate(parsing: asOf) == nil { throw ValidationError("--as-of \"\(asOf)\" is not a date like 2025-07-08") }
        guard recentDays > 0, baselineDays > 0 else { throw ValidationError("--recent-days and --baseline-days must be positive") }
        guard cellKm.isFinite, cellKm > 0, bandwidthKm.isFinite, bandwidthKm > 0 else {
            throw ValidationError("--cell-km and --bandwidth-km must be positive numbers")
        }
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1") }
        guard quietMax >= 0, minRecent >= 1 else { throw ValidationError("--quiet-max must be ≥ 0 and --min-recent ≥ 1") }
    }

    var parameters: ChangeDetectionParameters {
        var p = ChangeDetectionParameters()
        p.asOf = asOf.flatMap { CivilDate(parsing: $0) }
        p.recentDays = recentDays
        p.baselineDays = baselineDays
        p.cellSizeKm = cellKm
        p.bandwidthKm = bandwidthKm
        p.quietBaselineMaximum = quietMax
        p.minimumRecentEvents = minRecent
        p.alpha = alpha
        p.excludeRegionOnlyLocations = !includeRegionOnly
        p.significantOnly = significantOnly
        return p
    }

    struct Outcome {
        var result: ChangeDetectionResult
        var geoJSON: GeoJSONFeatureCollection
    }

    func run(_ analysis: AnalysisRun, incidents: [Incident], namer: RegionNamer, inputs: [JSONValue], log: Console) throws -> Outcome {
        let result = try ChangeDetector.run(analysis, incidents: incidents, parameters: parameters, namer: namer)
        for note in result.notes { log.warning(note) }
        log.info("as of \(result.asOf): \(result.eventsInRecentWindow) events in the last \(recentDays) days, \(result.eventsInBaselineWindow) in the \(baselineDays) before; \(result.cellsTested) cells tested")
        for r in result.regions where r.category != .persistent {
            log.info("\(r.category.rawValue)\(r.significant ? " (significant)" : ""): \(r.summary)")
        }
        let counts = Dictionary(grouping: result.regions, by: \.category).mapValues(\.count)
        log.info("regions: " + ChangeCategory.allCases.filter { $0 != .quiet }.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
        return Outcome(result: result, geoJSON: FlaggedRegionExport.featureCollection(result, inputs: inputs))
    }
}
