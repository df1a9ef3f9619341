import Foundation
import RegionRiskAnalysis
import RegionRiskBase
import RegionRiskGeoJSON

/// Flagged regions as an RFC 7946 FeatureCollection, with every parameter, the as-of date and
/// the input's fingerprint recorded at the top level so a result can be reproduced.
public enum FlaggedRegionExport {
    public static func featureCollection(_ result: ChangeDetectionResult, inputs: [JSONValue],
                                         extraMetadata: [(String, JSONValue)] = []) -> GeoJSONFeatureCollection {
        let features = result.regions.map { r -> GeoJSONFeature in
            GeoJSONFeature(id: .number(Double(r.id)), geometry: r.geometry, properties: .object([
                ("category", .string(r.category.rawValue)),
                ("significant", .bool(r.significant)),
                ("score", .number(finite(r.score))),
                ("p_value", .number(finite(r.pValue))),
                ("q_value", .number(finite(r.qValue))),
                ("recent_events", .number(Double(r.recentEvents))),
                ("baseline_events", .number(Double(r.baselineEvents))),
                ("recent_fatalities", .number(finite(r.recentFatalities))),
                ("first_recent_event", r.firstRecentEvent.map { .string($0.description) } ?? .null),
                ("last_event", r.lastEvent.map { .string($0.description) } ?? .null),
                ("area_km2", .number((r.areaKm2 * 10).rounded() / 10)),
                ("cells", .number(Double(r.cells))),
                ("peak_density", .number(finite(r.peakDensity))),
                ("admin1", .array(r.admin1.map { .string($0) })),
                ("places", .string(r.places.joined(separator: ", "))),
                ("summary", .string(r.summary)),
            ]))
        }
        var meta: [(String, JSONValue)] = [
            ("regionrisk", .object([("version", .string(RegionRiskVersion.string)), ("output", "flagged regions")])),
            ("as_of", .string(result.asOf.description)),
            ("parameters", result.parameters.json),
            ("crs", result.crs),
            ("inputs", .array(inputs)),
            ("counts", .object([
                ("regions", .number(Double(result.regions.count))),
                ("cells_tested", .number(Double(result.cellsTested))),
                ("events_recent_window", .number(Double(result.eventsInRecentWindow))),
                ("events_baseline_window", .number(Double(result.eventsInBaselineWindow))),
                ("excluded_region_only_locations", .number(Double(result.excludedRegionOnly))),
                ("undated_events", .number(Double(result.undated))),
            ])),
            ("notes", .array(result.notes.map { .string($0) })),
        ]
        meta.append(contentsOf: extraMetadata)
        return GeoJSONFeatureCollection(features: features, foreignMembers: meta)
    }

    /// GeoJSON has no NaN or infinity: clamp what a test could produce at its extremes.
    static func finite(_ v: Double) -> Double {
        if v.isNaN { return 0 }
        if v == .infinity { return Double.greatestFiniteMagnitude }
        if v == -.infinity { return -Double.greatestFiniteMagnitude }
        return v
    }
}
