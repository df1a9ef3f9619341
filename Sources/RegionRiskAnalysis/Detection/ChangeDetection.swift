import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGrid

/// What changed in a cell or region between the baseline window and the recent window.
public enum ChangeCategory: String, Sendable, CaseIterable, Comparable {
    /// An episode none of whose events had a baseline event within the bandwidth (no more than
    /// the quiet threshold).
    case new
    /// Active before, significantly more now.
    case escalating
    /// Active in both windows with no significant change.
    case persistent
    /// Active before, significantly less now.
    case cooling
    /// None of the above: not flagged.
    case quiet

    /// Map and sort order: the most urgent first.
    public static func < (a: ChangeCategory, b: ChangeCategory) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Settings of the "previously quiet → active" detection. Defaults are the documented ones.
public struct ChangeDetectionParameters: Sendable, Equatable {
    /// The date the windows end on (inclusive); default: the latest event date.
    public var asOf: CivilDate?
    /// Recent window, days ending on `asOf` (inclusive).
    public var recentDays: Int = 30
    /// Baseline window, days just before the recent window.
    public var baselineDays: Int = 365
    /// Cell side, km.
    public var cellSizeKm: Double = 5
    /// Events within this distance of a cell centre count for it, km.
    public var bandwidthKm: Double = 50
    /// A cell is "previously quiet" when its baseline count is at most this (default 0: no event
    /// within the bandwidth in the whole baseline window).
    public var quietBaselineMaximum: Int = 0
    /// A cell is "active now" with at least this many recent events.
    public var minimumRecentEvents: Int = 1
    /// False-discovery rate for Benjamini–Hochberg q-values.
    public var alpha: Double = 0.05
    /// Leave events located only to a region (ACLED geo_precision 3, UCDP where_prec ≥ 4) out of
    /// the test; they are counted and reported.
    public var excludeRegionOnlyLocations: Bool = true
    /// Keep only regions whose evidence is significant.
    public var significantOnly: Bool = false
    /// Monte Carlo replicates of the recent window under the fitted null (`EpisodeSignificance`);
    /// p-values are at least 1/(1 + the replicate episodes).
    public var monteCarloReplicates: Int = 199
    /// Seed of the replicates: the same seed gives the same p-values.
    public var seed: UInt64 = 1

    public init() {}

    /// The parameters as output metadata.
    public var json: JSONValue {
        .object([
            ("method", "quiet-to-active, by episode"),
            ("as_of", asOf.map { .string($0.description) } ?? .null),
            ("recent_days", .number(Double(recentDays))), ("baseline_days", .number(Double(baselineDays))),
            ("cell_km", .number(cellSizeKm)), ("bandwidth_km", .number(bandwidthKm)),
            ("quiet_baseline_max", .number(Double(quietBaselineMaximum))),
            ("min_recent_events", .number(Double(minimumRecentEvents))), ("alpha", .number(alpha)),
            ("exclude_region_only_locations", .bool(excludeRegionOnlyLocations)),
            ("significant_only", .bool(significantOnly)),
            ("monte_carlo_replicates", .number(Double(monteCarloReplicates))),
            ("seed", .number(Double(seed))),
            ("episodes", "single linkage of the recent events at the bandwidth; footprint = area within the bandwidth of the episode's events, clipped to the area"),
            ("test", "each episode against a stationary self-exciting null fitted by EM (clustering on the baseline window, background on both windows): Monte Carlo p-value of the Poisson tail of its events given the null's expectation for its footprint, one-sided; Benjamini–Hochberg q-values over the episodes tested"),
        ])
    }
}

/// One episode of recent events as a region: its footprint (the area within the bandwidth of its
/// events), its category, its evidence and its incidents.
public struct FlaggedRegion: Sendable {
    public var id: Int
    public var category: ChangeCategory
    /// −log10(p): higher is stronger evidence.
    public var score: Double
    /// The episode's Monte Carlo p-value (one-sided: excess for new/escalating/persistent, deficit for cooling).
    public var pValue: Double
    /// Its Benjamini–Hochberg q-value over the episodes tested.
    public var qValue: Double
    public var significant: Bool
    /// The episode's own recent events, and the baseline events within the bandwidth of them.
    public var recentEvents: Int
    public var baselineEvents: Int
    public var recentFatalities: Double
    public var firstRecentEvent: CivilDate?
    public var lastEvent: CivilDate?
    public var cells: Int
    public var areaKm2: Double
    /// Peak recent kernel density (quartic, same bandwidth), events/km².
    public var peakDensity: Double
    /// Admin-1 regions the area touches.
    public var admin1: [String]
    /// Names from the region's own incidents (`IncidentPlaceNaming`), most often named first.
    public var places: [String]
    public var summary: String
    /// (lon, lat).
    public var geometry: GeoJSONGeometry
    /// Cell indices (row-major) of the region, for callers that need them.
    public var cellIndices: [Int]
    /// The episode's own recent incidents, by date.
    public var incidents: [Incident]
    /// Events the fitted null expects in the footprint over the recent window.
    public var expectedEvents: Double
}

/// The outcome of a detection run.
public struct ChangeDetectionResult: Sendable {
    public var parameters: ChangeDetectionParameters
    public var asOf: CivilDate
    public var regions: [FlaggedRegion]
    /// Per-cell category (row-major over the grid; `.quiet` outside the area).
    public var cellCategories: [ChangeCategory]
    /// Distinct cells inside the episodes' footprints.
    public var cellsTested: Int
    /// Episodes of recent events, all tested.
    public var episodesTested: Int
    /// The fitted null (nil with no recent event).
    package var null: StationaryHawkesNull?
    public var eventsInRecentWindow: Int
    public var eventsInBaselineWindow: Int
    /// Events left out of the test because their location is known only to a region.
    public var excludedRegionOnly: Int
    /// Events with no date (they cannot be placed in a window).
    public var undated: Int
    public var notes: [String]
    /// The grid's CRS (`AnalysisRun.crsJSON`), recorded in outputs.
    public var crs: JSONValue = .null
}
