import Foundation
import RegionRiskGeodata

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
    private let referenceLatitude: Double

    public init(regions: [Region]) {
        self.regions = regions
        let b = GeoJSONGeometry.geometryCollection(regions.map(\.geometry)).boundingBox
        referenceLatitude = b.map { ($0.south + $0.north) / 2 } ?? 0
    }

    /// The embedded Natural Earth admin-1 regions of Mali.
    public static func embeddedMali() throws -> AdminRegions {
        try load(from: EmbeddedGeodata.url("regions.geojson"))
    }

    /// Reads regions from GeoJSON: the name from `name` (or `NAME_1`, `admin1Name_en`), the code
    /// from `code` (or `id`, `admin1Pcode`).
    public static func load(from url: URL) throws -> AdminRegions {
        let fc = try GeoJSONFeatureCollection(contentsOf: url)
        var regions: [Region] = []
        for (n, f) in fc.features.enumerated() {
            guard let g = f.geometry, !g.polygons.isEmpty else { continue }
            let p = f.properties
            let name = p["name"]?.stringValue ?? p["NAME_1"]?.stringValue ?? p["admin1Name_en"]?.stringValue ?? "region \(n + 1)"
            let code = p["code"]?.stringValue ?? p["admin1Pcode"]?.stringValue ?? f.id?.stringValue ?? "\(n + 1)"
            regions.append(Region(name: name, code: code, geometry: g))
        }
        guard !regions.isEmpty else { throw AreaError("\(url.path): no polygon features to use as regions") }
        return AdminRegions(regions: regions)
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

    /// Longitude shrunk by cos(mean latitude) so that planar distances approximate ground ones.
    private func scaled(_ g: GeoJSONGeometry) -> GeoJSONGeometry {
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
