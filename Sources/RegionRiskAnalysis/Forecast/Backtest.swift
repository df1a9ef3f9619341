import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// Settings of a rolling-origin back-test.
public struct BacktestParameters: Sendable, Equatable {
    /// Origins: every month-end T with from ≤ T ≤ to.
    public var from: CivilDate
    public var to: CivilDate
    /// Outcome window (T, T + horizon], days.
    public var horizonDays: Int = 90
    public var cellSizeKm: Double = 10
    /// The naive rule and "quiet": events within this distance of a cell centre, km…
    public var distanceKm: Double = 50
    /// …none in the `baselineDays` before the last `recentDays` (quiet), ≥ 1 in the last `recentDays` (naive flag).
    public var recentDays: Int = 30
    public var baselineDays: Int = 365
    /// Draws of area-matched random cells per origin (their mean is scored).
    public var randomDraws: Int = 100
    public var seed: UInt64 = 20_250_708
    /// Also score RegionRisk's `new` flags (ChangeDetector at the same cell size and distance).
    public var includeNewFlags: Bool = true
    public var excludeRegionOnlyLocations: Bool = true
    /// The forecast's background as a fine + broad kernel mixture (false: a single kernel).
    public var multiScaleBackground: Bool = true

    public init(from: CivilDate, to: CivilDate) {
        self.from = from
        self.to = to
    }

    /// Month-ends in [from, to].
    public var origins: [CivilDate] {
        var out: [CivilDate] = []
        var (y, m, _) = from.components
        while true {
            guard let end = CivilDate(year: y, month: m, day: CivilDate.daysInMonth(year: y, month: m)) else { break }
            if end > to { break }
            if end >= from { out.append(end) }
            m += 1
            if m > 12 { m = 1; y += 1 }
        }
        return out
    }

    public var json: JSONValue {
        .object([
            ("from", .string(from.description)), ("to", .string(to.description)), ("horizon_days", .number(Double(horizonDays))),
            ("cell_km", .number(cellSizeKm)), ("distance_km", .number(distanceKm)), ("recent_days", .number(Double(recentDays))),
            ("baseline_days", .number(Double(baselineDays))), ("random_draws", .number(Double(randomDraws))),
            ("seed", .number(Double(seed))), ("exclude_region_only", .bool(excludeRegionOnlyLocations)),
            ("multi_scale_background", .bool(multiScaleBackground)),
        ])
    }
}

/// One method's flags, pooled over the origins.
public struct BacktestMethodScore: Sendable, Equatable {
    public var method: String
    /// Cell-origins flagged (summed over origins; the random method's is its target count).
    public var flaggedCells: Double
    /// Outcome events in flagged (quiet) cells: onsets caught.
    public var onsetsCaught: Double
    /// (onsets caught / flagged cells) ÷ (onset events / quiet cells).
    public var lift: Double
    /// onsets caught / onset events.
    public var onsetShare: Double
    /// Predictive accuracy index: (share of all outcome events in flagged cells) ÷ (share of the area flagged).
    public var pai: Double
}

/// Predicted against observed for one decile of the cells' expected counts.
public struct ReliabilityBin: Sendable, Equatable {
    public var decile: Int
    public var cells: Int
    public var meanExpected: Double
    public var meanObserved: Double
}

/// What happened at one origin.
public struct BacktestOrigin: Sendable {
    public var asOf: CivilDate
    public var eventsFitted: Int
    public var cellsInArea: Int
    public var quietCells: Int
    public var outcomeEvents: Int
    /// Outcome events in quiet cells.
    public var onsetEvents: Int
    public var expectedTotal: Double
    /// Flagged cells and onsets caught, per method name.
    public var flagged: [String: Int]
    public var caught: [String: Double]
    public var fit: SelfExcitingParameters?
    public var note: String?
}

public struct BacktestResult: Sendable {
    public var parameters: BacktestParameters
    public var origins: [BacktestOrigin]
    public var methods: [BacktestMethodScore]
    /// Mean over cell-origins of (p_any − 1{count > 0})²: the forecast and the uniform reference
    /// (each origin's last-year rate spread evenly over the area).
    public var brier: Double
    public var brierUniform: Double
    /// Σ log Poisson(count | expected) over cell-origins; forecast and uniform reference.
    public var logLikelihood: Double
    public var logLikelihoodUniform: Double
    public var reliability: [ReliabilityBin]
    public var expectedTotal: Double
    public var observedTotal: Int
}

/// Rolling-origin back-test: at each origin T, fit on events dated ≤ T only and score (T, T + horizon].
public enum Backtester {
    public static let methodNames = ["naive", "forecast", "random", "new", "forecast@new-area"]

    public static func run(_ analysis: AnalysisRun, incidents: [Incident], parameters p: BacktestParameters,
                           progress: ((BacktestOrigin) -> Void)? = nil) throws -> BacktestResult {
        guard p.horizonDays >= 1, p.randomDraws >= 1, p.recentDays >= 1, p.baselineDays >= 1 else {
            throw ForecastError.invalidSetting("the horizon, windows and random draws must be positive")
        }
        let origins = p.origins
        guard !origins.isEmpty else {
            throw ForecastError.invalidSetting("no month-end between \(p.from) and \(p.to): widen --from/--to")
        }
        let grid = try analysis.grid(cellSizeKm: p.cellSizeKm)
        let spec = grid.spec
        var usable = incidents.filter { $0.date != nil }
        if p.excludeRegionOnlyLocations { usable.removeAll { $0.locationPrecision == .regionOnly } }
        let projected = try grid.project(usable.map(\.location))
        // Each incident's cell inside the area (or nil).
        let cellOf: [Int?] = usable.indices.map { k in
            let x = projected.x[k], y = projected.y[k]
            guard x.isFinite, y.isFinite, let c = spec.cell(containingX: x, y: y) else { return nil }
            let i = c.row * spec.columns + c.column
            return grid.mask[i] != 0 ? i : nil
        }
        // The `new` flags' settings; the forecast's quiet test uses the same distance and windows.
        var dp = ChangeDetectionParameters()
        dp.recentDays = p.recentDays
        dp.baselineDays = p.baselineDays
        dp.cellSizeKm = p.cellSizeKm
        dp.bandwidthKm = p.distanceKm
        dp.excludeRegionOnlyLocations = p.excludeRegionOnlyLocations
        var rng = SplitMix64(seed: p.seed)
        var scoredOrigins: [BacktestOrigin] = []
        var pooledFlagged = [String: Double](), pooledCaught = [String: Double]()
        var pooledOnsets = 0.0, pooledQuiet = 0.0, pooledOutcome = 0.0, pooledCells = 0.0
        var brierSum = 0.0, brierUniformSum = 0.0, llSum = 0.0, llUniformSum = 0.0, scoredCells = 0
        var pairs: [(expected: Double, observed: Int)] = []
        var expectedTotal = 0.0, observedTotal = 0
        for asOf in origins {
            dp.asOf = asOf
            var fp = RiskForecastParameters(asOf: asOf, horizonDays: p.horizonDays, cellSizeKm: p.cellSizeKm, matching: dp)
            fp.multiScaleBackground = p.multiScaleBackground
            // No look-ahead: the forecaster sees only events dated on or before T.
            let history = usable.filter { $0.date! <= asOf }
            let forecast: RiskForecast
            do {
                forecast = try RiskForecaster.run(incidents: history, grid: grid, parameters: fp)
            } catch let e as ForecastError {
                let o = BacktestOrigin(asOf: asOf, eventsFitted: 0, cellsInArea: grid.cellsInside, quietCells: 0, outcomeEvents: 0,
                                       onsetEvents: 0, expectedTotal: 0, flagged: [:], caught: [:], fit: nil,
                                       note: "skipped: \(e.localizedDescription)")
                scoredOrigins.append(o)
                progress?(o)
                continue
            }
            // Outcome counts per cell in (T, T + horizon].
            let end = asOf.adding(days: p.horizonDays)
            var observed = [Int](repeating: 0, count: spec.cellCount)
            var lastYear = 0
            for (k, e) in usable.enumerated() {
                let d = e.date!
                if d > asOf, d <= end, let i = cellOf[k] { observed[i] += 1 }
                if d <= asOf, d > asOf.adding(days: -365), cellOf[k] != nil { lastYear += 1 }
            }
            let inside = (0..<spec.cellCount).filter { grid.mask[$0] != 0 }
            let quiet = inside.filter { forecast.isQuiet($0) }
            let outcome = inside.reduce(0) { $0 + observed[$1] }
            let onsets = quiet.reduce(0) { $0 + observed[$1] }
            let naive = quiet.filter { forecast.naiveFlag($0) }
            let ranked = quiet.sorted { forecast.expected[$0] > forecast.expected[$1] || (forecast.expected[$0] == forecast.expected[$1] && $0 < $1) }
            var flagged: [String: Int] = [:], caught: [String: Double] = [:]
            func score(_ name: String, _ cells: [Int]) {
                flagged[name] = cells.count
                caught[name] = Double(cells.reduce(0) { $0 + observed[$1] })
            }
            score("naive", naive)
            score("forecast", Array(ranked.prefix(naive.count)))
            // Area-matched random quiet cells: the mean over the draws.
            var randomCaught = 0.0
            if !quiet.isEmpty, !naive.isEmpty {
                for _ in 0..<p.randomDraws {
                    var pool = quiet
                    for k in 0..<naive.count {
                        let j = k + Int(rng.next() % UInt64(pool.count - k))
                        pool.swapAt(k, j)
                        randomCaught += Double(observed[pool[k]])
                    }
                }
                randomCaught /= Double(p.randomDraws)
            }
            flagged["random"] = naive.count
            caught["random"] = randomCaught
            if p.includeNewFlags {
                let detection = try ChangeDetector.run(analysis, incidents: history, parameters: dp)
                let newCells = quiet.filter { $0 < detection.cellCategories.count && detection.cellCategories[$0] == .new }
                score("new", newCells)
                score("forecast@new-area", Array(ranked.prefix(newCells.count)))
            }
            for (name, f) in flagged { pooledFlagged[name, default: 0] += Double(f) }
            for (name, c) in caught { pooledCaught[name, default: 0] += c }
            pooledOnsets += Double(onsets)
            pooledQuiet += Double(quiet.count)
            pooledOutcome += Double(outcome)
            pooledCells += Double(inside.count)
            // Probabilistic scores over every cell in the area.
            let uniform = Double(lastYear) * Double(p.horizonDays) / 365 / Double(max(inside.count, 1))
            let uniformP = -expm1(-uniform)
            var originExpected = 0.0
            for i in inside {
                let e = forecast.expected[i], n = observed[i]
                let hit = n > 0 ? 1.0 : 0.0
                let pa = forecast.pAny(i)
                brierSum += (pa - hit) * (pa - hit)
                brierUniformSum += (uniformP - hit) * (uniformP - hit)
                llSum += poissonLogProbability(n, mean: e)
                llUniformSum += poissonLogProbability(n, mean: uniform)
                pairs.append((e, n))
                originExpected += e
            }
            scoredCells += inside.count
            expectedTotal += originExpected
            observedTotal += outcome
            let o = BacktestOrigin(asOf: asOf, eventsFitted: forecast.eventsUsed, cellsInArea: inside.count, quietCells: quiet.count,
                                   outcomeEvents: outcome, onsetEvents: onsets, expectedTotal: originExpected,
                                   flagged: flagged, caught: caught, fit: forecast.fit.parameters, note: nil)
            scoredOrigins.append(o)
            progress?(o)
        }
        let baseRate = pooledQuiet > 0 ? pooledOnsets / pooledQuiet : 0
        let methods = methodNames.compactMap { name -> BacktestMethodScore? in
            guard let f = pooledFlagged[name] else { return nil }
            let c = pooledCaught[name] ?? 0
            let perFlagged = f > 0 ? c / f : 0
            return BacktestMethodScore(
                method: name, flaggedCells: f, onsetsCaught: c,
                lift: baseRate > 0 && f > 0 ? perFlagged / baseRate : .nan,
                onsetShare: pooledOnsets > 0 ? c / pooledOnsets : .nan,
                pai: pooledOutcome > 0 && f > 0 ? (c / pooledOutcome) / (f / pooledCells) : .nan)
        }
        return BacktestResult(
            parameters: p, origins: scoredOrigins, methods: methods,
            brier: scoredCells > 0 ? brierSum / Double(scoredCells) : .nan,
            brierUniform: scoredCells > 0 ? brierUniformSum / Double(scoredCells) : .nan,
            logLikelihood: llSum, logLikelihoodUniform: llUniformSum,
            reliability: reliabilityBins(pairs), expectedTotal: expectedTotal, observedTotal: observedTotal)
    }

    /// log P(N = n) for N ~ Poisson(mean); a zero mean gives 0 for n = 0 and −∞ otherwise.
    static func poissonLogProbability(_ n: Int, mean: Double) -> Double {
        guard mean > 0 else { return n == 0 ? 0 : -.infinity }
        return Double(n) * log(mean) - mean - lgamma(Double(n) + 1)
    }

    /// Deciles of the expected counts (equal numbers of cell-origins, sorted by expected).
    static func reliabilityBins(_ pairs: [(expected: Double, observed: Int)]) -> [ReliabilityBin] {
        guard !pairs.isEmpty else { return [] }
        let sorted = pairs.sorted { $0.expected < $1.expected }
        return (0..<10).compactMap { d in
            let lo = sorted.count * d / 10, hi = sorted.count * (d + 1) / 10
            guard hi > lo else { return nil }
            let slice = sorted[lo..<hi]
            return ReliabilityBin(decile: d + 1, cells: hi - lo,
                                  meanExpected: slice.reduce(0) { $0 + $1.expected } / Double(hi - lo),
                                  meanObserved: Double(slice.reduce(0) { $0 + $1.observed }) / Double(hi - lo))
        }
    }
}
