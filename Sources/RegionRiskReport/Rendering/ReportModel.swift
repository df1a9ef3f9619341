import Foundation
import RegionRiskAnalysis
import RegionRiskBase
import RegionRiskGeoJSON

// The report renderers (SVG map, HTML, Markdown) take this plain value model, so they know
// nothing of the pipeline that fills it: the report stage builds a `ReportDocument` from the
// detection result, the density classes and the per-admin-1 table, then renders it.
// All coordinates are (longitude, latitude), WGS 84 degrees.

/// Everything a rendered report shows.
package struct ReportDocument: Sendable, Equatable {
    /// Heading, e.g. "RegionRisk report".
    package var title: String
    /// The area covered, e.g. "Mali".
    package var areaName: String
    /// The as-of date: the last day of the recent window.
    package var asOf: CivilDate
    /// When the report was produced, as it should be printed (e.g. "2025-07-08T06:00:03Z").
    package var generatedAt: String
    /// The recent and baseline windows the flags compare.
    package var windows: AnalysisWindows
    /// The area's boundary (Polygon or MultiPolygon). The map is fitted to its bounding box.
    package var outline: GeoJSONGeometry
    /// First-level regions drawn as borders and labelled with their names.
    package var regionBorders: [NamedGeometry]
    /// Density classes, lowest first, drawn as filled polygons on a sequential colour ramp.
    package var densityClasses: [DensityClassLayer]
    /// Regions whose risk pattern changed, in the order the tables list them.
    package var flaggedRegions: [FlaggedRegionSummary]
    /// Incidents drawn as dots on the map; empty draws none.
    package var incidents: [ReportIncident]
    /// One row per first-level region, in the order the table lists them.
    package var admin1Rows: [Admin1Row]
    /// Which flagged regions are new since the previous run; nil when there was no previous run.
    package var changesSinceLastRun: RunChanges?
    /// Warnings and notes a reader must see, e.g. "12 events known only to their region were excluded from the test".
    package var notes: [String]
    /// Every parameter of the run, as name and printed value, in display order.
    package var parameters: [ReportParameter]
    /// Where the data come from; the only links the HTML report contains.
    package var sources: [ReportSource]
    /// The forecast's risk layer and at-risk watch list, when the run made a forecast.
    package var riskOutlook: RiskOutlook?
    /// The unit of the density classes' bounds, stated in the legend's heading; nil: the labels state it.
    package var densityUnitLabel: String?
    /// The first and last day of the events the density map counts, stated in the legend.
    package var densityPeriod: ClosedRange<CivilDate>?

    package init(
        title: String, areaName: String, asOf: CivilDate, generatedAt: String, windows: AnalysisWindows,
        outline: GeoJSONGeometry, regionBorders: [NamedGeometry] = [], densityClasses: [DensityClassLayer] = [],
        flaggedRegions: [FlaggedRegionSummary] = [], incidents: [ReportIncident] = [], admin1Rows: [Admin1Row] = [],
        changesSinceLastRun: RunChanges? = nil, notes: [String] = [], parameters: [ReportParameter] = [],
        sources: [ReportSource] = [], riskOutlook: RiskOutlook? = nil
    ) {
        self.title = title
        self.areaName = areaName
        self.asOf = asOf
        self.generatedAt = generatedAt
        self.windows = windows
        self.outline = outline
        self.regionBorders = regionBorders
        self.densityClasses = densityClasses
        self.flaggedRegions = flaggedRegions
        self.incidents = incidents
        self.admin1Rows = admin1Rows
        self.changesSinceLastRun = changesSinceLastRun
        self.notes = notes
        self.parameters = parameters
        self.sources = sources
        self.riskOutlook = riskOutlook
    }
}

/// A geometry with a display name (an admin-1 region).
package struct NamedGeometry: Sendable, Equatable {
    package var name: String
    package var geometry: GeoJSONGeometry
    package init(name: String, geometry: GeoJSONGeometry) { self.name = name; self.geometry = geometry }
}

/// One class of the density map: where density lies in `lowerBound..<upperBound`.
package struct DensityClassLayer: Sendable, Equatable {
    /// Legend text, e.g. "0.001–0.01 events/km²".
    package var label: String
    /// Lower bound, events/km² (or whatever unit `label` names).
    package var lowerBound: Double
    /// Upper bound, same unit; `.infinity` for the top class.
    package var upperBound: Double
    /// Where the density falls in this class (Polygon or MultiPolygon; holes allowed).
    package var geometry: GeoJSONGeometry

    package init(label: String, lowerBound: Double, upperBound: Double, geometry: GeoJSONGeometry) {
        self.label = label
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.geometry = geometry
    }
}

/// A flag category. The four of the default mode have fixed colours and wording; any other
/// (e.g. an Emerging Hot Spot Analysis category such as "intensifying hot spot") is shown as given.
package struct FlagCategory: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    package var rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
    package init(_ rawValue: String) { self.rawValue = rawValue }

    /// Quiet in the baseline, active now.
    package static let new = FlagCategory("new")
    /// Active before, significantly more now.
    package static let escalating = FlagCategory("escalating")
    /// Active in both windows, no significant change.
    package static let persistent = FlagCategory("persistent")
    /// Active before, significantly less now.
    package static let cooling = FlagCategory("cooling")

    /// The default mode's categories, in the order legends and summaries list them.
    package static let standard: [FlagCategory] = [.new, .escalating, .persistent, .cooling]

    /// Standard categories first in their order, others after them alphabetically.
    package static func < (a: FlagCategory, b: FlagCategory) -> Bool {
        let ia = standard.firstIndex(of: a) ?? standard.count
        let ib = standard.firstIndex(of: b) ?? standard.count
        return ia != ib ? ia < ib : a.rawValue < b.rawValue
    }

    package var description: String { rawValue }
}

/// One flagged region as the report shows it.
package struct FlaggedRegionSummary: Sendable, Equatable {
    /// Stable identifier, e.g. "R1".
    package var id: String
    package var category: FlagCategory
    /// Whether the test rejected "no change" after Benjamini–Hochberg correction.
    package var significant: Bool
    /// The exact test's p-value; nil when the region was not tested.
    package var pValue: Double?
    /// The Benjamini–Hochberg q-value; nil when the region was not tested.
    package var qValue: Double?
    /// Events in the recent window.
    package var recentEvents: Int
    /// Events in the baseline window.
    package var baselineEvents: Int
    /// Reported fatalities in the recent window.
    package var recentFatalities: Int
    /// The most populous gazetteer places inside or nearest, most important first ("Kayes", "Diboli").
    package var places: [String]
    /// Every admin-1 region the flagged region touches.
    package var admin1: [String]
    /// One line a person can read, e.g. "New activity around Kayes and Diboli (Kayes region): …".
    package var summary: String
    /// The region (Polygon or MultiPolygon).
    package var geometry: GeoJSONGeometry
    /// The region's own incidents, in the order its table lists them.
    package var incidents: [RegionIncidentRow]

    package init(
        id: String, category: FlagCategory, significant: Bool, pValue: Double?, qValue: Double?,
        recentEvents: Int, baselineEvents: Int, recentFatalities: Int, places: [String], admin1: [String],
        summary: String, geometry: GeoJSONGeometry, incidents: [RegionIncidentRow] = []
    ) {
        self.id = id
        self.category = category
        self.significant = significant
        self.pValue = pValue
        self.qValue = qValue
        self.recentEvents = recentEvents
        self.baselineEvents = baselineEvents
        self.recentFatalities = recentFatalities
        self.places = places
        self.admin1 = admin1
        self.summary = summary
        self.geometry = geometry
        self.incidents = incidents
    }

    /// How the region is named in text and on the map: its places ("Kayes, Diboli"), else its id.
    package func label(maxPlaces: Int = 3) -> String {
        let names = places.prefix(maxPlaces).filter { !$0.isEmpty }
        return names.isEmpty ? id : names.joined(separator: ", ")
    }
}

/// One row of a region's incident table: what the input says of one of its incidents.
package struct RegionIncidentRow: Sendable, Equatable {
    /// The input's event id.
    package var eventID: String
    package var date: CivilDate?
    /// The place as reported.
    package var place: String?
    /// Reported fatalities; nil when the input has none.
    package var fatalities: Double?
    /// The report the record rests on, when the input has one.
    package var sourceURL: String?
    package var sourceTitle: String?

    package init(eventID: String, date: CivilDate?, place: String?, fatalities: Double?, sourceURL: String?, sourceTitle: String?) {
        self.eventID = eventID
        self.date = date
        self.place = place
        self.fatalities = fatalities
        self.sourceURL = sourceURL
        self.sourceTitle = sourceTitle
    }
}

/// An incident drawn on the map.
package struct ReportIncident: Sendable, Equatable {
    /// (lon, lat) degrees.
    package var location: LonLat
    /// Whether it falls in the recent window (drawn stronger) or earlier.
    package var isRecent: Bool
    package init(location: LonLat, isRecent: Bool) { self.location = location; self.isRecent = isRecent }
}

/// One row of the per-admin-1 table.
package struct Admin1Row: Sendable, Equatable {
    package var name: String
    package var recentEvents: Int
    package var baselineEvents: Int
    package var recentFatalities: Int
    package var baselineFatalities: Int
    /// Recent daily event rate divided by the baseline daily event rate (2 = twice as frequent);
    /// nil when the baseline has no event.
    package var rateRatio: Double?
    /// The population-free risk score (higher is worse).
    package var score: Double
    /// 1 for the highest score.
    package var rank: Int

    package init(
        name: String, recentEvents: Int, baselineEvents: Int, recentFatalities: Int, baselineFatalities: Int,
        rateRatio: Double?, score: Double, rank: Int
    ) {
        self.name = name
        self.recentEvents = recentEvents
        self.baselineEvents = baselineEvents
        self.recentFatalities = recentFatalities
        self.baselineFatalities = baselineFatalities
        self.rateRatio = rateRatio
        self.score = score
        self.rank = rank
    }
}

/// Flagged regions compared with the previous run, by their labels.
package struct RunChanges: Sendable, Equatable {
    /// The previous run's as-of date, when known.
    package var previousAsOf: CivilDate?
    /// Flagged now, not in the previous run.
    package var new: [String]
    /// Flagged in both runs.
    package var continuing: [String]
    /// Flagged in the previous run, not now.
    package var ended: [String]

    package init(previousAsOf: CivilDate?, new: [String], continuing: [String], ended: [String]) {
        self.previousAsOf = previousAsOf
        self.new = new
        self.continuing = continuing
        self.ended = ended
    }
}

/// One run parameter, printed as given.
package struct ReportParameter: Sendable, Equatable {
    package var name: String
    package var value: String
    package init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

/// A data source, shown with its link.
package struct ReportSource: Sendable, Equatable {
    package var title: String
    /// An http(s) address; rendered as a link only when it starts with http:// or https://.
    package var url: String
    package init(title: String, url: String) { self.title = title; self.url = url }
}
