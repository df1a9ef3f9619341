import Foundation

/// Names flagged regions from admin-1 polygons and a gazetteer: the regions an area touches and
/// its most populous places.
public struct GazetteerRegionNamer: RegionNamer {
    public let adminRegions: AdminRegions?
    public let gazetteer: Gazetteer?

    public init(adminRegions: AdminRegions?, gazetteer: Gazetteer?) {
        self.adminRegions = adminRegions
        self.gazetteer = gazetteer
    }

    /// The embedded Mali regions and gazetteer when the area is the embedded Mali; for any other
    /// area, the regions and places that fall in it are unknown, so names come from the gazetteer
    /// only if one is given.
    public static func embeddedMali() throws -> GazetteerRegionNamer {
        GazetteerRegionNamer(adminRegions: try AdminRegions.embeddedMali(), gazetteer: try Gazetteer.embeddedMali())
    }

    public func admin1Names(for geometry: GeoJSONGeometry) -> [String] {
        adminRegions?.names(touching: geometry) ?? []
    }

    /// Populated places inside the area, most populous first; if none, the nearest to its
    /// bounding-box centre (ties in population broken by name for stable output).
    public func placeNames(for geometry: GeoJSONGeometry, limit: Int) -> [String] {
        guard let gazetteer, limit > 0, let box = geometry.boundingBox else { return [] }
        var inside: [Place] = []
        if let shape = try? Geometry(geoJSON: geometry), let prepared = try? PreparedGeometry(shape) {
            for p in gazetteer.places where p.isPopulatedPlace
                && p.location.lon >= box.west && p.location.lon <= box.east
                && p.location.lat >= box.south && p.location.lat <= box.north
            {
                if (try? prepared.covers(x: p.location.lon, y: p.location.lat)) == true { inside.append(p) }
            }
        }
        inside.sort { ($0.population, $1.name) > ($1.population, $0.name) }
        var names: [String] = []
        for p in inside where !names.contains(p.name) {
            names.append(p.name)
            if names.count == limit { return names }
        }
        if names.isEmpty {
            let centre = LonLat(lon: (box.west + box.east) / 2, lat: (box.south + box.north) / 2)
            for p in gazetteer.nearestPlaces(to: centre, limit: limit) where !names.contains(p.name) { names.append(p.name) }
        }
        return names
    }
}
