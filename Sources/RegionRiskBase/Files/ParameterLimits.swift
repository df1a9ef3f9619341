import Foundation

/// The documented valid range of every numeric input, and the work a single request may ask for.
///
/// Each public entry point that takes one of these checks it before converting or allocating, so
/// an unlucky value (a typo, `1e300`, `9223372036854775807`) ends in a `ParameterLimitError`
/// naming the parameter, its range and a hint, never in a trap or an exhausted machine.
/// The README's "Valid ranges" table lists the same numbers.
package enum ParameterLimits {
    /// Fatalities of one event (a row outside this range is rejected, with the reason).
    package static let fatalities: ClosedRange<Double> = 0...1_000_000
    /// A user weight column's value, per event.
    package static let weight: ClosedRange<Double> = 0...1e9
    /// Grid cell side, km (10 m to 1,000 km).
    package static let cellSizeKm: ClosedRange<Double> = 0.01...1_000
    /// Kernel bandwidth (support radius, or σ for the Gaussian), km; 10,000 km is a quarter of
    /// the Earth's circumference, beyond which every kernel is flat over any area.
    package static let bandwidthKm: ClosedRange<Double> = 0.01...10_000
    /// Recent and baseline windows, days (up to 100 years).
    package static let windowDays: ClosedRange<Int> = 1...36_525
    /// Exponential-decay half-life, days.
    package static let halfLifeDays: ClosedRange<Double> = 0.01...36_525
    /// Emerging-hot-spot time steps (ArcGIS needs at least 10).
    package static let timeSteps: ClosedRange<Int> = 10...1_000
    /// Length of one emerging-hot-spot time step, days.
    package static let stepDays: ClosedRange<Int> = 1...3_653
    /// Event counts a cell may be compared with (`--quiet-max`, `--min-recent`).
    package static let eventThreshold: ClosedRange<Int> = 0...1_000_000_000
    /// Seconds a report waits for another run's lock.
    package static let lockTimeoutSeconds: ClosedRange<Double> = 0...86_400
    /// Cells in one grid (the bounding box of the area, in cells).
    package static let maximumGridCells = 200_000_000
    /// Cells × time steps in one space-time cube.
    package static let maximumCubeCells = 100_000_000
    /// Operations (additions of neighbourhood sums) in one space-time cube analysis: about ten
    /// seconds of one core.
    package static let maximumCubeOperations = 10_000_000_000
    /// Bytes of working arrays one computation may allocate (4 GiB).
    package static let maximumWorkingBytes = 4 << 30

    /// Throws unless `value` is finite and inside `range`.
    package static func check(_ name: String, _ value: Double, in range: ClosedRange<Double>, unit: String = "") throws {
        guard value.isFinite, range.contains(value) else {
            throw ParameterLimitError.outOfRange(name: name, value: text(value), range: "\(text(range.lowerBound)) to \(text(range.upperBound))", unit: unit)
        }
    }

    /// Throws unless `value` is inside `range`.
    package static func check(_ name: String, _ value: Int, in range: ClosedRange<Int>, unit: String = "") throws {
        guard range.contains(value) else {
            throw ParameterLimitError.outOfRange(name: name, value: "\(value)", range: "\(range.lowerBound) to \(range.upperBound)", unit: unit)
        }
    }

    /// A warning when a bandwidth (`what`, e.g. "--bandwidth-km") is under half the cell size:
    /// most events then reach no cell centre and the result is mostly zero or empty; else nil.
    package static func narrowBandwidthWarning(_ what: String, bandwidthKm: Double, cellSizeKm: Double) -> String? {
        guard bandwidthKm < cellSizeKm / 2 else { return nil }
        return "\(what) (\(text(bandwidthKm)) km) is under half the cell size (\(text(cellSizeKm)) km): most events reach no cell centre and the result is mostly zero or empty; use a bandwidth of at least a few cells"
    }

    /// The product of `factors` if it is at most `budget`, else `nil` (also on overflow).
    package static func product(_ factors: [Int], atMost budget: Int) -> Int? {
        var p = 1
        for f in factors {
            guard f >= 0 else { return nil }
            let (r, overflow) = p.multipliedReportingOverflow(by: f)
            guard !overflow, r <= budget else { return nil }
            p = r
        }
        return p
    }

    /// A count from a computed Double (cells along an axis, nodes): nil when it is not finite
    /// or above `limit`, so the conversion to Int cannot trap.
    package static func count(_ x: Double, atMost limit: Int) -> Int? {
        guard x.isFinite, x >= 0, x <= Double(limit) else { return nil }
        return Int(x)
    }

    /// `x` rounded to an Int, saturating at Int's bounds (0 for NaN): for totals shown to people.
    package static func roundedSaturating(_ x: Double) -> Int {
        guard !x.isNaN else { return 0 }
        if x >= 9.2e18 { return Int.max }
        if x <= -9.2e18 { return Int.min }
        return Int(x.rounded())
    }

    static func text(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }
}

/// A parameter outside its documented range, or a request bigger than the work budget.
package enum ParameterLimitError: LocalizedError, Sendable, Equatable {
    case outOfRange(name: String, value: String, range: String, unit: String)
    /// `what` would need `needed` units of `unit` against a budget of `budget`.
    case overBudget(what: String, needed: String, budget: String, hint: String)

    package var errorDescription: String? {
        switch self {
        case let .outOfRange(name, value, range, unit):
            return "\(name) \(value) is outside its valid range, \(range)\(unit.isEmpty ? "" : " \(unit)")"
        case let .overBudget(what, needed, budget, hint):
            return "\(what) would need \(needed), more than the limit of \(budget); \(hint)"
        }
    }
}
