import RegionRiskBase
import RegionRiskGeometry

/// The one bridge between the RFC 7946 model and GEOS geometries: lon → x, lat → y and back.
/// The GEOS owners in RegionRiskGeometry know nothing of GeoJSON; everything that needs both
/// goes through these two functions.
extension Geometry {
    /// A geometry from GeoJSON (lon → x, lat → y). Polygon rings are closed if needed.
    package convenience init(geoJSON: GeoJSONGeometry, context: GEOSContext = .current) throws {
        try self.init(shape: geoJSON.shape, context: context)
    }

    /// The geometry as GeoJSON (x → lon, y → lat), coordinates as stored (no range check, no
    /// rewinding). An empty point has no GeoJSON form and throws.
    package func geoJSON() throws -> GeoJSONGeometry {
        GeoJSONGeometry(shape: try shape())
    }
}

extension GeoJSONGeometry {
    /// The plain structure GEOS builds from.
    var shape: Geometry.Shape {
        func xy(_ ps: [LonLat]) -> [Geometry.Shape.XY] { ps.map { (x: $0.lon, y: $0.lat) } }
        switch self {
        case let .point(p): return .point((x: p.lon, y: p.lat))
        case let .multiPoint(ps): return .multiPoint(xy(ps))
        case let .lineString(ps): return .lineString(xy(ps))
        case let .multiLineString(ls): return .multiLineString(ls.map(xy))
        case let .polygon(rings): return .polygon(rings.map(xy))
        case let .multiPolygon(ps): return .multiPolygon(ps.map { $0.map(xy) })
        case let .geometryCollection(gs): return .geometryCollection(gs.map(\.shape))
        }
    }

    init(shape: Geometry.Shape) {
        func ll(_ ps: [Geometry.Shape.XY]) -> [LonLat] { ps.map { LonLat(lon: $0.x, lat: $0.y) } }
        switch shape {
        case let .point(p): self = .point(LonLat(lon: p.x, lat: p.y))
        case let .multiPoint(ps): self = .multiPoint(ll(ps))
        case let .lineString(ps): self = .lineString(ll(ps))
        case let .multiLineString(ls): self = .multiLineString(ls.map(ll))
        case let .polygon(rings): self = .polygon(rings.map(ll))
        case let .multiPolygon(ps): self = .multiPolygon(ps.map { $0.map(ll) })
        case let .geometryCollection(gs): self = .geometryCollection(gs.map(GeoJSONGeometry.init(shape:)))
        }
    }
}
