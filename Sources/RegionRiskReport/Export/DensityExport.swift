import Foundation
import RegionRiskBase
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// Class breaks for mapping a density as polygons.
///
/// Default: fractions of the peak — 5%, 15%, 30%, 50% and 75% — giving five classes from
/// "low" (5–15% of the peak) to "very high" (≥ 75%). Cells under the lowest break are not drawn.
/// Relative breaks make every map readable whatever the data volume; for maps compared across
/// runs, pass absolute breaks in events/km².
public struct DensityClassBreaks: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case fractionOfPeak([Double])
        case absolute([Double])
    }
    public var kind: Kind
    public static let `default` = DensityClassBreaks(kind: .fractionOfPeak([0.05, 0.15, 0.30, 0.50, 0.75]))

    public init(kind: Kind) { self.kind = kind }

    /// Lower bounds of each class in events/km², increasing.
    public func lowerBounds(peak: Double) -> [Double] {
        switch kind {
        case let .fractionOfPeak(f): f.sorted().map { $0 * peak }
        case let .absolute(b): b.sorted()
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
    static let classNames = ["low", "moderate", "elevated", "high", "very high", "extreme", "extreme+", "extreme++"]
    /// A sequential yellow→red ramp, light to dark, for map tools that style by `fill`.
    static let ramp = ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026", "#800026", "#4d0013"]

    /// Dissolves the cells inside the area into one polygon per class (see `CellDissolver`), in
    /// the grid's CRS, then projects to (lon, lat).
    public static func classPolygons(_ grid: DensityGrid, breaks: DensityClassBreaks = .default) throws -> [DensityClassPolygon] {
        let spec = grid.spec
        let bounds = breaks.lowerBounds(peak: grid.peak)
        guard !bounds.isEmpty, grid.peak > 0 else { return [] }
        var result: [DensityClassPolygon] = []
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
                                              geometry: try CellDissolver.toLonLat(dissolved, spec: spec)))
        }
        return result
    }

    /// A FeatureCollection of class polygons with properties map tools can style by
    /// (`class`, `label`, `fill`, bounds in events/km²) and run metadata as a foreign member.
    public static func classesGeoJSON(_ grid: DensityGrid, breaks: DensityClassBreaks = .default,
                                      metadata: [(String, JSONValue)]) throws -> GeoJSONFeatureCollection {
        let classes = try classPolygons(grid, breaks: breaks)
        let peak = grid.peak
        let features = classes.map { c -> GeoJSONFeature in
            let name = classNames[min(c.classIndex, classNames.count - 1)]
            let label = c.upper.map { "\(format(c.lower))–\(format($0)) events/km²" } ?? "≥ \(format(c.lower)) events/km²"
            return GeoJSONFeature(geometry: c.geometry, properties: .object([
                ("class", .number(Double(c.classIndex + 1))),
                ("class_name", .string(name)),
                ("label", .string(label)),
                ("density_min", .number(c.lower)),
                ("density_max", c.upper.map { .number($0) } ?? .null),
                ("share_of_peak_min", .number(peak > 0 ? c.lower / peak : 0)),
                ("cells", .number(Double(c.cells))),
                ("area_km2", .number((c.areaKm2 * 100).rounded() / 100)),
                ("fill", .string(ramp[min(c.classIndex, ramp.count - 1)])),
            ]))
        }
        return GeoJSONFeatureCollection(features: features, foreignMembers: metadata)
    }

    /// One square polygon per cell inside the area with density > 0 (for coarse grids).
    public static func cellsGeoJSON(_ grid: DensityGrid, metadata: [(String, JSONValue)]) throws -> GeoJSONFeatureCollection {
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
                    ("density", .number(grid.values[i])),
                ])))
            }
        }
        return GeoJSONFeatureCollection(features: features, foreignMembers: metadata)
    }

    /// `lon,lat,density` for every cell centre inside the area, row-major from the north-west.
    public static func csv(_ grid: DensityGrid) throws -> String {
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
        var out = Array("lon,lat,density\n".utf8)
        out.reserveCapacity(values.count * 32)
        for i in 0..<values.count {
            NumberText.appendFixed6(xs[i], to: &out)
            out.append(UInt8(ascii: ","))
            NumberText.appendFixed6(ys[i], to: &out)
            out.append(UInt8(ascii: ","))
            NumberText.appendShortest(values[i], to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// ESRI ASCII grid (cells outside the area are NODATA) and the `.prj` WKT that GDAL and
    /// QGIS read beside it.
    public static func esriASCII(_ grid: DensityGrid) throws -> (grid: String, prj: String) {
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
                if grid.mask[i] != 0 { NumberText.appendShortest(grid.values[i], to: &bytes) } else { bytes.append(contentsOf: nodata) }
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        out = String(decoding: bytes, as: UTF8.self)
        let prj = try Projection(from: "EPSG:4326", to: spec.crs).targetCRSWKT(esri: true)
        return (out, prj)
    }

    static func format(_ v: Double) -> String { String(format: "%.3g", v) }
}
