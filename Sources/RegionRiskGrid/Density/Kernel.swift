import Foundation

/// A smoothing kernel. Every kernel integrates to 1 over km², so density is in events per km².
///
/// With h the bandwidth in km and u = r/h:
/// - quartic (biweight, as ArcGIS and QGIS use): 3/(πh²)·(1−u²)² for u < 1
/// - Epanechnikov: 2/(πh²)·(1−u²) for u < 1
/// - triangular: 3/(πh²)·(1−u) for u < 1
/// - uniform: 1/(πh²) for u < 1
/// - Gaussian: 1/(2πh²)·exp(−r²/2h²) — here h is σ, not a support radius.
///
/// So "50 km quartic" and "50 km Gaussian" are not the same smoothing: the quartic's σ is h/√7.
public enum KernelShape: String, Sendable, CaseIterable, Codable {
    case quartic, epanechnikov, triangular, uniform, gaussian

    /// True when the kernel is zero beyond the bandwidth.
    public var isCompact: Bool { self != .gaussian }

    /// Kernel value at distance² `r2` (km²) for bandwidth `h` (km), per km².
    @inline(__always)
    public func value(distanceSquaredKm2 r2: Double, bandwidthKm h: Double) -> Double {
        let h2 = h * h
        let u2 = r2 / h2
        switch self {
        case .quartic:
            guard u2 < 1 else { return 0 }
            let t = 1 - u2
            return 3 / (Double.pi * h2) * t * t
        case .epanechnikov:
            guard u2 < 1 else { return 0 }
            return 2 / (Double.pi * h2) * (1 - u2)
        case .triangular:
            guard u2 < 1 else { return 0 }
            return 3 / (Double.pi * h2) * (1 - u2.squareRoot())
        case .uniform:
            guard u2 < 1 else { return 0 }
            return 1 / (Double.pi * h2)
        case .gaussian:
            return 1 / (2 * Double.pi * h2) * exp(-0.5 * u2)
        }
    }

    /// What the bandwidth means for this kernel, for `--help` and output metadata.
    public var bandwidthMeaning: String {
        self == .gaussian ? "standard deviation σ" : "support radius"
    }
}
