import CPROJ
import Foundation
import RegionRiskBase

/// Geodesic calculations on an ellipsoid (Karney's algorithms, PROJ's geodesic.h): accurate to
/// nanometres at any distance, unlike haversine which errs by up to 0.5 % on WGS 84.
package struct Geodesic: @unchecked Sendable {
    // @unchecked: geod_geodesic is a plain C struct of doubles, never mutated after init.
    private var g = geod_geodesic()

    /// Ellipsoid with equatorial radius `a` (metres) and flattening `f`.
    package init(equatorialRadius a: Double, flattening f: Double) {
        geod_init(&g, a, f)
    }

    /// The WGS 84 ellipsoid (a = 6 378 137 m, 1/f = 298.257223563), GPS and GeoJSON's datum.
    package static let wgs84 = Geodesic(equatorialRadius: 6_378_137, flattening: 1 / 298.257223563)

    /// Shortest path between two points: length in metres, and the forward azimuths (degrees
    /// clockwise from north) at the start and at the end.
    package func inverse(from a: LonLat, to b: LonLat) -> (distanceMeters: Double, azimuth1Degrees: Double, azimuth2Degrees: Double) {
        var s12 = 0.0, azi1 = 0.0, azi2 = 0.0
        withUnsafePointer(to: g) { geod_inverse($0, a.lat, a.lon, b.lat, b.lon, &s12, &azi1, &azi2) }
        return (s12, azi1, azi2)
    }

    /// Geodesic distance in km.
    package func distanceKm(_ a: LonLat, _ b: LonLat) -> Double {
        inverse(from: a, to: b).distanceMeters / 1000
    }

    /// The point reached from `a` after `distanceMeters` along azimuth `azimuthDegrees`
    /// (clockwise from north). Longitude is reduced to −180…180.
    package func direct(from a: LonLat, azimuthDegrees: Double, distanceMeters: Double) -> LonLat {
        var lat2 = 0.0, lon2 = 0.0, azi2 = 0.0
        withUnsafePointer(to: g) { geod_direct($0, a.lat, a.lon, azimuthDegrees, distanceMeters, &lat2, &lon2, &azi2) }
        return LonLat(lon: lon2, lat: lat2)
    }

    /// Geodesic area in km² of a polygon given as lon/lat rings (degrees): the first ring is the
    /// exterior, the others holes. Ring orientation does not matter and rings may be closed or
    /// not. Edges are geodesics, not lines of constant latitude.
    package func areaKm2(rings: [[LonLat]]) -> Double {
        var total = 0.0
        for (n, ring) in rings.enumerated() {
            let a = abs(ringAreaM2(ring))
            total += n == 0 ? a : -a
        }
        return max(0, total) / 1e6
    }

    /// Signed area in m² (positive when counter-clockwise) of one ring.
    private func ringAreaM2(_ ring: [LonLat]) -> Double {
        var points = ring
        if points.count > 1, points.first == points.last { points.removeLast() }
        guard points.count >= 3 else { return 0 }
        var lats = points.map(\.lat), lons = points.map(\.lon)
        var area = 0.0, perimeter = 0.0
        withUnsafePointer(to: g) { geod_polygonarea($0, &lats, &lons, Int32(points.count), &area, &perimeter) }
        return area
    }
}
