import Foundation

/// A regular grid of square cells in a projected, equal-area CRS (metres).
///
/// Row 0 is the northernmost row and column 0 the westernmost, as in ESRI ASCII grids and
/// image rasters. Values on the grid are stored row-major: index = row × columns + column.
/// Density is sampled at cell centres.
public struct GridSpec: Sendable, Hashable {
    /// PROJ definition of the projected CRS the grid lives in (e.g. `+proj=laea …`).
    public var crs: String
    /// x of the grid's west edge, metres.
    public var westX: Double
    /// y of the grid's north edge, metres.
    public var northY: Double
    public var columns: Int
    public var rows: Int
    /// Side of a square cell, metres.
    public var cellSizeMeters: Double

    public init(crs: String, westX: Double, northY: Double, columns: Int, rows: Int, cellSizeMeters: Double) {
        self.crs = crs
        self.westX = westX
        self.northY = northY
        self.columns = columns
        self.rows = rows
        self.cellSizeMeters = cellSizeMeters
    }

    /// The smallest grid of `cellSizeMeters` cells, with edges on multiples of the cell size,
    /// that covers the rectangle, widened by `marginCells` on every side.
    public init(crs: String, covering minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double,
                cellSizeMeters: Double, marginCells: Int = 0) {
        let cs = cellSizeMeters
        let west = (floor(minX / cs) - Double(marginCells)) * cs
        let east = (ceil(maxX / cs) + Double(marginCells)) * cs
        let south = (floor(minY / cs) - Double(marginCells)) * cs
        let north = (ceil(maxY / cs) + Double(marginCells)) * cs
        self.init(crs: crs, westX: west, northY: north,
                  columns: max(1, Int(((east - west) / cs).rounded())),
                  rows: max(1, Int(((north - south) / cs).rounded())), cellSizeMeters: cs)
    }

    public var cellCount: Int { columns * rows }
    /// Area of one cell, km².
    public var cellAreaKm2: Double { cellSizeMeters * cellSizeMeters / 1e6 }
    public var eastX: Double { westX + Double(columns) * cellSizeMeters }
    public var southY: Double { northY - Double(rows) * cellSizeMeters }

    /// Centre of a cell, projected metres.
    @inline(__always)
    public func cellCenter(column: Int, row: Int) -> (x: Double, y: Double) {
        (westX + (Double(column) + 0.5) * cellSizeMeters, northY - (Double(row) + 0.5) * cellSizeMeters)
    }

    /// The cell containing a projected point, or nil outside the grid.
    public func cell(containingX x: Double, y: Double) -> (column: Int, row: Int)? {
        let c = Int(floor((x - westX) / cellSizeMeters))
        let r = Int(floor((northY - y) / cellSizeMeters))
        guard c >= 0, c < columns, r >= 0, r < rows else { return nil }
        return (c, r)
    }
}
