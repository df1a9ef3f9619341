import Foundation
import RegionRiskBase
import RegionRiskData

/// How a numeric value (fatalities, or a user column) becomes an event weight.
public enum WeightTransform: String, Sendable, CaseIterable {
    /// The value itself (an event with 0 fatalities then weighs nothing).
    case identity
    /// 1 + value: every event counts, deadlier ones more (the default for fatalities).
    case onePlus = "one-plus"
    /// ln(1 + value): damps the influence of disputed large tolls.
    case log1p

    public func apply(_ v: Double) -> Double {
        switch self {
        case .identity: v
        case .onePlus: 1 + v
        case .log1p: Foundation.log1p(v)
        }
    }
}

/// What an event weighs in the density.
public enum WeightSource: Sendable, Equatable {
    /// Every event weighs 1: density is events/km².
    case unweighted
    /// The event's fatalities through a transform; events with unknown fatalities weigh as 0 fatalities.
    case fatalities(WeightTransform)
    /// The user's weight column through a transform; events without it are excluded and reported.
    case column(WeightTransform)
}

/// Per-event weights: a source, an optional exponential time decay, and what to do with events
/// placed only at a region's centroid.
public struct EventWeighting: Sendable, Equatable {
    public var source: WeightSource
    /// Half-life of the exponential decay, days: an event this many days before `asOf` weighs half.
    /// Nil for no decay.
    public var halfLifeDays: Double?
    /// The date the decay is relative to; events after it are excluded. Required with a half-life.
    public var asOf: CivilDate?
    /// Leave out events whose location is known only to a region (ACLED geo_precision 3,
    /// UCDP where_prec ≥ 4): placed at a region's seat, they make false hot spots there.
    public var excludeRegionOnlyLocations: Bool

    public init(source: WeightSource = .unweighted, halfLifeDays: Double? = nil, asOf: CivilDate? = nil,
                excludeRegionOnlyLocations: Bool = false) {
        self.source = source
        self.halfLifeDays = halfLifeDays
        self.asOf = asOf
        self.excludeRegionOnlyLocations = excludeRegionOnlyLocations
    }

    /// The event's weight, or why it is left out.
    public func weight(of incident: Incident) -> Result<Double, WeightingExclusion> {
        if excludeRegionOnlyLocations, incident.locationPrecision == .regionOnly { return .failure(.regionOnlyLocation) }
        var w: Double
        switch source {
        case .unweighted: w = 1
        case let .fatalities(t): w = t.apply(incident.fatalities ?? 0)
        case let .column(t):
            guard let v = incident.weight else { return .failure(.missingWeight) }
            w = t.apply(v)
        }
        guard w.isFinite, w >= 0 else { return .failure(.invalidWeight(w)) }
        if let halfLifeDays {
            guard let asOf else { return .failure(.noAsOfDate) }
            guard let date = incident.date else { return .failure(.missingDate) }
            let age = Double(asOf.dayNumber - date.dayNumber)
            guard age >= 0 else { return .failure(.afterAsOf(date)) }
            w *= exp2(-age / halfLifeDays)
        } else if let asOf, let date = incident.date, date > asOf {
            return .failure(.afterAsOf(date))
        }
        return .success(w)
    }
}

/// Why an event was left out of a density.
public enum WeightingExclusion: Error, Sendable, Equatable, CustomStringConvertible {
    case regionOnlyLocation, missingWeight, invalidWeight(Double), noAsOfDate, missingDate, afterAsOf(CivilDate)

    public var description: String {
        switch self {
        case .regionOnlyLocation: "location known only to a region (geo precision 3); excluded"
        case .missingWeight: "no value in the weight column"
        case let .invalidWeight(w): "weight \(w) is not a finite number ≥ 0"
        case .noAsOfDate: "a half-life needs an as-of date"
        case .missingDate: "no date, and the time decay needs one"
        case let .afterAsOf(d): "dated \(d), after the as-of date"
        }
    }
}
