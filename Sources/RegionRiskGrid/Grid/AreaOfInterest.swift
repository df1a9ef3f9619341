import Foundation
import RegionRiskGeodata
import RegionRiskBase
import RegionRiskGeoJSON
import RegionRiskGeometry

/// The area a risk analysis covers: a named polygon in (lon, lat) degrees.
public struct AreaOfInterest: Sendable {
    public var name: String
    /// Polygon or MultiPolygon, (lon, lat), valid.
    public var boundary: GeoJSONGeometry
    /// Where the boundary came from (a path, or "embedded: …").
    public var source: String
    /// True for the embedded Mali default, whose admin-1 regions and gazetteer ship with RegionRisk.
    public var isEmbeddedDefault: Bool

    public init(name: String, boundary: GeoJSONGeometry, source: String, isEmbeddedDefault: Bool = false) {
        self.name = name
        self.boundary = boundary
        self.source = source
        self.isEmbeddedDefault = isEmbeddedDefault
    }

    /// Mali's outline (Digital Chart of the World, via Debian's gmt-dcw), the embedded default.
    public static func embeddedMali() throws -> AreaOfInterest {
        var area = try load(from: try EmbeddedGeodata.url("boundary.geojson"), name: "Mali")
        area.source = "embedded: Geodata/mali/boundary.geojson"
        area.isEmbeddedDefault = true
        return area
    }

    /// Reads an area from a GeoJSON file: the union of all its polygonal features. Invalid
    /// polygons (self-intersections, bad rings) are repaired with GEOS, or rejected with a
    /// message that names the file.
    public static func load(from url: URL, name: String? = nil) throws -> AreaOfInterest {
        let collection = try GeoJSONFeatureCollection(contentsOf: url)
        let polygons = collection.features.compactMap(\.geometry).flatMap(\.polygons)
        guard !polygons.isEmpty else {
            throw AreaError("\(url.path): no Polygon or MultiPolygon feature to use as the area of interest")
        }
        do {
            var parts: [Geometry] = []
            for p in polygons {
                parts.append(try Geometry(geoJSON: .polygon(p)).repairedPolygonal())
            }
            let merged = parts.count == 1 ? parts[0] : try Geometry.unaryUnion(parts)
            let boundary = try merged.polygonalParts().geoJSON()
            let featureName = collection.features.first?.properties["name"]?.stringValue
            return AreaOfInterest(name: name ?? featureName ?? url.deletingPathExtension().lastPathComponent,
                                  boundary: boundary, source: url.path)
        } catch let e as GEOSError {
            throw AreaError("\(url.path): \(e.message)")
        }
    }

    /// Centre of the boundary's bounding box: the natural centre for an azimuthal projection.
    public var boundingBoxCentre: LonLat {
        let b = boundary.boundingBox ?? (0, 0, 0, 0)
        return LonLat(lon: (b.west + b.east) / 2, lat: (b.south + b.north) / 2)
    }

    /// Lambert azimuthal equal-area centred on the area: areas are exact, and distances are off
    /// by well under 1% across a country-sized area.
    public var defaultCRS: String { Projection.laeaDefinition(centeredOn: boundingBoxCentre) }

    /// Geodesic area, km².
    public var areaKm2: Double {
        boundary.polygons.reduce(0) { $0 + Geodesic.wgs84.areaKm2(rings: $1) }
    }
}

/// The area of interest could not be used.
public struct AreaError: LocalizedError, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var errorDescription: String? { message }
}

/// A grid over an area of interest in an equal-area projection, with the cells whose centre
/// lies inside the area marked.
public struct AreaGrid: Sendable {
    public var area: AreaOfInterest
    public var spec: GridSpec
    /// One byte per cell, row-major, 1 when the cell's centre lies inside the area.
    public var mask: [UInt8]
    public var cellsInside: Int

    /// Builds the grid: projects the boundary, covers it with `cellSizeKm` cells (edges on multiples
    /// of the cell size), and masks it.
    /// - Parameter crs: a PROJ string or authority code for an equal-area CRS in metres; default
    ///   `area.defaultCRS`.
    public static func make(area: AreaOfInterest, cellSizeKm: Double, crs: String? = nil) throws -> AreaGrid {
        guard cellSizeKm.isFinite, cellSizeKm > 0 else { throw AreaError("cell size \(cellSizeKm) km is not a positive number") }
        let crs = crs ?? area.defaultCRS
        let projection = try Projection(from: "EPSG:4326", to: crs)
        var rings: [[(x: Double, y: Double)]] = []
        for polygon in area.boundary.polygons {
            for ring in polygon {
                var xs = ring.map(\.lon), ys = ring.map(\.lat)
                try projection.forward(x: &xs, y: &ys)
                rings.append(zip(xs, ys).map { (x: $0, y: $1) })
            }
        }
        guard let minX = rings.flatMap({ $0 }).map(\.x).min(), let maxX = rings.flatMap({ $0 }).map(\.x).max(),
            let minY = rings.flatMap({ $0 }).map(\.y).min(), let maxY = rings.flatMap({ $0 }).map(\.y).max()
        else { throw AreaError("the area of interest \(area.name) has no vertices") }
        let spec = GridSpec(crs: crs, covering: minX, minY, maxX, maxY, cellSizeMeters: cellSizeKm * 1000)
        guard spec.cellCount <= 200_000_000 else {
            throw AreaError("a \(cellSizeKm) km grid over \(area.name) would have \(spec.cellCount) cells; use larger cells")
        }
        let mask = PolygonMask.rasterize(rings: rings, grid: spec)
        return AreaGrid(area: area, spec: spec, mask: mask, cellsInside: mask.reduce(0) { $0 + Int($1) })
    }

    /// Projects (lon, lat) positions into the grid's CRS, metres.
    public func project(_ positions: [LonLat]) throws -> (x: [Double], y: [Double]) {
        var xs = positions.map(\.lon), ys = positions.map(\.lat)
        try Projection(from: "EPSG:4326", to: spec.crs).forward(x: &xs, y: &ys)
        return (xs, ys)
    }

    /// (lon, lat) of every cell centre inside the area, in row-major order, with the cell index.
    public func cellCentresInside() throws -> (index: [Int], positions: [LonLat]) {
        var index: [Int] = [], xs: [Double] = [], ys: [Double] = []
        index.reserveCapacity(cellsInside)
        for r in 0..<spec.rows {
            for c in 0..<spec.columns where mask[r * spec.columns + c] != 0 {
                let p = spec.cellCenter(column: c, row: r)
                index.append(r * spec.columns + c)
                xs.append(p.x)
                ys.append(p.y)
            }
        }
        try Projection(from: "EPSG:4326", to: spec.crs).inverse(x: &xs, y: &ys)
        return (index, zip(xs, ys).map { LonLat(lon: $0, lat: $1) })
    }
}
