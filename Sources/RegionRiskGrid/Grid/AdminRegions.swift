import Foundation
import RegionRiskGeodata
import RegionRiskBase
import RegionRiskGDAL
import RegionRiskGeoJSON
import RegionRiskGeometry

/// First-level administrative regions of the area, for naming where things happen.
///
/// Region outlines are often coarser than the country outline (the embedded Natural Earth
/// regions leave slivers of DCW's Mali outside every region: Gogui, Tinzaouaten), so a point or
/// area that touches no region gets the nearest one.
public final class AdminRegions: @unchecked Sendable {
    // @unchecked: immutable after init; GEOS geometries are built per call, on the calling
    // thread's context, so nothing GEOS-side is shared between threads.
    public struct Region: Sendable {
        public var name: String
        public var code: String
        /// (lon, lat).
        public var geometry: GeoJSONGeometry
    }

    public let regions: [Region]

    /// Mean latitude of the regions' extent, degrees.
    fileprivate let referenceLatitude: Double

    public init(regions: [Region]) {
        self.regions = regions
        let b = GeoJSONGeometry.geometryCollection(regions.map(\.geometry)).boundingBox
        referenceLatitude = b.map { ($0.south + $0.north) / 2 } ?? 0
    }

    /// The embedded Natural Earth admin-1 regions of Mali.
    public static func embeddedMali() throws -> AdminRegions {
        try load(from: try EmbeddedGeodata.url("regions.geojson"))
    }

    /// Fields taken as the region's name when none is chosen, in order of preference (GeoJSON
    /// habit, GADM, OCHA COD-AB, geoBoundaries).
    public static let nameFields = ["name", "NAME", "NAME_1", "admin1Name", "admin1Name_en", "ADM1_EN", "ADM1_FR", "shapeName"]
    /// Fields taken as the region's code, in order (OCHA P-codes; a Shapefile cuts names to 10 letters).
    static let codeFields = ["code", "admin1Pcode", "admin1Pcod", "ADM1_PCODE", "GID_1", "shapeISO"]

    /// Reads regions from a vector file (GeoJSON with RegionRisk's reader, any other OGR format
    /// through OGR, reprojected to lon/lat): the name from `nameField`, else the first of
    /// `nameFields` the file has; the code from `codeFields`, else the feature id.
    /// Without `nameField` and with none of `nameFields`, the error lists the file's text fields.
    public static func load(from url: URL, nameField: String? = nil) throws -> AdminRegions {
        let fc: GeoJSONFeatureCollection
        let fields: [(name: String, isText: Bool)]
        if VectorFile.isGeoJSON(url) {
            fc = try GeoJSONFeatureCollection(contentsOf: url)
            fields = propertyFields(fc)
        } else {
            let layer = try VectorFile.readFirstLayer(url)
            (fc, fields) = (layer.collection, layer.fields)
        }
        let field = try chooseNameField(nameField, fields: fields, path: url.path)
        var regions: [Region] = []
        for (n, f) in fc.features.enumerated() {
            guard let g = f.geometry, !g.polygons.isEmpty else { continue }
            let p = f.properties
            guard let name = text(p[field]), !name.isEmpty else {
                throw AreaError("\(url.path): feature \(n + 1) has no value in its name field \(field)")
            }
            let code = codeFields.lazy.compactMap { text(p[$0]) }.first ?? f.id.flatMap(text) ?? "\(n + 1)"
            regions.append(Region(name: name, code: code, geometry: g))
        }
        guard !regions.isEmpty else { throw AreaError("\(url.path): no polygon features to use as regions") }
        return AdminRegions(regions: regions)
    }

    /// The name field: the one asked for (it must exist), else the first known name field.
    static func chooseNameField(_ asked: String?, fields: [(name: String, isText: Bool)], path: String) throws -> String {
        let names = fields.map(\.name)
        let textFields = fields.filter(\.isText).map(\.name)
        let listed = (textFields.isEmpty ? names : textFields).joined(separator: ", ")
        if let asked {
            guard names.contains(asked) else {
                throw AreaError("\(path): no field \(asked) for the region names; the file's fields: \(names.joined(separator: ", "))")
            }
            return asked
        }
        if let known = nameFields.first(where: names.contains) { return known }
        if let loose = names.first(where: { $0.lowercased() == "name" }) { return loose }
        throw AreaError("\(path): no name field (\(nameFields.joined(separator: ", "))) to name the regions by; choose one of the file's text fields: \(listed.isEmpty ? "(none)" : listed) (regionrisk: --regions-name-field FIELD)")
    }

    /// Property keys of a GeoJSON collection in first-seen order; text when any value is a string.
    static func propertyFields(_ fc: GeoJSONFeatureCollection) -> [(name: String, isText: Bool)] {
        var order: [String] = []
        var isText: [String: Bool] = [:]
        for f in fc.features {
            for (k, v) in f.properties.objectValue ?? [] {
                if isText[k] == nil { order.append(k) }
                isText[k] = (isText[k] ?? false) || v.stringValue != nil
            }
        }
        return order.map { ($0, isText[$0] ?? false) }
    }

    /// A name or code as text: strings as they are, whole numbers without a decimal point.
    static func text(_ v: JSONValue?) -> String? {
        switch v {
        case let .string(s)?: return s
        case let .number(d)? where d.isFinite: return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        default: return nil
        }
    }

    /// The region containing the point, or the nearest one (distance measured in degrees, with
    /// longitude scaled by cos(latitude): only used to break ties across slivers of a few km).
    public func name(at point: LonLat) -> String? {
        names(touching: .point(point)).first
    }

    /// Regions the (lon, lat) geometry intersects, in the order of the region list; the nearest
    /// region when it intersects none.
    public func names(touching geometry: GeoJSONGeometry) -> [String] {
        guard let target = try? Geometry(geoJSON: scaled(geometry)) else { return [] }
        var hits: [String] = []
        var nearest: (String, Double)?
        for r in regions {
            guard let g = try? Geometry(geoJSON: scaled(r.geometry)) else { continue }
            if (try? g.intersects(target)) == true {
                hits.append(r.name)
            } else if hits.isEmpty, let d = try? g.distance(to: target), d < (nearest?.1 ?? .infinity) {
                nearest = (r.name, d)
            }
        }
        if hits.isEmpty, let nearest { return [nearest.0] }
        return hits
    }

    /// A point locator for many points on one thread: prepared geometries built once.
    /// Not for sharing across threads (GEOS handles belong to the thread that made them).
    public final class Locator {
        private let prepared: [PreparedGeometry]
        private let shapes: [Geometry]
        private let names: [String]
        private let k: Double

        fileprivate init(_ owner: AdminRegions) throws {
            k = cos(owner.referenceLatitude * .pi / 180)
            shapes = try owner.regions.map { try Geometry(geoJSON: owner.scaled($0.geometry)) }
            prepared = try shapes.map { try PreparedGeometry($0) }
            names = owner.regions.map(\.name)
        }

        /// Index of the region containing the point (on its boundary counts), else the nearest.
        public func regionIndex(at p: LonLat) -> Int? {
            let x = p.lon * k, y = p.lat
            for (i, g) in prepared.enumerated() where (try? g.covers(x: x, y: y)) == true { return i }
            guard let point = try? Geometry.point(x: x, y: y) else { return nil }
            var best: (Int, Double)?
            for (i, g) in shapes.enumerated() {
                if let d = try? g.distance(to: point), d < (best?.1 ?? .infinity) { best = (i, d) }
            }
            return best?.0
        }

        public func name(at p: LonLat) -> String? { regionIndex(at: p).map { names[$0] } }
    }

    /// A locator for many points, on the calling thread.
    public func locator() throws -> Locator { try Locator(self) }

    /// Longitude shrunk by cos(mean latitude) so that planar distances approximate ground ones.
    fileprivate func scaled(_ g: GeoJSONGeometry) -> GeoJSONGeometry {
        let k = cos(referenceLatitude * .pi / 180)
        func f(_ p: LonLat) -> LonLat { LonLat(lon: p.lon * k, lat: p.lat) }
        switch g {
        case let .point(p): return .point(f(p))
        case let .multiPoint(ps): return .multiPoint(ps.map(f))
        case let .lineString(ps): return .lineString(ps.map(f))
        case let .multiLineString(ls): return .multiLineString(ls.map { $0.map(f) })
        case let .polygon(rs): return .polygon(rs.map { $0.map(f) })
        case let .multiPolygon(ps): return .multiPolygon(ps.map { $0.map { $0.map(f) } })
        case let .geometryCollection(gs): return .geometryCollection(gs.map(scaled))
        }
    }
}
