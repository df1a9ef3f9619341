import Foundation
import RegionRiskAnalysis
import RegionRiskBase
import RegionRiskData
import RegionRiskGDAL
import RegionRiskGeoJSON

/// The report folder's map layers as one GeoPackage (`report.gpkg`) with a QGIS style beside
/// each layer file, so that dragging the folder into QGIS shows what the HTML map shows.
public enum ReportLayers {
    /// Incidents as point features for map tools: the fields of a region's incident list, the
    /// window it falls in, and ISO 8601 `start`/`end` datetimes (its day, end exclusive) for kepler.gl.
    public static func eventFeatures(_ incidents: [Incident], windows: AnalysisWindows) -> [GeoJSONFeature] {
        incidents.map { e in
            var properties = FlaggedRegionExport.incidentJSON(e).objectValue ?? []
            properties.removeAll { $0.0 == "lon" || $0.0 == "lat" }
            let window: JSONValue = e.date.map { .string(windows.isRecent($0) ? "recent" : "baseline") } ?? .null
            properties += [
                ("start", e.date.map { .string($0.startOfDayUTC) } ?? .null),
                ("end", e.date.map { .string($0.endOfDayUTC) } ?? .null),
                ("window", window),
            ]
            return GeoJSONFeature(geometry: .point(e.location), properties: .object(properties))
        }
    }

    /// The layers of `report.gpkg`, in order: regions, density, admin1 (when there are regions),
    /// events, plus the `layer_styles` table QGIS reads each layer's default style from (the
    /// columns of QGIS's own table; `updateTime` an ISO 8601 datetime — the report writes its as-of
    /// day's end, so that two runs on the same data write the same rows).
    public static func geoPackage(regions: [GeoJSONFeature], density: [GeoJSONFeature], admin1: [GeoJSONFeature]?,
                                  events: [GeoJSONFeature], styles: [(layer: String, qml: String)],
                                  updateTime: String) throws -> Data {
        var layers = [VectorLayer(name: "regions", features: regions), VectorLayer(name: "density", features: density)]
        if let admin1 { layers.append(VectorLayer(name: "admin1", features: admin1)) }
        layers.append(VectorLayer(name: "events", features: events))
        let styleRows = styles.map { style in
            GeoJSONFeature(geometry: nil, properties: .object([
                ("f_table_catalog", ""), ("f_table_schema", ""), ("f_table_name", .string(style.layer)),
                ("f_geometry_column", "geom"), ("styleName", .string(style.layer)), ("styleQML", .string(style.qml)),
                ("styleSLD", ""), ("useAsDefault", true), ("description", "RegionRisk: the HTML map's style"),
                ("owner", ""), ("ui", ""), ("update_time", .string(updateTime)),
            ]))
        }
        layers.append(VectorLayer(name: "layer_styles", features: styleRows))
        return try GeoPackageWriter.data(layers: layers)
    }
}
