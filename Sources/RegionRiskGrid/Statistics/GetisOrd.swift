import Dispatch
import Foundation

/// Getis-Ord Gi* local hot-spot statistic with binary distance-band weights that include the
/// location itself (the "star"), reported as the analytical z-score.
///
/// For n locations with values x, global mean x̄ and population standard deviation
/// S = √(Σx²/n − x̄²), and Wᵢ = the number of locations within the band of i (i included):
///
///     zᵢ = (Σ_{j in band(i)} xⱼ − x̄ Wᵢ) / (S √((n Wᵢ − Wᵢ²) / (n − 1)))
///
/// This is ArcGIS's Gi* z-score and is algebraically identical to PySAL esda
/// `G_Local(y, w, star=True, transform="B").Zs` (esda: self weight 1, E[G] = Wᵢ/n,
/// Var[G] = Wᵢ(n−Wᵢ)/(n−1) · S²/(n² x̄²)). Degenerate cases give z = 0 instead of NaN: all
/// values equal (S = 0), or a band that covers every location (Wᵢ = n).
package enum GetisOrdGiStar {
    /// Gi* z-scores for arbitrary planar points: `x[i], y[i]` in any planar unit (e.g. km in an
    /// equal-area projection), neighbours j with Euclidean distance ≤ `distanceBand` (same unit).
    /// O(n²): meant for references and small sets; use the grid form for rasters.
    package static func zScores(values: [Double], x: [Double], y: [Double], distanceBand: Double) throws -> [Double] {
        let n = values.count
        guard x.count == n else { throw DetectionStatisticsError.dimensionMismatch(argument: "x", expected: n, found: x.count) }
        guard y.count == n else { throw DetectionStatisticsError.dimensionMismatch(argument: "y", expected: n, found: y.count) }
        guard distanceBand >= 0, distanceBand.isFinite else {
            throw DetectionStatisticsError.invalidParameter(name: "distanceBand", value: "\(distanceBand)", requirement: "a finite distance ≥ 0")
        }
        try checkFinite(values, "values")
        let stats = GlobalMoments(values)
        let band2 = distanceBand * distanceBand
        var z = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = 0.0
            var w = 0.0
            for j in 0..<n {
                let dx = x[j] - x[i], dy = y[j] - y[i]
                if dx * dx + dy * dy <= band2 {
                    sum += values[j]
                    w += 1
                }
            }
            z[i] = stats.zScore(neighborhoodSum: sum, neighborCount: w)
        }
        return z
    }

    /// Gi* z-scores on a regular grid.
    ///
    /// - Parameters:
    ///   - values: `nx * ny` values, row-major: index = row * nx + column.
    ///   - nx: columns; `ny`: rows.
    ///   - mask: `nx * ny` flags, true for cells inside the study area; nil means every cell.
    ///     Cells outside the mask are not locations: they neither count in n nor as neighbours,
    ///     and their z-score is 0.
    ///   - neighborhoodRadiusCells: the distance band in cell widths; cell j is a neighbour of i
    ///     when the distance between their centres is ≤ this radius (a disk, not a square).
    ///     E.g. 25 km with 5 km cells → 5.
    /// - Returns: `nx * ny` z-scores (0 outside the mask), every one finite.
    package static func zScores(
        grid values: [Double], nx: Int, ny: Int, mask: [Bool]?, neighborhoodRadiusCells: Double
    ) throws -> [Double] {
        try validateGrid(nx: nx, ny: ny, steps: 1, count: values.count, argument: "values", mask: mask)
        let disk = try DiskNeighborhood(radiusCells: neighborhoodRadiusCells)
        try checkFinite(values, "values")
        let cells = nx * ny
        let inside = mask ?? [Bool](repeating: true, count: cells)
        var masked = values
        var indicator = [Double](repeating: 0, count: cells)
        var inValues: [Double] = []
        inValues.reserveCapacity(cells)
        for i in 0..<cells {
            if inside[i] { indicator[i] = 1; inValues.append(values[i]) } else { masked[i] = 0 }
        }
        let stats = GlobalMoments(inValues)
        let sums = disk.sums(masked, nx: nx, ny: ny)
        let counts = disk.sums(indicator, nx: nx, ny: ny)
        var z = [Double](repeating: 0, count: cells)
        for i in 0..<cells where inside[i] {
            z[i] = stats.zScore(neighborhoodSum: sums[i], neighborCount: counts[i])
        }
        return z
    }

    /// Checks a grid (steps = 1) or cube shape against the flat array and mask lengths.
    package static func validateGrid(nx: Int, ny: Int, steps: Int, count: Int, argument: String, mask: [Bool]?) throws {
        guard nx > 0 else { throw DetectionStatisticsError.invalidParameter(name: "nx", value: "\(nx)", requirement: "at least 1 column") }
        guard ny > 0 else { throw DetectionStatisticsError.invalidParameter(name: "ny", value: "\(ny)", requirement: "at least 1 row") }
        let (cells, o1) = nx.multipliedReportingOverflow(by: ny)
        let (total, o2) = cells.multipliedReportingOverflow(by: max(steps, 1))
        guard !o1, !o2 else {
            throw DetectionStatisticsError.invalidParameter(name: "nx * ny * steps", value: "\(nx) * \(ny) * \(steps)", requirement: "a cube that fits in memory")
        }
        guard count == total else {
            throw DetectionStatisticsError.dimensionMismatch(argument: argument, expected: total, found: count)
        }
        if let mask, mask.count != cells {
            throw DetectionStatisticsError.dimensionMismatch(argument: "mask", expected: cells, found: mask.count)
        }
    }

    package static func checkFinite(_ values: [Double], _ argument: String) throws {
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw DetectionStatisticsError.nonFiniteValue(argument: argument, index: bad)
        }
    }
}

/// Global mean and population standard deviation of the analysed values, and the Gi* z-score
/// formula on top of them.
package struct GlobalMoments: Sendable {
    let n: Double
    let mean: Double
    let sd: Double

    init(_ values: [Double]) {
        self.init(count: values.count, sum: values.reduce(0, +), sumOfSquaredDeviations: { mean in
            values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        })
    }

    /// Two-pass moments (mean first, then squared deviations) to avoid the cancellation of
    /// Σx²/n − x̄² when values are large and nearly equal.
    package init(count: Int, sum: Double, sumOfSquaredDeviations: (Double) -> Double) {
        n = Double(count)
        mean = count > 0 ? sum / n : 0
        sd = count > 0 ? (max(0, sumOfSquaredDeviations(mean)) / n).squareRoot() : 0
    }

    package func zScore(neighborhoodSum: Double, neighborCount w: Double) -> Double {
        // w(n − w)/(n − 1) is 0 when the band covers every location and ≥ 1 otherwise (integer
        // counts); S at rounding level relative to the mean means all values are equal. Either
        // way the statistic carries no information and 0/0 must not leak out as NaN.
        let spread = (n * w - w * w) / (n - 1)
        guard n > 1, spread >= 0.5, sd > 0, sd > 1e-12 * abs(mean) else { return 0 }
        let z = (neighborhoodSum - mean * w) / (sd * spread.squareRoot())
        return z.isFinite ? z : 0
    }
}

/// The cells within a distance band on a regular grid: for each row offset dy, the half-width
/// of the disk's chord, so a disk sum is 2r+1 differences of row prefix sums (O(r) per cell
/// rather than O(r²)).
package struct DiskNeighborhood: Sendable {
    let radiusRows: Int
    /// halfWidths[|dy|] = max |dx| with dx² + dy² ≤ r².
    let halfWidths: [Int]

    package init(radiusCells r: Double) throws {
        guard r >= 0, r.isFinite, r < 10_000 else {
            throw DetectionStatisticsError.invalidParameter(
                name: "neighborhoodRadiusCells", value: "\(r)", requirement: "a finite radius ≥ 0 (in cell widths) below 10,000")
        }
        // The small tolerance keeps exact integer distances (e.g. dx = 3, r = 3) inside the band
        // despite floating-point rounding of r².
        let r2 = r * r * (1 + 1e-12) + 1e-12
        let rows = Int((r2).squareRoot())
        radiusRows = rows
        halfWidths = (0...rows).map { dy in
            var w = Int((max(0, r2 - Double(dy * dy))).squareRoot())
            while Double((w + 1) * (w + 1) + dy * dy) <= r2 { w += 1 }
            while w > 0 && Double(w * w + dy * dy) > r2 { w -= 1 }
            return w
        }
    }

    /// Number of grid offsets (dx, dy) in the disk (the neighbour count of an interior cell).
    var cellCount: Int { halfWidths.enumerated().reduce(0) { $0 + ($1.offset == 0 ? 1 : 2) * (2 * $1.element + 1) } }

    /// Disk sums of `values` (row-major nx × ny), parallel over row blocks.
    func sums(_ values: [Double], nx: Int, ny: Int) -> [Double] {
        var out = [Double](repeating: 0, count: nx * ny)
        let prefix = RowPrefixSums(values, nx: nx, ny: ny)
        out.withUnsafeMutableBufferPointer { out in
            // Row blocks write disjoint slices of `out`.
            let blocks = min(ny, ProcessInfo.processInfo.activeProcessorCount * 4)
            DispatchQueue.concurrentPerform(iterations: blocks) { block in
                let y0 = block * ny / blocks, y1 = (block + 1) * ny / blocks
                for y in y0..<y1 {
                    for x in 0..<nx {
                        out[y * nx + x] = prefix.diskSum(x: x, y: y, disk: self)
                    }
                }
            }
        }
        return out
    }
}

/// Row-wise prefix sums: p[y * (nx + 1) + x] = Σ_{x' < x} v[y * nx + x'].
package struct RowPrefixSums {
    let nx: Int
    let ny: Int
    let p: [Double]

    package init(_ v: [Double], nx: Int, ny: Int, offset: Int = 0) {
        self.nx = nx
        self.ny = ny
        var p = [Double](repeating: 0, count: (nx + 1) * ny)
        for y in 0..<ny {
            var acc = 0.0
            let src = offset + y * nx, dst = y * (nx + 1)
            for x in 0..<nx {
                acc += v[src + x]
                p[dst + x + 1] = acc
            }
        }
        self.p = p
    }

    @inline(__always)
    package func diskSum(x: Int, y: Int, disk: DiskNeighborhood) -> Double {
        var s = 0.0
        let yLo = max(0, y - disk.radiusRows), yHi = min(ny - 1, y + disk.radiusRows)
        for yy in yLo...yHi {
            let w = disk.halfWidths[abs(yy - y)]
            let lo = max(0, x - w), hi = min(nx, x + w + 1)
            let row = yy * (nx + 1)
            s += p[row + hi] - p[row + lo]
        }
        return s
    }
}
