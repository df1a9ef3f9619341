import Foundation
import RegionRiskBase
import RegionRiskGeoJSON
import RegionRiskGeometry

/// Areas near or across the antimeridian, and areas too large for one azimuthal grid.
///
/// A polygon drawn across 180° (Fiji: a ring running 177° … 179.9°, −179.9° … −178°) is one area, but read naively in (lon, lat) it is a band round the
/// whole Earth, and the bounding box's centre is on the wrong side of the planet. On loading,
/// each such ring is unwrapped to a continuous longitude range (consecutive vertices never more
/// than 180° apart), then cut at ±180° into pieces inside [−180°, 180°], as RFC 7946 §3.1.9
/// asks. The area's longitude extent is measured round the circle, so the default projection is
/// centred on the area itself.
extension AreaOfInterest {
    /// Widest extent in longitude an area may have, degrees: one Lambert azimuthal grid centred
    /// on the area stays usable within a hemisphere.
    public static let maximumLongitudeExtent = 180.0

    /// The smallest longitude interval holding the whole area, degrees: `west` in [−180°, 180°),
    /// `east` = `west` + extent (so above 180° for an area across the antimeridian).
    public var longitudeExtent: (west: Double, east: Double) {
        Self.longitudeExtent(of: boundary.polygons.map { ring in
            let lons = ring.first?.map(\.lon) ?? []
            return (lons.min() ?? 0, lons.max() ?? 0)
        })
    }

    /// The smallest arc of the circle covering every interval (each inside [−180°, 180°]).
    static func longitudeExtent(of intervals: [(Double, Double)]) -> (west: Double, east: Double) {
        let sorted = intervals.map { (max($0.0, -180), min($0.1, 180)) }.sorted { $0.0 < $1.0 }
        guard let first = sorted.first else { return (0, 0) }
        // Merge overlapping intervals, then the largest gap between them (the one wrapping
        // round through 180° included) is what the area leaves out.
        var merged: [(Double, Double)] = [first]
        for i in sorted.dropFirst() {
            if i.0 <= merged[merged.count - 1].1 { merged[merged.count - 1].1 = max(merged[merged.count - 1].1, i.1) } else { merged.append(i) }
        }
        var gap = merged[0].0 + 360 - merged[merged.count - 1].1
        var extent = (west: merged[0].0, east: merged[merged.count - 1].1)
        for k in 1..<max(merged.count, 1) where merged[k].0 - merged[k - 1].1 > gap {
            gap = merged[k].0 - merged[k - 1].1
            extent = (merged[k].0, merged[k - 1].1 + 360)
        }
        return extent
    }

    /// `polygon` with each ring unwrapped to continuous longitudes; nil when it needs no change
    /// (no edge jumps more than 180° and every longitude is inside ±180°).
    static func unwrappedAcrossAntimeridian(_ polygon: [[LonLat]]) -> [[LonLat]]? {
        func jumps(_ a: LonLat, _ b: LonLat) -> Bool {
            // An edge along ±180° itself (a box from −180 to 180) is not a jump.
            let d = abs(b.lon - a.lon)
            return d > 180 && d < 360
        }
        let crossing = polygon.contains { ring in
            ring.contains { abs($0.lon) > 180 } || zip(ring, ring.dropFirst()).contains { jumps($0, $1) }
        }
        guard crossing else { return nil }
        // The exterior's first vertex sets the range every ring is unwrapped near.
        let anchor = polygon.first?.first?.lon ?? 0
        return polygon.map { ring in
            var out: [LonLat] = []
            out.reserveCapacity(ring.count)
            var previous = anchor
            for p in ring {
                var lon = p.lon
                while lon - previous > 180 { lon -= 360 }
                while lon - previous < -180 { lon += 360 }
                out.append(LonLat(lon: lon, lat: p.lat))
                previous = lon
            }
            return out
        }
    }

    /// An unwrapped polygonal geometry cut at ±180° (and ±540°), each piece shifted back into
    /// [−180°, 180°].
    static func cutAtAntimeridian(_ area: Geometry) throws -> Geometry {
        var pieces: [Geometry] = []
        for turn in -2...2 {
            let offset = Double(turn) * 360
            let strip = try Geometry.rectangle(minX: offset - 180, minY: -90, maxX: offset + 180, maxY: 90)
            let piece = try area.intersection(strip).polygonalParts()
            guard try !piece.isEmpty() else { continue }
            pieces.append(turn == 0 ? piece : try piece.transformed { x, _ in for i in x.indices { x[i] -= offset } })
        }
        return pieces.count == 1 ? pieces[0] : try Geometry.unaryUnion(pieces)
    }

    /// Throws when the area is wider than `maximumLongitudeExtent` (a whole-world or
    /// hemisphere-wide outline), where one equal-area grid centred on it is meaningless.
    func checkExtent(file: String) throws {
        let e = longitudeExtent
        let width = e.east - e.west
        guard width <= Self.maximumLongitudeExtent else {
            throw AreaError(
                "\(file): the area spans \(String(format: "%.0f", width))° of longitude (a whole-world or hemisphere-wide outline); one equal-area grid centred on it would distort distances beyond use, and RegionRisk's densities need a country- or region-sized area (at most \(Int(Self.maximumLongitudeExtent))° wide): give the outline of the region you analyse")
        }
    }
}
