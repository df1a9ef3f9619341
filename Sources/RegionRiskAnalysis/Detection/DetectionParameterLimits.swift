import Foundation
import RegionRiskBase

extension ChangeDetectionParameters {
    /// Throws `ParameterLimitError` unless every numeric setting is inside `ParameterLimits`.
    package func checkLimits() throws {
        try ParameterLimits.check("the recent window", recentDays, in: ParameterLimits.windowDays, unit: "days")
        try ParameterLimits.check("the baseline window", baselineDays, in: ParameterLimits.windowDays, unit: "days")
        try ParameterLimits.check("the cell size", cellSizeKm, in: ParameterLimits.cellSizeKm, unit: "km")
        try ParameterLimits.check("the bandwidth", bandwidthKm, in: ParameterLimits.bandwidthKm, unit: "km")
        try ParameterLimits.check("the quiet maximum", quietBaselineMaximum, in: ParameterLimits.eventThreshold, unit: "events")
        try ParameterLimits.check("the minimum recent events", minimumRecentEvents, in: 1...ParameterLimits.eventThreshold.upperBound,
                                  unit: "events")
        try ParameterLimits.check("alpha", alpha, in: 1e-12...0.999_999)
    }
}

extension EmergingHotSpotRunParameters {
    /// Throws `ParameterLimitError` unless every numeric setting is inside `ParameterLimits`.
    package func checkLimits() throws {
        try ParameterLimits.check("the number of time steps", steps, in: ParameterLimits.timeSteps)
        try ParameterLimits.check("the time step", stepDays, in: ParameterLimits.stepDays, unit: "days")
        try ParameterLimits.check("the cell size", cellSizeKm, in: ParameterLimits.cellSizeKm, unit: "km")
        try ParameterLimits.check("the neighbourhood distance", neighborhoodKm, in: ParameterLimits.bandwidthKm, unit: "km")
        try ParameterLimits.check("the time-window steps", neighborhoodTimeSteps, in: 0...(steps - 1))
        try ParameterLimits.check("alpha", alpha, in: 1e-12...0.999_999)
        // steps × stepDays stays far inside CivilDate's range: at most 1,000 × 3,653 days.
    }

    /// Throws `ParameterLimitError.overBudget` when a cube of `gridCells` cells × `steps` is over
    /// `ParameterLimits.maximumCubeCells`; called before the cube is allocated.
    func checkCube(gridCells: Int) throws {
        guard ParameterLimits.product([gridCells, steps], atMost: ParameterLimits.maximumCubeCells) != nil else {
            throw ParameterLimitError.overBudget(
                what: "a space-time cube of \(gridCells) cells × \(steps) steps",
                needed: String(format: "%.3g cells", Double(gridCells) * Double(steps)),
                budget: "\(ParameterLimits.maximumCubeCells) cells", hint: "use fewer --steps or larger cells (--cell-km)")
        }
    }
}
