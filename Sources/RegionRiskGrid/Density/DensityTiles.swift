import Foundation

/// A rectangle of a grid that can be computed on its own (in another process, on another machine):
/// global row and column ranges of the grid it belongs to.
public struct DensityTile: Sendable, Hashable, Codable {
    public var rows: Range<Int>
    public var columns: Range<Int>

    public init(rows: Range<Int>, columns: Range<Int>) {
        self.rows = rows
        self.columns = columns
    }

    public var cellCount: Int { rows.count * columns.count }
}

/// Tile-parallel density for the exact polynomial kernels (quartic, Epanechnikov, uniform).
///
/// A tile needs only the events within one bandwidth of it (its halo), and its values are
/// bit-for-bit those of the whole-grid run: the core expands every row's polynomials around
/// blocks aligned to the grid's global columns, and the planner puts tile column edges on block
/// starts, so each cell sees the same additions in the same order either way (tested).
///
/// Example: plan tiles of about 512 × 512 cells, give each task its tile and
/// `events(inHaloOf:)`, and write each task's `compute(tile:…)` result at the tile's position.
public enum TiledDensity {
    /// Tiles covering `grid`: `rowsPerTile` rows each, and about `columnsPerTile` columns each,
    /// rounded up to a multiple of the kernel's expansion block (4h, in cells) so results match
    /// the untiled run exactly.
    public static func plan(grid: GridSpec, kernel: KernelShape, bandwidthKm: Double, rowsPerTile: Int,
                            columnsPerTile: Int) throws -> [DensityTile]
    {
        try checkTileable(kernel: kernel, bandwidthKm: bandwidthKm)
        guard rowsPerTile > 0, columnsPerTile > 0 else {
            throw DensityError.invalidGrid("tiles of \(rowsPerTile) × \(columnsPerTile) cells")
        }
        let block = PolynomialKernelCore.blockColumns(bandwidthCells: bandwidthKm * 1000 / grid.cellSizeMeters)
        let width = max(1, (columnsPerTile + block - 1) / block) * block
        var tiles: [DensityTile] = []
        for r in Swift.stride(from: 0, to: grid.rows, by: rowsPerTile) {
            for c in Swift.stride(from: 0, to: grid.columns, by: width) {
                tiles.append(DensityTile(rows: r..<min(grid.rows, r + rowsPerTile), columns: c..<min(grid.columns, c + width)))
            }
        }
        return tiles
    }

    /// The events a tile's task needs: those within the bandwidth (plus a cell) of the tile's
    /// cell centres, in input order.
    public static func events(inHaloOf tile: DensityTile, from events: ProjectedEvents, grid: GridSpec, bandwidthKm: Double)
        -> ProjectedEvents
    {
        let cs = grid.cellSizeMeters
        let halo = bandwidthKm * 1000 + cs
        let west = grid.westX + Double(tile.columns.lowerBound) * cs - halo
        let east = grid.westX + Double(tile.columns.upperBound) * cs + halo
        let north = grid.northY - Double(tile.rows.lowerBound) * cs + halo
        let south = grid.northY - Double(tile.rows.upperBound) * cs - halo
        var x: [Double] = [], y: [Double] = [], w: [Double] = []
        for i in 0..<events.count where events.x[i] > west && events.x[i] < east && events.y[i] > south && events.y[i] < north {
            x.append(events.x[i])
            y.append(events.y[i])
            w.append(events.weights[i])
        }
        return ProjectedEvents(x: x, y: y, weights: w)
    }

    /// One tile's density, row-major `tile.rows.count × tile.columns.count`, events/km². `events`
    /// may be all events or just the tile's halo (`events(inHaloOf:)`): the result is the same.
    public static func compute(tile: DensityTile, events: ProjectedEvents, grid: GridSpec, kernel: KernelShape,
                               bandwidthKm: Double, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws
        -> [Double]
    {
        try checkTileable(kernel: kernel, bandwidthKm: bandwidthKm)
        try DensityEngine.validate(events: events, grid: grid, bandwidthKm: bandwidthKm)
        guard tile.rows.lowerBound >= 0, tile.rows.upperBound <= grid.rows, tile.columns.lowerBound >= 0,
            tile.columns.upperBound <= grid.columns, !tile.rows.isEmpty, !tile.columns.isEmpty
        else { throw DensityError.invalidGrid("tile rows \(tile.rows), columns \(tile.columns) outside a \(grid.columns)×\(grid.rows) grid") }
        let core = PolynomialKernelCore(kernel: kernel, bandwidthKm: bandwidthKm, grid: grid)
        let ev = PolynomialKernelCore.Events(events, grid: grid, reachCells: core.h)
        var values = [Double](repeating: 0, count: tile.cellCount)
        values.withUnsafeMutableBufferPointer { out in
            core.evaluate(ev, rows: tile.rows, columns: tile.columns, threads: threads, into: out)
        }
        return values
    }

    /// The whole grid computed tile by tile (each tile from its halo's events only) and assembled.
    public static func computeByTiles(events: ProjectedEvents, grid: GridSpec, kernel: KernelShape, bandwidthKm: Double,
                                      rowsPerTile: Int, columnsPerTile: Int,
                                      threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> [Double]
    {
        let tiles = try plan(grid: grid, kernel: kernel, bandwidthKm: bandwidthKm, rowsPerTile: rowsPerTile,
                             columnsPerTile: columnsPerTile)
        var values = [Double](repeating: 0, count: grid.cellCount)
        for tile in tiles {
            let local = try compute(tile: tile, events: Self.events(inHaloOf: tile, from: events, grid: grid, bandwidthKm: bandwidthKm),
                                    grid: grid, kernel: kernel, bandwidthKm: bandwidthKm, threads: threads)
            place(local, of: tile, into: &values, grid: grid)
        }
        return values
    }

    /// Copies a tile's values (row-major, as `compute(tile:…)` returns them) to their place in a
    /// whole-grid array.
    public static func place(_ tileValues: [Double], of tile: DensityTile, into values: inout [Double], grid: GridSpec) {
        let width = tile.columns.count
        for (k, r) in tile.rows.enumerated() {
            let dest = r * grid.columns + tile.columns.lowerBound
            values.replaceSubrange(dest..<(dest + width), with: tileValues[(k * width)..<((k + 1) * width)])
        }
    }

    static func checkTileable(kernel: KernelShape, bandwidthKm: Double) throws {
        guard [.quartic, .epanechnikov, .uniform].contains(kernel) else { throw DensityError.notTileable(kernel) }
        guard bandwidthKm.isFinite, bandwidthKm > 0 else { throw DensityError.invalidBandwidth(bandwidthKm) }
    }
}
