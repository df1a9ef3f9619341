import ArgumentParser
import Foundation
import RegionRisk

enum WeightChoice: String, ExpressibleByArgument, CaseIterable { case none, fatalities, column }
extension WeightTransform: ExpressibleByArgument {}

/// How events are weighted in a density.
struct WeightingOptions: ParsableArguments {
    @Option(help: "Event weight: none (count events), fatalities, or column (the --weight-col column).")
    var weight: WeightChoice = .none

    @Option(name: .customLong("weight-transform"), help: "Transform of the weight value: one-plus (1 + v, default), log1p, identity.")
    var weightTransform: WeightTransform = .onePlus

    @Option(name: .customLong("half-life-days"), help: "Exponential time decay: an event this many days before --as-of weighs half.")
    var halfLifeDays: Double?

    @Option(name: .customLong("as-of"), help: "Reference date (YYYY-MM-DD, today or yesterday, UTC): later events are left out; the decay counts from it.")
    var asOf: String?

    @Flag(name: .customLong("exclude-region-only"), help: "Leave out events located only to a region (ACLED geo_precision 3, UCDP where_prec ≥ 4).")
    var excludeRegionOnly = false

    func validate() throws {
        if let halfLifeDays {
            try OptionLimits.check("--half-life-days", halfLifeDays, in: ParameterLimits.halfLifeDays, unit: "days")
            if asOf == nil { throw ValidationError("--half-life-days needs --as-of DATE (the day the decay counts from)") }
        }
        try DateOption.validate(asOf, option: "--as-of")
    }

    func eventWeighting(defaultAsOf: CivilDate? = nil) throws -> EventWeighting {
        let source: WeightSource
        switch weight {
        case .none: source = .unweighted
        case .fatalities: source = .fatalities(weightTransform)
        case .column: source = .column(weightTransform)
        }
        let date = asOf.flatMap(DateOption.parse) ?? defaultAsOf
        if halfLifeDays != nil, date == nil { throw ValidationError("--half-life-days needs --as-of") }
        return EventWeighting(source: source, halfLifeDays: halfLifeDays, asOf: date, excludeRegionOnlyLocations: excludeRegionOnly)
    }
}
