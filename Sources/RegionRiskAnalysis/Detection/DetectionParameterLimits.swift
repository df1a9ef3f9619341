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

    /// Working memory per cell × step of the analysis at its peak, bytes: the counts, the
    /// spatial sums, z, p, and the false-discovery step (cleaned p, sort order and its scratch, q).
    static let bytesPerCubeCell = 64

    /// Throws `ParameterLimitError.overBudget` before the cube is allocated when a cube of
    /// `columns` × `rows` cells × `steps` is over `ParameterLimits.maximumCubeCells`, its working
    /// memory over `ParameterLimits.maximumWorkingBytes`, or its work (each cell × step sums the
    /// grid rows of its neighbourhood disk and the steps of its time window) over
    /// `ParameterLimits.maximumCubeOperations`.
    func checkCube(columns: Int, rows: Int) throws {
        let gridCells = columns * rows
        let cubeCells = Double(gridCells) * Double(steps)
        let what = "a space-time cube of \(gridCells) cells × \(steps) steps"
        let hint = "use fewer --steps or larger cells (--cell-km)"
        let cellBudget = min(ParameterLimits.maximumCubeCells, ParameterLimits.maximumWorkingBytes / Self.bytesPerCubeCell)
        guard ParameterLimits.product([gridCells, steps], atMost: cellBudget) != nil else {
            throw ParameterLimitError.overBudget(
                what: what,
                needed: String(format: "%.3g cells × steps and %.3g GB of working memory", cubeCells, cubeCells * Double(Self.bytesPerCubeCell) / 1e9),
                budget: String(format: "%d cells × steps or %.3g GB", cellBudget, Double(ParameterLimits.maximumWorkingBytes) / 1e9), hint: hint)
        }
        let diskRows = min(2 * (neighborhoodKm / cellSizeKm).rounded(.down) + 1, Double(rows))
        let operations = cubeCells * (diskRows + Double(neighborhoodTimeSteps) + 1)
        guard operations <= Double(ParameterLimits.maximumCubeOperations) else {
            throw ParameterLimitError.overBudget(
                what: what + String(format: " with a neighbourhood %.0f rows high", diskRows), needed: String(format: "%.3g operations", operations),
                budget: "\(ParameterLimits.maximumCubeOperations) operations", hint: "use a smaller --bandwidth-km, fewer --steps or larger cells (--cell-km)")
        }
    }
}
