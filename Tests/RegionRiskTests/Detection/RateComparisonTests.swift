import XCTest
@testable import RegionRiskGrid

final class RateComparisonTests: XCTestCase {
    func testMatchesScipyTableIncludingZeroBaselines() throws {
        let f = try DetectionFixtures.load("rates.json", as: DetectionFixtures.Rates.self)
        XCTAssertGreaterThan(f.rates.filter { $0.baselineCount == 0 }.count, 10)
        for c in f.rates {
            let what = "k1=\(c.recentCount)/\(c.recentDays)d k0=\(c.baselineCount)/\(c.baselineDays)d b=\(c.background)"
            let exc = RateComparison.exceedancePValue(recentCount: c.recentCount, recentDays: c.recentDays,
                                                      baselineCount: c.baselineCount, baselineDays: c.baselineDays,
                                                      backgroundEventsPerDay: c.background)
            let dfc = RateComparison.deficitPValue(recentCount: c.recentCount, recentDays: c.recentDays,
                                                   baselineCount: c.baselineCount, baselineDays: c.baselineDays,
                                                   backgroundEventsPerDay: c.background)
            assertClose(exc, c.exceedance, abs: 1e-300, rel: 1e-9, "exceedance " + what)
            assertClose(dfc, c.deficit, abs: 1e-300, rel: 1e-9, "deficit " + what)
        }
    }

    func testPureConditionalTestTextbookValues() {
        // Under H0 each of the k events falls in the recent window with probability 30/395.
        let share = 30.0 / 395.0
        assertClose(RateComparison.exceedancePValue(recentCount: 4, recentDays: 30, baselineCount: 0, baselineDays: 365,
                                                    backgroundEventsPerDay: 0), pow(share, 4), rel: 1e-12, "4 after 0")
        assertClose(RateComparison.exceedancePValue(recentCount: 1, recentDays: 30, baselineCount: 0, baselineDays: 365,
                                                    backgroundEventsPerDay: 0), share, rel: 1e-12, "1 after 0")
        // Silence recently after 5 baseline events: all 5 fell in the baseline, (1 - share)^5.
        assertClose(RateComparison.deficitPValue(recentCount: 0, recentDays: 30, baselineCount: 5, baselineDays: 365,
                                                 backgroundEventsPerDay: 0), pow(1 - share, 5), rel: 1e-12, "0 after 5")
    }

    func testOneEventOnAQuietTownIsNotSignificantButFourAreAfterBH() {
        let single = RateComparison.exceedancePValue(recentCount: 1, recentDays: 30, baselineCount: 0, baselineDays: 365)
        XCTAssertGreaterThan(single, 0.05, "one event after a quiet year must not be significant at α = 0.05")
        // Stays non-significant for any recent window of 14 days or more (documented consequence).
        for days in [14.0, 21, 30, 60, 90] {
            XCTAssertGreaterThan(RateComparison.exceedancePValue(recentCount: 1, recentDays: days, baselineCount: 0, baselineDays: 365), 0.05)
        }
        let burst = RateComparison.exceedancePValue(recentCount: 4, recentDays: 30, baselineCount: 0, baselineDays: 365)
        XCTAssertLessThan(burst, 1e-4)

        // A realistic country-wide test: 10 cells lifted by the burst, 2,500 other active cells whose
        // p-values are spread uniformly (no real change), and 40 cells with a single new event.
        var p = [Double](repeating: burst, count: 10)
        p += (0..<2_500).map { (Double($0) + 0.5) / 2_500 }
        p += [Double](repeating: single, count: 40)
        let q = MultipleTesting.benjaminiHochbergQValues(p)
        for i in 0..<10 { XCTAssertLessThanOrEqual(q[i], 0.05, "burst cell \(i) must stay significant after BH") }
        for i in (p.count - 40)..<p.count { XCTAssertGreaterThan(q[i], 0.05, "single-event cell must not be significant") }
    }

    func testBackgroundOnlyEverMakesResultsLessSignificant() {
        for (k1, k0) in [(0, 0), (1, 0), (4, 0), (3, 2), (10, 40), (0, 7)] {
            var lastExc = 0.0, lastDef = 0.0
            for b in [0.0, 1.0 / 3650, 1.0 / 730, 1.0 / 100, 0.1] {
                let e = RateComparison.exceedancePValue(recentCount: k1, recentDays: 30, baselineCount: k0, baselineDays: 365, backgroundEventsPerDay: b)
                let d = RateComparison.deficitPValue(recentCount: k1, recentDays: 30, baselineCount: k0, baselineDays: 365, backgroundEventsPerDay: b)
                XCTAssertGreaterThanOrEqual(e, lastExc, "k1=\(k1) k0=\(k0) b=\(b)")
                XCTAssertGreaterThanOrEqual(d, lastDef, "k1=\(k1) k0=\(k0) b=\(b)")
                lastExc = e; lastDef = d
            }
        }
    }

    func testMoreRecentEventsMeanMoreEvidence() {
        var last = 1.0
        for k1 in 0...30 {
            let p = RateComparison.exceedancePValue(recentCount: k1, recentDays: 30, baselineCount: 12, baselineDays: 365)
            XCTAssertLessThanOrEqual(p, last)
            XCTAssertTrue(p.isFinite && p >= 0 && p <= 1)
            last = p
        }
    }

    func testInvalidInputGivesNoEvidenceNotNaN() {
        XCTAssertEqual(RateComparison.exceedancePValue(recentCount: 3, recentDays: 0, baselineCount: 0, baselineDays: 365), 1)
        XCTAssertEqual(RateComparison.exceedancePValue(recentCount: 3, recentDays: 30, baselineCount: -1, baselineDays: 365), 1)
        XCTAssertEqual(RateComparison.exceedancePValue(recentCount: 3, recentDays: .nan, baselineCount: 0, baselineDays: 365), 1)
        XCTAssertEqual(RateComparison.deficitPValue(recentCount: 3, recentDays: 30, baselineCount: 2, baselineDays: .infinity), 1)
        XCTAssertEqual(RateComparison.exceedancePValue(recentCount: 0, recentDays: 30, baselineCount: 0, baselineDays: 365), 1)
        XCTAssertEqual(RateComparison.deficitPValue(recentCount: 0, recentDays: 30, baselineCount: 0, baselineDays: 365), 1)
        // Very large counts stay finite and sensible.
        let big = RateComparison.exceedancePValue(recentCount: 90_000, recentDays: 30, baselineCount: 900_000, baselineDays: 365)
        XCTAssertTrue(big.isFinite && big < 1e-100 || big == 0)
    }
}

final class MultipleTestingTests: XCTestCase {
    func testBenjaminiHochbergMatchesScipyAndStatsmodels() throws {
        let f = try DetectionFixtures.load("rates.json", as: DetectionFixtures.Rates.self)
        for (n, c) in f.benjaminiHochberg.enumerated() {
            let q = MultipleTesting.benjaminiHochbergQValues(c.p)
            XCTAssertEqual(q.count, c.q.count)
            for i in q.indices { assertClose(q[i], c.q[i], abs: 1e-15, rel: 1e-12, "case \(n) index \(i)") }
        }
    }

    func testMonotoneCappedAndTiesShareQ() {
        let p = [0.03, 0.01, 0.03, 0.9, 0.03, 0.0, 1.0, 0.5]
        let q = MultipleTesting.benjaminiHochbergQValues(p)
        for i in p.indices {
            XCTAssertGreaterThanOrEqual(q[i], p[i])
            XCTAssertLessThanOrEqual(q[i], 1)
            for j in p.indices where p[i] <= p[j] { XCTAssertLessThanOrEqual(q[i], q[j]) }
        }
        XCTAssertEqual(q[0], q[2]); XCTAssertEqual(q[0], q[4])
    }

    func testEmptyAndNaNInput() {
        XCTAssertEqual(MultipleTesting.benjaminiHochbergQValues([]), [])
        let q = MultipleTesting.benjaminiHochbergQValues([.nan, 0.001])
        XCTAssertEqual(q[0], 1)
        XCTAssertEqual(q[1], 0.002, accuracy: 1e-15)
    }
}
