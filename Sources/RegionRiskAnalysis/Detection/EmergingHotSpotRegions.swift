import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// Settings of an emerging-hot-spot run over incidents.
public struct EmergingHotSpotRunParameters: Sendable, Equatable {
    /// The last time step ends on this date (inclusive); default the latest event date.
    public var asOf: CivilDate?
    /// Length of one time step, days.
    public var stepDays: Int = 30
    /// Number of time steps (at least 10).
    public var steps: Int = 24
    /// Cell side, km.
    public var cellSizeKm: Double = 5
    /// Gi* neighbourhood distance, km.
    public var neighborhoodKm: Double = 50
    /// Gi* time window: this many previous steps are neighbours too.
    public var neighborhoodTimeSteps: Int = 1
    public var alpha: Double = 0.05
    public var falseDiscoveryRateCorrection = true
    public var excludeRegionOnlyLocations = true

    public init() {}

    public var json: JSONValue {
        .object([
            ("method", "emerging hot spot analysis (Getis-Ord Gi* + Mann-Kendall, ArcGIS Pro categories)"),
            ("as_of", asOf.map { .string($0.description) } ?? .null), ("step_days", .number(Double(stepDays))),
            ("steps", .number(Double(steps))), ("cell_km", .number(cellSizeKm)), ("neighborhood_km", .number(neighborhoodKm)),
            ("neighborhood_time_steps", .number(Double(neighborhoodTimeSteps))), ("alpha", .number(alpha)),
            ("fdr", .bool(falseDiscoveryRateCorrection)), ("exclude_region_only_locations", .bool(excludeRegionOnlyLocations)),
        ])
    }
}

/// Emerging hot spots over incidents: a space-time cube of counts on the area's equal-area grid,
/// `EmergingHotSpotAnalysis` per cell, and cells of one category dissolved into regions.
public enum EmergingHotSpotRegions {
    public struct Region: Sendable {
        public var category: EmergingHotSpotCategory
        public var cells: [Int]
        public var areaKm2: Double
        public var events: Int
        /// The region's strongest Mann-Kendall trend (smallest p).
        public var trendZ: Double
        public var trendP: Double
        /// The largest |Gi*| z-score at the final step.
        public var finalZ: Double
        public var places: [String]
        public var admin1: [String]
        public var geometry: GeoJSONGeometry
    }

    public struct Result: Sendable {
        public var parameters: EmergingHotSpotRunParameters
        public var asOf: CivilDate
        public var firstDay: CivilDate
        public var regions: [Region]
        public var categoryCellCounts: [(EmergingHotSpotCategory, Int)]
        public var eventsInCube: Int
        public var excludedRegionOnly: Int
        /// The grid's CRS (`AnalysisRun.crsJSON`), recorded in outputs.
        public var crs: JSONValue = .null
    }

    /// The analysis on the area's default equal-area grid.
    public static func run(incidents: [Incident], area: AreaOfInterest, parameters: EmergingHotSpotRunParameters,
                           namer: RegionNamer? = nil) throws -> Result {
        try run(AnalysisRun(area: area), incidents: incidents, parameters: parameters, namer: namer)
    }

    /// The analysis on the run's grid (its area and CRS).
    public static func run(_ analysisRun: AnalysisRun, incidents: [Incident], parameters: EmergingHotSpotRunParameters,
                           namer: RegionNamer? = nil) throws -> Result {
        var p = parameters
        guard p.steps >= EmergingHotSpotParameters.minimumTimeSteps else {
            throw DetectionError("emerging hot spot analysis needs at least \(EmergingHotSpotParameters.minimumTimeSteps) time steps (got \(p.steps))")
        }
        guard p.stepDays >= 1 else { throw DetectionError("a time step must be at least one day") }
        try p.checkLimits()
        let dated = incidents.filter { $0.date != nil }
        guard let latest = dated.map({ $0.date! }).max() else {
            throw DetectionError("no dated events: the space-time cube needs event dates")
        }
        let asOf = p.asOf ?? latest
        p.asOf = asOf
        let firstDay = asOf.adding(days: -(p.steps * p.stepDays - 1))
        let grid = try analysisRun.grid(cellSizeKm: p.cellSizeKm)
        let cellCount = grid.spec.cellCount
        try p.checkCube(columns: grid.spec.columns, rows: grid.spec.rows)
        var counts = [Double](repeating: 0, count: p.steps * cellCount)
        var excluded = 0, inCube = 0
        let inWindow = dated.filter { $0.date! >= firstDay && $0.date! <= asOf }
        let projected = try grid.project(inWindow.map(\.location))
        for (i, e) in inWindow.enumerated() {
            if p.excludeRegionOnlyLocations, e.locationPrecision == .regionOnly { excluded += 1; continue }
            guard let cell = grid.spec.cell(containingX: projected.x[i], y: projected.y[i]) else { continue }
            let step = (e.date!.dayNumber - firstDay.dayNumber) / p.stepDays
            counts[step * cellCount + cell.row * grid.spec.columns + cell.column] += 1
            inCube += 1
        }
        let analysis = try EmergingHotSpotAnalysis.analyze(
            counts: counts, nx: grid.spec.columns, ny: grid.spec.rows, steps: p.steps, mask: grid.mask.map { $0 != 0 },
            parameters: EmergingHotSpotParameters(neighborhoodRadiusCells: p.neighborhoodKm / p.cellSizeKm,
                                                  neighborhoodTimeSteps: p.neighborhoodTimeSteps, alpha: p.alpha,
                                                  falseDiscoveryRateCorrection: p.falseDiscoveryRateCorrection))
        var categories = [EmergingHotSpotCategory?](repeating: nil, count: cellCount)
        var byIndex: [Int: EmergingHotSpotCell] = [:]
        for c in analysis.cells {
            categories[c.cellIndex] = c.category
            byIndex[c.cellIndex] = c
        }
        let components = CellDissolver.connectedComponents(categories: categories, spec: grid.spec) {
            $0 == nil || $0 == .noPattern
        }
        var regions: [Region] = []
        // One transformation for every region (creating one costs milliseconds), and each
        // region's outline from its own cells rather than a scan of the whole grid.
        let toLonLat = try Projection(from: "EPSG:4326", to: grid.spec.crs)
        for comp in components {
            let members = comp.cells.compactMap { byIndex[$0] }
            let strongest = members.min { $0.trend.pValue < $1.trend.pValue }
            let geometry = try CellDissolver.lonLatGeometry(spec: grid.spec, sortedCells: comp.cells, projection: toLonLat)
            regions.append(Region(
                category: comp.category!, cells: comp.cells, areaKm2: Double(comp.cells.count) * grid.spec.cellAreaKm2,
                events: Int(members.reduce(0) { $0 + $1.totalCount }), trendZ: strongest?.trend.z ?? 0,
                trendP: strongest?.trend.pValue ?? 1, finalZ: members.map(\.finalZ).max { abs($0) < abs($1) } ?? 0,
                places: namer?.placeNames(for: geometry, limit: 4) ?? [], admin1: namer?.admin1Names(for: geometry) ?? [],
                geometry: geometry))
        }
        let counted = Dictionary(grouping: analysis.cells, by: \.category).mapValues(\.count)
        return Result(parameters: p, asOf: asOf, firstDay: firstDay, regions: regions,
                      categoryCellCounts: EmergingHotSpotCategory.allCases.compactMap { c in counted[c].map { (c, $0) } },
                      eventsInCube: inCube, excludedRegionOnly: excluded, crs: analysisRun.crsJSON)
    }

}
