import XCTest
@testable import RegionRiskGeometry

final class STRTreeTests: XCTestCase {
    /// Deterministic pseudo-random numbers in [0, 1) (an LCG: enough for test coordinates).
    struct LCG {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    func testNearestAndQueryAgreeWithBruteForce() throws {
        var rng = LCG(state: 42)
        let boxes = try (0..<300).map { _ -> Geometry in
            let x = rng.next() * 1000, y = rng.next() * 1000
            return try Geometry.rectangle(minX: x, minY: y, maxX: x + rng.next() * 20, maxY: y + rng.next() * 20)
        }
        let tree = try STRTree(boxes)
        for _ in 0..<50 {
            let probe = try Geometry.point(x: rng.next() * 1000, y: rng.next() * 1000)
            let best = try boxes.map { try $0.distance(to: probe) }.min()!
            let found = try XCTUnwrap(try tree.nearest(to: probe))
            XCTAssertEqual(try boxes[found].distance(to: probe), best, accuracy: 1e-9)

            let window = try probe.buffer(60, quadrantSegments: 1)
            let w = try window.bounds()
            let expected = try boxes.indices.filter { i in
                let b = try boxes[i].bounds()
                return b.minX <= w.maxX && b.maxX >= w.minX && b.minY <= w.maxY && b.maxY >= w.minY
            }
            XCTAssertEqual(tree.query(envelopeOf: window), expected)
        }
        XCTAssertNil(try STRTree([]).nearest(to: Geometry.point(x: 0, y: 0)))
    }
}
