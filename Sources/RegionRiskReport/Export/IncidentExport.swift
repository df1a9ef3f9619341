import Foundation
import RegionRiskBase
import RegionRiskData
import RegionRiskGeoJSON

/// Formats `regionrisk events` writes.
public enum IncidentExportFormat: String, Sendable, CaseIterable {
    /// One row per event; reads back as plain CSV (`event_id`, `event_date`, `latitude`, ...).
    case csv
    /// An RFC 7946 FeatureCollection, one Point per event, one feature per line.
    case geojson
}

extension IncidentStore {
    /// CSV columns of an export.
    public static let exportColumns = [
        "source", "event_id", "event_date", "latitude", "longitude", "geo_precision", "location", "admin1", "event_type",
        "actor", "fatalities", "weight", "geocode_match", "geocode_geonameid", "geocode_confidence", "geocode_ambiguous",
        "source_file", "source_sha256", "source_line", "ingested_at", "source_url", "source_title", "notes",
    ]

}

extension IncidentStoring {
    /// Writes the events matching `q` (and `including`, when given: e.g. a region's polygon) as
    /// text, handed to `write` in pieces (so 1M events never sit in memory at once). Returns the
    /// number of events written.
    @discardableResult
    public func export(_ q: IncidentQuery, format: IncidentExportFormat, including: ((Incident) -> Bool)? = nil,
                       write: (String) throws -> Void) throws -> Int {
        var n = 0
        let keep = including ?? { _ in true }
        switch format {
        case .csv:
            try write(IncidentStore.exportColumns.joined(separator: ",") + "\n")
            try forEach(q) { e in
                guard keep(e.incident) else { return }
                try write(CSVText.line(IncidentStore.exportFields(e).map { $0 ?? "" }) + "\n")
                n += 1
            }
        case .geojson:
            // The layout of GeoJSONFeatureCollection.serialized(), streamed: bbox first, then
            // one feature per line.
            var head = "{\"type\":\"FeatureCollection\""
            if let b = try including.map({ try extent(q, including: $0) }) ?? extent(q) {
                let box = JSONValue.array([b.west, b.south, b.east, b.north].map { .number(($0 * 1e6).rounded() / 1e6) })
                head += ",\n\"bbox\":" + box.serialized()
            }
            try write(head + ",\n\"features\":[\n")
            try forEach(q) { e in
                guard keep(e.incident) else { return }
                try write((n == 0 ? "" : ",\n") + IncidentStore.exportFeature(e).json().serialized())
                n += 1
            }
            try write((n == 0 ? "" : "\n") + "]\n}\n")
        }
        return n
    }

    /// The extent of the events matching `q` and `including` (one pass over them).
    func extent(_ q: IncidentQuery, including: (Incident) -> Bool) throws -> IncidentQuery.BoundingBox? {
        var box: IncidentQuery.BoundingBox?
        try forEach(q) { e in
            guard including(e.incident) else { return }
            let p = e.incident.location
            if let b = box {
                box = .init(west: min(b.west, p.lon), south: min(b.south, p.lat), east: max(b.east, p.lon), north: max(b.north, p.lat))
            } else {
                box = .init(west: p.lon, south: p.lat, east: p.lon, north: p.lat)
            }
        }
        return box
    }
}

extension IncidentStore {
    /// The values of `exportColumns` for one event; nil where unknown.
    static func exportFields(_ e: StoredIncident) -> [String?] {
        let i = e.incident, g = e.geocode, p = e.provenance
        return [
            i.source, i.sourceEventID, i.date?.description, number(i.location.lat), number(i.location.lon),
            i.locationPrecision == .unknown ? nil : String(i.locationPrecision.rawValue), i.place, i.admin1, i.eventType,
            i.actor, i.fatalities.map(number), i.weight.map(number), g?.matchedName, g?.geonameID.map(String.init),
            g.map { number($0.confidence) }, g.map { $0.isAmbiguous ? "true" : "false" }, p.fileName, p.sha256,
            String(p.line), p.ingestedAt, i.sourceURL, i.sourceTitle, i.notes,
        ]
    }

    static func exportFeature(_ e: StoredIncident) -> GeoJSONFeature {
        let i = e.incident, g = e.geocode, p = e.provenance
        func str(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        func num(_ d: Double?) -> JSONValue { d.map(JSONValue.number) ?? .null }
        let properties: JSONValue = .object([
            ("source", .string(i.source)), ("event_id", .string(i.sourceEventID)), ("event_date", str(i.date?.description)),
            ("geo_precision", i.locationPrecision == .unknown ? .null : .number(Double(i.locationPrecision.rawValue))),
            ("location", str(i.place)), ("admin1", str(i.admin1)), ("event_type", str(i.eventType)), ("actor", str(i.actor)),
            ("fatalities", num(i.fatalities)), ("weight", num(i.weight)), ("geocode_match", str(g?.matchedName)),
            ("geocode_geonameid", num(g?.geonameID.map(Double.init))), ("geocode_confidence", num(g?.confidence)),
            ("geocode_ambiguous", g.map { .bool($0.isAmbiguous) } ?? .null), ("source_file", .string(p.fileName)),
            ("source_sha256", .string(p.sha256)), ("source_line", .number(Double(p.line))), ("ingested_at", .string(p.ingestedAt)),
            ("source_url", str(i.sourceURL)), ("source_title", str(i.sourceTitle)), ("notes", str(i.notes)),
            // kepler.gl's time playback: ISO 8601 datetimes, the event's day (end exclusive).
            ("start", str(i.date?.startOfDayUTC)), ("end", str(i.date?.endOfDayUTC)),
        ])
        return GeoJSONFeature(id: .string("\(i.source):\(i.sourceEventID)"), geometry: .point(i.location), properties: properties)
    }

    /// Shortest text that reads back as the same Double; integers without ".0".
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}
