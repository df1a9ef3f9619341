import Foundation
import RegionRiskBase

/// "Is this point in the area of interest?" for millions of points, with a tolerance.
///
/// Boundaries at 1:1M are off by hundreds of metres in places (six points of the embedded sample
/// lie up to 0.5 km outside DCW's Mali), so a point counts as inside when it lies within about
/// `toleranceKm` of the area. The outline is rasterised once on a lon/lat grid (about 1 km cells)
/// and dilated by the tolerance, so each query is one array lookup — no PROJ or GEOS handle,
/// safe to use from any thread.
package struct AreaMembership: Sendable {
    let grid: GridSpec
    let mask: [UInt8]

    /// - Throws: `ParameterLimitError` when the area's box needs more cells than the grid budget.
    package init(area: AreaOfInterest, toleranceKm: Double = 5, cellDegrees: Double = 0.01) throws {
        let box = area.boundary.boundingBox ?? (0, 0, 0, 0)
        let margin = toleranceKm / 111 + 2 * cellDegrees
        // A GridSpec in degrees: "x" is longitude, "y" latitude.
        let grid = try GridSpec(crs: "EPSG:4326", covering: box.west - margin, box.south - margin, box.east + margin, box.north + margin,
                            cellSizeMeters: cellDegrees)
        let rings = area.boundary.polygons.flatMap { $0 }.map { $0.map { (x: $0.lon, y: $0.lat) } }
        var inside = PolygonMask.rasterize(rings: rings, grid: grid)
        // Dilate: a cell is in when any cell within the tolerance is (a box in lat, widened in lon
        // by 1/cos(latitude) at the area's middle).
        let rowsRadius = min(grid.rows, Int((toleranceKm / 111.32 / cellDegrees).rounded(.up)))
        let midLat = (box.south + box.north) / 2
        let colsRadius = ParameterLimits.count(
            (toleranceKm / (111.32 * cos(midLat * .pi / 180)) / cellDegrees).rounded(.up), atMost: grid.columns) ?? grid.columns
        inside = Self.dilate(inside, columns: grid.columns, rows: grid.rows, radiusColumns: colsRadius, radiusRows: rowsRadius)
        self.grid = grid
        mask = inside
    }

    package func contains(_ p: LonLat) -> Bool {
        guard let cell = grid.cell(containingX: p.lon, y: p.lat) else { return false }
        return mask[cell.row * grid.columns + cell.column] != 0
    }

    /// Separable box dilation (rows, then columns) with running counts: O(cells).
    static func dilate(_ m: [UInt8], columns: Int, rows: Int, radiusColumns rc: Int, radiusRows rr: Int) -> [UInt8] {
        var horizontal = [UInt8](repeating: 0, count: m.count)
        for r in 0..<rows {
            var count = 0
            let base = r * columns
            for c in 0..<min(rc, columns) { count += Int(m[base + c]) }
            for c in 0..<columns {
                if c + rc < columns { count += Int(m[base + c + rc]) }
                if c - rc - 1 >= 0 { count -= Int(m[base + c - rc - 1]) }
                horizontal[base + c] = count > 0 ? 1 : 0
            }
        }
        var out = [UInt8](repeating: 0, count: m.count)
        for c in 0..<columns {
            var count = 0
            for r in 0..<min(rr, rows) { count += Int(horizontal[r * columns + c]) }
            for r in 0..<rows {
                if r + rr < rows { count += Int(horizontal[(r + rr) * columns + c]) }
                if r - rr - 1 >= 0 { count -= Int(horizontal[(r - rr - 1) * columns + c]) }
                out[r * columns + c] = count > 0 ? 1 : 0
            }
        }
        return out
    }
}
