import ArgumentParser
import Foundation
import RegionRisk

/// How density maps are classed and in which unit they are written: shared by `density` and `report`.
struct DensityMapOptions: ParsableArguments {
    @Option(help: "Density class breaks in --density-unit, comma-separated, increasing (default: 0.1,0.2,0.5,1,2,5,10 events per 1,000 km², fixed so that nightly maps compare).")
    var breaks: String?

    @Option(name: .customLong("density-unit"), help: "Unit of every density value and legend: per-1000km2 (events per 1,000 km²) or per-km2.")
    var densityUnit: DensityUnit = .per1000Km2

    func validate() throws { _ = try classBreaks() }

    /// The breaks asked for, else the fixed default.
    func classBreaks() throws -> DensityClassBreaks {
        guard let breaks else { return .default }
        let values = breaks.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0!.isFinite && $0! > 0 }) else {
            throw ValidationError("--breaks takes positive numbers separated by commas, e.g. 0.5,1,2,5 (in --density-unit)")
        }
        let numbers = values.map { $0! }
        guard zip(numbers, numbers.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ValidationError("--breaks must increase, e.g. 0.5,1,2,5")
        }
        guard numbers.count <= 9 else { throw ValidationError("--breaks takes at most 9 values (the colour ramp's classes)") }
        return DensityClassBreaks(absolute: numbers, in: densityUnit)
    }
}

extension DensityUnit: ExpressibleByArgument {}
