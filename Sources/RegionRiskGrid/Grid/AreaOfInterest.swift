import Foundation
import RegionRiskGeodata
import RegionRiskBase
import RegionRiskGDAL
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

    /// Reads an area from a vector file: the union of all its polygonal features. GeoJSON
    /// (`.geojson`, `.json`) is read by RegionRisk's own reader; any other format GDAL's OGR reads
    /// (Shapefile, GeoPackage, FlatGeobuf, KML, …) through OGR, its first layer reprojected to
    /// lon/lat. Invalid polygons (self-intersections, bad rings) are repaired with GEOS, or
    /// rejected with a message that names the file.
    public static func load(from url: URL, name: String? = nil) throws -> AreaOfInterest {
        let collection = try VectorFile.isGeoJSON(url) ? GeoJSONFeatureCollection(contentsOf: url)
            : VectorFile.readFirstLayer(url).collection
        let polygons = collection.features.compactMap(\.geometry).flatMap(\.polygons)
        guard !polygons.isEmpty else {
            throw AreaError("\(url.path): no Polygon or MultiPolygon feature to use as the area of interest")
        }
        do {
            var parts: [Geometry] = []
            for p in polygons {
                // A polygon drawn across 180° is unwrapped, repaired, then cut at 180°.
                if let unwrapped = unwrappedAcrossAntimeridian(p) {
                    parts.append(try cutAtAntimeridian(try Geometry(geoJSON: .polygon(unwrapped)).repairedPolygonal()))
                } else {
                    parts.append(try Geometry(geoJSON: .polygon(p)).repairedPolygonal())
                }
            }
            let merged = parts.count == 1 ? parts[0] : try Geometry.unaryUnion(parts)
            let boundary = try merged.polygonalParts().geoJSON()
            let first = collection.features.first?.properties
            let featureName = areaNameFields.lazy.compactMap { first?[$0]?.stringValue }.first
            let area = AreaOfInterest(name: name ?? featureName ?? url.deletingPathExtension().lastPathComponent,
                                      boundary: boundary, source: url.path)
            try area.checkExtent(file: url.path)
            return area
        } catch let e as GEOSError {
            throw AreaError("\(url.path): \(e.message)")
        }
    }

    /// Fields that name an area, in order of preference (GeoJSON habit, GADM, OCHA COD-AB, geoBoundaries).
    static let areaNameFields = ["name", "NAME", "NAME_0", "admin0Name", "ADM0_EN", "ADM0_FR", "shapeName"]

    /// Centre of the boundary's bounding box, its longitude measured round the circle (an area
    /// across the antimeridian is centred near 180°, not 0°): the natural centre for an
    /// azimuthal projection.
    public var boundingBoxCentre: LonLat {
        let b = boundary.boundingBox ?? (0, 0, 0, 0)
        let e = longitudeExtent
        let lon = (e.west + e.east) / 2
        return LonLat(lon: lon > 180 ? lon - 360 : lon, lat: (b.south + b.north) / 2)
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
