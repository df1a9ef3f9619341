import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGrid

/// Tiles with a one-bandwidth halo must give exactly the values of the whole-grid run.
final class DensityTilesTests: XCTestCase {
    let grid = GridSpec(crs: "+proj=laea +lat_0=17.5 +lon_0=-4 +datum=WGS84 +units=m", westX: -400_000, northY: 300_000,
                        columns: 260, rows: 170, cellSizeMeters: 2_000)

    /// Clustered and scattered events, some beyond the grid, weighted.
    func events(count: Int, seed: UInt64) -> ProjectedEvents {
        var rng = SplitMix64(seed: seed)
        var x: [Double] = [], y: [Double] = [], w: [Double] = []
        let width = grid.eastX - grid.westX, height = grid.northY - grid.southY
        for i in 0..<count {
            let cluster = i % 4 == 0
            x.append(grid.westX + (cluster ? 0.62 * width + Double.random(in: -30_000...30_000, using: &rng)
                                            : Double.random(in: -0.15...1.15, using: &rng) * width))
            y.append(grid.southY + (cluster ? 0.4 * height + Double.random(in: -30_000...30_000, using: &rng)
                                             : Double.random(in: -0.15...1.15, using: &rng) * height))
            w.append(Double.random(in: 0...3, using: &rng).rounded())
        }
        return ProjectedEvents(x: x, y: y, weights: w)
    }

    func testTiledRunEqualsUntiledBitForBit() throws {
        let ev = events(count: 3_000, seed: 11)
        for kernel in [KernelShape.quartic, .epanechnikov, .uniform] {
            for (h, tileRows, tileColumns) in [(50.0, 37, 60), (9.0, 16, 20), (140.0, 50, 1)] {
                let whole = try DensityEngine.compute(events: ev, grid: grid, kernel: kernel, bandwidthKm: h).values
                let tiles = try TiledDensity.plan(grid: grid, kernel: kernel, bandwidthKm: h, rowsPerTile: tileRows,
                                                  columnsPerTile: tileColumns)
                XCTAssertGreaterThan(tiles.count, 1, "\(kernel) h=\(h): the test must cut the grid")
                let tiled = try TiledDensity.computeByTiles(events: ev, grid: grid, kernel: kernel, bandwidthKm: h,
                                                            rowsPerTile: tileRows, columnsPerTile: tileColumns)
                XCTAssertEqual(tiled, whole, "\(kernel) h=\(h) km, tiles \(tileRows)×\(tileColumns)")
                XCTAssertGreaterThan(whole.max() ?? 0, 0)
            }
        }
    }

    func testTilesCoverTheGridOnceWithBlockAlignedColumns() throws {
        let tiles = try TiledDensity.plan(grid: grid, kernel: .quartic, bandwidthKm: 50, rowsPerTile: 40, columnsPerTile: 90)
        var covered = [Int](repeating: 0, count: grid.cellCount)
        for t in tiles {
            for r in t.rows { for c in t.columns { covered[r * grid.columns + c] += 1 } }
        }
        XCTAssertEqual(Set(covered), [1])
        // 50 km on 2 km cells: h = 25 cells, block 100 columns; 90 rounds up to 100.
        XCTAssertEqual(Set(tiles.map(\.columns.lowerBound)), [0, 100, 200])
    }

    func testATileFromItsHaloEqualsTheTileFromAllEvents() throws {
        let ev = events(count: 800, seed: 5)
        let tile = DensityTile(rows: 40..<90, columns: 100..<200)
        let halo = TiledDensity.events(inHaloOf: tile, from: ev, grid: grid, bandwidthKm: 30)
        XCTAssertLessThan(halo.count, ev.count)
        let fromHalo = try TiledDensity.compute(tile: tile, events: halo, grid: grid, kernel: .quartic, bandwidthKm: 30)
        let fromAll = try TiledDensity.compute(tile: tile, events: ev, grid: grid, kernel: .quartic, bandwidthKm: 30)
        XCTAssertEqual(fromHalo, fromAll)
        // And against the all-pairs sum on the tile's cells.
        let exact = DensityEngine.bruteForce(events: ev, grid: grid, kernel: .quartic, bandwidthKm: 30)
        let peak = exact.max()!
        for (k, r) in tile.rows.enumerated() {
            for (j, c) in tile.columns.enumerated() {
                XCTAssertEqual(fromHalo[k * tile.columns.count + j], exact[r * grid.columns + c], accuracy: 1e-9 * peak)
            }
        }
    }

    func testGaussianAndBadTilesAreRefused() {
        XCTAssertThrowsError(try TiledDensity.plan(grid: grid, kernel: .gaussian, bandwidthKm: 20, rowsPerTile: 10, columnsPerTile: 10)) {
            XCTAssertEqual($0 as? DensityError, .notTileable(.gaussian))
        }
        XCTAssertThrowsError(try TiledDensity.compute(tile: DensityTile(rows: 0..<10, columns: 250..<300),
                                                      events: events(count: 10, seed: 1), grid: grid, kernel: .quartic,
                                                      bandwidthKm: 20))
        XCTAssertThrowsError(try TiledDensity.plan(grid: grid, kernel: .quartic, bandwidthKm: 20, rowsPerTile: 0, columnsPerTile: 10))
    }
}
