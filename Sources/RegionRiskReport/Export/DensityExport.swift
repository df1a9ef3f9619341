import Foundation
import RegionRiskBase
import RegionRiskGDAL
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// The unit densities are written in: events (weight units, when weighted) per 1,000 km² by
/// default, so that country-scale values read as 0.2 or 5 rather than 0.0002 or 0.005.
public enum DensityUnit: String, Sendable, CaseIterable {
    case per1000Km2 = "per-1000km2"
    case perKm2 = "per-km2"

    /// Multiplies a density in events/km² into this unit.
    public var factorFromPerKm2: Double { self == .per1000Km2 ? 1000 : 1 }
    /// As legends and labels print it.
    public var label: String { self == .per1000Km2 ? "events per 1,000 km²" : "events per km²" }
    /// As field and column names carry it (`density_per_1000km2`).
    public var fieldSuffix: String { self == .per1000Km2 ? "per_1000km2" : "per_km2" }
}

/// Class breaks for mapping a density as polygons.
///
/// Default: fixed breaks at 0.1, 0.2, 0.5, 1, 2, 5 and 10 events per 1,000 km², the same for every
/// area and every night, so that two nightly maps compare (one event alone peaks at 0.38 per
/// 1,000 km² with the default 50 km quartic kernel). Cells under the lowest break are not drawn.
/// Relative breaks (fractions of the peak) remain available for one-off maps.
public struct DensityClassBreaks: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case fractionOfPeak([Double])
        /// Lower bounds in events/km².
        case absolute([Double])
    }
    public var kind: Kind
    /// The default breaks, events per 1,000 km².
    public static let defaultPer1000Km2: [Double] = [0.1, 0.2, 0.5, 1, 2, 5, 10]
    public static let `default` = DensityClassBreaks(kind: .absolute(defaultPer1000Km2.map { $0 / 1000 }))

    public init(kind: Kind) { self.kind = kind }

    /// Absolute breaks given in `unit` (e.g. `--breaks 1,2,5` per 1,000 km²).
    public init(absolute values: [Double], in unit: DensityUnit) {
        self.init(kind: .absolute(values.map { $0 / unit.factorFromPerKm2 }))
    }

    /// Lower bounds of each class in events/km², increasing.
    public func lowerBounds(peak: Double) -> [Double] {
        switch kind {
        case let .fractionOfPeak(f): f.sorted().map { $0 * peak }
        case let .absolute(b): b.sorted()
        }
    }

    /// How many classes the breaks make (the legend's and the colour ramp's length).
    public var classCount: Int {
        switch kind {
        case let .fractionOfPeak(f): f.count
        case let .absolute(b): b.count
        }
    }
}

/// One density class drawn as a dissolved polygon.
public struct DensityClassPolygon: Sendable {
    public var classIndex: Int
    /// events/km², inclusive.
    public var lower: Double
    /// events/km², exclusive; nil for the top class.
    public var upper: Double?
    public var cells: Int
    public var areaKm2: Double
    /// (lon, lat) geometry.
    public var geometry: GeoJSONGeometry
}

/// Writers for density grids: GeoJSON class polygons or cells, CSV of cell centres, ESRI ASCII grid.
public enum DensityExport {
    static let classNames = ["very low", "low", "moderate", "elevated", "high", "very high", "extreme", "extreme+", "extreme++"]

    /// The legend text of a class, e.g. "0.2–0.5 events per 1,000 km²" (bounds in events/km²).
    /// `withUnit` false leaves the unit out, for a legend whose heading states it.
    public static func label(lower: Double, upper: Double?, unit: DensityUnit, withUnit: Bool = true) -> String {
        let f = unit.factorFromPerKm2
        let range = upper.map { "\(format(lower * f))–\(format($0 * f))" } ?? "≥ \(format(lower * f))"
        return withUnit ? "\(range) \(unit.label)" : range
    }

    /// Dissolves the cells inside the area into one polygon per class (see `CellDissolver`), in
    /// the grid's CRS, then projects to (lon, lat).
    public static func classPolygons(_ grid: DensityGrid, breaks: DensityClassBreaks = .default) throws -> [DensityClassPolygon] {
        let spec = grid.spec
        let bounds = breaks.lowerBounds(peak: grid.peak)
        guard !bounds.isEmpty, grid.peak > 0 else { return [] }
        var result: [DensityClassPolygon] = []
        let toLonLat = try Projection(from: "EPSG:4326", to: spec.crs)  // one for all classes: costly to create
        for (k, lower) in bounds.enumerated() where lower > 0 {
            let upper = k + 1 < bounds.count ? bounds[k + 1] : nil
            var cells = 0
            let inClass: (Int) -> Bool = { i in
                let v = grid.values[i]
                return grid.mask[i] != 0 && v >= lower && (upper.map { v < $0 } ?? true)
            }
            for i in 0..<spec.cellCount where inClass(i) { cells += 1 }
            guard cells > 0, let dissolved = try CellDissolver.projectedGeometry(spec: spec, includes: inClass) else { continue }
            result.append(DensityClassPolygon(classIndex: k, lower: lower, upper: upper, cells: cells,
                                              areaKm2: Double(cells) * spec.cellAreaKm2,
                                              geometry: try CellDissolver.toLonLat(dissolved, projection: toLonLat)))
        }
        return result
    }

    /// A FeatureCollection of class polygons with properties map tools can style by
    /// (`class`, `label`, `fill` — the HTML map's colour —, bounds in `unit`, the unit itself)
    /// and run metadata as a foreign member.
    public static func classesGeoJSON(_ grid: DensityGrid, breaks: DensityClassBreaks = .default, unit: DensityUnit = .per1000Km2,
                                      metadata: [(String, JSONValue)]) throws -> GeoJSONFeatureCollection {
        GeoJSONFeatureCollection(features: classFeatures(try classPolygons(grid, breaks: breaks), classCount: breaks.classCount,
                                                         peak: grid.peak, unit: unit),
                                 foreignMembers: metadata)
    }

    /// The class polygons as features (see `classesGeoJSON`); also the report's GeoPackage layer.
    public static func classFeatures(_ classes: [DensityClassPolygon], classCount: Int, peak: Double, unit: DensityUnit) -> [GeoJSONFeature] {
        let ramp = MapStyle.densityRamp(classCount)
        let f = unit.factorFromPerKm2
        return classes.map { c -> GeoJSONFeature in
            GeoJSONFeature(geometry: c.geometry, properties: .object([
                ("class", .number(Double(c.classIndex + 1))),
                ("class_name", .string(classNames[min(c.classIndex, classNames.count - 1)])),
                ("label", .string(label(lower: c.lower, upper: c.upper, unit: unit))),
                ("density_min", .number(c.lower * f)),
                ("density_max", c.upper.map { .number($0 * f) } ?? .null),
                ("density_unit", .string(unit.label)),
                ("share_of_peak_min", .number(peak > 0 ? c.lower / peak : 0)),
                ("cells", .number(Double(c.cells))),
                ("area_km2", .number((c.areaKm2 * 100).rounded() / 100)),
                ("fill", .string(ramp[min(c.classIndex, ramp.count - 1)])),
            ]))
        }
    }

    /// One square polygon per cell inside the area with density > 0 (for coarse grids).
    public static func cellsGeoJSON(_ grid: DensityGrid, unit: DensityUnit = .per1000Km2,
                                    metadata: [(String, JSONValue)]) throws -> GeoJSONFeatureCollection {
        let spec = grid.spec
        let projection = try Projection(from: "EPSG:4326", to: spec.crs)
        var features: [GeoJSONFeature] = []
        for r in 0..<spec.rows {
            for c in 0..<spec.columns {
                let i = r * spec.columns + c
                guard grid.mask[i] != 0, grid.values[i] > 0 else { continue }
                let x0 = spec.westX + Double(c) * spec.cellSizeMeters, x1 = x0 + spec.cellSizeMeters
                let y1 = spec.northY - Double(r) * spec.cellSizeMeters, y0 = y1 - spec.cellSizeMeters
                var xs = [x0, x1, x1, x0, x0], ys = [y0, y0, y1, y1, y0]
                try projection.inverse(x: &xs, y: &ys)
                let ring = zip(xs, ys).map { LonLat(lon: $0, lat: $1) }
                features.append(GeoJSONFeature(geometry: .polygon([ring]), properties: .object([
                    ("row", .number(Double(r))), ("col", .number(Double(c))),
                    ("density", .number(grid.values[i] * unit.factorFromPerKm2)),
                ])))
            }
        }
        return GeoJSONFeatureCollection(features: features, foreignMembers: metadata)
    }

    /// `lon,lat,density_per_1000km2` (or `_per_km2`) for every cell centre inside the area,
    /// row-major from the north-west.
    public static func csv(_ grid: DensityGrid, unit: DensityUnit = .per1000Km2) throws -> String {
        let spec = grid.spec
        let projection = try Projection(from: "EPSG:4326", to: spec.crs)
        var xs: [Double] = [], ys: [Double] = [], values: [Double] = []
        for r in 0..<spec.rows {
            for c in 0..<spec.columns where grid.mask[r * spec.columns + c] != 0 {
                let p = spec.cellCenter(column: c, row: r)
                xs.append(p.x); ys.append(p.y); values.append(grid.values[r * spec.columns + c])
            }
        }
        try projection.inverse(x: &xs, y: &ys)
        var out = Array("lon,lat,density_\(unit.fieldSuffix)\n".utf8)
        out.reserveCapacity(values.count * 32)
        for i in 0..<values.count {
            NumberText.appendFixed6(xs[i], to: &out)
            out.append(UInt8(ascii: ","))
            NumberText.appendFixed6(ys[i], to: &out)
            out.append(UInt8(ascii: ","))
            NumberText.appendShortest(values[i] * unit.factorFromPerKm2, to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// ESRI ASCII grid in `unit` (cells outside the area are NODATA) and the `.prj` WKT that GDAL
    /// and QGIS read beside it. The format has no place for a unit: the run's log and manifest state it.
    public static func esriASCII(_ grid: DensityGrid, unit: DensityUnit = .per1000Km2) throws -> (grid: String, prj: String) {
        let spec = grid.spec
        var out = """
            ncols \(spec.columns)
            nrows \(spec.rows)
            xllcorner \(spec.westX)
            yllcorner \(spec.southY)
            cellsize \(spec.cellSizeMeters)
            NODATA_value -9999

            """
        var bytes = Array(out.utf8)
        bytes.reserveCapacity(bytes.count + spec.cellCount * 8)
        let nodata = Array("-9999".utf8)
        for r in 0..<spec.rows {
            for c in 0..<spec.columns {
                let i = r * spec.columns + c
                if c > 0 { bytes.append(UInt8(ascii: " ")) }
                if grid.mask[i] != 0 { NumberText.appendShortest(grid.values[i] * unit.factorFromPerKm2, to: &bytes) } else { bytes.append(contentsOf: nodata) }
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        out = String(decoding: bytes, as: UTF8.self)
        let prj = try Projection(from: "EPSG:4326", to: spec.crs).targetCRSWKT(esri: true)
        return (out, prj)
    }

    /// GeoTIFF (Cloud-Optimized where GDAL has the COG driver): Float64 in `unit`, nodata −9999
    /// outside the area, the grid's CRS; the unit and `metadata` items stored in the file.
    public static func geoTIFF(_ grid: DensityGrid, unit: DensityUnit = .per1000Km2, metadata: [(String, String)] = []) throws -> Data {
        let spec = grid.spec
        let f = unit.factorFromPerKm2
        var values = [Double](repeating: -9999, count: spec.cellCount)
        for i in 0..<spec.cellCount where grid.mask[i] != 0 { values[i] = grid.values[i] * f }
        return try GeoTIFFWriter.data(RasterGrid(
            columns: spec.columns, rows: spec.rows, westX: spec.westX, northY: spec.northY, cellSize: spec.cellSizeMeters,
            crs: spec.crs, values: values, noData: -9999, unit: unit.label,
            metadata: [("DENSITY_UNIT", unit.label)] + metadata))
    }

    static func format(_ v: Double) -> String { String(format: "%.3g", v) }
}
