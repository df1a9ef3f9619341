import Foundation
import RegionRiskGeoJSON
import RegionRiskGeometry

/// Turns sets of grid cells into polygons and contiguous regions.
package enum CellDissolver {
    /// The union of the cells for which `includes(index)` is true, as one (Multi)Polygon in the
    /// grid's CRS: each row's runs of cells become one rectangle, then GEOS's cascaded unary union
    /// dissolves them (GEOS's faster coverage union needs matching vertices along shared edges,
    /// which runs of different lengths do not have); the tiny simplification only drops the
    /// collinear vertices left along straight cell edges. Holes are kept. Nil when no cell is included.
    package static func projectedGeometry(spec: GridSpec, includes: (Int) -> Bool) throws -> Geometry? {
        var runs: [(row: Int, first: Int, last: Int)] = []
        for r in 0..<spec.rows {
            var c = 0
            while c < spec.columns {
                guard includes(r * spec.columns + c) else { c += 1; continue }
                var end = c
                while end + 1 < spec.columns, includes(r * spec.columns + end + 1) { end += 1 }
                runs.append((r, c, end))
                c = end + 1
            }
        }
        return try dissolve(runs: runs, spec: spec)
    }

    /// As `projectedGeometry(spec:includes:)` for the cells listed (row-major indices, ascending),
    /// in time proportional to their number rather than the grid's: the same runs in the same
    /// order, so the same geometry.
    package static func projectedGeometry(spec: GridSpec, sortedCells cells: [Int]) throws -> Geometry? {
        var runs: [(row: Int, first: Int, last: Int)] = []
        var k = 0
        while k < cells.count {
            let r = cells[k] / spec.columns, c = cells[k] % spec.columns
            var end = c
            while k + 1 < cells.count, cells[k + 1] == r * spec.columns + end + 1, end + 1 < spec.columns { end += 1; k += 1 }
            runs.append((r, c, end))
            k += 1
        }
        return try dissolve(runs: runs, spec: spec)
    }

    /// Each run of cells in a row becomes one rectangle; their union, with collinear vertices dropped.
    private static func dissolve(runs: [(row: Int, first: Int, last: Int)], spec: GridSpec) throws -> Geometry? {
        guard !runs.isEmpty else { return nil }
        let cs = spec.cellSizeMeters
        let rects = try runs.map { run in
            let top = spec.northY - Double(run.row) * cs
            return try Geometry.rectangle(minX: spec.westX + Double(run.first) * cs, minY: top - cs,
                                          maxX: spec.westX + Double(run.last + 1) * cs, maxY: top)
        }
        return try Geometry.unaryUnion(rects).simplified(tolerance: cs * 1e-3)
    }

    /// As `projectedGeometry`, transformed to (lon, lat).
    package static func lonLatGeometry(spec: GridSpec, includes: (Int) -> Bool) throws -> GeoJSONGeometry {
        guard let g = try projectedGeometry(spec: spec, includes: includes) else { return .multiPolygon([]) }
        return try toLonLat(g, projection: try Projection(from: "EPSG:4326", to: spec.crs))
    }

    /// As `projectedGeometry(spec:sortedCells:)`, transformed to (lon, lat) with `projection`
    /// (from EPSG:4326 to the grid's CRS; one per thread, reused across many calls).
    package static func lonLatGeometry(spec: GridSpec, sortedCells cells: [Int], projection: Projection) throws -> GeoJSONGeometry {
        guard let g = try projectedGeometry(spec: spec, sortedCells: cells) else { return .multiPolygon([]) }
        return try toLonLat(g, projection: projection)
    }

    /// A projected geometry in (lon, lat), through `projection` (from EPSG:4326 to the grid's CRS).
    /// Create the projection once for many geometries: PROJ's database lookups make one cost
    /// about 24M instructions, far more than transforming a region's outline.
    package static func toLonLat(_ geometry: Geometry, projection: Projection) throws -> GeoJSONGeometry {
        try geometry.transformed { xs, ys in try projection.inverse(x: &xs, y: &ys) }.geoJSON().asMultiPolygon
    }

    /// A set of cells sharing a category, connected through edges or corners.
    package struct Component<Category: Hashable & Sendable>: Sendable {
        package var category: Category
        /// Row-major cell indices, ascending.
        package var cells: [Int]
    }

    /// Connected components (8-neighbourhood) of cells with the same category, leaving out cells
    /// whose category `skip` says to — in row-major order of their first cell.
    package static func connectedComponents<C: Hashable & Sendable>(categories: [C], spec: GridSpec, skip: (C) -> Bool)
        -> [Component<C>]
    {
        var seen = [Bool](repeating: false, count: categories.count)
        var out: [Component<C>] = []
        var stack: [Int] = []
        for start in categories.indices where !seen[start] && !skip(categories[start]) {
            let cat = categories[start]
            var cells: [Int] = []
            seen[start] = true
            stack.append(start)
            while let i = stack.popLast() {
                cells.append(i)
                let r = i / spec.columns, c = i % spec.columns
                for dr in -1...1 {
                    for dc in -1...1 where dr != 0 || dc != 0 {
                        let rr = r + dr, cc = c + dc
                        guard rr >= 0, rr < spec.rows, cc >= 0, cc < spec.columns else { continue }
                        let j = rr * spec.columns + cc
                        if !seen[j], categories[j] == cat { seen[j] = true; stack.append(j) }
                    }
                }
            }
            out.append(Component(category: cat, cells: cells.sorted()))
        }
        return out
    }
}
