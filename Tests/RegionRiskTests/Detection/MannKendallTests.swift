import XCTest
@testable import RegionRiskBase
@testable import RegionRiskGrid

final class MannKendallTests: XCTestCase {
    func testMatchesPymannkendallIncludingTiesAndAllZeros() throws {
        let f = try DetectionFixtures.load("mannkendall.json", as: DetectionFixtures.MannKendall.self)
        XCTAssertTrue(f.cases.contains { $0.name == "all zeros" })
        for c in f.cases {
            let r = MannKendallResult(series: c.x, alpha: 0.05)
            XCTAssertEqual(r.s, c.s, c.name)
            assertClose(r.varianceS, c.varS, abs: 1e-9, rel: 1e-12, c.name + " var(S)")
            assertClose(r.z, c.z, abs: 1e-9, c.name + " z")
            assertClose(r.pValue, c.p, abs: 1e-9, c.name + " p")
            assertClose(r.tau, c.tau, abs: 1e-12, c.name + " tau")
            XCTAssertEqual(r.trend.rawValue, c.trend, c.name)
            XCTAssertTrue(r.z.isFinite && r.pValue.isFinite && r.varianceS.isFinite, c.name)
        }
    }

    func testEdgeSeriesAreFinite() {
        for series in [[], [1.0], [0, 0], [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]] as [[Double]] {
            let r = MannKendallResult(series: series)
            XCTAssertEqual(r.z, 0); XCTAssertEqual(r.pValue, 1); XCTAssertEqual(r.trend, .noTrend)
        }
    }

    func testSBruteForceCountsPairs() {
        // S by its definition, counted independently over all ordered pairs.
        var rng = SplitMix64(seed: 7)
        let x = (0..<50).map { _ in Double(rng.next() % 6) }
        var s = 0.0
        for i in 0..<x.count { for j in (i + 1)..<x.count { s += x[j] > x[i] ? 1 : (x[j] < x[i] ? -1 : 0) } }
        XCTAssertEqual(MannKendallResult(series: x).s, s)
    }
}
