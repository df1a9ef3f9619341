import Foundation
import RegionRiskBase
import RegionRiskGeoJSON

/// A rectangle in SVG pixels (y down).
struct PixelRect: Sendable, Equatable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double
    var maxX: Double { x + width }
    var maxY: Double { y + height }
    var midX: Double { x + width / 2 }
    var midY: Double { y + height / 2 }

    func intersects(_ o: PixelRect) -> Bool {
        x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY
    }

    func overlapArea(_ o: PixelRect) -> Double {
        max(0, min(maxX, o.maxX) - max(x, o.x)) * max(0, min(maxY, o.maxY) - max(y, o.y))
    }

    func contains(_ o: PixelRect) -> Bool {
        o.x >= x - 1e-9 && o.y >= y - 1e-9 && o.maxX <= maxX + 1e-9 && o.maxY <= maxY + 1e-9
    }

    func insetBy(_ d: Double) -> PixelRect { PixelRect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
}

/// The display projection of the map: equirectangular with x scaled by the cosine of the
/// mid-latitude of the fitted box, y flipped. At Mali's scale (about 10°–25° N) this keeps
/// east–west and north–south scale equal at the mid-latitude and within about 12 % at the
/// edges, which is plenty for a situational map; distances are never measured on it — the
/// analysis itself runs in an equal-area CRS.
struct MapProjection: Sendable {
    /// Mean Earth radius (IUGG), km: the spherical model behind `kmPerPixel`.
    static let earthRadiusKm = 6371.0088
    /// Kilometres per degree of latitude (and of longitude at the equator) on that sphere.
    static let kmPerDegree = earthRadiusKm * Double.pi / 180

    /// Longitude and latitude of the fitted box's west and north edges, degrees.
    let west: Double
    let north: Double
    /// cos(mid-latitude of the fitted box).
    let cosMidLatitude: Double
    /// Pixels per degree of latitude.
    let pixelsPerDegree: Double
    /// Pixel position of (west, north).
    let originX: Double
    let originY: Double
    /// The mid-latitude, degrees.
    let midLatitude: Double

    /// Fits the box (degrees) into `rect`, centred, keeping the aspect ratio.
    init(fitting box: (west: Double, south: Double, east: Double, north: Double), into rect: PixelRect) {
        midLatitude = (box.south + box.north) / 2
        cosMidLatitude = max(cos(midLatitude * .pi / 180), 0.01)
        // Callers pad a degenerate box (a single point); the floor only avoids dividing by zero.
        let sx = max((box.east - box.west) * cosMidLatitude, 1e-9)
        let sy = max(box.north - box.south, 1e-9)
        pixelsPerDegree = min(rect.width / sx, rect.height / sy)
        west = box.west
        north = box.north
        originX = rect.x + (rect.width - sx * pixelsPerDegree) / 2
        originY = rect.y + (rect.height - sy * pixelsPerDegree) / 2
    }

    /// Pixel position of a (lon, lat) point.
    func project(_ p: LonLat) -> (x: Double, y: Double) {
        (originX + (p.lon - west) * cosMidLatitude * pixelsPerDegree, originY + (north - p.lat) * pixelsPerDegree)
    }

    /// Kilometres per pixel: exact along meridians and along the mid-latitude's parallel.
    var kmPerPixel: Double { MapProjection.kmPerDegree / pixelsPerDegree }
}

/// A scale bar whose length is a round number of kilometres.
struct ScaleBar: Sendable, Equatable {
    /// Length in km: 1, 2 or 5 times a power of ten.
    let kilometres: Double
    /// Length in pixels.
    let pixels: Double

    /// The longest round length that fits in `maxPixels`.
    init(kmPerPixel: Double, maxPixels: Double) {
        let maxKm = maxPixels * kmPerPixel
        var best = 0.0
        var e = floor(log10(maxKm))
        while best == 0 && e > -4 {
            for m in [5.0, 2.0, 1.0] where m * pow(10, e) <= maxKm + 1e-9 {
                best = m * pow(10, e)
                break
            }
            e -= 1
        }
        kilometres = best
        pixels = best / kmPerPixel
    }
}

/// Turns geometries into compact SVG path data.
enum SVGPath {
    /// Pixel coordinates are written in tenths of a pixel: smaller files, no visible loss.
    static func tenths(_ v: Double) -> Int { Int((v * 10).rounded()) }

    /// "12.3", "12", "-0.5".
    static func number(_ v: Double) -> String { text(tenths: tenths(v)) }

    static func text(tenths t: Int) -> String {
        let sign = t < 0 ? "-" : ""
        let a = abs(t)
        return a % 10 == 0 ? "\(sign)\(a / 10)" : "\(sign)\(a / 10).\(a % 10)"
    }

    /// Projects one ring or line to tenth-pixel integers, dropping repeated points and the
    /// middle of straight runs (grid-cell outlines are full of them).
    static func simplified(_ ring: [LonLat], _ projection: MapProjection, closed: Bool) -> [(Int, Int)] {
        var pts: [(Int, Int)] = []
        pts.reserveCapacity(ring.count)
        for p in ring where p.lon.isFinite && p.lat.isFinite {
            let q = projection.project(p)
            let t = (tenths(q.x), tenths(q.y))
            if let last = pts.last, last == t { continue }
            pts.append(t)
        }
        if closed, pts.count > 1, pts.first! == pts.last! { pts.removeLast() }
        guard pts.count > 2 else { return pts }
        var out: [(Int, Int)] = []
        out.reserveCapacity(pts.count)
        let n = pts.count
        for i in 0..<n {
            if !closed && (i == 0 || i == n - 1) { out.append(pts[i]); continue }
            let a = out.last ?? pts[(i - 1 + n) % n]
            let b = pts[i]
            let c = pts[(i + 1) % n]
            let cross = (b.0 - a.0) * (c.1 - b.1) - (b.1 - a.1) * (c.0 - b.0)
            let dot = (b.0 - a.0) * (c.0 - b.0) + (b.1 - a.1) * (c.1 - b.1)
            if cross == 0 && dot > 0 { continue }
            out.append(b)
        }
        return out
    }

    /// Path data for the geometry's polygons and lines; points are drawn by callers.
    static func data(_ geometry: GeoJSONGeometry, _ projection: MapProjection) -> String {
        var d = ""
        func emit(_ pts: [(Int, Int)], close: Bool) {
            guard pts.count >= (close ? 3 : 2) else { return }
            for (k, p) in pts.enumerated() {
                d += k == 0 ? "M" : (k == 1 ? "L" : " ")
                d += text(tenths: p.0)
                d += " "
                d += text(tenths: p.1)
            }
            if close { d += "Z" }
        }
        func walk(_ g: GeoJSONGeometry) {
            switch g {
            case let .polygon(rings):
                for r in rings { emit(simplified(r, projection, closed: true), close: true) }
            case let .multiPolygon(polys):
                for rings in polys { for r in rings { emit(simplified(r, projection, closed: true), close: true) } }
            case let .lineString(line):
                emit(simplified(line, projection, closed: false), close: false)
            case let .multiLineString(lines):
                for l in lines { emit(simplified(l, projection, closed: false), close: false) }
            case let .geometryCollection(gs):
                gs.forEach(walk)
            case .point, .multiPoint:
                break
            }
        }
        walk(geometry)
        return d
    }
}

/// Where to put a label inside a polygon.
enum LabelAnchor {
    /// Pixel bounding box of a geometry's positions, nil when empty.
    static func pixelBox(_ g: GeoJSONGeometry, _ projection: MapProjection) -> PixelRect? {
        let ps = g.allPositions.filter { $0.lon.isFinite && $0.lat.isFinite }
        guard !ps.isEmpty else { return nil }
        var (x0, y0, x1, y1) = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
        for p in ps {
            let q = projection.project(p)
            x0 = min(x0, q.x); x1 = max(x1, q.x); y0 = min(y0, q.y); y1 = max(y1, q.y)
        }
        return PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// A point well inside the geometry's largest polygon: the midpoint of the widest
    /// horizontal run inside it, tried at the ring centroid's height and at 40 % and 60 % of
    /// the polygon's height. A centroid alone can fall outside a concave region (Kayes, Mopti).
    static func interiorPoint(_ g: GeoJSONGeometry, _ projection: MapProjection) -> (x: Double, y: Double)? {
        let polys = g.polygons.map { rings in rings.map { $0.map { projection.project($0) } } }
        guard let largest = polys.max(by: { abs(area($0.first ?? [])) < abs(area($1.first ?? [])) }),
            let outer = largest.first, outer.count >= 3
        else {
            if case let .point(p) = g { return projection.project(p) }
            return nil
        }
        let ys = outer.map(\.y)
        let (minY, maxY) = (ys.min()!, ys.max()!)
        var candidates = [minY + 0.4 * (maxY - minY), minY + 0.6 * (maxY - minY), minY + 0.5 * (maxY - minY)]
        if let c = centroid(outer) { candidates.insert(c.y, at: 0) }
        var best: (x: Double, y: Double, width: Double)?
        for y in candidates {
            var xs: [Double] = []
            for ring in largest where ring.count >= 2 {
                for i in 0..<ring.count {
                    let a = ring[i], b = ring[(i + 1) % ring.count]
                    if (a.y <= y) != (b.y <= y) {
                        xs.append(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x))
                    }
                }
            }
            xs.sort()
            var k = 0
            while k + 1 < xs.count {
                let w = xs[k + 1] - xs[k]
                // Prefer the centroid's row unless another is clearly (1.5×) wider.
                if best == nil || w > best!.width * 1.5 { best = ((xs[k] + xs[k + 1]) / 2, y, w) }
                k += 2
            }
        }
        if let best { return (best.x, best.y) }
        return centroid(outer)
    }

    static func area(_ ring: [(x: Double, y: Double)]) -> Double {
        guard ring.count > 2 else { return 0 }
        var s = 0.0
        for i in 0..<ring.count {
            let a = ring[i], b = ring[(i + 1) % ring.count]
            s += a.x * b.y - b.x * a.y
        }
        return s / 2
    }

    static func centroid(_ ring: [(x: Double, y: Double)]) -> (x: Double, y: Double)? {
        let a = area(ring)
        guard abs(a) > 1e-9 else {
            guard !ring.isEmpty else { return nil }
            return (ring.map(\.x).reduce(0, +) / Double(ring.count), ring.map(\.y).reduce(0, +) / Double(ring.count))
        }
        var cx = 0.0, cy = 0.0
        for i in 0..<ring.count {
            let p = ring[i], q = ring[(i + 1) % ring.count]
            let f = p.x * q.y - q.x * p.y
            cx += (p.x + q.x) * f
            cy += (p.y + q.y) * f
        }
        return (cx / (6 * a), cy / (6 * a))
    }
}
