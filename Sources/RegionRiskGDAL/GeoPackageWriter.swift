import CGDAL
import Foundation
import RegionRiskGeoJSON

/// One layer to write: features in (lon, lat) and their properties.
public struct VectorLayer: Sendable {
    /// The layer's one geometry type (a GeoPackage layer declares it even when empty).
    public enum GeometryKind: Sendable {
        /// Polygon and MultiPolygon features, written as MultiPolygon.
        case polygons
        case points
        /// Any geometry type.
        case mixed
        /// An attribute table without geometry.
        case none
    }

    public var name: String
    public var features: [GeoJSONFeature]
    public var geometry: GeometryKind

    /// `geometry` nil: inferred from the features (polygons when every one is polygonal, points
    /// when every one is a point, no geometry when none has one, else mixed).
    public init(name: String, features: [GeoJSONFeature], geometry: GeometryKind? = nil) {
        self.name = name
        self.features = features
        self.geometry = geometry ?? VectorLayer.infer(features.compactMap(\.geometry), count: features.count)
    }

    private static func infer(_ geometries: [GeoJSONGeometry], count: Int) -> GeometryKind {
        if geometries.isEmpty { return count == 0 ? .mixed : .none }
        if geometries.allSatisfy({ if case .point = $0 { true } else { false } }) { return .points }
        let polygonal = geometries.allSatisfy {
            switch $0 { case .polygon, .multiPolygon: true; default: false }
        }
        return polygonal ? .polygons : .mixed
    }
}

/// Builds GeoPackage files (EPSG:4326) from GeoJSON features, one layer per `VectorLayer`.
///
/// Field types follow the values: text → String, true/false → Integer(Boolean), numbers →
/// Integer64 when every value of the field is a whole number, else Real; lists and objects are
/// stored as JSON text (subtype JSON). Polygons are written as MultiPolygon so that a layer has
/// one geometry type.
public enum GeoPackageWriter {
    /// The GeoPackage's bytes, built in memory (write them with `AtomicFile`).
    public static func data(layers: [VectorLayer]) throws -> Data {
        let driver = try GDALLibrary.driver("GPKG")
        return try GDALLibrary.inMemoryFile(extension: "gpkg", what: "GeoPackage") { path in
            try build(path, driver: driver, layers: layers)
        }
    }

    /// Creates the dataset at `path` and its layers; the dataset is closed (flushed to `path`)
    /// when this returns.
    private static func build(_ path: String, driver: GDALDriverH, layers: [VectorLayer]) throws {
        CPLErrorReset()
        guard let h = GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, nil) else {
            throw GDALError.write(path: "GeoPackage", reason: GDALLibrary.lastError(or: "cannot create"))
        }
        let dataset = GDALDataset(handle: h, path: path)
        let srs = try SpatialReference.lonLat()
        for layer in layers { try write(layer, into: dataset, srs: srs) }
    }

    private enum FieldKind { case text, boolean, integer, real, json }

    private static func kind(of values: [JSONValue]) -> FieldKind {
        var kinds = Set<String>()
        var allWhole = true
        for v in values {
            switch v {
            case .null: continue
            case .string: kinds.insert("text")
            case .bool: kinds.insert("bool")
            case let .number(d):
                kinds.insert("number")
                if d != d.rounded() || abs(d) > 9e15 { allWhole = false }
            case .array, .object: kinds.insert("json")
            }
        }
        if kinds == ["bool"] { return .boolean }
        if kinds == ["number"] { return allWhole ? .integer : .real }
        if kinds == ["json"] { return .json }
        return .text
    }

    private static func write(_ layer: VectorLayer, into dataset: GDALDataset, srs: SpatialReference) throws {
        let shown = "GeoPackage layer \(layer.name)"
        let geometryType: OGRwkbGeometryType = switch layer.geometry {
        case .polygons: wkbMultiPolygon
        case .points: wkbPoint
        case .mixed: wkbUnknown
        case .none: wkbNone
        }
        CPLErrorReset()
        guard let h = GDALDatasetCreateLayer(dataset.handle, layer.name, geometryType == wkbNone ? nil : srs.handle, geometryType, nil) else {
            throw GDALError.write(path: shown, reason: GDALLibrary.lastError(or: "cannot create the layer"))
        }
        // Field order: first appearance over the features.
        var names: [String] = []
        var values: [String: [JSONValue]] = [:]
        for f in layer.features {
            for (k, v) in f.properties.objectValue ?? [] {
                if values[k] == nil { names.append(k) }
                values[k, default: []].append(v)
            }
        }
        var kinds: [FieldKind] = []
        for name in names {
            let k = kind(of: values[name] ?? [])
            kinds.append(k)
            let type: OGRFieldType = switch k {
            case .text, .json: OFTString
            case .boolean: OFTInteger
            case .integer: OFTInteger64
            case .real: OFTReal
            }
            guard let defn = OGR_Fld_Create(name, type) else { throw GDALError.write(path: shown, reason: "out of memory") }
            defer { OGR_Fld_Destroy(defn) }
            if k == .boolean { OGR_Fld_SetSubType(defn, OFSTBoolean) }
            if k == .json { OGR_Fld_SetSubType(defn, OFSTJSON) }
            let err = OGR_L_CreateField(h, defn, 1)
            guard err == OGRERR_NONE else {
                throw GDALError.write(path: shown, reason: "field \(name): " + GDALLibrary.lastError(or: "OGR error \(err)"))
            }
        }
        guard OGR_L_StartTransaction(h) == OGRERR_NONE else {
            throw GDALError.write(path: shown, reason: GDALLibrary.lastError(or: "cannot start a transaction"))
        }
        let definition = OGR_L_GetLayerDefn(h)
        for (n, f) in layer.features.enumerated() {
            guard let raw = OGR_F_Create(definition) else { throw GDALError.write(path: shown, reason: "out of memory") }
            let feature = OGRFeature(handle: raw)
            let props = Dictionary(f.properties.objectValue ?? [], uniquingKeysWith: { a, _ in a })
            for (i, name) in names.enumerated() {
                set(props[name] ?? .null, kind: kinds[i], field: Int32(i), on: feature)
            }
            if let g = f.geometry {
                let shape = geometryType == wkbMultiPolygon ? g.asMultiPolygon : g
                let text = shape.withRFC7946Winding().json(decimals: 7).serialized()
                CPLErrorReset()
                guard let gh = OGR_G_CreateGeometryFromJson(text) else {
                    throw GDALError.write(path: shown, reason: "feature \(n): " + GDALLibrary.lastError(or: "invalid geometry"))
                }
                // Ownership of the geometry passes to the feature here.
                let owned = OGRGeometry(handle: gh)
                _ = OGR_F_SetGeometryDirectly(feature.handle, owned.release())
            }
            let err = OGR_L_CreateFeature(h, feature.handle)
            guard err == OGRERR_NONE else {
                throw GDALError.write(path: shown, reason: "feature \(n): " + GDALLibrary.lastError(or: "OGR error \(err)"))
            }
        }
        let err = OGR_L_CommitTransaction(h)
        guard err == OGRERR_NONE else {
            throw GDALError.write(path: shown, reason: GDALLibrary.lastError(or: "OGR error \(err) on commit"))
        }
    }

    private static func set(_ value: JSONValue, kind: FieldKind, field: Int32, on feature: OGRFeature) {
        switch (value, kind) {
        case (.null, _): OGR_F_SetFieldNull(feature.handle, field)
        case let (.bool(b), .boolean): OGR_F_SetFieldInteger(feature.handle, field, b ? 1 : 0)
        case let (.number(d), .integer): OGR_F_SetFieldInteger64(feature.handle, field, Int64(d))
        case let (.number(d), .real): OGR_F_SetFieldDouble(feature.handle, field, d)
        case let (.string(s), _): OGR_F_SetFieldString(feature.handle, field, s)
        default: OGR_F_SetFieldString(feature.handle, field, value.serialized())
        }
    }
}
