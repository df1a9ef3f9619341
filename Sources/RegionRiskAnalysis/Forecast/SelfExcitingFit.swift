import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// A fitted background + self-excitation model (see `SelfExcitingParameters` for the intensity).
public struct SelfExcitingFit: Sendable {
    public var parameters: SelfExcitingParameters
    /// Standard errors of (μ, α, ω, σ), from the observed information with the background held
    /// fixed; nil where the information is singular (typically α ≈ 0: no self-excitation found).
    public var standardErrors: [Double?]
    /// The background's two-scale kernel mixture chosen by leave-one-out likelihood cross-validation.
    public var background: BackgroundMixture
    /// The background's fine Gaussian σ, km (its only one when `background.broadWeight` is 0).
    public var backgroundBandwidthKm: Double { background.fineBandwidthKm }
    /// Every (σ km, mean leave-one-out log-likelihood) of a single kernel tried in the final selection.
    public var bandwidthScores: [(bandwidthKm: Double, score: Double)]
    /// Mean leave-one-out log-likelihood of the chosen mixture (≥ the best single kernel's).
    public var backgroundScore: Double
    /// ∫ b over the area (the rest of the background kernel mass falls outside it).
    public var backgroundMassInArea: Double
    public var logLikelihood: Double
    public var emIterations: Int
    public var converged: Bool
    /// Pair cut-offs of the triggering kernel (numerical; see `SelfExcitingFitter`).
    public var maxLagDays: Double
    public var maxDistanceKm: Double
    /// The fitted events, time order, and the weights of the background density that the final
    /// EM pass used (each event's background probability from the previous pass).
    public var points: SpaceTimePoints
    public var backgroundWeights: [Double]
    public var startDay: Double
    public var endDay: Double
    public var notes: [String]

    /// Fits the model to `points` observed over [startDay, endDay] inside the cells of `grid`
    /// where `mask` is 1 (grid in metres; points in km).
    ///
    /// Alternates (twice) between choosing the background (a fine and a broad kernel and their
    /// mixing weight) by leave-one-out likelihood cross-validation on declustered weights (the
    /// second pass searches from the first pass's bandwidths; see `BackgroundDensity.select`) (first pass: every event weight 1; then each
    /// event's background probability) and EM for (μ, α, ω, σ) given that background.
    /// - Parameter minimumBandwidthKm: the smallest background σ tried and the floor of the
    ///   triggering σ (the grid resolves no less, and places are coded to named locations).
    /// - Parameter multiScaleBackground: false restricts the background to a single kernel (β = 0),
    ///   the model before the two-scale mixture, kept for comparisons.
    public static func fit(points unsorted: SpaceTimePoints, grid: GridSpec, mask: [UInt8], startDay: Double, endDay: Double,
                           minimumBandwidthKm: Double, multiScaleBackground: Bool = true) throws -> SelfExcitingFit
    {
        guard unsorted.count >= 2 else { throw ForecastError.tooFewEvents(unsorted.count) }
        guard unsorted.xKm.count == unsorted.count, unsorted.yKm.count == unsorted.count else {
            throw ForecastError.invalidSetting("event arrays differ in length")
        }
        for i in 0..<unsorted.count where !(unsorted.xKm[i].isFinite && unsorted.yKm[i].isFinite && unsorted.tDays[i].isFinite) {
            throw ForecastError.nonFinite("event \(i)'s position or time")
        }
        guard startDay.isFinite, endDay.isFinite, endDay > startDay else {
            throw ForecastError.invalidSetting("the fitting window must end after it starts")
        }
        guard mask.count == grid.cellCount else { throw ForecastError.invalidSetting("the mask does not match the grid") }
        let points = unsorted.sortedByTime()
        let n = points.count
        let duration = endDay - startDay
        let extentKm = max(
            (points.xKm.max()! - points.xKm.min()!), (points.yKm.max()! - points.yKm.min()!), grid.cellSizeMeters / 1000)
        let cellArea = grid.cellAreaKm2
        var weights = [Double](repeating: 1, count: n)
        var theta = SelfExcitingParameters(muPerDay: 0.5 * Double(n) / duration, alpha: 0.5, omegaPerDay: 7 / min(duration, 60),
                                           sigmaKm: min(extentKm, 20) / 4)
        var lag = min(duration, 60.0), dist = min(extentKm, 20.0)
        var result: SelfExcitingFitter.EMResult?
        var fitter: SelfExcitingFitter?
        var background = BackgroundMixture(fineBandwidthKm: minimumBandwidthKm, broadBandwidthKm: minimumBandwidthKm, broadWeight: 0)
        var scores: [(bandwidthKm: Double, score: Double)] = []
        var backgroundScore = -Double.infinity
        var mass = 1.0
        var notes: [String] = []
        var usedWeights = weights
        let workspace = LeaveOneOutWorkspace()  // one auxiliary grid for every bandwidth both passes try
        for pass in 0..<2 {
            let selected = try BackgroundDensity.select(xKm: points.xKm, yKm: points.yKm, weights: weights,
                                                        minimumKm: minimumBandwidthKm, maximumKm: extentKm / 2,
                                                        mixture: multiScaleBackground, refine: false,
                                                        around: pass == 0 ? nil : background, workspace: workspace)
            background = selected.mixture
            scores = selected.scores
            backgroundScore = selected.mixtureScore
            let atEvents = selected.atEvents
            let onGrid = try background.onGrid(xKm: points.xKm, yKm: points.yKm, weights: weights, grid: grid)
            mass = 0
            for i in 0..<grid.cellCount where mask[i] != 0 { mass += onGrid[i] * cellArea }
            mass = min(max(mass, 1e-9), 1)
            var f = SelfExcitingFitter(points: points, backgroundAtEvent: atEvents, backgroundMassInArea: mass,
                                       startDay: startDay, endDay: endDay)
            f.minimumSigmaKm = minimumBandwidthKm
            // Widen the pair cut-offs until the kernels' mass beyond them is < 10⁻³ (or they span the data).
            var em: SelfExcitingFitter.EMResult
            var widenings = 0
            while true {
                f.buildPairs(maxLagDays: lag, maxDistanceKm: dist)
                // The first pass only needs to be close: its weights feed the second's background.
                em = f.fitEM(initial: theta, tolerance: pass == 0 ? 1e-4 : 1e-6)
                theta = em.parameters
                let lagShort = theta.alpha > 1e-6 && theta.omegaPerDay * lag < 7 && lag < duration
                let distShort = theta.alpha > 1e-6 && dist < 3.72 * theta.sigmaKm && dist < extentKm
                guard (lagShort || distShort), widenings < 6 else { break }
                if lagShort { lag = min(duration, max(lag * 2, 8 / theta.omegaPerDay)) }
                if distShort { dist = min(extentKm, max(dist * 2, 4 * theta.sigmaKm)) }
                widenings += 1
            }
            usedWeights = weights
            weights = em.backgroundProbability
            result = em
            fitter = f
        }
        guard let em = result, let f = fitter else { throw ForecastError.tooFewEvents(n) }
        if theta.alpha > 1e-6 && (theta.omegaPerDay * lag < 7 || dist < 3.72 * theta.sigmaKm) {
            notes.append(String(format: "the triggering kernel outlasts or outreaches the data (mean delay %.3g days over %.0f days of history, σ %.3g km over %.0f km): more than 10⁻³ of its mass is cut off, so treat α, ω and σ as poorly determined",
                                1 / theta.omegaPerDay, duration, theta.sigmaKm, extentKm))
        }
        if theta.sigmaKm <= minimumBandwidthKm * (1 + 1e-9) {
            notes.append(String(format: "the triggering σ sits at its floor of %.3g km (half a cell): triggered events fall closer to their parents than the grid resolves", minimumBandwidthKm))
        }
        if !em.converged { notes.append("EM stopped after \(em.iterations) iterations before converging") }
        if em.parameters.alpha >= 1 {
            notes.append(String(format: "the fitted branching ratio α = %.3g is ≥ 1 (explosive): forecasts grow with the horizon", em.parameters.alpha))
        }
        return SelfExcitingFit(
            parameters: em.parameters, standardErrors: f.standardErrors(at: em.parameters), background: background,
            bandwidthScores: scores, backgroundScore: backgroundScore, backgroundMassInArea: mass, logLikelihood: em.logLikelihood, emIterations: em.iterations,
            converged: em.converged, maxLagDays: lag, maxDistanceKm: dist, points: points, backgroundWeights: usedWeights,
            startDay: startDay, endDay: endDay, notes: notes)
    }

    /// The background in words, e.g. "kernel σ 12.0 km" or "kernels σ 12.0 km (70%) and 95.0 km (30%)".
    public var backgroundDescription: String {
        let b = background
        guard b.broadWeight > 0 else { return String(format: "kernel σ %.1f km", b.fineBandwidthKm) }
        return String(format: "kernels σ %.1f km (%.0f%%) and %.1f km (%.0f%%)", b.fineBandwidthKm, 100 * (1 - b.broadWeight),
                      b.broadBandwidthKm, 100 * b.broadWeight)
    }

    /// Fitted parameters with standard errors, for output metadata.
    public var json: JSONValue {
        var items: [(String, JSONValue)] = []
        for (k, name) in SelfExcitingParameters.names.enumerated() {
            items.append((name, .object([
                ("estimate", .number(parameters.vector[k])),
                ("standard_error", standardErrors[k].map { .number($0) } ?? .null),
            ])))
        }
        items.append(("background_bandwidth_km", .number(backgroundBandwidthKm)))
        items.append(("background_mixture", background.json))
        items.append(("background_mass_in_area", .number(backgroundMassInArea)))
        items.append(("log_likelihood", .number(logLikelihood)))
        items.append(("em_iterations", .number(Double(emIterations))))
        items.append(("converged", .bool(converged)))
        items.append(("events", .number(Double(points.count))))
        items.append(("pair_cutoff_days", .number(maxLagDays)))
        items.append(("pair_cutoff_km", .number(maxDistanceKm)))
        return .object(items)
    }
}
