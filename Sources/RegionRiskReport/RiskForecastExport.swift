import Foundation
import RegionRiskAnalysis
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// Writers for a `RiskForecast`: one row or feature per cell inside the area, row-major from the
/// north-west. Fitted parameters and their standard errors travel in the GeoJSON's top level, and
/// for CSV and ASCII grids in a JSON sidecar (`<out>.json`), so the CSV's first line stays its header.
public enum RiskForecastExport {
    /// The CSV's header. It begins `lon,lat,expected,p_any` (cell centre in degrees, expected
    /// events in the horizon, P(≥ 1)); then the background and triggered parts of `expected`,
    /// the triggered share, the quiet flag, the naive rule's flag, and the events within the quiet
    /// distance in the recent and baseline windows.
    public static let csvHeader = "lon,lat,expected,p_any,background,triggered,triggered_share,quiet,naive_flag,recent_nearby,baseline_nearby"

    public static func csv(_ forecast: RiskForecast) throws -> String {
        let cells = try forecast.grid.cellCentresInside()
        var out = Array((csvHeader + "\n").utf8)
        out.reserveCapacity(cells.index.count * 96)
        for (k, i) in cells.index.enumerated() {
            let e = forecast.expected[i]
            NumberText.appendFixed6(cells.positions[k].lon, to: &out)
            out.append(UInt8(ascii: ","))
            NumberText.appendFixed6(cells.positions[k].lat, to: &out)
            for v in [e, forecast.pAny(i), forecast.background[i], forecast.triggered[i], e > 0 ? forecast.triggered[i] / e : 0] {
                out.append(UInt8(ascii: ","))
                NumberText.appendShortest(v, to: &out)
            }
            for v in [forecast.isQuiet(i) ? 1 : 0, forecast.naiveFlag(i) ? 1 : 0, forecast.recentNearby[i], forecast.baselineNearby[i]] {
                out.append(UInt8(ascii: ","))
                NumberText.appendInteger(Int64(v), to: &out)
            }
            out.append(UInt8(ascii: "\n"))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One square polygon per cell inside the area with the CSV's columns as properties and the
    /// fit's metadata at the top level.
    public static func geoJSON(_ forecast: RiskForecast, metadata: [(String, JSONValue)]) throws -> GeoJSONFeatureCollection {
        let spec = forecast.grid.spec
        let projection = try Projection(from: "EPSG:4326", to: spec.crs)
        var features: [GeoJSONFeature] = []
        for r in 0..<spec.rows {
            for c in 0..<spec.columns {
                let i = r * spec.columns + c
                guard forecast.grid.mask[i] != 0 else { continue }
                let x0 = spec.westX + Double(c) * spec.cellSizeMeters, x1 = x0 + spec.cellSizeMeters
                let y1 = spec.northY - Double(r) * spec.cellSizeMeters, y0 = y1 - spec.cellSizeMeters
                var xs = [x0, x1, x1, x0, x0], ys = [y0, y0, y1, y1, y0]
                try projection.inverse(x: &xs, y: &ys)
                let e = forecast.expected[i]
                features.append(GeoJSONFeature(geometry: .polygon([zip(xs, ys).map { LonLat(lon: $0, lat: $1) }]), properties: .object([
                    ("row", .number(Double(r))), ("col", .number(Double(c))),
                    ("expected", .number(e)), ("p_any", .number(forecast.pAny(i))),
                    ("background", .number(forecast.background[i])), ("triggered", .number(forecast.triggered[i])),
                    ("triggered_share", .number(e > 0 ? forecast.triggered[i] / e : 0)),
                    ("quiet", .bool(forecast.isQuiet(i))), ("naive_flag", .bool(forecast.naiveFlag(i))),
                    ("recent_nearby", .number(Double(forecast.recentNearby[i]))),
                    ("baseline_nearby", .number(Double(forecast.baselineNearby[i]))),
                ])))
            }
        }
        return GeoJSONFeatureCollection(features: features, foreignMembers: metadata)
    }

    /// ESRI ASCII grid of `expected` (NODATA outside the area) and its `.prj`.
    public static func esriASCII(_ forecast: RiskForecast) throws -> (grid: String, prj: String) {
        let grid = DensityGrid(spec: forecast.grid.spec, values: forecast.expected, mask: forecast.grid.mask, kernel: .gaussian,
                               bandwidthKm: forecast.fit.backgroundBandwidthKm, totalWeight: forecast.expected.reduce(0, +),
                               errorBound: 0)
        return try DensityExport.esriASCII(grid)
    }

    /// The JSON sidecar: the metadata as one object.
    public static func sidecar(metadata: [(String, JSONValue)]) -> String {
        JSONValue.object(metadata).serialized(pretty: true) + "\n"
    }
}
