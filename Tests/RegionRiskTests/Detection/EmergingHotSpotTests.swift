import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskGrid

final class EmergingHotSpotTests: XCTestCase {
    // MARK: Space-time Gi* and trends against esda + pymannkendall

    func testSpaceTimeGiStarAndTrendsMatchEsdaAndPymannkendall() throws {
        let f = try DetectionFixtures.load("gistar.json", as: DetectionFixtures.GiStar.self).cube
        for a in f.analyses {
            let params = EmergingHotSpotParameters(neighborhoodRadiusCells: a.radiusCells, neighborhoodTimeSteps: a.timeSteps,
                                                   alpha: 0.05, falseDiscoveryRateCorrection: false)
            let r = try EmergingHotSpotAnalysis.analyze(counts: f.counts, nx: f.nx, ny: f.ny, steps: f.steps, mask: f.mask, parameters: params)
            let what = "r=\(a.radiusCells) k=\(a.timeSteps)"
            XCTAssertEqual(r.cells.map(\.cellIndex), f.cells, what)
            XCTAssertEqual(r.binZScores.count, a.z.count, what)
            for i in a.z.indices { assertClose(r.binZScores[i], a.z[i], abs: 1e-9, "\(what) bin \(i)") }
            for (k, t) in a.trends.enumerated() {
                let mk = r.cells[k].trend
                XCTAssertEqual(mk.s, t.s, "\(what) cell \(k) S")
                assertClose(mk.varianceS, t.varS, abs: 1e-9, rel: 1e-12, "\(what) cell \(k) var S")
                assertClose(mk.z, t.z, abs: 1e-9, "\(what) cell \(k) trend z")
                assertClose(mk.pValue, t.p, abs: 1e-9, "\(what) cell \(k) trend p")
                XCTAssertEqual(mk.trend.rawValue, t.trend, "\(what) cell \(k)")
            }
            XCTAssertTrue(r.binPValues.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        }
    }

    // MARK: One constructed series per category

    func testOneConstructedSeriesPerCategory() {
        let H = 3.0, C = -3.0, N = 0.5  // |z| = 3 → p ≈ 0.0027; 0.5 → p ≈ 0.62
        let n = 12
        func rising(_ from: Double, _ to: Double) -> [Double] { (0..<n).map { from + (to - from) * Double($0) / Double(n - 1) } }
        let hot: [(EmergingHotSpotCategory, [Double])] = [
            (.newHotSpot, Array(repeating: N, count: 11) + [H]),
            (.consecutiveHotSpot, Array(repeating: N, count: 9) + [H, H, H]),
            (.intensifyingHotSpot, rising(2.5, 6)),
            (.persistentHotSpot, [3.0, 3.5, 3.2, 3.4, 3.1, 3.3, 3.3, 3.1, 3.4, 3.2, 3.5, 3.0]),
            (.diminishingHotSpot, rising(6, 2.5)),
            (.sporadicHotSpot, [H, N, N, H, N, H, N, N, N, N, N, H]),
            (.oscillatingHotSpot, [C, N, H, N, C, N, N, H, N, N, N, H]),
            (.historicalHotSpot, Array(repeating: H, count: 11) + [N]),
        ]
        var cases = hot
        cases += hot.map { (c, z) in (EmergingHotSpotCategory(rawValue: c.rawValue.replacingOccurrences(of: "hot", with: "cold"))!, z.map { -$0 }) }
        cases.append((.noPattern, Array(repeating: N, count: n)))
        cases.append((.noPattern, [H, H, H, H, H, H, N, N, N, N, N, N]))  // hot half the time, not lately
        XCTAssertEqual(Set(cases.map(\.0)), Set(EmergingHotSpotCategory.allCases), "every category has a series")
        for (expected, z) in cases {
            let significant = z.map { StandardNormal.twoSidedPValue($0) <= 0.05 }
            let trend = MannKendallResult(series: z, alpha: 0.05)
            XCTAssertEqual(EmergingHotSpotCategory.classify(zScores: z, significant: significant, trend: trend.trend), expected, "\(z)")
        }
    }

    func testCategoryPredicatesAndNames() {
        XCTAssertEqual(EmergingHotSpotCategory.allCases.count, 17)
        XCTAssertEqual(EmergingHotSpotCategory.allCases.filter(\.isHotSpot).count, 8)
        XCTAssertEqual(EmergingHotSpotCategory.allCases.filter(\.isColdSpot).count, 8)
        XCTAssertEqual(EmergingHotSpotCategory.newHotSpot.rawValue, "new hot spot")
        XCTAssertEqual(EmergingHotSpotCategory.noPattern.rawValue, "no pattern detected")
    }

    // MARK: End to end on a constructed cube

    func testEmergingAndPersistentClustersAreRecognised() throws {
        let nx = 30, ny = 24, steps = 12
        var rng = SplitMix64(seed: 2025)
        var counts = [Double](repeating: 0, count: steps * nx * ny)
        for i in counts.indices where rng.next() % 40 == 0 { counts[i] = 1 }  // sparse background
        func put(_ t: Int, _ x: Int, _ y: Int, _ v: Double) { counts[t * nx * ny + y * nx + x] = v }
        for t in 0..<steps {  // a persistent cluster in the west
            for y in 4...7 { for x in 3...6 { put(t, x, y, Double(4 + Int(rng.next() % 3))) } }
        }
        for y in 16...19 { for x in 22...25 { put(steps - 1, x, y, 6) } }  // appears in the last step only
        var mask = [Bool](repeating: true, count: nx * ny)
        for i in 0..<nx { mask[i] = false }  // a row outside the area
        let r = try EmergingHotSpotAnalysis.analyze(counts: counts, nx: nx, ny: ny, steps: steps, mask: mask,
                                                    parameters: EmergingHotSpotParameters(neighborhoodRadiusCells: 1.5))
        func cell(_ x: Int, _ y: Int) -> EmergingHotSpotCell { r.cells.first { $0.cellIndex == y * nx + x }! }
        XCTAssertEqual(r.cells.count, nx * ny - nx)
        XCTAssertEqual(cell(23, 17).category, .newHotSpot)
        XCTAssertEqual(cell(24, 18).category, .newHotSpot)
        XCTAssertEqual(cell(23, 17).hotSteps, 1)
        XCTAssertEqual(cell(4, 5).category, .persistentHotSpot)
        XCTAssertGreaterThanOrEqual(cell(4, 5).hotStepFraction, 0.9)
        XCTAssertEqual(cell(15, 2).category, .noPattern)
        XCTAssertLessThan(cell(23, 17).finalQValue, 0.05)
        XCTAssertGreaterThan(cell(23, 17).finalZ, 3)
        XCTAssertTrue(r.cells.allSatisfy { $0.finalZ.isFinite && $0.trend.z.isFinite && $0.finalQValue.isFinite })
        XCTAssertEqual(r.categoryCounts.values.reduce(0, +), r.cells.count)
    }

    func testFDRNeverAddsSignificantBins() throws {
        let nx = 15, ny = 15, steps = 10
        var rng = SplitMix64(seed: 99)
        let counts = (0..<(steps * nx * ny)).map { _ in Double(rng.next() % 4 == 0 ? rng.next() % 5 : 0) }
        let raw = try EmergingHotSpotAnalysis.analyze(counts: counts, nx: nx, ny: ny, steps: steps, mask: nil,
                                                      parameters: .init(neighborhoodRadiusCells: 1, falseDiscoveryRateCorrection: false))
        let fdr = try EmergingHotSpotAnalysis.analyze(counts: counts, nx: nx, ny: ny, steps: steps, mask: nil,
                                                      parameters: .init(neighborhoodRadiusCells: 1, falseDiscoveryRateCorrection: true))
        XCTAssertEqual(raw.binZScores, fdr.binZScores)
        XCTAssertEqual(fdr.binQValues, MultipleTesting.benjaminiHochbergQValues(fdr.binPValues))
        XCTAssertLessThanOrEqual(fdr.binQValues.filter { $0 <= 0.05 }.count, raw.binPValues.filter { $0 <= 0.05 }.count)
        for (a, b) in zip(raw.cells, fdr.cells) { XCTAssertLessThanOrEqual(b.hotSteps + b.coldSteps, a.hotSteps + a.coldSteps) }
    }

    // MARK: Edges

    func testAllZerosAndConstantCubesGiveNoPatternAndFiniteNumbers() throws {
        for value in [0.0, 2.0] {
            let r = try EmergingHotSpotAnalysis.analyze(counts: [Double](repeating: value, count: 10 * 8 * 6), nx: 8, ny: 6, steps: 10,
                                                        mask: nil, parameters: .init(neighborhoodRadiusCells: 2))
            XCTAssertTrue(r.cells.allSatisfy { $0.category == .noPattern }, "value \(value)")
            XCTAssertTrue(r.binZScores.allSatisfy { $0 == 0 })
            XCTAssertTrue(r.binPValues.allSatisfy { $0 == 1 })
            XCTAssertTrue(r.cells.allSatisfy { $0.trend.z == 0 && $0.trend.pValue == 1 && $0.finalZ == 0 })
        }
    }

    func testEmptyMaskGivesEmptyResult() throws {
        let r = try EmergingHotSpotAnalysis.analyze(counts: [Double](repeating: 1, count: 10 * 4), nx: 2, ny: 2, steps: 10,
                                                    mask: [false, false, false, false], parameters: .init(neighborhoodRadiusCells: 1))
        XCTAssertTrue(r.cells.isEmpty)
        XCTAssertTrue(r.binZScores.isEmpty)
    }

    func testInvalidInputIsRejectedWithActionableErrors() {
        let p = EmergingHotSpotParameters(neighborhoodRadiusCells: 1)
        XCTAssertThrowsError(try EmergingHotSpotAnalysis.analyze(counts: [1, 2, 3, 4], nx: 2, ny: 2, steps: 1, mask: nil, parameters: p)) { e in
            XCTAssertEqual(e as? DetectionStatisticsError, .tooFewTimeSteps(found: 1, minimum: 10))
            XCTAssertTrue(e.localizedDescription.contains("at least 10 time steps"), e.localizedDescription)
        }
        XCTAssertThrowsError(try EmergingHotSpotAnalysis.analyze(counts: [Double](repeating: 0, count: 39), nx: 2, ny: 2, steps: 10, mask: nil, parameters: p)) { e in
            XCTAssertEqual(e as? DetectionStatisticsError, .dimensionMismatch(argument: "counts", expected: 40, found: 39))
        }
        var bad = [Double](repeating: 0, count: 40); bad[17] = .infinity
        XCTAssertThrowsError(try EmergingHotSpotAnalysis.analyze(counts: bad, nx: 2, ny: 2, steps: 10, mask: nil, parameters: p)) { e in
            XCTAssertEqual(e as? DetectionStatisticsError, .nonFiniteValue(argument: "counts", index: 17))
        }
        XCTAssertThrowsError(try EmergingHotSpotAnalysis.analyze(counts: [Double](repeating: 0, count: 40), nx: 2, ny: 2, steps: 10, mask: nil,
                                                                 parameters: .init(neighborhoodRadiusCells: 1, alpha: 0)))
        XCTAssertThrowsError(try EmergingHotSpotAnalysis.analyze(counts: [Double](repeating: 0, count: 40), nx: 2, ny: 2, steps: 10, mask: nil,
                                                                 parameters: .init(neighborhoodRadiusCells: 1, neighborhoodTimeSteps: -1)))
    }
}
