import Foundation
import RegionRiskGeodata
import RegionRiskBase
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
