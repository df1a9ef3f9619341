import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON

/// JSON and GeoJSON forms of geocoding results, with stable member order and rounding
/// (degrees to 6 decimals, about 10 cm; scores to 3) so that outputs diff cleanly.
extension GeocodeResult {
    /// "resolved", "unresolved" (looked up, nothing matched) or "invalid" (could not be looked up).
    public var status: String { error != nil ? "invalid" : best != nil ? "resolved" : "unresolved" }

    public func json() -> JSONValue {
        var m: [(String, JSONValue)] = [
            ("query", .string(query)), ("name", .string(name)), ("status", .string(status)),
            ("error", error.map { .string($0.localizedDescription) } ?? .null),
            ("hint", hintApplied.map { .string($0) } ?? .null),
            ("notes", .array(notes.map { .string($0) })),
            ("match", best.map { $0.json() } ?? .null),
            ("confidence", .number(Self.round(confidence, 3))),
            ("ambiguous", .bool(isAmbiguous)),
            ("alternatives", .array(alternatives.map { $0.json() })),
        ]
        if best == nil { m.append(("suggestions", .array(suggestions.map { $0.json() }))) }
        return .object(m)
    }

    /// A GeoJSON feature: a Point at the match, or a null geometry for a name that did not
    /// resolve (RFC 7946 §3.2 allows it), so that every query appears in the output.
    public func geoJSONFeature() -> GeoJSONFeature {
        var props: [(String, JSONValue)] = [
            ("query", .string(query)), ("status", .string(status)),
            ("error", error.map { .string($0.localizedDescription) } ?? .null),
        ]
        if let best {
            let p = best.place
            props += [
                ("name", .string(p.name)), ("geonameid", .number(Double(p.geonameID))),
                ("matched_name", .string(best.matchedName)), ("match_kind", .string(best.matchKind.description)),
                ("admin1", p.admin1Name.map { .string($0) } ?? .null), ("feature_code", .string(p.featureCode)),
                ("population", .number(Double(p.population))),
            ]
        }
        props += [
            ("confidence", .number(Self.round(confidence, 3))), ("ambiguous", .bool(isAmbiguous)),
            ("hint", hintApplied.map { .string($0) } ?? .null), ("notes", .array(notes.map { .string($0) })),
            ("alternatives", .array(alternatives.map { $0.json() })),
        ]
        if best == nil { props.append(("suggestions", .array(suggestions.map { $0.json() }))) }
        return GeoJSONFeature(id: nil, geometry: best.map { .point($0.place.location) }, properties: .object(props))
    }

    static func round(_ x: Double, _ decimals: Int) -> Double {
        let scale = pow(10.0, Double(decimals))
        return (x * scale).rounded() / scale
    }
}

extension ScoredPlace {
    public func json() -> JSONValue {
        let p = place
        var m: [(String, JSONValue)] = [
            ("geonameid", .number(Double(p.geonameID))), ("name", .string(p.name)),
            ("ascii_name", .string(p.asciiName)), ("matched_name", .string(matchedName)),
            ("match_kind", .string(matchKind.description)), ("edit_distance", .number(Double(editDistance))),
            ("lon", .number(GeocodeResult.round(p.location.lon, 6))), ("lat", .number(GeocodeResult.round(p.location.lat, 6))),
            ("admin1_code", .string(p.admin1Code)), ("admin1", p.admin1Name.map { .string($0) } ?? .null),
            ("feature_class", .string(p.featureClass)), ("feature_code", .string(p.featureCode)),
            ("feature", .string(p.featureDescription)), ("population", .number(Double(p.population))),
            ("source", .string(p.source)), ("score", .number(GeocodeResult.round(score, 3))),
        ]
        if let d = distanceKmFromBest { m.append(("distance_km", .number(GeocodeResult.round(d, 1)))) }
        return .object(m)
    }
}

extension PlaceMention {
    public func json() -> JSONValue {
        guard case var .object(m) = result.json() else { return .null }
        m.insert(contentsOf: [
            ("text", .string(text)), ("line", .number(Double(line))), ("column", .number(Double(column))),
            ("refers_to_region", .bool(refersToRegion)),
        ], at: 0)
        m.removeAll { $0.0 == "query" || $0.0 == "name" }
        return .object(m)
    }

    public func geoJSONFeature() -> GeoJSONFeature {
        var feature = result.geoJSONFeature()
        if case var .object(props) = feature.properties {
            props.insert(contentsOf: [
                ("text", .string(text)), ("line", .number(Double(line))), ("column", .number(Double(column))),
                ("refers_to_region", .bool(refersToRegion)),
            ], at: 0)
            props.removeAll { $0.0 == "query" }
            feature.properties = .object(props)
        }
        return feature
    }
}
