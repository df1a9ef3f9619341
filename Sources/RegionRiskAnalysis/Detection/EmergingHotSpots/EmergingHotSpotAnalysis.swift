import Dispatch
import Foundation
import RegionRiskGrid

/// Parameters of an emerging hot spot analysis.
public struct EmergingHotSpotParameters: Sendable, Equatable, Codable {
    /// Spatial distance band in cell widths (cell centres within this distance are neighbours,
    /// the cell itself included). E.g. 25 km with 5 km cells → 5.
    public var neighborhoodRadiusCells: Double
    /// ArcGIS's "Neighborhood Time Step": a bin's neighbourhood also holds the spatial neighbours'
    /// bins in the N *previous* time steps (not later ones). Default 1.
    public var neighborhoodTimeSteps: Int
    /// Significance level for the bins (on p, or on the BH q-value when FDR is on) and for the
    /// Mann-Kendall trend. Default 0.05.
    public var alpha: Double
    /// Apply a Benjamini–Hochberg false-discovery-rate correction across all analysed bins of the
    /// cube before calling a bin significant (ArcGIS Pro applies an FDR correction). Default true.
    public var falseDiscoveryRateCorrection: Bool

    /// ArcGIS requires at least ten time steps; fewer cannot support the trend test.
    public static let minimumTimeSteps = 10

    public init(neighborhoodRadiusCells: Double, neighborhoodTimeSteps: Int = 1, alpha: Double = 0.05,
                falseDiscoveryRateCorrection: Bool = true) {
        self.neighborhoodRadiusCells = neighborhoodRadiusCells
        self.neighborhoodTimeSteps = neighborhoodTimeSteps
        self.alpha = alpha
        self.falseDiscoveryRateCorrection = falseDiscoveryRateCorrection
    }
}

/// The result for one analysed location (a cell inside the mask).
public struct EmergingHotSpotCell: Sendable, Equatable {
    /// Index of the cell in the input grid: row * nx + column.
    public var cellIndex: Int
    public var category: EmergingHotSpotCategory
    /// Mann-Kendall trend test on this location's Gi* z-scores over time.
    package var trend: MannKendallResult
    /// Gi* z-score of the final time step.
    public var finalZ: Double
    /// Two-sided p-value of the final step's z-score (before any FDR correction).
    public var finalPValue: Double
    /// The final step's BH q-value when FDR correction is on, else equal to `finalPValue`.
    public var finalQValue: Double
    /// Steps where this location is a significant hot (cold) spot.
    public var hotSteps: Int
    public var coldSteps: Int
    /// hotSteps / steps, in [0, 1].
    public var hotStepFraction: Double
    /// Sum of the cell's own counts over all steps.
    public var totalCount: Double
}

/// The outcome of ``EmergingHotSpotAnalysis/analyze(counts:nx:ny:steps:mask:parameters:)``.
public struct EmergingHotSpotResult: Sendable {
    public var nx: Int
    public var ny: Int
    public var steps: Int
    public var parameters: EmergingHotSpotParameters
    /// One entry per analysed (masked-in) cell, in ascending `cellIndex`.
    public var cells: [EmergingHotSpotCell]
    /// Gi* z-score of every analysed bin: `binZScores[step * cells.count + i]` belongs to `cells[i]`.
    public var binZScores: [Double]
    /// Two-sided p-values of the bins, same layout.
    public var binPValues: [Double]
    /// Benjamini–Hochberg q-values of the bins (same layout) when FDR correction is on, else the p-values.
    public var binQValues: [Double]

    /// How many cells fall in each category (categories with no cell are absent).
    public var categoryCounts: [EmergingHotSpotCategory: Int] {
        cells.reduce(into: [:]) { $0[$1.category, default: 0] += 1 }
    }

    /// The Gi* z-score of `cells[cell]` at `step`.
    public func binZScore(cell: Int, step: Int) -> Double { binZScores[step * cells.count + cell] }
}

/// Emerging Hot Spot Analysis (after ArcGIS Pro) on a space-time cube of counts on a regular grid.
///
/// 1. Every bin (cell, step) gets a space-time Gi* z-score: its neighbourhood is the cells
///    within `neighborhoodRadiusCells` (a disk, self included) at the same step and at the
///    `neighborhoodTimeSteps` previous steps (fewer at the start of the series); the global mean
///    and standard deviation are those of all analysed bins of the cube (ArcGIS's default
///    "entire cube" global window). Binary weights, so this is the Gi* of ``GetisOrdGiStar`` over
///    space-time neighbours.
/// 2. Bins are significant when p ≤ α, or when their Benjamini–Hochberg q-value over all
///    analysed bins is ≤ α (`falseDiscoveryRateCorrection`, the default).
/// 3. Each location's z-score series gets a Mann-Kendall trend test (tie-corrected) at α.
/// 4. The location is classified into one of the 17 ``EmergingHotSpotCategory`` patterns.
///
/// Differences from ArcGIS: only fixed-distance (disk) neighbourhoods and the entire-cube global
/// window; the FDR correction is Benjamini–Hochberg over the whole cube; category tie-breaks as
/// documented on ``EmergingHotSpotCategory``; with `mask == nil` every cell is a location
/// (ArcGIS, without a mask, analyses only locations with at least one point).
///
/// Cost: O(steps · cells · r) for the sums (row prefix sums over disk chords) plus O(cells ·
/// steps²) for Mann-Kendall, split over the cores with `DispatchQueue.concurrentPerform`.
public enum EmergingHotSpotAnalysis {
    /// Runs the analysis.
    ///
    /// - Parameters:
    ///   - counts: `steps * nx * ny` finite values, step-major then row-major:
    ///     `counts[step * nx * ny + row * nx + column]`; step 0 is the oldest.
    ///   - nx: columns; `ny`: rows; `steps`: time steps (≥ 10).
    ///   - mask: `nx * ny` flags, true for cells inside the study area (nil: all cells).
    ///   - parameters: neighbourhood, α and FDR choice.
    /// - Throws: ``DetectionStatisticsError`` for a wrong shape, non-finite counts, invalid
    ///   parameters or fewer than 10 steps.
    public static func analyze(
        counts: [Double], nx: Int, ny: Int, steps: Int, mask: [Bool]?, parameters: EmergingHotSpotParameters
    ) throws -> EmergingHotSpotResult {
        guard steps >= EmergingHotSpotParameters.minimumTimeSteps else {
            throw DetectionStatisticsError.tooFewTimeSteps(found: steps, minimum: EmergingHotSpotParameters.minimumTimeSteps)
        }
        try GetisOrdGiStar.validateGrid(nx: nx, ny: ny, steps: steps, count: counts.count, argument: "counts", mask: mask)
        guard parameters.neighborhoodTimeSteps >= 0 else {
            throw DetectionStatisticsError.invalidParameter(
                name: "neighborhoodTimeSteps", value: "\(parameters.neighborhoodTimeSteps)", requirement: "0 or more previous time steps")
        }
        guard parameters.alpha > 0, parameters.alpha < 1 else {
            throw DetectionStatisticsError.invalidParameter(name: "alpha", value: "\(parameters.alpha)", requirement: "a level strictly between 0 and 1")
        }
        let disk = try DiskNeighborhood(radiusCells: parameters.neighborhoodRadiusCells)
        try GetisOrdGiStar.checkFinite(counts, "counts")

        let gridCells = nx * ny
        let inside = mask ?? [Bool](repeating: true, count: gridCells)
        let cellIndices = inside.indices.filter { inside[$0] }
        let m = cellIndices.count
        if m == 0 {
            return EmergingHotSpotResult(nx: nx, ny: ny, steps: steps, parameters: parameters, cells: [],
                                         binZScores: [], binPValues: [], binQValues: [])
        }
        let workers = ProcessInfo.processInfo.activeProcessorCount

        // Global moments over all analysed bins (two passes, see GlobalMoments).
        var sum = 0.0
        for t in 0..<steps { let base = t * gridCells; for c in cellIndices { sum += counts[base + c] } }
        let moments = GlobalMoments(count: m * steps, sum: sum) { mean in
            var ss = 0.0
            for t in 0..<steps { let base = t * gridCells; for c in cellIndices { let d = counts[base + c] - mean; ss += d * d } }
            return ss
        }

        // Spatial disk sums per step for the analysed cells: spatial[t * m + k].
        let indicator = inside.map { $0 ? 1.0 : 0.0 }
        let indicatorPrefix = RowPrefixSums(indicator, nx: nx, ny: ny)
        let spatialCount = cellIndices.map { c in indicatorPrefix.diskSum(x: c % nx, y: c / nx, disk: disk) }
        var spatial = [Double](repeating: 0, count: steps * m)
        spatial.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: steps) { t in
                var slice = Array(counts[(t * gridCells)..<((t + 1) * gridCells)])
                for i in 0..<gridCells where !inside[i] { slice[i] = 0 }
                let prefix = RowPrefixSums(slice, nx: nx, ny: ny)
                for k in 0..<m {
                    let c = cellIndices[k]
                    out[t * m + k] = prefix.diskSum(x: c % nx, y: c / nx, disk: disk)
                }
            }
        }

        // Space-time Gi*: add the previous `window` steps.
        let window = parameters.neighborhoodTimeSteps
        var binZ = [Double](repeating: 0, count: steps * m)
        var binP = [Double](repeating: 1, count: steps * m)
        binZ.withUnsafeMutableBufferPointer { zOut in
            binP.withUnsafeMutableBufferPointer { pOut in
                let blocks = min(m, workers * 4)
                DispatchQueue.concurrentPerform(iterations: blocks) { block in
                    for k in (block * m / blocks)..<((block + 1) * m / blocks) {
                        for t in 0..<steps {
                            let t0 = max(0, t - window)
                            var local = 0.0
                            for tau in t0...t { local += spatial[tau * m + k] }
                            let w = spatialCount[k] * Double(t - t0 + 1)
                            let z = moments.zScore(neighborhoodSum: local, neighborCount: w)
                            zOut[t * m + k] = z
                            pOut[t * m + k] = StandardNormal.twoSidedPValue(z)
                        }
                    }
                }
            }
        }
        let binQ = parameters.falseDiscoveryRateCorrection ? MultipleTesting.benjaminiHochbergQValues(binP) : binP

        // Per-location trend and classification.
        let alpha = parameters.alpha
        let placeholder = EmergingHotSpotCell(
            cellIndex: 0, category: .noPattern, trend: MannKendallResult(series: []), finalZ: 0, finalPValue: 1,
            finalQValue: 1, hotSteps: 0, coldSteps: 0, hotStepFraction: 0, totalCount: 0)
        var cells = [EmergingHotSpotCell](repeating: placeholder, count: m)
        cells.withUnsafeMutableBufferPointer { out in
            let blocks = min(m, workers * 4)
            DispatchQueue.concurrentPerform(iterations: blocks) { block in
                var series = [Double](repeating: 0, count: steps)
                var significant = [Bool](repeating: false, count: steps)
                for k in (block * m / blocks)..<((block + 1) * m / blocks) {
                    var hot = 0, cold = 0
                    var total = 0.0
                    for t in 0..<steps {
                        let z = binZ[t * m + k]
                        series[t] = z
                        significant[t] = binQ[t * m + k] <= alpha
                        if significant[t] { if z > 0 { hot += 1 } else if z < 0 { cold += 1 } }
                        total += counts[t * gridCells + cellIndices[k]]
                    }
                    let trend = MannKendallResult(series: series, alpha: alpha)
                    let last = (steps - 1) * m + k
                    out[k] = EmergingHotSpotCell(
                        cellIndex: cellIndices[k],
                        category: EmergingHotSpotCategory.classify(zScores: series, significant: significant, trend: trend.trend),
                        trend: trend, finalZ: binZ[last], finalPValue: binP[last], finalQValue: binQ[last],
                        hotSteps: hot, coldSteps: cold, hotStepFraction: Double(hot) / Double(steps), totalCount: total)
                }
            }
        }
        return EmergingHotSpotResult(nx: nx, ny: ny, steps: steps, parameters: parameters, cells: cells,
                                     binZScores: binZ, binPValues: binP, binQValues: binQ)
    }
}
