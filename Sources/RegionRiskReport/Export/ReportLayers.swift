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

    /// The layers of `report.gpkg` known only once the detection has run.
    public struct LaterLayers: Sendable {
        public var regions: [GeoJSONFeature]
        public var density: [GeoJSONFeature]
        /// Nil without admin-1 regions.
        public var admin1: [GeoJSONFeature]?
        /// Each layer's QGIS style (QML).
        public var styles: [(layer: String, qml: String)]
        /// The styles' `update_time`, an ISO 8601 datetime: the report writes its as-of day's
        /// end, so that two runs on the same data write the same rows.
        public var updateTime: String

        public init(regions: [GeoJSONFeature], density: [GeoJSONFeature], admin1: [GeoJSONFeature]?,
                    styles: [(layer: String, qml: String)], updateTime: String) {
            self.regions = regions
            self.density = density
            self.admin1 = admin1
            self.styles = styles
            self.updateTime = updateTime
        }
    }

    /// The layers of `report.gpkg`, listed in this order: regions, density, admin1 (when
    /// `withAdmin1`), events, then the `layer_styles` table QGIS reads each layer's default style
    /// from (the columns of QGIS's own table).
    ///
    /// The events layer is written first, with its R-tree, because its features are known before
    /// the detection has run and it is the largest (at 1M events, 123k points and most of the
    /// file's time); then `later` is called, and may block until the other layers are known. An
    /// error thrown by `later` ends the build.
    public static func geoPackage(events: [GeoJSONFeature], withAdmin1: Bool,
                                  later: () throws -> LaterLayers) throws -> Data {
        let builder = try GeoPackageBuilder()
        try builder.declare("regions", geometry: .polygons)
        try builder.declare("density", geometry: .polygons)
        if withAdmin1 { try builder.declare("admin1", geometry: .polygons) }
        try builder.write(VectorLayer(name: "events", features: events, geometry: .points))
        let rest = try later()
        try builder.write(VectorLayer(name: "regions", features: rest.regions))
        try builder.write(VectorLayer(name: "density", features: rest.density))
        if withAdmin1 { try builder.write(VectorLayer(name: "admin1", features: rest.admin1 ?? [])) }
        let styleRows = rest.styles.map { style in
            GeoJSONFeature(geometry: nil, properties: .object([
                ("f_table_catalog", ""), ("f_table_schema", ""), ("f_table_name", .string(style.layer)),
                ("f_geometry_column", "geom"), ("styleName", .string(style.layer)), ("styleQML", .string(style.qml)),
                ("styleSLD", ""), ("useAsDefault", true), ("description", "RegionRisk: the HTML map's style"),
                ("owner", ""), ("ui", ""), ("update_time", .string(rest.updateTime)),
            ]))
        }
        try builder.write(VectorLayer(name: "layer_styles", features: styleRows))
        return try builder.finish()
    }
}
