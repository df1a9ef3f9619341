import Foundation
import RegionRiskAnalysis
import RegionRiskBase
import RegionRiskData
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
                ("start", .string((r.firstRecentEvent ?? result.asOf.adding(days: 1 - result.parameters.recentDays)).startOfDayUTC)),
                ("end", .string((r.lastEvent ?? result.asOf).endOfDayUTC)),
                ("area_km2", .number((r.areaKm2 * 10).rounded() / 10)),
                ("cells", .number(Double(r.cells))),
                ("peak_density", .number(finite(r.peakDensity * DensityUnit.per1000Km2.factorFromPerKm2))),
            ] + admin1Members(r.admin1) + [
                ("places", .string(r.places.joined(separator: ", "))),
                ("summary", .string(r.summary)),
            ] + incidentMembers(r)))
        }
        var meta: [(String, JSONValue)] = [
            ("regionrisk", .object([("version", .string(RegionRiskVersion.string)), ("output", "flagged regions")])),
            ("as_of", .string(result.asOf.description)),
            ("units", .object([("peak_density", .string("\(DensityUnit.per1000Km2.label), recent window")), ("start_end", "ISO 8601 UTC, end exclusive")])),
            ("parameters", result.parameters.json),
            ("crs", result.crs),
            ("inputs", .array(inputs)),
            ("counts", .object([
                ("regions", .number(Double(result.regions.count))),
                ("episodes_tested", .number(Double(result.episodesTested))),
                ("cells_tested", .number(Double(result.cellsTested))),
                ("events_recent_window", .number(Double(result.eventsInRecentWindow))),
                ("events_baseline_window", .number(Double(result.eventsInBaselineWindow))),
                ("excluded_region_only_locations", .number(Double(result.excludedRegionOnly))),
                ("undated_events", .number(Double(result.undated))),
            ])),
            ("notes", .array(result.notes.map { .string($0) })),
            ("null_model", result.null?.json ?? .null),
        ]
        meta.append(contentsOf: extraMetadata)
        return GeoJSONFeatureCollection(features: features, foreignMembers: meta)
    }

    /// `admin1` as one string ("Mopti, Ségou"), which every map tool shows as it is, and
    /// `admin1_list` with the names one by one where several apply.
    static func admin1Members(_ names: [String]) -> [(String, JSONValue)] {
        let joined: [(String, JSONValue)] = [("admin1", names.isEmpty ? .null : .string(names.joined(separator: ", ")))]
        return names.count > 1 ? joined + [("admin1_list", .array(names.map { .string($0) }))] : joined
    }

    /// The region's expectation under the null and its own incidents.
    static func incidentMembers(_ r: FlaggedRegion) -> [(String, JSONValue)] {
        let ids: [JSONValue] = r.incidents.map { .string($0.sourceEventID) }
        let incidents: [JSONValue] = r.incidents.map(incidentJSON)
        return [("expected_events", .number(finite(r.expectedEvents))), ("event_ids", .array(ids)), ("incidents", .array(incidents))]
    }

    /// One incident of a region: what the input has of it (absent fields are null).
    static func incidentJSON(_ e: Incident) -> JSONValue {
        func text(_ v: String?) -> JSONValue { v.map { .string($0) } ?? .null }
        let date: JSONValue = e.date.map { .string($0.description) } ?? .null
        let fatalities: JSONValue = e.fatalities.map { .number(finite($0)) } ?? .null
        let lon = (e.location.lon * 1e6).rounded() / 1e6, lat = (e.location.lat * 1e6).rounded() / 1e6
        return .object([
            ("event_id", .string(e.sourceEventID)), ("date", date), ("place", text(e.place)), ("admin1", text(e.admin1)),
            ("event_type", text(e.eventType)), ("fatalities", fatalities), ("source_url", text(e.sourceURL)),
            ("source_title", text(e.sourceTitle)), ("lon", .number(lon)), ("lat", .number(lat)),
        ])
    }

    /// GeoJSON has no NaN or infinity: clamp what a test could produce at its extremes.
    static func finite(_ v: Double) -> Double {
        if v.isNaN { return 0 }
        if v == .infinity { return Double.greatestFiniteMagnitude }
        if v == -.infinity { return -Double.greatestFiniteMagnitude }
        return v
    }
}
