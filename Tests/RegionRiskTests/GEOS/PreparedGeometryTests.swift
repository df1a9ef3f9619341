import XCTest
@testable import RegionRiskGeometry

final class PreparedGeometryTests: XCTestCase {
    func testContainsInsideOnOutside() throws {
        let square = try PreparedGeometry(Geometry.rectangle(minX: 0, minY: 0, maxX: 10, maxY: 10))
        XCTAssertTrue(try square.contains(x: 5, y: 5))
        XCTAssertFalse(try square.contains(x: 10, y: 5), "a boundary point is not contained")
        XCTAssertTrue(try square.covers(x: 10, y: 5), "but it is covered")
        XCTAssertFalse(try square.contains(x: 10.000001, y: 5))
        XCTAssertFalse(try square.covers(x: -1, y: -1))
        XCTAssertTrue(try square.intersects(Geometry.rectangle(minX: 9, minY: 9, maxX: 12, maxY: 12)))
        XCTAssertFalse(try square.intersects(Geometry.rectangle(minX: 11, minY: 11, maxX: 12, maxY: 12)))
        XCTAssertTrue(try square.contains(Geometry.rectangle(minX: 1, minY: 1, maxX: 2, maxY: 2)))
    }

    func testContainsAgreesWithRayCasting() throws {
        // A concave star with a hole, tested on a grid against an even-odd ray-casting count.
        var outer: [(x: Double, y: Double)] = []
        for k in 0..<14 {
            let r = k % 2 == 0 ? 10.0 : 4.0, t = Double(k) * .pi / 7
            outer.append((r * cos(t), r * sin(t)))
        }
        let hole: [(x: Double, y: Double)] = [(-1.5, -1), (1.5, -1), (0, 1.7)]
        let prepared = try PreparedGeometry(Geometry.polygon(rings: [outer, hole]))

        func crossings(_ ring: [(x: Double, y: Double)], _ x: Double, _ y: Double) -> Int {
            var n = 0
            for k in ring.indices {
                let a = ring[k], b = ring[(k + 1) % ring.count]
                if (a.y > y) != (b.y > y), x < a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y) { n += 1 }
            }
            return n
        }
        var inside = 0
        // The offsets keep grid points off every edge.
        for i in 0..<120 {
            for j in 0..<120 {
                let x = -11 + Double(i) * 0.1837 + 0.0011, y = -11 + Double(j) * 0.1841 + 0.0007
                let expected = (crossings(outer, x, y) + crossings(hole, x, y)) % 2 == 1
                XCTAssertEqual(try prepared.contains(x: x, y: y), expected, "(\(x), \(y))")
                if expected { inside += 1 }
            }
        }
        XCTAssertGreaterThan(inside, 1000)
    }
}
