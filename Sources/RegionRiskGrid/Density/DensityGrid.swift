import Foundation

/// Density values on a grid, events (or weight units) per km², sampled at cell centres.
///
/// `values` is row-major with row 0 north (see `GridSpec`). `mask` marks the cells whose centre
/// lies inside the area of interest; cells outside it hold their computed value but are not
/// part of the area (exports skip them).
public struct DensityGrid: Sendable {
    public var spec: GridSpec
    /// Per cell, events/km² (or weight/km²).
    public var values: [Double]
    /// Per cell, 1 when inside the area of interest.
    public var mask: [UInt8]
    public var kernel: KernelShape
    /// km; the support radius, or σ for the Gaussian.
    public var bandwidthKm: Double
    /// Sum of the event weights that went in.
    public var totalWeight: Double
    /// An upper bound on |computed − exact| at any cell, events/km²: rounding only for the
    /// polynomial kernels, the stated truncation bound for the Gaussian.
    public var errorBound: Double

    public init(spec: GridSpec, values: [Double], mask: [UInt8], kernel: KernelShape, bandwidthKm: Double,
                totalWeight: Double, errorBound: Double) {
        self.spec = spec
        self.values = values
        self.mask = mask
        self.kernel = kernel
        self.bandwidthKm = bandwidthKm
        self.totalWeight = totalWeight
        self.errorBound = errorBound
    }

    /// Highest value among cells inside the area, events/km².
    public var peak: Double {
        var m = 0.0
        for i in values.indices where mask[i] != 0 { m = max(m, values[i]) }
        return m
    }

    /// Σ density × cell area over cells inside the area: the weight the grid accounts for.
    public var massInArea: Double {
        var s = 0.0
        for i in values.indices where mask[i] != 0 { s += values[i] }
        return s * spec.cellAreaKm2
    }

    public var cellsInArea: Int { mask.reduce(0) { $0 + Int($1) } }
}
