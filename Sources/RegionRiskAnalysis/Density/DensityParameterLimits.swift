import Foundation
import RegionRiskBase

extension DensityParameters {
    /// Throws `ParameterLimitError` unless every numeric setting is inside `ParameterLimits`.
    package func checkLimits() throws {
        try ParameterLimits.check("the cell size", cellSizeKm, in: ParameterLimits.cellSizeKm, unit: "km")
        try ParameterLimits.check("the bandwidth", bandwidthKm, in: ParameterLimits.bandwidthKm, unit: "km")
        if let h = weighting.halfLifeDays {
            try ParameterLimits.check("the half-life", h, in: ParameterLimits.halfLifeDays, unit: "days")
        }
    }

    /// A warning when the bandwidth is so small against the cells that most events reach no cell
    /// centre (a compact kernel narrower than half a cell), else nil.
    package var narrowBandwidthWarning: String? {
        guard kernel != .gaussian else { return nil }
        return ParameterLimits.narrowBandwidthWarning("the bandwidth", bandwidthKm: bandwidthKm, cellSizeKm: cellSizeKm)
    }
}
