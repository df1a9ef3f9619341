import Foundation
import RegionRiskBase
import RegionRiskGeoJSON
import RegionRiskGrid

/// What changed in a cell or region between the baseline window and the recent window.
public enum ChangeCategory: String, Sendable, CaseIterable, Comparable {
    /// Quiet in the baseline (no more than the quiet threshold within the bandwidth), and reached
    /// now by at least the minimum of recent events that are themselves new: no baseline event
    /// within the bandwidth of them.
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
    /// Background rate added to the baseline so that zero baselines can be tested, events/day
    /// (see `RateComparison`).
    public var backgroundEventsPerDay: Double = RateComparison.defaultBackgroundEventsPerDay
    /// Leave events located only to a region (ACLED geo_precision 3, UCDP where_prec ≥ 4) out of
    /// the test; they are counted and reported.
    public var excludeRegionOnlyLocations: Bool = true
    /// Keep only regions whose evidence is significant.
    public var significantOnly: Bool = false

    public init() {}

    /// The parameters as output metadata.
    public var json: JSONValue {
        .object([
            ("method", "quiet-to-active"),
            ("as_of", asOf.map { .string($0.description) } ?? .null),
            ("recent_days", .number(Double(recentDays))), ("baseline_days", .number(Double(baselineDays))),
            ("cell_km", .number(cellSizeKm)), ("bandwidth_km", .number(bandwidthKm)),
            ("quiet_baseline_max", .number(Double(quietBaselineMaximum))),
            ("min_recent_events", .number(Double(minimumRecentEvents))), ("alpha", .number(alpha)),
            ("background_events_per_day", .number(backgroundEventsPerDay)),
            ("exclude_region_only_locations", .bool(excludeRegionOnlyLocations)),
            ("significant_only", .bool(significantOnly)),
            ("test", "exact conditional binomial test of two Poisson rates, one-sided; Benjamini–Hochberg q-values over tested cells"),
        ])
    }
}

/// A contiguous area of cells sharing a change category, with its evidence.
public struct FlaggedRegion: Sendable {
    public var id: Int
    public var category: ChangeCategory
    /// −log10(p): higher is stronger evidence.
    public var score: Double
    /// The smallest cell p-value in the region (one-sided exact rate test).
    public var pValue: Double
    /// The smallest cell q-value (Benjamini–Hochberg over all tested cells).
    public var qValue: Double
    public var significant: Bool
    /// Distinct events within the bandwidth of any of the region's cells, per window.
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
    /// The most populous gazetteer places inside or nearest.
    public var places: [String]
    public var summary: String
    /// (lon, lat).
    public var geometry: GeoJSONGeometry
    /// Cell indices (row-major) of the region, for callers that need them.
    public var cellIndices: [Int]
}

/// The outcome of a detection run.
public struct ChangeDetectionResult: Sendable {
    public var parameters: ChangeDetectionParameters
    public var asOf: CivilDate
    public var regions: [FlaggedRegion]
    /// Per-cell category (row-major over the grid; `.quiet` outside the area).
    public var cellCategories: [ChangeCategory]
    public var cellsTested: Int
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
