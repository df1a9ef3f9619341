import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON
import RegionRiskGeometry
import RegionRiskGrid

/// Events of a space-time point process in a projected plane: positions in km, times in days.
/// Sorted by time is not required on input; the fitter sorts.
public struct SpaceTimePoints: Sendable, Equatable {
    /// Projected easting, km.
    public var xKm: [Double]
    /// Projected northing, km.
    public var yKm: [Double]
    /// Time, days (any origin; real incidents use the day number + 0.5).
    public var tDays: [Double]

    public init(xKm: [Double], yKm: [Double], tDays: [Double]) {
        self.xKm = xKm
        self.yKm = yKm
        self.tDays = tDays
    }

    public var count: Int { tDays.count }

    /// The points sorted by time, ties by x then y: index order is time order, and the same set of
    /// points gives the same order (and the same sums, to the bit) whatever order it came in.
    func sortedByTime() -> SpaceTimePoints {
        let order = tDays.indices.sorted { a, b in
            if tDays[a] != tDays[b] { return tDays[a] < tDays[b] }
            if xKm[a] != xKm[b] { return xKm[a] < xKm[b] }
            if yKm[a] != yKm[b] { return yKm[a] < yKm[b] }
            return a < b
        }
        return SpaceTimePoints(xKm: order.map { xKm[$0] }, yKm: order.map { yKm[$0] }, tDays: order.map { tDays[$0] })
    }
}

/// The self-exciting (Hawkes/ETAS-type) part of the model and its background rate:
///
///   λ(x, y, t) = μ·b(x, y) + Σ_{tⱼ < t} α·ω·e^{−ω(t − tⱼ)} · exp(−rⱼ²/2σ²)/(2πσ²)
///
/// with b the long-run background density (per km², integrating to `backgroundMassInArea` over
/// the area), μ background events per day, α the mean number of events each event triggers
/// (branching ratio), 1/ω the mean delay of a triggered event (days) and σ the triggering
/// distance scale (km, a Gaussian's standard deviation).
public struct SelfExcitingParameters: Sendable, Equatable {
    /// Background events per day in the whole area.
    public var muPerDay: Double
    /// Branching ratio: events triggered per event (the process is stationary for α < 1).
    public var alpha: Double
    /// Temporal decay rate, per day (mean delay 1/ω days).
    public var omegaPerDay: Double
    /// Triggering distance scale σ, km.
    public var sigmaKm: Double

    public init(muPerDay: Double, alpha: Double, omegaPerDay: Double, sigmaKm: Double) {
        self.muPerDay = muPerDay
        self.alpha = alpha
        self.omegaPerDay = omegaPerDay
        self.sigmaKm = sigmaKm
    }

    /// The parameters as a vector (μ, α, ω, σ).
    public var vector: [Double] { [muPerDay, alpha, omegaPerDay, sigmaKm] }
    public static let names = ["mu_per_day", "alpha", "omega_per_day", "sigma_km"]

    init(vector v: [Double]) { self.init(muPerDay: v[0], alpha: v[1], omegaPerDay: v[2], sigmaKm: v[3]) }
}

/// Why a fit refused its input.
public enum ForecastError: LocalizedError, Sendable, Equatable {
    case tooFewEvents(Int)
    case nonFinite(String)
    case invalidSetting(String)

    public var errorDescription: String? {
        switch self {
        case let .tooFewEvents(n):
            return "only \(n) dated events inside the area up to the as-of date: the forecast needs at least 2; give more history (--events or --db) or a later --as-of"
        case let .nonFinite(what):
            return "\(what) is not a finite number"
        case let .invalidSetting(why):
            return why
        }
    }
}

/// Maximum-likelihood fit of the self-exciting part given the background values at the events,
/// by expectation–maximisation (stochastic declustering; Veen & Schoenberg 2008), with standard
/// errors from the numerical Hessian of the log-likelihood.
///
/// Pairs (parent j, child i) are kept when 0 < tᵢ − tⱼ ≤ `maxLagDays` and |xᵢ − xⱼ| ≤ `maxDistanceKm`;
/// the fit checks afterwards that the kernels' mass beyond these cut-offs is below 10⁻³ and widens
/// them (up to the data's extent) when it is not, so the cut-offs are numerical, not modelling, choices.
/// Spatial edge loss of the triggering kernel is neglected (offspring are assumed to land in the area).
struct SelfExcitingFitter {
    let points: SpaceTimePoints
    /// Background density at each event (per km², leave-one-out), same order as `points`.
    let backgroundAtEvent: [Double]
    /// ∫ b over the area (≤ 1): background mass that falls inside the observed area.
    let backgroundMassInArea: Double
    let startDay: Double
    let endDay: Double
    /// Smallest σ the fit may reach, km. Incident locations are coded to named places, so events
    /// share coordinates exactly; without a floor the likelihood grows without bound as σ → 0.
    var minimumSigmaKm: Double = 0

    /// Candidate pairs (see `TriggeringPairs`), set by `buildPairs`.
    private(set) var pairs = TriggeringPairs(start: [0], lagDays: [], distanceSquaredKm2: [])
    private(set) var maxLagDays: Double = 0
    private(set) var maxDistanceKm: Double = 0
    /// Time each event has to trigger before the end of the window, days (nonincreasing with the index).
    let exposure: [Double]

    init(points: SpaceTimePoints, backgroundAtEvent: [Double], backgroundMassInArea: Double, startDay: Double, endDay: Double) {
        self.points = points
        self.backgroundAtEvent = backgroundAtEvent
        self.backgroundMassInArea = backgroundMassInArea
        self.startDay = startDay
        self.endDay = endDay
        exposure = points.tDays.map { max(0, endDay - $0) }
    }

    /// Builds the candidate pairs (points must be sorted by time).
    mutating func buildPairs(maxLagDays: Double, maxDistanceKm: Double) {
        self.maxLagDays = maxLagDays
        self.maxDistanceKm = maxDistanceKm
        pairs = TriggeringPairs(points: points, maxLagDays: maxLagDays, maxDistanceKm: maxDistanceKm)
    }

    /// Beyond this ω·exposure, e^{−ω·e} (< 10⁻²⁶) changes no sum of the temporal terms: 1 − e^{−ω·e}
    /// rounds to 1 and e·e^{−ω·e} is below 10⁻²² of the sums it joins.
    static let negligibleDecay = 60.0

    /// The events whose exposure e has ω·e < `negligibleDecay`: a suffix of the index range (exposure
    /// is nonincreasing), returned as its first index.
    static func firstNonNegligible(_ exposure: [Double], omega: Double) -> Int {
        let limit = negligibleDecay / omega
        var lo = 0, hi = exposure.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if exposure[mid] >= limit { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Σⱼ (1 − e^{−ω·eⱼ}): the expected offspring per unit α inside the window.
    static func triggerExposure(_ exposure: [Double], omega: Double) -> Double {
        let first = firstNonNegligible(exposure, omega: omega)
        var s = Double(first)
        for k in first..<exposure.count { s += -expm1(-omega * exposure[k]) }
        return s
    }

    /// Log-likelihood at θ (μ, α, ω, σ); −∞ outside the parameter space.
    func logLikelihood(_ theta: SelfExcitingParameters) -> Double {
        let mu = theta.muPerDay, a = theta.alpha, w = theta.omegaPerDay, s = theta.sigmaKm
        guard mu > 0, a >= 0, w > 0, s > 0 else { return -.infinity }
        let norm = a * w / (2 * Double.pi * s * s), inv2s2 = 1 / (2 * s * s)
        let n = points.count
        let chunks = max(1, min(8, n / 2000))
        var partial = [Double](repeating: 0, count: chunks)
        partial.withUnsafeMutableBufferPointer { part in
            let partBase = part
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var local = 0.0
                for i in (n * c / chunks)..<(n * (c + 1) / chunks) {
                    var trig = 0.0
                    for k in pairs.start[i]..<pairs.start[i + 1] {
                        trig += exp(-w * pairs.lagDays[k] - pairs.distanceSquaredKm2[k] * inv2s2)
                    }
                    let lam = mu * backgroundAtEvent[i] + norm * trig
                    local += lam > 0 ? log(lam) : -.infinity
                }
                partBase[c] = local
            }
        }
        let sum = partial.reduce(0, +)
        guard sum.isFinite else { return -.infinity }
        return sum - mu * (endDay - startDay) * backgroundMassInArea - a * Self.triggerExposure(exposure, omega: w)
    }

    struct EMResult {
        var parameters: SelfExcitingParameters
        var logLikelihood: Double
        var iterations: Int
        var converged: Bool
        /// P(event i is a background event), same order as the points.
        var backgroundProbability: [Double]
    }

    /// One EM step from θ: the E-step's background probabilities go to `pBackground`; returns the
    /// M-step's parameters and the log-likelihood at θ (a by-product of the E-step).
    func emStep(_ theta: SelfExcitingParameters, pBackground: inout [Double]) -> (next: SelfExcitingParameters, logLikelihood: Double) {
        let n = points.count
        let mu = theta.muPerDay, a = theta.alpha, w = theta.omegaPerDay, s = theta.sigmaKm
        let norm = a * w / (2 * Double.pi * s * s), inv2s2 = 1 / (2 * s * s)
        let chunks = max(1, min(8, n / 2000))
        // E-step with sufficient statistics: Σ p_ij, Σ p_ij·lag, Σ p_ij·r², Σ log λᵢ, and p_i0 per event.
        var partial = [(Double, Double, Double, Double)](repeating: (0, 0, 0, 0), count: chunks)
        pBackground.withUnsafeMutableBufferPointer { pb in
            let pbBase = pb
            partial.withUnsafeMutableBufferPointer { part in
                let partBase = part
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let lo = n * c / chunks, hi = n * (c + 1) / chunks
                    var sp = 0.0, sl = 0.0, sr = 0.0, sll = 0.0
                    pairs.lagDays.withUnsafeBufferPointer { lags in
                        pairs.distanceSquaredKm2.withUnsafeBufferPointer { d2 in
                            for i in lo..<hi {
                                var k0 = 0.0, kl = 0.0, kr = 0.0
                                for k in pairs.start[i]..<pairs.start[i + 1] {
                                    let lagK = lags[k], r2 = d2[k]
                                    let v = exp(-w * lagK - r2 * inv2s2)
                                    k0 += v; kl += v * lagK; kr += v * r2
                                }
                                let bg = mu * backgroundAtEvent[i]
                                let lam = bg + norm * k0
                                if lam > 0 {
                                    pbBase[i] = bg / lam
                                    let f = norm / lam
                                    sp += f * k0; sl += f * kl; sr += f * kr
                                    sll += log(lam)
                                } else {
                                    pbBase[i] = 1
                                    sll = -.infinity
                                }
                            }
                        }
                    }
                    partBase[c] = (sp, sl, sr, sll)
                }
            }
        }
        let sTrig = partial.reduce(0) { $0 + $1.0 }, sLag = partial.reduce(0) { $0 + $1.1 }, sR2 = partial.reduce(0) { $0 + $1.2 }
        let sumLog = partial.reduce(0) { $0 + $1.3 }
        let sBackground = pBackground.reduce(0, +)
        let window = (endDay - startDay) * backgroundMassInArea
        let triggerExposure = Self.triggerExposure(exposure, omega: w)
        let logLikelihood = sumLog.isFinite ? sumLog - mu * window - a * triggerExposure : -.infinity
        // M-step (ECM): μ, then α given ω, then ω given α, then σ.
        var next = theta
        next.muPerDay = max(sBackground / window, 1e-300)
        next.alpha = triggerExposure > 0 ? sTrig / triggerExposure : 0
        if sTrig > 1e-12 {
            next.omegaPerDay = Self.solveOmega(sumP: sTrig, sumPLag: sLag, alpha: next.alpha, exposure: exposure, start: w)
            next.sigmaKm = max((sR2 / (2 * sTrig)).squareRoot(), minimumSigmaKm, 1e-6)
        }
        return (next, logLikelihood)
    }

    /// EM from `initial` until the relative change of every parameter in one EM step is below
    /// `tolerance`. With `accelerated`, SQUAREM (Varadhan & Roland 2008, step length SqS3) in
    /// log-parameters: two EM steps u₀ → u₁ → u₂ give a secant extrapolation, kept (and stepped
    /// from) only when the likelihood there is at least that at u₁; otherwise u₂ is kept. It
    /// reaches the same fixed point as plain EM in fewer E-steps (`iterations` counts E-steps).
    func fitEM(initial: SelfExcitingParameters, maxIterations: Int = 500, tolerance: Double = 1e-6,
               accelerated: Bool = true) -> EMResult {
        var theta = initial
        var pBackground = [Double](repeating: 1, count: points.count)
        var iterations = 0
        var converged = false
        func relativeChange(_ a: SelfExcitingParameters, _ b: SelfExcitingParameters) -> Double {
            zip(a.vector, b.vector).map { abs($0 - $1) / max(abs($1), 1e-12) }.max() ?? 0
        }
        // One EM step; true when it ends the fit.
        func plainStep() -> (stop: Bool, logLikelihood: Double) {
            iterations += 1
            let (next, ll) = emStep(theta, pBackground: &pBackground)
            let change = relativeChange(theta, next)
            theta = next
            return (next.alpha < 1e-10 || change < tolerance, ll)
        }
        while iterations < maxIterations {
            let u0 = theta.vector.map { log($0) }
            if plainStep().stop { converged = true; break }
            guard accelerated, iterations + 2 <= maxIterations else { continue }
            let u1 = theta.vector.map { log($0) }
            let second = plainStep()
            if second.stop { converged = true; break }
            let u2 = theta.vector.map { log($0) }
            let r = zip(u1, u0).map { $0 - $1 }, v = (0..<4).map { u2[$0] - 2 * u1[$0] + u0[$0] }
            let rn = r.reduce(0) { $0 + $1 * $1 }.squareRoot(), vn = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard vn > 0, rn.isFinite, vn.isFinite, u2.allSatisfy(\.isFinite) else { continue }
            let step = min(-1, -rn / vn)
            guard step < -1 else { continue }
            let extrapolated = (0..<4).map { u0[$0] - 2 * step * r[$0] + step * step * v[$0] }
            let candidate = SelfExcitingParameters(vector: extrapolated.map { exp($0) })
            guard candidate.vector.allSatisfy({ $0.isFinite && $0 > 0 }) else { continue }
            // Step from the extrapolated point; keep it when its likelihood is at least that of u1
            // (below u2's, by EM's monotony, it may still be: the next cycle climbs from there).
            let kept = theta, keptBackground = pBackground
            theta = candidate
            let third = plainStep()
            if !(third.logLikelihood >= second.logLikelihood) {
                theta = kept
                pBackground = keptBackground
            } else if third.stop {
                converged = true
                break
            }
        }
        return EMResult(parameters: theta, logLikelihood: logLikelihood(theta), iterations: iterations,
                        converged: converged, backgroundProbability: pBackground)
    }

    /// Maximises S·log ω − ω·Σp·lag − α·Σⱼ(1 − e^{−ω·eⱼ}) over ω by Newton's method on log ω.
    static func solveOmega(sumP: Double, sumPLag: Double, alpha: Double, exposure: [Double], start: Double) -> Double {
        var u = log(max(start, 1e-9))
        for _ in 0..<50 {
            let w = exp(u)
            var c1 = 0.0, c2 = 0.0
            for k in firstNonNegligible(exposure, omega: w)..<exposure.count {
                let e = exposure[k]
                let z = exp(-w * e)
                c1 += e * z
                c2 += e * e * z
            }
            // d/du and d²/du² of the objective with ω = e^u.
            let g = sumP - w * sumPLag - alpha * w * c1
            let h = -w * sumPLag - alpha * (w * c1 - w * w * c2)
            guard g.isFinite, h.isFinite, h < 0 else { u += g > 0 ? 0.5 : -0.5; continue }
            let step = max(-2, min(2, -g / h))
            u += step
            if abs(step) < 1e-10 { break }
        }
        return exp(u)
    }

    /// Standard errors from the observed information: the inverse of minus the numerical Hessian
    /// of the log-likelihood in log-parameters, mapped back by the delta method. nil entries where
    /// the Hessian is not negative definite (e.g. α at its boundary 0) and for σ when it sits at
    /// its floor (then the others' are conditional on it).
    func standardErrors(at theta: SelfExcitingParameters) -> [Double?] {
        let base = theta.vector.map { log($0) }
        guard base.allSatisfy(\.isFinite) else { return [Double?](repeating: nil, count: 4) }
        let free = (0..<4).filter { $0 != 3 || theta.sigmaKm > minimumSigmaKm * (1 + 1e-9) }
        let f: ([Double]) -> Double = { u in logLikelihood(SelfExcitingParameters(vector: u.map { exp($0) })) }
        let h = 1e-3
        let m = free.count
        var hess = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        let f0 = f(base)
        for (ia, a) in free.enumerated() {
            var up = base, dn = base
            up[a] += h; dn[a] -= h
            hess[ia][ia] = (f(up) - 2 * f0 + f(dn)) / (h * h)
            for ib in (ia + 1)..<m {
                let b = free[ib]
                var pp = base, pm = base, mp = base, mm = base
                pp[a] += h; pp[b] += h
                pm[a] += h; pm[b] -= h
                mp[a] -= h; mp[b] += h
                mm[a] -= h; mm[b] -= h
                let v = (f(pp) - f(pm) - f(mp) + f(mm)) / (4 * h * h)
                hess[ia][ib] = v; hess[ib][ia] = v
            }
        }
        var out = [Double?](repeating: nil, count: 4)
        guard let covariance = Self.invertPositiveDefinite(hess.map { $0.map { -$0 } }) else { return out }
        for (ia, a) in free.enumerated() {
            let v = covariance[ia][ia]
            if v.isFinite, v > 0 { out[a] = theta.vector[a] * v.squareRoot() }
        }
        return out
    }

    /// Inverse of a symmetric positive-definite matrix by Cholesky; nil when it is not one.
    static func invertPositiveDefinite(_ m: [[Double]]) -> [[Double]]? {
        let n = m.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var s = m[i][j]
                for k in 0..<j { s -= l[i][k] * l[j][k] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i][i] = s.squareRoot()
                } else {
                    l[i][j] = s / l[j][j]
                }
            }
        }
        var inv = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for col in 0..<n {
            var y = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var s = i == col ? 1.0 : 0.0
                for k in 0..<i { s -= l[i][k] * y[k] }
                y[i] = s / l[i][i]
            }
            var x = [Double](repeating: 0, count: n)
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = y[i]
                for k in (i + 1)..<n { s -= l[k][i] * x[k] }
                x[i] = s / l[i][i]
            }
            for i in 0..<n { inv[i][col] = x[i] }
        }
        return inv
    }
}
