import Foundation
import RegionRiskGeodata
import RegionRiskBase
import RegionRiskGeoJSON
import RegionRiskGeometry

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
    /// - Throws: `AreaError` when no cell centre lies inside the area.
    /// - Parameter crs: a PROJ string or authority code for an equal-area CRS in metres; default
    ///   `area.defaultCRS`.
    public static func make(area: AreaOfInterest, cellSizeKm: Double, crs: String? = nil) throws -> AreaGrid {
        try ParameterLimits.check("cell size", cellSizeKm, in: ParameterLimits.cellSizeKm, unit: "km")
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
        let spec = try GridSpec(crs: crs, covering: minX, minY, maxX, maxY, cellSizeMeters: cellSizeKm * 1000)
        let mask = PolygonMask.rasterize(rings: rings, grid: spec)
        let inside = mask.reduce(0) { $0 + Int($1) }
        // No cell centre inside: every density, flag and forecast would be empty, not wrong-looking.
        guard inside > 0 else {
            throw AreaError("the area of interest \(area.name) holds no centre of a \(cellSizeKm) km cell (it is smaller than a cell, or its outline is degenerate in \(crs)): use smaller cells")
        }
        return AreaGrid(area: area, spec: spec, mask: mask, cellsInside: inside)
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
