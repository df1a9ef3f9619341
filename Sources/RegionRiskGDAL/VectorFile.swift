import CGDAL
import Foundation
import RegionRiskGeoJSON

/// One vector layer read with OGR, in lon/lat degrees (EPSG:4326, traditional GIS order).
public struct VectorLayerContents: Sendable {
    /// The file the layer came from.
    public var path: String
    /// The layer's name (for a Shapefile, the file's base name).
    public var layerName: String
    /// Attribute fields in the layer's order, with whether each holds text.
    public var fields: [(name: String, isText: Bool)]
    /// The features: geometry in (lon, lat), attributes as properties (numbers, strings, null).
    public var collection: GeoJSONFeatureCollection
    /// The layer's CRS as GDAL names it ("WGS 84", "WGS 84 / UTM zone 30N"), nil when it has none.
    public var crsName: String?
}

/// Reads vector files in any format GDAL's OGR reads (Shapefile, GeoPackage, GeoJSON,
/// FlatGeobuf, KML, …), reprojecting to lon/lat when the layer has another CRS.
public enum VectorFile {
    /// File name extensions read with RegionRisk's own GeoJSON reader (its messages name the
    /// line and member at fault); every other file goes through OGR.
    public static let geoJSONExtensions: Set<String> = ["geojson", "json"]

    /// Whether `url` is read with the GeoJSON reader rather than OGR.
    public static func isGeoJSON(_ url: URL) -> Bool { geoJSONExtensions.contains(url.pathExtension.lowercased()) }

    /// Reads the first layer of `url`. Curved geometries are linearised and Z dropped.
    /// A layer without a CRS is taken as lon/lat; its coordinates must then be degrees.
    public static func readFirstLayer(_ url: URL) throws -> VectorLayerContents {
        let path = url.path
        let dataset = try GDALDataset.openVector(path)
        guard GDALDatasetGetLayerCount(dataset.handle) > 0, let layer = GDALDatasetGetLayer(dataset.handle, 0) else {
            throw GDALError.noLayer(path: path)
        }
        let definition = OGR_L_GetLayerDefn(layer)
        let fieldCount = Int(OGR_FD_GetFieldCount(definition))
        let fields: [(name: String, isText: Bool)] = (0..<fieldCount).map { i in
            let f = OGR_FD_GetFieldDefn(definition, Int32(i))
            return (String(cString: OGR_Fld_GetNameRef(f)), OGR_Fld_GetType(f) == OFTString)
        }
        let target = try SpatialReference.lonLat()
        var transformation: CoordinateTransformation?
        var crsName: String?
        if let borrowed = OGR_L_GetSpatialRef(layer), let source = SpatialReference.copy(of: borrowed) {
            crsName = OSRGetName(source.handle).map { String(cString: $0) }
            if !source.isSame(as: target) {
                transformation = try CoordinateTransformation(from: source, to: target, path: path)
            }
        }
        OGR_L_ResetReading(layer)
        var features: [GeoJSONFeature] = []
        var index = 0
        while let raw = OGR_L_GetNextFeature(layer) {
            let feature = OGRFeature(handle: raw)
            features.append(try readFeature(feature, index: index, fields: fields, transformation: transformation, path: path))
            index += 1
        }
        let name = String(cString: OGR_L_GetName(layer))
        return VectorLayerContents(path: path, layerName: name, fields: fields,
                                   collection: GeoJSONFeatureCollection(features: features), crsName: crsName)
    }

    private static func readFeature(_ feature: OGRFeature, index: Int, fields: [(name: String, isText: Bool)],
                                    transformation: CoordinateTransformation?, path: String) throws -> GeoJSONFeature {
        var properties: [(String, JSONValue)] = []
        for (i, field) in fields.enumerated() {
            let n = Int32(i)
            guard OGR_F_IsFieldSetAndNotNull(feature.handle, n) != 0 else {
                properties.append((field.name, .null))
                continue
            }
            let type = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(feature.handle, n))
            switch type {
            case OFTInteger, OFTInteger64, OFTReal:
                properties.append((field.name, .number(OGR_F_GetFieldAsDouble(feature.handle, n))))
            default:
                properties.append((field.name, .string(String(cString: OGR_F_GetFieldAsString(feature.handle, n)))))
            }
        }
        var geometry: GeoJSONGeometry?
        if let borrowed = OGR_F_GetGeometryRef(feature.handle) {
            geometry = try lonLatGeometry(borrowed, index: index, transformation: transformation, path: path)
        }
        let fid = OGR_F_GetFID(feature.handle)
        return GeoJSONFeature(id: fid == OGRNullFID ? nil : .number(Double(fid)), geometry: geometry,
                              properties: .object(properties))
    }

    /// Linearised, 2D, reprojected copy of a feature's geometry, converted through GeoJSON text.
    private static func lonLatGeometry(_ borrowed: OGRGeometryH, index: Int, transformation: CoordinateTransformation?,
                                       path: String) throws -> GeoJSONGeometry {
        CPLErrorReset()
        // OGR_G_GetLinearGeometry returns a new geometry (a plain copy when nothing is curved).
        guard let linear = OGR_G_GetLinearGeometry(borrowed, 0, nil) else {
            throw GDALError.geometry(path: path, feature: index, reason: GDALLibrary.lastError(or: "cannot read the geometry"))
        }
        let geometry = OGRGeometry(handle: linear)
        OGR_G_FlattenTo2D(linear)
        if let transformation {
            let err = OGR_G_Transform(linear, transformation.handle)
            guard err == OGRERR_NONE else {
                throw GDALError.geometry(path: path, feature: index,
                                         reason: "cannot reproject to lon/lat: " + GDALLibrary.lastError(or: "OGR error \(err)"))
            }
        }
        guard let text = OGR_G_ExportToJson(linear) else {
            throw GDALError.geometry(path: path, feature: index, reason: GDALLibrary.lastError(or: "cannot convert the geometry"))
        }
        defer { VSIFree(text) }
        let json = String(cString: text)
        withExtendedLifetime(geometry) {}
        do {
            return try GeoJSONGeometry(json: try JSONValue.parse(Data(json.utf8)))
        } catch let e as LocalizedError {
            let hint = transformation == nil ? " (the layer has no CRS, so its coordinates were taken as lon/lat degrees)" : ""
            throw GDALError.geometry(path: path, feature: index, reason: (e.errorDescription ?? "\(e)") + hint)
        }
    }
}
