import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskGrid

final class EpisodeGroupingTests: XCTestCase {
    /// Against a brute-force flood fill over all pairs, on random clustered points.
    func testSingleLinkageEqualsAllPairsFloodFill() {
        var rng = SplitMix64(seed: 3)
        for trial in 0..<40 {
            let n = 1 + Int(rng.next() % 120)
            let x = (0..<n).map { _ in rng.nextDouble() * 400_000 - 200_000 }
            let y = (0..<n).map { _ in rng.nextDouble() * 400_000 }
            let h = 10_000 + rng.nextDouble() * 60_000
            let groups = floodFillGroups(count: n) { i, j in
                let dx = x[i] - x[j], dy = y[i] - y[j]
                return (dx * dx + dy * dy).squareRoot() < h
            }
            XCTAssertEqual(EpisodeGrouping.singleLinkage(x: x, y: y, linkMeters: h), groups, "trial \(trial)")
        }
    }

    func testEdgeCases() {
        XCTAssertEqual(EpisodeGrouping.singleLinkage(x: [], y: [], linkMeters: 1000), [])
        // Exactly the link distance apart: not linked (closer than, strictly).
        XCTAssertEqual(EpisodeGrouping.singleLinkage(x: [0, 1000], y: [0, 0], linkMeters: 1000), [[0], [1]])
        // A chain links ends farther apart than the distance.
        XCTAssertEqual(EpisodeGrouping.singleLinkage(x: [0, 900, 1800], y: [0, 0, 0], linkMeters: 1000), [[0, 1, 2]])
        // A point PROJ could not project stays on its own rather than trapping.
        XCTAssertEqual(EpisodeGrouping.singleLinkage(x: [.infinity, 0], y: [0, 0], linkMeters: 1000).count, 2)
    }
}

final class PoissonTailTests: XCTestCase {
    /// Against direct summation of the probability mass function.
    func testTailsMatchDirectSums() {
        for mean in [1e-4, 0.01, 0.3, 1, 2.5, 7, 30, 120] {
            var pmf: [Double] = [exp(-mean)]
            for k in 1..<400 { pmf.append(pmf[k - 1] * mean / Double(k)) }
            for k in [0, 1, 2, 3, 5, 10, 20, 60, 150] where k < 300 {
                let upper = pmf[k...].reduce(0, +), lower = pmf[...k].reduce(0, +)
                if upper > 1e-290 {
                    XCTAssertEqual(PoissonTail.logUpper(atLeast: k, mean: mean), log(upper), accuracy: 1e-9 * max(1, abs(log(upper))), "≥ \(k), mean \(mean)")
                }
                if lower > 1e-290 {
                    XCTAssertEqual(PoissonTail.logLower(atMost: k, mean: mean), log(lower), accuracy: 1e-9 * max(1, abs(log(lower))), "≤ \(k), mean \(mean)")
                }
            }
        }
        // Textbook values: P(X ≥ 2 | mean 1) = 1 − 2/e; P(X ≥ 1 | m) = 1 − e^{−m}.
        XCTAssertEqual(exp(PoissonTail.logUpper(atLeast: 2, mean: 1)), 1 - 2 / M_E, accuracy: 1e-14)
        XCTAssertEqual(exp(PoissonTail.logUpper(atLeast: 1, mean: 0.01)), -expm1(-0.01), accuracy: 1e-16)
        // Far tails stay finite and ordered.
        XCTAssertLessThan(PoissonTail.logUpper(atLeast: 6, mean: 1e-3), PoissonTail.logUpper(atLeast: 5, mean: 1e-3))
        XCTAssertEqual(PoissonTail.logUpper(atLeast: 0, mean: 3), 0)
        XCTAssertEqual(PoissonTail.logUpper(atLeast: 1, mean: 0), -.infinity)
        XCTAssertEqual(PoissonTail.logLower(atMost: -1, mean: 3), -.infinity)
    }
}
