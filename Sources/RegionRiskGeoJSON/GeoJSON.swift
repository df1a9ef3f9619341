import Foundation
import RegionRiskBase

/// A GeoJSON geometry (RFC 7946 §3.1). Coordinates are (lon, lat); a ring is closed
/// (its first position repeated last).
public enum GeoJSONGeometry: Sendable, Equatable {
    case point(LonLat)
    case multiPoint([LonLat])
    case lineString([LonLat])
    case multiLineString([[LonLat]])
    /// Rings: the exterior first, then holes.
    case polygon([[LonLat]])
    case multiPolygon([[[LonLat]]])
    case geometryCollection([GeoJSONGeometry])

    public var typeName: String {
        switch self {
        case .point: "Point"
        case .multiPoint: "MultiPoint"
        case .lineString: "LineString"
        case .multiLineString: "MultiLineString"
        case .polygon: "Polygon"
        case .multiPolygon: "MultiPolygon"
        case .geometryCollection: "GeometryCollection"
        }
    }

    /// Polygons of this geometry (a Polygon gives one, a MultiPolygon its parts, others none).
    public var polygons: [[[LonLat]]] {
        switch self {
        case let .polygon(p): [p]
        case let .multiPolygon(ps): ps
        case let .geometryCollection(gs): gs.flatMap(\.polygons)
        default: []
        }
    }

    /// The same area as a MultiPolygon (a Polygon becomes a one-part MultiPolygon), so that a
    /// layer's features share one geometry type, as GIS tools prefer.
    public var asMultiPolygon: GeoJSONGeometry { .multiPolygon(polygons) }

    /// Every position, in order.
    public var allPositions: [LonLat] {
        switch self {
        case let .point(p): [p]
        case let .multiPoint(ps), let .lineString(ps): ps
        case let .multiLineString(ls): ls.flatMap { $0 }
        case let .polygon(rs): rs.flatMap { $0 }
        case let .multiPolygon(ps): ps.flatMap { $0.flatMap { $0 } }
        case let .geometryCollection(gs): gs.flatMap(\.allPositions)
        }
    }

    /// (west, south, east, north) in degrees, or nil when empty.
    public var boundingBox: (west: Double, south: Double, east: Double, north: Double)? {
        let ps = allPositions
        guard let first = ps.first else { return nil }
        var b = (west: first.lon, south: first.lat, east: first.lon, north: first.lat)
        for p in ps {
            b.west = min(b.west, p.lon); b.east = max(b.east, p.lon)
            b.south = min(b.south, p.lat); b.north = max(b.north, p.lat)
        }
        return b
    }

    /// The same geometry with polygon rings oriented as RFC 7946 §3.1.6 asks: exteriors
    /// counter-clockwise, holes clockwise.
    public func withRFC7946Winding() -> GeoJSONGeometry {
        func orient(_ rings: [[LonLat]]) -> [[LonLat]] {
            rings.enumerated().map { n, ring in
                let ccw = GeoJSONGeometry.signedArea(ring) > 0
                return (n == 0) == ccw ? ring : ring.reversed()
            }
        }
        switch self {
        case let .polygon(rs): return .polygon(orient(rs))
        case let .multiPolygon(ps): return .multiPolygon(ps.map(orient))
        case let .geometryCollection(gs): return .geometryCollection(gs.map { $0.withRFC7946Winding() })
        default: return self
        }
    }

    /// Shoelace signed area in degree² (positive when counter-clockwise). Only its sign is meaningful.
    public static func signedArea(_ ring: [LonLat]) -> Double {
        guard ring.count > 2 else { return 0 }
        var s = 0.0
        for k in 0..<(ring.count - 1) {
            s += ring[k].lon * ring[k + 1].lat - ring[k + 1].lon * ring[k].lat
        }
        return s / 2
    }
}

/// A GeoJSON Feature (RFC 7946 §3.2).
public struct GeoJSONFeature: Sendable, Equatable {
    public var id: JSONValue?
    public var geometry: GeoJSONGeometry?
    /// The `properties` object; `.null` when absent.
    public var properties: JSONValue
    /// Members other than type/id/geometry/properties/bbox, kept as read (RFC 7946 §6.1).
    public var foreignMembers: [(String, JSONValue)]

    public init(
        id: JSONValue? = nil, geometry: GeoJSONGeometry?, properties: JSONValue = .object([]),
        foreignMembers: [(String, JSONValue)] = []
    ) {
        self.id = id
        self.geometry = geometry
        self.properties = properties
        self.foreignMembers = foreignMembers
    }

    public static func == (a: GeoJSONFeature, b: GeoJSONFeature) -> Bool {
        a.id == b.id && a.geometry == b.geometry && a.properties == b.properties
            && JSONValue.object(a.foreignMembers) == JSONValue.object(b.foreignMembers)
    }
}

/// A GeoJSON FeatureCollection (RFC 7946 §3.3).
public struct GeoJSONFeatureCollection: Sendable, Equatable {
    public var features: [GeoJSONFeature]
    /// Members other than type/features/bbox, kept as read and written after `features`
    /// (RegionRisk writes its run parameters here).
    public var foreignMembers: [(String, JSONValue)]
    /// Whether to write a `bbox` member computed from the features.
    public var writesBoundingBox: Bool

    public init(features: [GeoJSONFeature], foreignMembers: [(String, JSONValue)] = [], writesBoundingBox: Bool = true) {
        self.features = features
        self.foreignMembers = foreignMembers
        self.writesBoundingBox = writesBoundingBox
    }

    public static func == (a: GeoJSONFeatureCollection, b: GeoJSONFeatureCollection) -> Bool {
        a.features == b.features && JSONValue.object(a.foreignMembers) == JSONValue.object(b.foreignMembers)
    }
}

/// Why a GeoJSON document could not be read.
public struct GeoJSONError: LocalizedError, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var errorDescription: String? { message }
}

// MARK: - Reading

extension GeoJSONGeometry {
    /// Reads a geometry object. Positions must be finite and within lon −180…180, lat −90…90.
    public init(json: JSONValue) throws {
        guard let type = json["type"]?.stringValue else { throw GeoJSONError("geometry has no \"type\"") }
        func position(_ v: JSONValue) throws -> LonLat {
            guard let a = v.arrayValue, a.count >= 2, let lon = a[0].doubleValue, let lat = a[1].doubleValue else {
                throw GeoJSONError("a \(type) position is not [lon, lat]")
            }
            guard lon.isFinite, lat.isFinite, (-180...180).contains(lon), (-90...90).contains(lat) else {
                throw GeoJSONError("a \(type) position [\(lon), \(lat)] is outside lon −180…180 / lat −90…90")
            }
            return LonLat(lon: lon, lat: lat)
        }
        func positions(_ v: JSONValue?) throws -> [LonLat] {
            guard let a = v?.arrayValue else { throw GeoJSONError("\(type) coordinates are not an array") }
            return try a.map(position)
        }
        func rings(_ v: JSONValue?) throws -> [[LonLat]] {
            guard let a = v?.arrayValue else { throw GeoJSONError("\(type) coordinates are not an array") }
            return try a.map { try positions($0) }
        }
        let c = json["coordinates"]
        switch type {
        case "Point":
            guard let c else { throw GeoJSONError("Point has no coordinates") }
            self = .point(try position(c))
        case "MultiPoint": self = .multiPoint(try positions(c))
        case "LineString": self = .lineString(try positions(c))
        case "MultiLineString": self = .multiLineString(try rings(c))
        case "Polygon": self = .polygon(try rings(c))
        case "MultiPolygon":
            guard let a = c?.arrayValue else { throw GeoJSONError("MultiPolygon coordinates are not an array") }
            self = .multiPolygon(try a.map { try rings($0) })
        case "GeometryCollection":
            guard let gs = json["geometries"]?.arrayValue else {
                throw GeoJSONError("GeometryCollection has no \"geometries\"")
            }
            self = .geometryCollection(try gs.map { try GeoJSONGeometry(json: $0) })
        default:
            throw GeoJSONError("unknown geometry type \"\(type)\"")
        }
    }
}

extension GeoJSONFeature {
    public init(json: JSONValue) throws {
        guard json["type"]?.stringValue == "Feature" else { throw GeoJSONError("not a Feature") }
        let g = json["geometry"]
        let geometry: GeoJSONGeometry? = (g == nil || g == .null) ? nil : try GeoJSONGeometry(json: g!)
        let reserved: Set<String> = ["type", "id", "geometry", "properties", "bbox"]
        self.init(
            id: json["id"], geometry: geometry, properties: json["properties"] ?? .null,
            foreignMembers: (json.objectValue ?? []).filter { !reserved.contains($0.0) })
    }
}

extension GeoJSONFeatureCollection {
    /// Reads a FeatureCollection, a single Feature, or a bare geometry (wrapped as one feature).
    public init(json: JSONValue) throws {
        switch json["type"]?.stringValue {
        case "FeatureCollection":
            guard let fs = json["features"]?.arrayValue else { throw GeoJSONError("FeatureCollection has no \"features\"") }
            var features: [GeoJSONFeature] = []
            for (n, f) in fs.enumerated() {
                do { features.append(try GeoJSONFeature(json: f)) } catch let e as GeoJSONError {
                    throw GeoJSONError("feature \(n): \(e.message)")
                }
            }
            let reserved: Set<String> = ["type", "features", "bbox"]
            self.init(features: features, foreignMembers: (json.objectValue ?? []).filter { !reserved.contains($0.0) })
        case "Feature":
            self.init(features: [try GeoJSONFeature(json: json)])
        case .some:
            self.init(features: [GeoJSONFeature(geometry: try GeoJSONGeometry(json: json))])
        case nil:
            throw GeoJSONError("no \"type\" member: not GeoJSON")
        }
    }

    /// Reads a GeoJSON file; errors name the file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw GeoJSONError("\(url.path): cannot read: \(error.localizedDescription)")
        }
        do { try self.init(json: try JSONValue.parse(data)) } catch let e as LocalizedError {
            throw GeoJSONError("\(url.path): \(e.errorDescription ?? "\(e)")")
        }
    }
}

// MARK: - Writing

extension GeoJSONGeometry {
    /// The geometry as JSON, degrees rounded to `decimals` places (RFC 7946 §11.2 suggests 6,
    /// about 10 cm). Consecutive positions that round to the same value are dropped (rings stay closed).
    public func json(decimals: Int = 6) -> JSONValue {
        let scale = pow(10.0, Double(decimals))
        func r(_ x: Double) -> Double { (x * scale).rounded() / scale }
        func pos(_ p: LonLat) -> JSONValue { .array([.number(r(p.lon)), .number(r(p.lat))]) }
        func line(_ ps: [LonLat]) -> JSONValue {
            var out: [JSONValue] = []
            out.reserveCapacity(ps.count)
            var last: (Double, Double)?
            for p in ps {
                let q = (r(p.lon), r(p.lat))
                if let last, last == q { continue }
                out.append(.array([.number(q.0), .number(q.1)]))
                last = q
            }
            return .array(out)
        }
        switch self {
        case let .point(p): return ["type": "Point", "coordinates": pos(p)]
        case let .multiPoint(ps): return ["type": "MultiPoint", "coordinates": .array(ps.map(pos))]
        case let .lineString(ps): return ["type": "LineString", "coordinates": line(ps)]
        case let .multiLineString(ls): return ["type": "MultiLineString", "coordinates": .array(ls.map(line))]
        case let .polygon(rs): return ["type": "Polygon", "coordinates": .array(rs.map(line))]
        case let .multiPolygon(ps):
            return ["type": "MultiPolygon", "coordinates": .array(ps.map { .array($0.map(line)) })]
        case let .geometryCollection(gs):
            return ["type": "GeometryCollection", "geometries": .array(gs.map { $0.json(decimals: decimals) })]
        }
    }
}

extension GeoJSONFeature {
    public func json(decimals: Int = 6) -> JSONValue {
        var m: [(String, JSONValue)] = [("type", "Feature")]
        if let id { m.append(("id", id)) }
        m.append(("geometry", geometry?.withRFC7946Winding().json(decimals: decimals) ?? .null))
        m.append(("properties", properties))
        m.append(contentsOf: foreignMembers)
        return .object(m)
    }
}

extension GeoJSONFeatureCollection {
    public func json(decimals: Int = 6) -> JSONValue {
        var m: [(String, JSONValue)] = [("type", "FeatureCollection")]
        if writesBoundingBox {
            let all = features.compactMap(\.geometry)
            if let b = GeoJSONGeometry.geometryCollection(all).boundingBox {
                let scale = pow(10.0, Double(decimals))
                m.append(("bbox", .array([b.west, b.south, b.east, b.north].map { .number(($0 * scale).rounded() / scale) })))
            }
        }
        m.append(contentsOf: foreignMembers)
        m.append(("features", .array(features.map { $0.json(decimals: decimals) })))
        return .object(m)
    }

    /// The document as text: one feature per line, so diffs and `grep` stay readable.
    public func serialized(decimals: Int = 6) -> String {
        guard case let .object(members) = json(decimals: decimals) else { return "" }
        var out = "{"
        for (n, (k, v)) in members.enumerated() {
            if n > 0 { out += ",\n" }
            JSONValue.writeString(k, to: &out)
            out += ":"
            if k == "features", case let .array(fs) = v {
                out += "[\n"
                for (j, f) in fs.enumerated() {
                    out += f.serialized()
                    out += j + 1 < fs.count ? ",\n" : "\n"
                }
                out += "]"
            } else {
                out += v.serialized()
            }
        }
        out += "\n}\n"
        return out
    }
}
