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
/// one geometry type. Every layer with geometry gets its R-tree spatial index, built when the
/// layer's features are written.
public enum GeoPackageWriter {
    /// The GeoPackage's bytes, built in memory (write them with `AtomicFile`).
    public static func data(layers: [VectorLayer]) throws -> Data {
        let builder = try GeoPackageBuilder()
        for layer in layers { try builder.write(layer) }
        return try builder.finish()
    }
}

/// A GeoPackage built in memory in steps, for outputs whose layers are ready at different times:
/// `declare` fixes the order a reader lists the layers in (empty tables, in `gpkg_contents`
/// order), and `write` fills a declared layer, or adds a new one after the others, whenever its
/// features are ready. `finish` returns the file's bytes.
///
/// It owns one GDAL dataset: use it from one thread at a time (GDAL's error state is per
/// thread). Dropped unfinished, it closes the dataset and deletes the in-memory file.
public final class GeoPackageBuilder {
    private let path: String
    private var dataset: GDALDataset?
    private let srs: SpatialReference
    private var declared: [String: (handle: OGRLayerH, geometry: VectorLayer.GeometryKind)] = [:]
    private var written: Set<String> = []

    public init() throws {
        let driver = try GDALLibrary.driver("GPKG")
        path = GDALLibrary.memoryPath(extension: "gpkg")
        srs = try SpatialReference.lonLat()
        CPLErrorReset()
        guard let h = GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, nil) else {
            _ = VSIUnlink(path)
            throw GDALError.write(path: "GeoPackage", reason: GDALLibrary.lastError(or: "cannot create"))
        }
        dataset = GDALDataset(handle: h, path: path)
    }

    deinit {
        if dataset != nil {
            dataset = nil  // closes it
            _ = VSIUnlink(path)
        }
    }

    /// Creates the empty layer `name` now, so that it is listed before the layers declared or
    /// written after it, whatever order their features come in.
    public func declare(_ name: String, geometry: VectorLayer.GeometryKind) throws {
        let shown = "GeoPackage layer \(name)"
        guard declared[name] == nil else { throw GDALError.write(path: shown, reason: "declared twice") }
        let h = try createLayer(name, geometry: geometry)
        // Makes the table and its `gpkg_contents` row now: GDAL defers both to the first feature.
        let err = OGR_L_SyncToDisk(h)
        guard err == OGRERR_NONE else { throw GDALError.write(path: shown, reason: GDALLibrary.lastError(or: "OGR error \(err)")) }
        declared[name] = (h, geometry)
    }

    /// Writes `layer`'s fields and features: into the declared layer of that name, with the
    /// geometry kind it was declared with, or else into a new layer. Each layer is written once.
    public func write(_ layer: VectorLayer) throws {
        let shown = "GeoPackage layer \(layer.name)"
        guard dataset != nil else { throw GDALError.write(path: shown, reason: "the GeoPackage is already finished") }
        guard written.insert(layer.name).inserted else { throw GDALError.write(path: shown, reason: "written twice") }
        let (h, geometry) = try declared[layer.name] ?? (createLayer(layer.name, geometry: layer.geometry), layer.geometry)
        try Self.fill(h, with: layer.features, geometry: geometry, shown: shown)
    }

    /// Closes the dataset and returns the file's bytes. The builder can't be used afterwards.
    public func finish() throws -> Data {
        guard dataset != nil else { throw GDALError.write(path: "GeoPackage", reason: "already finished") }
        CPLErrorReset()
        dataset = nil  // GDALClose flushes; GDAL 3.6's returns nothing, so its error state is read
        if CPLGetLastErrorType() == CE_Failure {
            _ = VSIUnlink(path)
            throw GDALError.write(path: "GeoPackage", reason: GDALLibrary.lastError(or: "write failed"))
        }
        do { return try GDALLibrary.takeMemoryFile(path) } catch {
            _ = VSIUnlink(path)
            throw error
        }
    }

    private func createLayer(_ name: String, geometry: VectorLayer.GeometryKind) throws -> OGRLayerH {
        guard let dataset else { throw GDALError.write(path: "GeoPackage layer \(name)", reason: "the GeoPackage is already finished") }
        let type = Self.ogrType(geometry)
        CPLErrorReset()
        guard let h = GDALDatasetCreateLayer(dataset.handle, name, type == wkbNone ? nil : srs.handle, type, nil) else {
            throw GDALError.write(path: "GeoPackage layer \(name)", reason: GDALLibrary.lastError(or: "cannot create the layer"))
        }
        return h
    }

    private static func ogrType(_ kind: VectorLayer.GeometryKind) -> OGRwkbGeometryType {
        switch kind {
        case .polygons: wkbMultiPolygon
        case .points: wkbPoint
        case .mixed: wkbUnknown
        case .none: wkbNone
        }
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

    /// The layer's fields (in order of first appearance over the features), its features in one
    /// transaction, and its spatial index, built before the commit.
    private static func fill(_ h: OGRLayerH, with features: [GeoJSONFeature], geometry: VectorLayer.GeometryKind,
                             shown: String) throws {
        let geometryType = ogrType(geometry)
        var names: [String] = []
        var values: [String: [JSONValue]] = [:]
        for f in features {
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
        for (n, f) in features.enumerated() {
            guard let raw = OGR_F_Create(definition) else { throw GDALError.write(path: shown, reason: "out of memory") }
            let feature = OGRFeature(handle: raw)
            let props = Dictionary(f.properties.objectValue ?? [], uniquingKeysWith: { a, _ in a })
            for (i, name) in names.enumerated() {
                set(props[name] ?? .null, kind: kinds[i], field: Int32(i), on: feature)
            }
            if let g = f.geometry {
                let owned = try ogrGeometry(g, as: geometryType, feature: n, shown: shown)
                // Ownership of the geometry passes to the feature here.
                _ = OGR_F_SetGeometryDirectly(feature.handle, owned.release())
            }
            let err = OGR_L_CreateFeature(h, feature.handle)
            guard err == OGRERR_NONE else {
                throw GDALError.write(path: shown, reason: "feature \(n): " + GDALLibrary.lastError(or: "OGR error \(err)"))
            }
        }
        // The R-tree now, inside the transaction, rather than when the dataset closes: a caller
        // that writes a large layer early (the report's events) pays for its index early too.
        let synced = OGR_L_SyncToDisk(h)
        guard synced == OGRERR_NONE else {
            throw GDALError.write(path: shown, reason: GDALLibrary.lastError(or: "OGR error \(synced) building the spatial index"))
        }
        let err = OGR_L_CommitTransaction(h)
        guard err == OGRERR_NONE else {
            throw GDALError.write(path: shown, reason: GDALLibrary.lastError(or: "OGR error \(err) on commit"))
        }
    }

    /// `g` as an OGR geometry at the GeoJSON output's precision (7 decimals): points directly,
    /// the rest through GeoJSON text (polygons as MultiPolygon in a polygon layer).
    private static func ogrGeometry(_ g: GeoJSONGeometry, as type: OGRwkbGeometryType, feature n: Int, shown: String) throws -> OGRGeometry {
        if case let .point(p) = g, type != wkbMultiPolygon {
            // The same doubles as the text route: `json(decimals: 7)` rounds as below and prints
            // the shortest form that reads back exactly. Skipping the text is a third of the
            // events layer's time at 1M events (123k points).
            func r(_ x: Double) -> Double { (x * 1e7).rounded() / 1e7 }
            guard p.lon.isFinite, p.lat.isFinite, let gh = OGR_G_CreateGeometry(wkbPoint) else {
                throw GDALError.write(path: shown, reason: "feature \(n): invalid point \(p.lon), \(p.lat)")
            }
            OGR_G_SetPoint_2D(gh, 0, r(p.lon), r(p.lat))
            return OGRGeometry(handle: gh)
        }
        let shape = type == wkbMultiPolygon ? g.asMultiPolygon : g
        let text = shape.withRFC7946Winding().json(decimals: 7).serialized()
        CPLErrorReset()
        guard let gh = OGR_G_CreateGeometryFromJson(text) else {
            throw GDALError.write(path: shown, reason: "feature \(n): " + GDALLibrary.lastError(or: "invalid geometry"))
        }
        return OGRGeometry(handle: gh)
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
