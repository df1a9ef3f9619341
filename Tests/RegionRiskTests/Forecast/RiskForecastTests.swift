import XCTest
@testable import RegionRiskAnalysis
@testable import RegionRiskBase
@testable import RegionRiskData
@testable import RegionRiskGeoJSON
@testable import RegionRiskGrid
@testable import RegionRiskReport

/// A square area near the equator and simulated incidents on it, for forecast and back-test tests.
enum SquareScenario {
    /// About 440 km on a side (lon 0–4°, lat 8–12°).
    static let area = AreaOfInterest(
        name: "square",
        boundary: .polygon([[LonLat(lon: 0, lat: 8), LonLat(lon: 4, lat: 8), LonLat(lon: 4, lat: 12), LonLat(lon: 0, lat: 12),
                             LonLat(lon: 0, lat: 8)]]),
        source: "test")
    static let day0 = CivilDate(year: 2018, month: 1, day: 1)!

    /// Sixteen background patches 100 km apart, each quiet for long stretches (one background event
    /// per patch every 600 days on average), with short-range self-excitation. With `broadWeight` > 0
    /// each patch also has a broad halo (σ 60 km) carrying that weight relative to the patch, at
    /// the same rate of fine-patch events: background events that land 50–150 km from the patches.
    static func points(days: Double, seed: UInt64, broadWeight: Double = 0) throws -> (points: SpaceTimePoints, crs: String) {
        let grid = try AreaGrid.make(area: area, cellSizeKm: 10)
        let centre = (x: (grid.spec.westX + grid.spec.eastX) / 2000, y: (grid.spec.southY + grid.spec.northY) / 2000)
        var patches: [SelfExcitingSimulator.Patch] = []
        for i in 0..<4 { for j in 0..<4 {
            patches.append(.init(xKm: centre.x + (Double(i) - 1.5) * 100, yKm: centre.y + (Double(j) - 1.5) * 100, sigmaKm: 10, weight: 1))
        } }
        if broadWeight > 0 {
            patches += patches.map { .init(xKm: $0.xKm, yKm: $0.yKm, sigmaKm: 60, weight: broadWeight) }
        }
        let truth = SelfExcitingParameters(muPerDay: 16.0 / 600 * (1 + broadWeight), alpha: 0.5, omegaPerDay: 0.05, sigmaKm: 5)
        let half = 215.0
        let sim = SelfExcitingSimulator(parameters: truth, patches: patches,
                                        uniformBox: (centre.x - half, centre.y - half, centre.x + half, centre.y + half), clipToBox: true)
        return (sim.simulate(startDay: 0, endDay: days, seed: seed).points, grid.spec.crs)
    }

    static func incidents(days: Double, seed: UInt64, broadWeight: Double = 0) throws -> [Incident] {
        let (points, crs) = try points(days: days, seed: seed, broadWeight: broadWeight)
        return try SelfExcitingSimulator.incidents(from: points, crs: crs, day0: day0)
    }
}

final class RiskForecastTests: XCTestCase {
    /// No look-ahead: events after the as-of date (added, moved or removed) change nothing in the
    /// fit or the forecast at that date.
    func testForecastIgnoresEventsAfterAsOf() throws {
        let incidents = try SquareScenario.incidents(days: 900, seed: 3)
        let asOf = SquareScenario.day0.adding(days: 700)
        var p = RiskForecastParameters(asOf: asOf)
        p.horizonDays = 60
        let reference = try RiskForecaster.run(try AnalysisRun(area: SquareScenario.area), incidents: incidents, parameters: p)
        var altered = incidents.filter { $0.date! <= asOf }
        var rng = SplitMix64(seed: 99)
        for k in 0..<300 {
            altered.append(Incident(source: "future", sourceEventID: "f\(k)", date: asOf.adding(days: 1 + k % 200),
                                    location: LonLat(lon: rng.nextDouble() * 4, lat: 8 + rng.nextDouble() * 4), locationPrecision: .exact))
        }
        let other = try RiskForecaster.run(try AnalysisRun(area: SquareScenario.area), incidents: altered.shuffled(using: &rng), parameters: p)
        XCTAssertEqual(reference.fit.parameters, other.fit.parameters)
        XCTAssertTrue(reference.expected == other.expected, "expected counts differ")
        XCTAssertEqual(reference.eventsUsed, incidents.filter { $0.date! <= asOf }.count)
    }

    /// The expected counts agree with Monte Carlo continuations of the fitted model (an
    /// independent sampler: background from the fitted kernel density, children by branching).
    func testExpectedCountsMatchSimulatedContinuations() throws {
        let incidents = try SquareScenario.incidents(days: 700, seed: 8)
        var p = RiskForecastParameters(asOf: SquareScenario.day0.adding(days: 699))
        p.horizonDays = 90
        let forecast = try RiskForecaster.run(try AnalysisRun(area: SquareScenario.area), incidents: incidents, parameters: p)
        let fit = forecast.fit, theta = fit.parameters
        let spec = forecast.grid.spec
        func inside(_ x: Double, _ y: Double) -> Bool {
            guard let c = spec.cell(containingX: x * 1000, y: y * 1000) else { return false }
            return forecast.grid.mask[c.row * spec.columns + c.column] != 0
        }
        var rng = SplitMix64(seed: 1)
        let runs = 400
        let weights = fit.backgroundWeights
        let totalWeight = weights.reduce(0, +)
        var total = 0
        let end = fit.endDay, horizon = Double(p.horizonDays)
        for _ in 0..<runs {
            // Queue of (x, y, t) whose children are still to be drawn: history, then new events.
            var queue: [(Double, Double, Double)] = (0..<fit.points.count).map { (fit.points.xKm[$0], fit.points.yKm[$0], fit.points.tDays[$0]) }
            // Background events in the horizon from μ·b (drawn from the weighted kernel density).
            var t = end
            while true {
                t += -log(1 - rng.nextDouble()) / (theta.muPerDay * 1)
                guard t <= end + horizon else { break }
                var u = rng.nextDouble() * totalWeight, j = 0
                while j < weights.count - 1, u >= weights[j] { u -= weights[j]; j += 1 }
                // The fine or the broad kernel of the mixture, by its weight.
                let h = rng.nextDouble() < fit.background.broadWeight ? fit.background.broadBandwidthKm : fit.background.fineBandwidthKm
                let x = fit.points.xKm[j] + h * rng.nextGaussian()
                let y = fit.points.yKm[j] + h * rng.nextGaussian()
                if inside(x, y) { queue.append((x, y, t)); total += 1 }
            }
            var k = 0
            while k < queue.count {
                let (px, py, pt) = queue[k]
                k += 1
                for _ in 0..<rng.nextPoisson(mean: theta.alpha) {
                    let tc = pt - log(1 - rng.nextDouble()) / theta.omegaPerDay
                    guard tc > end, tc <= end + horizon else { continue }
                    let xc = px + theta.sigmaKm * rng.nextGaussian(), yc = py + theta.sigmaKm * rng.nextGaussian()
                    if inside(xc, yc) { queue.append((xc, yc, tc)); total += 1 }
                }
            }
        }
        let simulated = Double(total) / Double(runs)
        let expected = forecast.expected.reduce(0, +)
        XCTAssertGreaterThan(simulated, 1)
        XCTAssertEqual(expected, simulated, accuracy: 0.05 * simulated, "forecast \(expected) vs simulated \(simulated)")
        // Background and triggered parts add up, and the triggered part is positive with α > 0.
        XCTAssertEqual(forecast.background.reduce(0, +) + forecast.triggered.reduce(0, +), expected, accuracy: 1e-9 * expected)
        XCTAssertGreaterThan(forecast.triggered.reduce(0, +), 0)
    }

    /// Onsets far from recent activity: in quiet cells (no event within 50 km for a year) the
    /// forecast's top cells catch more future events than area-matched random quiet cells.
    func testForecastRanksDistantOnsetsAboveRandom() throws {
        let incidents = try SquareScenario.incidents(days: 1500, seed: 21)
        var p = BacktestParameters(from: SquareScenario.day0.adding(days: 1050), to: SquareScenario.day0.adding(days: 1400))
        p.includeNewFlags = false
        p.randomDraws = 20
        let result = try Backtester.run(try AnalysisRun(area: SquareScenario.area), incidents: incidents, parameters: p)
        let byName = Dictionary(uniqueKeysWithValues: result.methods.map { ($0.method, $0) })
        let forecast = try XCTUnwrap(byName["forecast"]), random = try XCTUnwrap(byName["random"])
        print(BacktestReport.table(result))
        XCTAssertEqual(forecast.flaggedCells, random.flaggedCells)
        XCTAssertGreaterThan(forecast.onsetsCaught, 0)
        XCTAssertGreaterThan(forecast.lift, 1.5 * random.lift)
        XCTAssertEqual(random.lift, 1, accuracy: 0.5)
    }

    /// Onsets 50–150 km from recent activity (the case the issue measured on real data): the truth's
    /// background has broad halos around its patches. At the naive rule's area, the forecast's top
    /// quiet cells catch more onsets than the naive rule and than area-matched random cells, and its
    /// summed expected count is within ±30% of what happened. The single-kernel background is run
    /// beside it for comparison (printed, not asserted).
    func testForecastRanksOnsetsAwayFromRecentActivity() throws {
        let days = 1500.0, broad = 0.6, seed: UInt64 = 33
        let incidents = try SquareScenario.incidents(days: days, seed: seed, broadWeight: broad)
        var p = BacktestParameters(from: SquareScenario.day0.adding(days: 1050), to: SquareScenario.day0.adding(days: 1400))
        p.includeNewFlags = false
        p.randomDraws = 20
        // Where onsets happen: outcome events with no event within 50 km in the year before the
        // last 30 days, and their distance to the nearest event of that year and the 30 days.
        let points = try SquareScenario.points(days: days, seed: seed, broadWeight: broad).points
        var distances: [Double] = []
        for origin in p.origins {
            let t = Double(origin.dayNumber - SquareScenario.day0.dayNumber) + 1
            let history = (0..<points.count).filter { points.tDays[$0] < t && points.tDays[$0] >= t - 395 }
            for i in 0..<points.count where points.tDays[i] >= t && points.tDays[i] < t + 90 {
                func distance(_ j: Int) -> Double { hypot(points.xKm[i] - points.xKm[j], points.yKm[i] - points.yKm[j]) }
                let baseline = history.filter { points.tDays[$0] < t - 30 }
                guard baseline.allSatisfy({ distance($0) > 50 }) else { continue }
                distances.append(history.map(distance).min() ?? .infinity)
            }
        }
        distances.sort()
        let median = distances[distances.count / 2]
        print("onsets: \(distances.count), median distance to the nearest event of the year before \(median) km")
        XCTAssertGreaterThan(median, 50)
        XCTAssertLessThan(median, 150)

        let multi = try Backtester.run(try AnalysisRun(area: SquareScenario.area), incidents: incidents, parameters: p)
        p.multiScaleBackground = false
        let single = try Backtester.run(try AnalysisRun(area: SquareScenario.area), incidents: incidents, parameters: p)
        print("two-scale background:\n" + BacktestReport.table(multi))
        print("single-kernel background:\n" + BacktestReport.table(single))
        let byName = Dictionary(uniqueKeysWithValues: multi.methods.map { ($0.method, $0) })
        let forecast = try XCTUnwrap(byName["forecast"]), random = try XCTUnwrap(byName["random"]), naive = try XCTUnwrap(byName["naive"])
        XCTAssertEqual(forecast.flaggedCells, naive.flaggedCells)
        XCTAssertGreaterThan(forecast.onsetsCaught, naive.onsetsCaught)
        XCTAssertGreaterThan(forecast.onsetsCaught, random.onsetsCaught)
        XCTAssertGreaterThan(forecast.lift, 1.5 * random.lift)
        let ratio = multi.expectedTotal / Double(multi.observedTotal)
        XCTAssertEqual(ratio, 1, accuracy: 0.3, "summed expected \(multi.expectedTotal) against \(multi.observedTotal) observed")
    }

    /// No look-ahead in the back-test: an origin's scores are unchanged by events after its outcome window.
    func testBacktestOriginIgnoresLaterEvents() throws {
        let incidents = try SquareScenario.incidents(days: 1000, seed: 4)
        var p = BacktestParameters(from: SquareScenario.day0.adding(days: 600), to: SquareScenario.day0.adding(days: 640))
        p.includeNewFlags = false
        p.randomDraws = 10
        let a = try Backtester.run(try AnalysisRun(area: SquareScenario.area), incidents: incidents, parameters: p)
        let lastEnd = try XCTUnwrap(p.origins.last).adding(days: p.horizonDays)
        let truncated = incidents.filter { $0.date! <= lastEnd }
        let b = try Backtester.run(try AnalysisRun(area: SquareScenario.area), incidents: truncated, parameters: p)
        XCTAssertEqual(a.methods, b.methods)
        XCTAssertEqual(a.reliability, b.reliability)
        XCTAssertEqual(a.expectedTotal, b.expectedTotal)
        XCTAssertEqual(a.origins.map(\.fit), b.origins.map(\.fit))
    }

    func testMonthEndOrigins() {
        let p = BacktestParameters(from: CivilDate(year: 2024, month: 1, day: 31)!, to: CivilDate(year: 2024, month: 4, day: 29)!)
        XCTAssertEqual(p.origins.map(\.description), ["2024-01-31", "2024-02-29", "2024-03-31"])
    }

    func testReliabilityBinsAndPoissonScore() {
        let pairs = (0..<100).map { (expected: Double($0) / 100, observed: $0 % 2) }
        let bins = Backtester.reliabilityBins(pairs)
        XCTAssertEqual(bins.count, 10)
        XCTAssertEqual(bins[0].meanExpected, 0.045, accuracy: 1e-12)
        XCTAssertEqual(bins[9].meanObserved, 0.5, accuracy: 1e-12)
        XCTAssertEqual(Backtester.poissonLogProbability(2, mean: 1.5), log(exp(-1.5) * 1.5 * 1.5 / 2), accuracy: 1e-12)
    }
}
