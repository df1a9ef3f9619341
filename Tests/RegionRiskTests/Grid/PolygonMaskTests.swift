import XCTest
@testable import RegionRiskGrid

final class PolygonMaskTests: XCTestCase {
    /// Reference: the even–odd crossing test at each cell centre, written independently.
    func crossingTest(_ rings: [[(x: Double, y: Double)]], _ px: Double, _ py: Double) -> Bool {
        var inside = false
        for ring in rings {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[i], b = ring[j]
                if (a.y > py) != (b.y > py), px < (b.x - a.x) * (py - a.y) / (b.y - a.y) + a.x { inside.toggle() }
                j = i
            }
        }
        return inside
    }

    func testMatchesPointInPolygonWithHoleAndTwoParts() {
        let grid = GridSpec(crs: "x", westX: 0, northY: 100, columns: 97, rows: 83, cellSizeMeters: 1.3)
        let star: [(x: Double, y: Double)] = (0..<14).map { k in
            let a = Double(k) * 2 * .pi / 14, r = k % 2 == 0 ? 40.0 : 17.0
            return (50 + r * cos(a), 50 + r * sin(a))
        }
        let hole: [(x: Double, y: Double)] = [(45, 45), (55, 45), (55, 55), (45, 55)]
        let island: [(x: Double, y: Double)] = [(100, 90), (120, 90), (110, 99.5)]
        let rings = [star, hole, island]
        let mask = PolygonMask.rasterize(rings: rings, grid: grid)
        var inside = 0
        for r in 0..<grid.rows {
            for c in 0..<grid.columns {
                let p = grid.cellCenter(column: c, row: r)
                XCTAssertEqual(mask[r * grid.columns + c] == 1, crossingTest(rings, p.x, p.y), "cell \(c),\(r)")
                inside += Int(mask[r * grid.columns + c])
            }
        }
        XCTAssertGreaterThan(inside, 500)
    }
}
