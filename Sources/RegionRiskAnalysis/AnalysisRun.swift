import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// One analysis run: the area, the CRS every grid of the run is laid in, and the windows it
/// compares. A command builds it once from its options and hands it to every stage (detection,
/// density, the report), so that `--crs` reaches every grid and is recorded in every output.
///
/// The CRS must be projected, in metres and equal-area over the area (checked with PROJ's
/// areal scale factors at the area's corners, edges' midpoints and centre): a density in events
/// per km² means nothing on a grid whose cells differ in area.
public struct AnalysisRun: Sendable {
    public let area: AreaOfInterest
    /// The CRS of every grid of the run: the one asked for, else a Lambert azimuthal equal-area
    /// CRS centred on the area (`AreaOfInterest.defaultCRS`).
    public let crs: String
    /// What PROJ says of `crs` (name, units, worst areal distortion over the area).
    public let crsProperties: CRSProperties
    /// True when `crs` was asked for rather than the area's default.
    public let crsIsCustom: Bool
    private let grids = GridCache()

    /// - Throws: `AnalysisRunError` when `crs` is not a projected, metric, equal-area CRS over
    ///   the area; PROJError when PROJ cannot read it.
    public init(area: AreaOfInterest, crs: String? = nil) throws {
        self.area = area
        self.crs = crs ?? area.defaultCRS
        crsIsCustom = crs != nil
        let properties = try CRSProperties.inspect(self.crs, at: area.checkPoints)
        crsProperties = properties
        guard properties.isProjected else { throw AnalysisRunError.notProjected(crs: self.crs, name: properties.name) }
        guard let unit = properties.metresPerUnit, abs(unit - 1) < 1e-12 else {
            throw AnalysisRunError.notMetres(crs: self.crs, name: properties.name, metresPerUnit: properties.metresPerUnit)
        }
        guard properties.isEqualAreaInMetres else {
            throw AnalysisRunError.notEqualArea(crs: self.crs, name: properties.name,
                                               distortion: properties.worstArealDistortion ?? .infinity)
        }
    }

    /// The run's grid of `cellSizeKm` cells over the area, built once per cell size.
    public func grid(cellSizeKm: Double) throws -> AreaGrid {
        try grids.grid(cellSizeKm: cellSizeKm) { try AreaGrid.make(area: area, cellSizeKm: cellSizeKm, crs: crs) }
    }

    /// The CRS as outputs record it.
    public var crsJSON: JSONValue {
        .object([("definition", .string(crs)), ("name", .string(crsProperties.name)),
                 ("source", .string(crsIsCustom ? "--crs" : "default: Lambert azimuthal equal-area centred on the area"))])
    }
}

/// Grids of one run, by cell size (a report uses the same grid for detection and density).
private final class GridCache: @unchecked Sendable {
    // @unchecked: every access to `grids` holds `lock`.
    private let lock = NSLock()
    private var grids: [Double: AreaGrid] = [:]

    func grid(cellSizeKm: Double, make: () throws -> AreaGrid) throws -> AreaGrid {
        lock.lock()
        defer { lock.unlock() }
        if let g = grids[cellSizeKm] { return g }
        let g = try make()
        grids[cellSizeKm] = g
        return g
    }
}

/// Why a CRS cannot carry an analysis grid.
public enum AnalysisRunError: LocalizedError, Sendable, Equatable {
    case notProjected(crs: String, name: String)
    case notMetres(crs: String, name: String, metresPerUnit: Double?)
    case notEqualArea(crs: String, name: String, distortion: Double)

    public var errorDescription: String? {
        let hint = "Give an equal-area projected CRS in metres, e.g. --crs EPSG:6933 (global) or a Lambert azimuthal equal-area '+proj=laea +lat_0=… +lon_0=… +datum=WGS84 +units=m +type=crs', or leave --crs out for one centred on the area."
        switch self {
        case let .notProjected(crs, name):
            return "--crs \(crs) (\(name)) is not a projected CRS: the grid needs x/y in metres, not degrees. \(hint)"
        case let .notMetres(crs, name, factor):
            return "--crs \(crs) (\(name)) is not in metres (\(factor.map { "1 unit = \($0) m" } ?? "unknown unit")). \(hint)"
        case let .notEqualArea(crs, name, distortion):
            return "--crs \(crs) (\(name)) is not equal-area over the area: cell areas differ by up to \(String(format: "%.2g", distortion * 100)) %, so densities per km² would be wrong. \(hint)"
        }
    }
}

extension AreaOfInterest {
    /// Where a CRS is checked: the bounding box's corners, edge midpoints and centre.
    var checkPoints: [LonLat] {
        guard let b = boundary.boundingBox else { return [boundingBoxCentre] }
        // Round the circle: an area across 180° is checked on its own side of the Earth.
        let e = longitudeExtent
        let lons = [e.west, (e.west + e.east) / 2, e.east], lats = [b.south, (b.south + b.north) / 2, b.north]
        return lons.flatMap { lon in lats.map { LonLat(lon: lon, lat: $0) } }
    }
}

/// The two windows compared, as inclusive ranges of calendar days.
public struct AnalysisWindows: Sendable, Equatable {
    public var recentStart: CivilDate
    public var recentEnd: CivilDate
    public var baselineStart: CivilDate
    public var baselineEnd: CivilDate

    public init(recentStart: CivilDate, recentEnd: CivilDate, baselineStart: CivilDate, baselineEnd: CivilDate) {
        self.recentStart = recentStart
        self.recentEnd = recentEnd
        self.baselineStart = baselineStart
        self.baselineEnd = baselineEnd
    }

    /// Windows ending on `asOf`: the recent window is the `recentDays` days up to and including
    /// `asOf`, the baseline the `baselineDays` days just before it.
    /// Example: as of 2025-07-08 with 30 and 365 days, recent is 2025-06-09…2025-07-08 and
    /// baseline 2024-06-09…2025-06-08.
    public init(asOf: CivilDate, recentDays: Int, baselineDays: Int) {
        recentEnd = asOf
        recentStart = asOf.adding(days: -(recentDays - 1))
        baselineEnd = recentStart.adding(days: -1)
        baselineStart = baselineEnd.adding(days: -(baselineDays - 1))
    }

    /// Length of the recent window in days.
    public var recentDays: Int { recentEnd.dayNumber - recentStart.dayNumber + 1 }
    /// Length of the baseline window in days.
    public var baselineDays: Int { baselineEnd.dayNumber - baselineStart.dayNumber + 1 }

    /// True when `date` lies in the recent window.
    public func isRecent(_ date: CivilDate) -> Bool { date >= recentStart && date <= recentEnd }
    /// True when `date` lies in the baseline window.
    public func isBaseline(_ date: CivilDate) -> Bool { date >= baselineStart && date <= baselineEnd }
    /// True when `date` lies in either window (baseline start … as-of).
    public func contains(_ date: CivilDate) -> Bool { date >= baselineStart && date <= recentEnd }
}
