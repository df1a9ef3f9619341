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
        guard kernel != .gaussian, bandwidthKm < cellSizeKm / 2 else { return nil }
        return "the bandwidth (\(bandwidthKm) km) is under half the cell size (\(cellSizeKm) km): most events reach no cell centre and the density is mostly zero; use a bandwidth of at least a few cells"
    }
}
