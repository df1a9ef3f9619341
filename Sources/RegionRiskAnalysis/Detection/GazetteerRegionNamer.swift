import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// Names flagged regions from admin-1 polygons and a gazetteer: the regions an area touches and
/// its most populous places.
public struct GazetteerRegionNamer: RegionNamer {
    public let adminRegions: AdminRegions?
    public let gazetteer: Gazetteer?
    /// GeoNames ids of places worth naming before others of equal population (the embedded
    /// gazetteer: towns and the places named in recent reporting).
    public let notable: Set<Int>

    public init(adminRegions: AdminRegions?, gazetteer: Gazetteer?, notable: Set<Int> = []) {
        self.adminRegions = adminRegions
        self.gazetteer = gazetteer
        self.notable = notable
    }

    /// The embedded Mali regions and gazetteer when the area is the embedded Mali; for any other
    /// area, the regions and places that fall in it are unknown, so names come from the gazetteer
    /// only if one is given.
    public static func embeddedMali() throws -> GazetteerRegionNamer {
        let gazetteer = try Gazetteer.embeddedMali()
        return GazetteerRegionNamer(adminRegions: try AdminRegions.embeddedMali(), gazetteer: gazetteer,
                                    notable: try Gazetteer.notableMaliPlaceIDs())
    }

    public func admin1Names(for geometry: GeoJSONGeometry) -> [String] {
        adminRegions?.names(touching: geometry) ?? []
    }

    /// Populated places inside the area, most populous first; among equals (a full GeoNames dump
    /// has thousands of hamlets with population 0), notable places first, then feature rank, then
    /// closeness to the area's centre. With no place inside, the nearest notable or populated place.
    public func placeNames(for geometry: GeoJSONGeometry, limit: Int) -> [String] {
        guard let gazetteer, limit > 0, let box = geometry.boundingBox else { return [] }
        let centre = LonLat(lon: (box.west + box.east) / 2, lat: (box.south + box.north) / 2)
        func km(_ p: Place) -> Double {
            let dx = (p.location.lon - centre.lon) * cos(centre.lat * .pi / 180), dy = p.location.lat - centre.lat
            return (dx * dx + dy * dy).squareRoot() * 111.32
        }
        var inside: [Place] = []
        if let shape = try? Geometry(geoJSON: geometry), let prepared = try? PreparedGeometry(shape) {
            for p in gazetteer.places where p.isPopulatedPlace
                && p.location.lon >= box.west && p.location.lon <= box.east
                && p.location.lat >= box.south && p.location.lat <= box.north
            {
                if (try? prepared.covers(x: p.location.lon, y: p.location.lat)) == true { inside.append(p) }
            }
        }
        inside.sort { a, b in
            if a.population != b.population { return a.population > b.population }
            let an = notable.contains(a.geonameID), bn = notable.contains(b.geonameID)
            if an != bn { return an }
            if a.featureRank != b.featureRank { return a.featureRank > b.featureRank }
            return (km(a), a.name) < (km(b), b.name)
        }
        var names: [String] = []
        for p in inside where !names.contains(p.name) {
            names.append(p.name)
            if names.count == limit { return names }
        }
        if names.isEmpty {
            // Nothing inside: the one nearest notable or populated place ("around Gogui"), not a
            // list of towns that lie elsewhere.
            let nearby = gazetteer.nearestPlaces(to: centre, limit: 50)
            if let p = nearby.first(where: { notable.contains($0.geonameID) || $0.population > 0 }) ?? nearby.first {
                names.append(p.name)
            }
        }
        return names
    }
}
