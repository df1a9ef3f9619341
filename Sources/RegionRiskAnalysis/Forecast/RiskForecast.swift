import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// Settings of a risk forecast.
public struct RiskForecastParameters: Sendable, Equatable {
    /// Fit on events dated on or before this day; forecast the days after it.
    public var asOf: CivilDate
    /// Forecast window (as-of, as-of + horizon], days.
    public var horizonDays: Int = 90
    /// Grid cell side, km.
    public var cellSizeKm: Double = 10
    /// "Quiet" cells (the `quiet` column and the watch list) have no event within this distance…
    public var quietDistanceKm: Double = 50
    /// …in the `quietBaselineDays` before the last `recentDays` days.
    public var quietBaselineDays: Int = 365
    public var recentDays: Int = 30
    /// Leave out events located only to a region (geo precision 3).
    public var excludeRegionOnlyLocations: Bool = true
    /// Background as a fine + broad kernel mixture (false: a single kernel, for comparisons).
    public var multiScaleBackground: Bool = true

    public init(asOf: CivilDate) { self.asOf = asOf }

    /// Quiet test and windows as a detection's: quiet distance = its bandwidth, the same recent
    /// and baseline windows, the same treatment of region-only locations.
    public init(asOf: CivilDate, horizonDays: Int, cellSizeKm: Double, matching detection: ChangeDetectionParameters) {
        self.asOf = asOf
        self.horizonDays = horizonDays
        self.cellSizeKm = cellSizeKm
        quietDistanceKm = detection.bandwidthKm
        recentDays = detection.recentDays
        quietBaselineDays = detection.baselineDays
        excludeRegionOnlyLocations = detection.excludeRegionOnlyLocations
    }

    public var json: JSONValue {
        .object([
            ("as_of", .string(asOf.description)), ("horizon_days", .number(Double(horizonDays))),
            ("cell_km", .number(cellSizeKm)), ("quiet_distance_km", .number(quietDistanceKm)),
            ("quiet_baseline_days", .number(Double(quietBaselineDays))), ("recent_days", .number(Double(recentDays))),
            ("exclude_region_only", .bool(excludeRegionOnlyLocations)), ("multi_scale_background", .bool(multiScaleBackground)),
        ])
    }
}

/// Expected events per cell over (as-of, as-of + horizon] from a fitted `SelfExcitingFit`.
public struct RiskForecast: Sendable {
    public var parameters: RiskForecastParameters
    public var grid: AreaGrid
    public var fit: SelfExcitingFit
    /// Per cell, row-major over the grid (0 outside the area): expected events in the horizon.
    public var expected: [Double]
    /// The part of `expected` from the long-run background (its events and what they trigger).
    public var background: [Double]
    /// The part from recent activity: what events up to the as-of date trigger, and their cascade.
    public var triggered: [Double]
    /// Events within `quietDistanceKm` of each cell centre in the last `recentDays` days…
    public var recentNearby: [Int]
    /// …and in the `quietBaselineDays` before that.
    public var baselineNearby: [Int]
    /// Events used in the fit (dated, on or before the as-of date, inside the area).
    public var eventsUsed: Int
    public var notes: [String]

    /// P(at least one event in the cell), from `expected` under a Poisson count (an upper
    /// approximation where triggered clusters make counts overdispersed).
    public func pAny(_ cell: Int) -> Double { -expm1(-expected[cell]) }

    /// Quiet: no event within `quietDistanceKm` in the baseline window before the recent window.
    public func isQuiet(_ cell: Int) -> Bool { grid.mask[cell] != 0 && baselineNearby[cell] == 0 }

    /// The naive rule: quiet in the baseline and ≥ 1 event within the distance in the recent window.
    public func naiveFlag(_ cell: Int) -> Bool { isQuiet(cell) && recentNearby[cell] > 0 }

    public var metadata: [(String, JSONValue)] {
        [
            ("model", .string("background (mixture of a fine and a broad Gaussian KDE, bandwidths and weight by leave-one-out likelihood CV) + self-excitation (exponential delay, Gaussian distance), fitted by EM")),
            ("parameters", parameters.json), ("fit", fit.json), ("events_used", .number(Double(eventsUsed))),
            ("expected_total", .number(expected.reduce(0, +))),
            ("notes", .array(notes.map { .string($0) })),
        ]
    }
}

public enum RiskForecaster {
    /// Fits on the incidents dated up to `parameters.asOf` inside the run's area and forecasts the
    /// horizon, on the run's grid of `parameters.cellSizeKm` cells.
    public static func run(_ analysis: AnalysisRun, incidents: [Incident], parameters: RiskForecastParameters) throws -> RiskForecast {
        try run(incidents: incidents, grid: try analysis.grid(cellSizeKm: parameters.cellSizeKm), parameters: parameters)
    }

    /// As `run(_:incidents:parameters:)` on a grid already made (the back-test reuses one).
    /// Events after the as-of date are dropped before anything else happens.
    public static func run(incidents: [Incident], grid: AreaGrid, parameters p: RiskForecastParameters) throws -> RiskForecast {
        guard p.horizonDays >= 1 else { throw ForecastError.invalidSetting("the horizon must be at least 1 day") }
        guard p.quietDistanceKm.isFinite, p.quietDistanceKm > 0, p.recentDays >= 1, p.quietBaselineDays >= 1 else {
            throw ForecastError.invalidSetting("the quiet distance and windows must be positive")
        }
        let asOf = p.asOf
        var notes: [String] = []
        // A canonical order, so the result does not depend on the order of the input rows.
        var past = incidents.filter { $0.date.map { $0 <= asOf } ?? false }.sorted { a, b in
            if a.date! != b.date! { return a.date! < b.date! }
            if a.location.lon != b.location.lon { return a.location.lon < b.location.lon }
            if a.location.lat != b.location.lat { return a.location.lat < b.location.lat }
            return (a.source, a.sourceEventID) < (b.source, b.sourceEventID)
        }
        if p.excludeRegionOnlyLocations {
            let before = past.count
            past.removeAll { $0.locationPrecision == .regionOnly }
            if before > past.count { notes.append("\(before - past.count) events located only to a region (geo precision 3) were left out") }
        }
        let projected = try grid.project(past.map(\.location))
        var xs: [Double] = [], ys: [Double] = [], ts: [Double] = [], days: [Int] = []
        var outside = 0
        for (k, e) in past.enumerated() {
            let x = projected.x[k], y = projected.y[k]
            guard x.isFinite, y.isFinite, let cell = grid.spec.cell(containingX: x, y: y),
                grid.mask[cell.row * grid.spec.columns + cell.column] != 0, let d = e.date
            else { outside += 1; continue }
            xs.append(x / 1000); ys.append(y / 1000)
            days.append(d.dayNumber - asOf.dayNumber)
            ts.append(Double(d.dayNumber - asOf.dayNumber) + 0.5)
        }
        if outside > 0 { notes.append("\(outside) events outside the area were left out of the fit") }
        guard let firstDay = days.min() else { throw ForecastError.tooFewEvents(0) }
        let fit = try SelfExcitingFit.fit(points: SpaceTimePoints(xKm: xs, yKm: ys, tDays: ts), grid: grid.spec, mask: grid.mask,
                                          startDay: Double(firstDay), endDay: 1, minimumBandwidthKm: p.cellSizeKm / 2,
                                          multiScaleBackground: p.multiScaleBackground)
        notes += fit.notes
        let (background, triggered) = try expectedCounts(fit: fit, grid: grid, horizonDays: p.horizonDays)
        let expected = zip(background, triggered).map { $0 + $1 }

        // Events within the quiet distance of each cell, recent and baseline windows (uniform
        // kernel × πh² is exactly the count within h).
        var recentX: [Double] = [], recentY: [Double] = [], baseX: [Double] = [], baseY: [Double] = []
        for k in 0..<days.count {
            let d = days[k]
            if d > -p.recentDays { recentX.append(xs[k] * 1000); recentY.append(ys[k] * 1000) }
            else if d > -(p.recentDays + p.quietBaselineDays) { baseX.append(xs[k] * 1000); baseY.append(ys[k] * 1000) }
        }
        let recentNearby = try countsWithin(x: recentX, y: recentY, grid: grid.spec, km: p.quietDistanceKm)
        let baselineNearby = try countsWithin(x: baseX, y: baseY, grid: grid.spec, km: p.quietDistanceKm)
        if Double(-firstDay) < Double(p.recentDays + p.quietBaselineDays) {
            notes.append("the history starts \(-firstDay) days before the as-of date, less than the \(p.recentDays + p.quietBaselineDays) days the quiet test looks back: \"quiet\" is weaker evidence")
        }
        return RiskForecast(parameters: p, grid: grid, fit: fit, expected: expected, background: background, triggered: triggered,
                            recentNearby: recentNearby, baselineNearby: baselineNearby, eventsUsed: xs.count, notes: notes)
    }

    /// Events within `km` of each cell centre.
    static func countsWithin(x: [Double], y: [Double], grid: GridSpec, km: Double) throws -> [Int] {
        guard !x.isEmpty else { return [Int](repeating: 0, count: grid.cellCount) }
        let values = try DensityEngine.compute(events: ProjectedEvents(x: x, y: y), grid: grid, kernel: .uniform, bandwidthKm: km).values
        let scale = Double.pi * km * km
        return values.map { v in
            let c = (v * scale).rounded()
            return c.isFinite && c > 0 ? Int(min(c, 1e15)) : 0
        }
    }

    /// Expected events per cell in (end, end + horizon]: the mean of the fitted process, split
    /// into its background and triggered (history-driven) parts.
    ///
    /// The mean intensity m obeys the linear renewal equation m = μ·b + history + α·(g ⊛ f ⊛ m).
    /// With the exponential delay this is a first-order equation for Z, the pending triggered
    /// mass per cell (triggered rate ωZ): dZ/dt = −ωZ + α·(f ⊛ m), integrated in steps (see
    /// `integrate`). f ⊛ is the cell-integrated Gaussian σ; offspring outside the area are
    /// dropped, as in the fit.
    static func expectedCounts(fit: SelfExcitingFit, grid: AreaGrid, horizonDays: Int) throws -> (background: [Double], triggered: [Double]) {
        let spec = grid.spec
        let n = spec.cellCount
        let theta = fit.parameters
        let mu = theta.muPerDay, a = theta.alpha, w = theta.omegaPerDay, s = theta.sigmaKm
        let cellKm = spec.cellSizeMeters / 1000
        let cellArea = spec.cellAreaKm2
        // Background source per cell per day.
        let b = try fit.background.onGrid(xKm: fit.points.xKm, yKm: fit.points.yKm, weights: fit.backgroundWeights, grid: spec)
        var source = [Double](repeating: 0, count: n)
        for i in 0..<n where grid.mask[i] != 0 { source[i] = mu * b[i] * cellArea }
        // Pending triggered mass from the history: Σⱼ α·e^{−ω(end − tⱼ)}·F_j(cell).
        var z0 = [Double](repeating: 0, count: n)
        if a > 0 {
            let west = spec.westX / 1000, north = spec.northY / 1000
            for j in 0..<fit.points.count {
                let decay = exp(-w * (fit.endDay - fit.points.tDays[j]))
                let weight = a * decay
                guard weight > 1e-12 else { continue }
                let cx = fit.points.xKm[j], cy = fit.points.yKm[j]
                let reach = 5 * s + cellKm
                let c0 = max(0, Int(floor((cx - reach - west) / cellKm))), c1 = min(spec.columns - 1, Int(floor((cx + reach - west) / cellKm)))
                let r0 = max(0, Int(floor((north - (cy + reach)) / cellKm))), r1 = min(spec.rows - 1, Int(floor((north - (cy - reach)) / cellKm)))
                guard c0 <= c1, r0 <= r1 else { continue }
                var mx = [Double](repeating: 0, count: c1 - c0 + 1)
                for c in c0...c1 {
                    let x0 = west + Double(c) * cellKm
                    mx[c - c0] = StandardNormal.cdf((x0 + cellKm - cx) / s) - StandardNormal.cdf((x0 - cx) / s)
                }
                for r in r0...r1 {
                    let yTop = north - Double(r) * cellKm
                    let my = StandardNormal.cdf((yTop - cy) / s) - StandardNormal.cdf((yTop - cellKm - cy) / s)
                    guard my > 0 else { continue }
                    for c in c0...c1 where grid.mask[r * spec.columns + c] != 0 {
                        z0[r * spec.columns + c] += weight * my * mx[c - c0]
                    }
                }
            }
        }
        let taps = gaussianTaps(sigmaCells: s / cellKm)
        let bg = integrate(source: source, initial: [Double](repeating: 0, count: n), alpha: a, omega: w, taps: taps,
                           mask: grid.mask, columns: spec.columns, rows: spec.rows, days: horizonDays)
        let trig = integrate(source: [Double](repeating: 0, count: n), initial: z0, alpha: a, omega: w, taps: taps,
                             mask: grid.mask, columns: spec.columns, rows: spec.rows, days: horizonDays)
        return (bg, trig)
    }

    /// Mass of N(0, σ²) (σ in cells) in each cell offset from the centre cell, −k…k.
    static func gaussianTaps(sigmaCells: Double) -> [Double] {
        let k = max(1, min(2000, Int(ceil(5 * sigmaCells))))
        return (-k...k).map { d in StandardNormal.cdf((Double(d) + 0.5) / sigmaCells) - StandardNormal.cdf((Double(d) - 0.5) / sigmaCells) }
    }

    /// Separable convolution of a row-major grid with `taps` along rows then columns.
    static func convolve(_ v: [Double], taps: [Double], columns: Int, rows: Int) -> [Double] {
        let k = taps.count / 2
        var tmp = [Double](repeating: 0, count: v.count)
        for r in 0..<rows {
            let base = r * columns
            for c in 0..<columns {
                let x = v[base + c]
                guard x != 0 else { continue }
                let lo = max(0, c - k), hi = min(columns - 1, c + k)
                for cc in lo...hi { tmp[base + cc] += x * taps[cc - c + k] }
            }
        }
        var out = [Double](repeating: 0, count: v.count)
        for r in 0..<rows {
            let lo = max(0, r - k), hi = min(rows - 1, r + k)
            for c in 0..<columns {
                let x = tmp[r * columns + c]
                guard x != 0 else { continue }
                for rr in lo...hi { out[rr * columns + c] += x * taps[rr - r + k] }
            }
        }
        return out
    }

    /// Integrates the mean-intensity equation over `days` days; returns expected events per cell.
    /// Steps last a quarter of the mean delay (at least 1 day, at most the horizon): within a step
    /// the decay is exact for a constant input, and the step's input is corrected once from its
    /// start-of-step guess.
    static func integrate(source: [Double], initial: [Double], alpha a: Double, omega w: Double, taps: [Double],
                          mask: [UInt8], columns: Int, rows: Int, days: Int) -> [Double] {
        let n = source.count
        var z = initial
        var total = [Double](repeating: 0, count: n)
        guard a > 0 else {
            for i in 0..<n { total[i] = source[i] * Double(days) }
            return total
        }
        let horizon = Double(days)
        let stepDays = min(horizon, max(1, 0.25 / w))
        var elapsed = 0.0
        var rate = [Double](repeating: 0, count: n), count = [Double](repeating: 0, count: n)
        while elapsed < horizon - 1e-9 {
            let dt = min(stepDays, horizon - elapsed)
            elapsed += dt
            let decay = exp(-w * dt), gain = -expm1(-w * dt)  // e^{−ωΔ}, 1 − e^{−ωΔ}
            let lagged = dt - gain / w  // events within the step from one unit of input per day
            // First guess of the step's mean rate per day: what is pending, spread over the step.
            for i in 0..<n { rate[i] = source[i] + z[i] * gain / dt }
            for pass in 0..<2 {
                let spread = convolve(rate, taps: taps, columns: columns, rows: rows)
                if pass == 0 {
                    for i in 0..<n {
                        let input = mask[i] != 0 ? a * spread[i] : 0
                        count[i] = source[i] * dt + z[i] * gain + input * lagged
                        rate[i] = count[i] / dt
                    }
                } else {
                    // The corrected input feeds both the step's events and what stays pending.
                    for i in 0..<n {
                        let input = mask[i] != 0 ? a * spread[i] : 0
                        total[i] += source[i] * dt + z[i] * gain + input * lagged
                        z[i] = z[i] * decay + input * gain / w
                    }
                }
            }
        }
        return total
    }
}
