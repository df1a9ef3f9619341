import Foundation
import RegionRiskBase

/// One row's cells, whatever the file format (a CSV record, a GeoJSON feature's properties).
protocol IncidentCells {
    var line: Int { get }
    /// Trimmed text of column `i`; nil when blank.
    func text(_ i: Int) -> String?
    func number(_ i: Int) -> CSVNumber
    /// nil when blank.
    func date(_ i: Int) -> CivilDate.ParseOutcome?
    /// The row written back whole, for rejects files.
    var rawRecord: String { get }
}

/// An incident read from a file, with where it came from and how it was placed.
public struct IncidentRecord: Sendable, Hashable {
    package var incident: Incident
    /// The physical line the row starts on.
    package var line: Int
    /// The gazetteer match when the row had a place name but no coordinates.
    package var geocode: PlaceNameResolution?

    package init(incident: Incident, line: Int, geocode: PlaceNameResolution? = nil) {
        self.incident = incident
        self.line = line
        self.geocode = geocode
    }
}

enum RowOutcome {
    case accepted(IncidentRecord)
    case rejected(RejectedRow)
}

/// Turns a row into an `Incident`, or says which column is wrong and why.
struct IncidentRowInterpreter {
    let map: ColumnMap
    let format: IncidentFileFormat
    let source: String
    let fileName: String
    let resolver: (any PlaceNameResolver)?
    let minimumGeocodeConfidence: Double
    /// Dates after this are rejected as being in the future (default: tomorrow, UTC, to allow
    /// for time zones).
    let latestDate: CivilDate

    /// Dates before this year are taken as typing errors.
    static let earliestYear = 1900

    func interpret<C: IncidentCells>(_ c: C) -> RowOutcome {
        func reject(_ field: IncidentField?, _ reason: String) -> RowOutcome {
            .rejected(RejectedRow(
                file: fileName, line: c.line, column: field.flatMap { map.name($0) }, reason: reason, rawRecord: c.rawRecord))
        }
        func quoted(_ i: Int) -> String { "\"\(c.text(i) ?? "")\"" }

        // Id: the source's own; derived from the content when a plain file has none.
        var id: String?
        if let k = map[.id] {
            id = c.text(k)
            if id == nil, format == .acled || format == .ucdp { return reject(.id, "missing") }
        }

        var date: CivilDate?
        if let k = map[.date] {
            switch c.date(k) {
            case nil: return reject(.date, "missing")
            case .unrecognized?: return reject(.date, "\(quoted(k)) is not a date (expected 2025-07-01 or 01 July 2025)")
            case .impossible?: return reject(.date, "\(quoted(k)) is not a valid date")
            case let .date(d)?:
                if d > latestDate { return reject(.date, "\(d) is in the future") }
                if d.components.year < Self.earliestYear { return reject(.date, "\(d) is before \(Self.earliestYear)") }
                date = d
            }
        }

        // Coordinates: both or neither (then the place name is geocoded).
        var location: LonLat?
        let latCell = map[.latitude].map { c.number($0) } ?? .empty
        let lonCell = map[.longitude].map { c.number($0) } ?? .empty
        if latCell != .empty || lonCell != .empty {
            func coordinate(_ field: IncidentField, _ cell: CSVNumber, limit: Double, other: IncidentField) -> Result<Double, RowRejection> {
                let k = map[field]!
                switch cell {
                case .empty: return .failure(RowRejection(field, "missing (\(map.name(other) ?? "") is given)"))
                case .invalid: return .failure(RowRejection(field, "\(quoted(k)) is not a number"))
                case let .value(v):
                    guard v.isFinite else { return .failure(RowRejection(field, "\(quoted(k)) is not a finite number")) }
                    guard abs(v) <= limit else {
                        return .failure(RowRejection(field, "\(c.text(k) ?? "") is out of range (-\(Int(limit)) to \(Int(limit)))"))
                    }
                    return .success(v)
                }
            }
            switch (coordinate(.latitude, latCell, limit: 90, other: .longitude), coordinate(.longitude, lonCell, limit: 180, other: .latitude)) {
            case let (.success(lat), .success(lon)): location = LonLat(lon: lon, lat: lat)
            case let (.failure(r), _), let (_, .failure(r)): return reject(r.field, r.reason)
            }
        }

        func quantity(_ field: IncidentField, limit: ClosedRange<Double>, limitText: String) -> Result<Double?, RowRejection> {
            guard let k = map[field] else { return .success(nil) }
            switch c.number(k) {
            case .empty: return .success(nil)
            case .invalid: return .failure(RowRejection(field, "\(quoted(k)) is not a number"))
            case let .value(v):
                guard v.isFinite else { return .failure(RowRejection(field, "\(quoted(k)) is not a finite number")) }
                guard v >= 0 else { return .failure(RowRejection(field, "\(c.text(k) ?? "") is negative")) }
                guard limit.contains(v) else {
                    return .failure(RowRejection(field, "\(c.text(k) ?? "") is outside the valid range \(limitText)"))
                }
                return .success(v)
            }
        }
        let fatalities: Double?, weight: Double?
        switch (quantity(.fatalities, limit: ParameterLimits.fatalities, limitText: "0 to 1000000"),
                quantity(.weight, limit: ParameterLimits.weight, limitText: "0 to 1e9")) {
        case let (.success(f), .success(w)): (fatalities, weight) = (f, w)
        case let (.failure(r), _), let (_, .failure(r)): return reject(r.field, r.reason)
        }

        var precision = LocationPrecision.unknown
        if let k = map[.precision] {
            switch c.number(k) {
            case .empty: break
            case let .value(v) where v == v.rounded() && abs(v) < 100:
                let p = map.ucdpPrecision ? LocationPrecision(ucdp: Int(v)) : LocationPrecision(acled: Int(v))
                guard let p else { return reject(.precision, "\(quoted(k)) is not \(map.ucdpPrecision ? "1 to 7" : "1, 2 or 3")") }
                precision = p
            default:
                return reject(.precision, "\(quoted(k)) is not \(map.ucdpPrecision ? "1 to 7" : "1, 2 or 3")")
            }
        }

        let place = map[.place].flatMap { c.text($0) }
        let admin1 = map[.admin1].flatMap { c.text($0) }
        var eventType = map[.type].flatMap { c.text($0) }
        if format == .ucdp, let t = eventType { eventType = Self.ucdpViolenceTypes[t] ?? t }
        let actor = map[.actor].flatMap { c.text($0) }

        var geocode: PlaceNameResolution?
        if location == nil {
            let field: IncidentField = map[.place] != nil ? .place : .latitude
            guard let place else { return reject(field, "no coordinates and no place name to look up") }
            guard let resolver else {
                return reject(field, "no coordinates, and no gazetteer was given to place \"\(place)\"")
            }
            let hints = PlaceNameHints(
                admin1: admin1, admin2: map[.admin2].flatMap { c.text($0) }, text: map[.notes].flatMap { c.text($0) })
            guard let match = resolver.resolvePlaceName(place, hints: hints) else {
                return reject(field, "no coordinates, and \"\(place)\" is not in the gazetteer")
            }
            guard match.confidence >= minimumGeocodeConfidence else {
                return reject(
                    field,
                    "no coordinates, and \"\(place)\" matched \"\(match.matchedName)\" with confidence \(Self.twoDecimals(match.confidence)), below the \(Self.twoDecimals(minimumGeocodeConfidence)) threshold\(match.isAmbiguous ? " (ambiguous)" : "")\(match.notes.isEmpty ? "" : ": " + match.notes.joined(separator: "; "))")
            }
            geocode = match
            location = match.location
        }

        let incident = Incident(
            source: source,
            sourceEventID: id ?? Self.derivedID(date: date, location: location!, place: place, type: eventType, actor: actor),
            date: date, location: location!, locationPrecision: precision, place: place, admin1: admin1,
            eventType: eventType, actor: actor, fatalities: fatalities, weight: weight,
            sourceURL: map[.sourceURL].flatMap { c.text($0) }, sourceTitle: map[.sourceTitle].flatMap { c.text($0) },
            notes: map[.notes].flatMap { c.text($0) })
        return .accepted(IncidentRecord(incident: incident, line: c.line, geocode: geocode))
    }

    /// UCDP GED `type_of_violence` codes.
    static let ucdpViolenceTypes = ["1": "state-based conflict", "2": "non-state conflict", "3": "one-sided violence"]

    static func twoDecimals(_ x: Double) -> String { String(format: "%.2f", x) }

    /// An id for rows of files without one: a hash of what identifies the event, so ingesting
    /// the same file again finds the same ids. Edits to these fields make a new event.
    static func derivedID(date: CivilDate?, location: LonLat, place: String?, type: String?, actor: String?) -> String {
        var h = FNV1a64()
        h.add(date?.dayNumber ?? Int.min)
        h.add(location.lon)
        h.add(location.lat)
        h.add(place)
        h.add(type)
        h.add(actor)
        return "h" + String(h.value, radix: 16)
    }
}

struct RowRejection: Error {
    var field: IncidentField
    var reason: String
    init(_ field: IncidentField, _ reason: String) {
        self.field = field
        self.reason = reason
    }
}

/// 64-bit FNV-1a: a fast, stable (same on every run and platform) hash for ids and change
/// detection. Not for security.
struct FNV1a64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(bytes: UnsafeRawBufferPointer) {
        for b in bytes {
            value ^= UInt64(b)
            value = value &* 0x0000_0100_0000_01B3
        }
    }
    mutating func add(_ x: Int) { withUnsafeBytes(of: x.littleEndian) { add(bytes: $0) } }
    mutating func add(_ x: Double) { add(Int(bitPattern: UInt(x.bitPattern))) }
    /// Strings are length-prefixed so ("ab", "c") and ("a", "bc") differ; nil differs from "".
    mutating func add(_ s: String?) {
        guard var s else { return add(-1) }
        add(s.utf8.count)
        s.withUTF8 { add(bytes: UnsafeRawBufferPointer($0)) }
    }
}
