import Foundation
import RegionRiskBase
import RegionRiskGeoJSON

/// A feature of a flagged-regions FeatureCollection lacks what the report needs.
package struct ReportModelError: LocalizedError, Sendable {
    package let message: String
    package init(_ message: String) { self.message = message }
    package var errorDescription: String? { message }
}

extension FlaggedRegionSummary {
    /// Reads a feature of `regionrisk flag`'s output (`regions.geojson`), whose properties are
    /// `category`, `significant`, `p_value`, `q_value`, `recent_events`, `baseline_events`,
    /// `recent_fatalities`, `places` and `admin1` (arrays of names, or one comma-separated
    /// string) and `summary`. `category` and a Polygon/MultiPolygon geometry are required; a
    /// missing count reads as 0, a missing p/q as untested. The id is the feature's `id`, else
    /// `fallbackID`. `source` names the file in error messages.
    package init(feature: GeoJSONFeature, fallbackID: String, source: String = "regions.geojson") throws {
        let p = feature.properties
        let where_ = "\(source), feature \(fallbackID)"
        guard let category = p["category"]?.stringValue, !category.isEmpty else {
            throw ReportModelError("\(where_): no \"category\" property (expected e.g. \"new\" or \"persistent\")")
        }
        guard let geometry = feature.geometry, !geometry.polygons.isEmpty else {
            throw ReportModelError("\(where_): geometry must be a Polygon or MultiPolygon")
        }
        func count(_ key: String) throws -> Int {
            guard let v = p[key], v != .null else { return 0 }
            guard let d = v.doubleValue, d.isFinite, d >= 0 else {
                throw ReportModelError("\(where_): \"\(key)\" must be a non-negative number, found \(v.serialized())")
            }
            return ParameterLimits.roundedSaturating(d)  // a count from a file: never a trap
        }
        func probability(_ key: String) throws -> Double? {
            guard let v = p[key], v != .null else { return nil }
            guard let d = v.doubleValue, (0...1).contains(d) else {
                throw ReportModelError("\(where_): \"\(key)\" must be a probability in 0…1, found \(v.serialized())")
            }
            return d
        }
        func names(_ key: String) -> [String] {
            switch p[key] {
            case let .array(a)?: return a.compactMap(\.stringValue).filter { !$0.isEmpty }
            case let .string(s)?:
                return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            default: return []
            }
        }
        let id: String
        switch feature.id {
        case let .string(s)?: id = s
        case let .number(n)? where n.isFinite: id = n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : "\(n)"
        default: id = fallbackID
        }
        self.init(
            id: id, category: FlagCategory(category), significant: p["significant"]?.boolValue ?? false,
            pValue: try probability("p_value"), qValue: try probability("q_value"),
            recentEvents: try count("recent_events"), baselineEvents: try count("baseline_events"),
            recentFatalities: try count("recent_fatalities"), places: names("places"), admin1: names("admin1"),
            summary: p["summary"]?.stringValue ?? "", geometry: geometry,
            incidents: (p["incidents"]?.arrayValue ?? []).compactMap(RegionIncidentRow.init(json:)))
    }
}

extension RegionIncidentRow {
    /// One entry of a feature's `incidents` array (`event_id`, `date`, `place`, `fatalities`,
    /// `source_url`, `source_title`); nil for an entry that is not an object with an event id.
    init?(json: JSONValue) {
        guard let id = json["event_id"]?.stringValue else { return nil }
        let fatalities = json["fatalities"]?.doubleValue.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        self.init(eventID: id, date: json["date"]?.stringValue.flatMap { CivilDate(parsing: $0) },
                  place: json["place"]?.stringValue, fatalities: fatalities,
                  sourceURL: json["source_url"]?.stringValue, sourceTitle: json["source_title"]?.stringValue)
    }
}
