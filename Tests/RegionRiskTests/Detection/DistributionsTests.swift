import XCTest
@testable import RegionRiskGrid

final class DistributionsTests: XCTestCase {
    func testNormalTailsMatchScipyIncludingFarTails() throws {
        let f = try DetectionFixtures.load("rates.json", as: DetectionFixtures.Rates.self)
        for c in f.normal {
            assertClose(StandardNormal.cdf(c.z), c.cdf, abs: 1e-300, rel: 1e-12, "cdf(\(c.z))")
            assertClose(StandardNormal.survival(c.z), c.sf, abs: 1e-300, rel: 1e-12, "sf(\(c.z))")
            assertClose(StandardNormal.twoSidedPValue(c.z), c.twoSided, abs: 1e-300, rel: 1e-12, "two-sided(\(c.z))")
        }
        // Far tail keeps relative precision instead of rounding to 0 or 1 - 1.
        XCTAssertGreaterThan(StandardNormal.survival(10), 0)
        XCTAssertEqual(StandardNormal.twoSidedPValue(.nan), 1)
    }

    func testBinomialTailsMatchScipyUpToAMillionTrials() throws {
        let f = try DetectionFixtures.load("rates.json", as: DetectionFixtures.Rates.self)
        for c in f.binomial {
            assertClose(Binomial.survival(atLeast: c.k, n: c.n, p: c.p), c.atLeast, abs: 1e-300, rel: 1e-9,
                        "P(X ≥ \(c.k) | n=\(c.n), p=\(c.p))")
            assertClose(Binomial.cdf(c.k, n: c.n, p: c.p), c.atMost, abs: 1e-300, rel: 1e-9,
                        "P(X ≤ \(c.k) | n=\(c.n), p=\(c.p))")
        }
    }

    func testBinomialAgreesWithBruteForceSummation() {
        // Independent reference: the pmf summed term by term in exact-ish arithmetic for small n.
        for n in [1, 2, 5, 13, 40] {
            for p in [0.01, 0.2, 0.5, 0.93] {
                var pmf = [Double](repeating: 0, count: n + 1)
                var choose = 1.0
                for k in 0...n {
                    pmf[k] = choose * pow(p, Double(k)) * pow(1 - p, Double(n - k))
                    choose = choose * Double(n - k) / Double(k + 1)
                }
                for k in 0...n {
                    let atLeast = pmf[k...].reduce(0, +), atMost = pmf[...k].reduce(0, +)
                    assertClose(Binomial.survival(atLeast: k, n: n, p: p), atLeast, abs: 1e-15, rel: 1e-11, "n=\(n) k=\(k) p=\(p)")
                    assertClose(Binomial.cdf(k, n: n, p: p), atMost, abs: 1e-15, rel: 1e-11, "n=\(n) k=\(k) p=\(p)")
                }
            }
        }
    }

    func testIncompleteBetaMatchesScipyForRealShapes() throws {
        let f = try DetectionFixtures.load("rates.json", as: DetectionFixtures.Rates.self)
        for c in f.incompleteBeta {
            let r = SpecialFunctions.incompleteBeta(a: c.a, b: c.b, x: c.x)
            // The smaller tail carries the information; the larger one is 1 − it.
            if c.lower <= 0.5 {
                assertClose(r.lower, c.lower, abs: 1e-300, rel: 1e-10, "I_\(c.x)(\(c.a), \(c.b))")
            } else {
                assertClose(r.upper, c.upper, abs: 1e-300, rel: 1e-10, "1 − I_\(c.x)(\(c.a), \(c.b))")
            }
            assertClose(r.lower + r.upper, 1, abs: 1e-15)
        }
    }

    func testDegenerateAndInvalidInputsNeverCrash() {
        XCTAssertEqual(Binomial.survival(atLeast: 0, n: 0, p: 0.5), 1)
        XCTAssertEqual(Binomial.survival(atLeast: 1, n: 0, p: 0.5), 0)
        XCTAssertEqual(Binomial.survival(atLeast: 3, n: 5, p: 0), 0)
        XCTAssertEqual(Binomial.survival(atLeast: 3, n: 5, p: 1), 1)
        XCTAssertEqual(Binomial.cdf(-1, n: 5, p: 0.3), 0)
        XCTAssertTrue(Binomial.cdf(2, n: 5, p: 1.5).isNaN)
        XCTAssertTrue(SpecialFunctions.incompleteBeta(a: -1, b: 2, x: 0.5).lower.isNaN)
    }
}
