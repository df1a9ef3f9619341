import ArgumentParser
import Foundation
import RegionRisk

/// Detection settings shared by `flag` and `report`.
struct DetectionOptions: ParsableArguments {
    @Option(help: "Method: quiet-to-active (default) or ehsa (emerging hot spot analysis).")
    var method: FlagMethod = .quietToActive

    @Option(name: .customLong("as-of"), help: "End of the recent window: YYYY-MM-DD, today or yesterday (UTC) (default: the latest event date).")
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
    @Option(name: .customLong("replicates"), help: "Monte Carlo replicates of the recent window under the fitted null.") var replicates: Int = 199
    @Option(help: "Seed of the Monte Carlo replicates (same seed, same p-values).") var seed: UInt64 = 1

    func validate() throws {
        try DateOption.validate(asOf, option: "--as-of")
        try OptionLimits.check("--recent-days", recentDays, in: ParameterLimits.windowDays, unit: "days")
        try OptionLimits.check("--baseline-days", baselineDays, in: ParameterLimits.windowDays, unit: "days")
        try OptionLimits.check("--cell-km", cellKm, in: ParameterLimits.cellSizeKm, unit: "km")
        try OptionLimits.check("--bandwidth-km", bandwidthKm, in: ParameterLimits.bandwidthKm, unit: "km")
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1") }
        try OptionLimits.check("--quiet-max", quietMax, in: ParameterLimits.eventThreshold)
        try OptionLimits.check("--min-recent", minRecent, in: 1...ParameterLimits.eventThreshold.upperBound)
        try OptionLimits.check("--replicates", replicates, in: 0...100_000)
    }

    var parameters: ChangeDetectionParameters {
        var p = ChangeDetectionParameters()
        p.asOf = asOf.flatMap(DateOption.parse)
        p.recentDays = recentDays
        p.baselineDays = baselineDays
        p.cellSizeKm = cellKm
        p.bandwidthKm = bandwidthKm
        p.quietBaselineMaximum = quietMax
        p.minimumRecentEvents = minRecent
        p.alpha = alpha
        p.excludeRegionOnlyLocations = !includeRegionOnly
        p.significantOnly = significantOnly
        p.monteCarloReplicates = replicates
        p.seed = seed
        return p
    }

    struct Outcome {
        var result: ChangeDetectionResult
        var geoJSON: GeoJSONFeatureCollection
    }

    func run(_ analysis: AnalysisRun, incidents: [Incident], namer: RegionNamer, inputs: [JSONValue], log: Console) throws -> Outcome {
        let result = try ChangeDetector.run(analysis, incidents: incidents, parameters: parameters, namer: namer)
        DetectionLog.report(result, regionsOfInterest: { $0.category != .persistent }, log: log)
        return Outcome(result: result, geoJSON: FlaggedRegionExport.featureCollection(result, inputs: inputs))
    }
}
