import Foundation

/// The incident file layouts RegionRisk reads; detected from the header, or chosen with `--format`.
public enum IncidentFileFormat: String, Sendable, CaseIterable {
    /// ACLED export: the classic 28-column layout or the newer one with `actor2`, `civilian_targeting`.
    case acled
    /// UCDP GED CSV, 49 columns; fatalities are `best`, the date is `date_start`.
    case ucdp
    /// Any other CSV: columns found by common names or named with `IncidentColumns`.
    case csv
    /// A GeoJSON FeatureCollection of Points; properties named like CSV columns.
    case geojson

    /// The `Incident.source` value for events read in this format.
    public var defaultSource: String { rawValue }
}

/// Column (or GeoJSON property) names chosen by the user, overriding the format's defaults.
/// Names match headers case-insensitively. A name that is not in the file is an error.
public struct IncidentColumns: Sendable, Equatable {
    public var latitude: String?
    public var longitude: String?
    public var date: String?
    public var place: String?
    public var admin1: String?
    /// A column read into `Incident.weight`; no column is read as weight unless named here.
    public var weight: String?
    public var type: String?
    public var id: String?

    public init(
        latitude: String? = nil, longitude: String? = nil, date: String? = nil, place: String? = nil,
        admin1: String? = nil, weight: String? = nil, type: String? = nil, id: String? = nil
    ) {
        self.latitude = latitude
        self.longitude = longitude
        self.date = date
        self.place = place
        self.admin1 = admin1
        self.weight = weight
        self.type = type
        self.id = id
    }
}

/// The fields an incident row may give, in a fixed order (indexes into `ColumnMap`).
enum IncidentField: Int, CaseIterable {
    case id, date, latitude, longitude, place, admin1, type, actor, fatalities, precision, weight, sourceURL, sourceTitle
    /// Geocoding hints read only for rows without coordinates: the cercle and the event's text.
    case admin2, notes

    /// The `IncidentColumns` override for this field, if the user can name one.
    func override(in c: IncidentColumns) -> String? {
        switch self {
        case .id: c.id
        case .date: c.date
        case .latitude: c.latitude
        case .longitude: c.longitude
        case .place: c.place
        case .admin1: c.admin1
        case .type: c.type
        case .weight: c.weight
        case .actor, .fatalities, .precision, .sourceURL, .sourceTitle, .admin2, .notes: nil
        }
    }

    /// The command-line flag that names this field's column, for hints in error messages.
    var flag: String {
        switch self {
        case .id: "--id-col"
        case .date: "--date-col"
        case .latitude: "--lat-col"
        case .longitude: "--lon-col"
        case .place: "--place-col"
        case .admin1: "--admin1-col"
        case .type: "--type-col"
        case .weight: "--weight-col"
        case .actor, .fatalities, .precision, .sourceURL, .sourceTitle, .admin2, .notes: ""
        }
    }
}

/// How a format names its fields: header names to look for, in order of preference.
struct FormatProfile {
    var names: [IncidentField: [String]]
    /// Fields the header must have.
    var required: [IncidentField]
    /// Whether precision codes are UCDP's `where_prec` 1–7 (else ACLED's 1–3).
    var ucdpPrecision: Bool

    static func of(_ format: IncidentFileFormat) -> FormatProfile {
        switch format {
        case .acled:
            return FormatProfile(
                names: [
                    .id: ["event_id_cnty"], .date: ["event_date"], .latitude: ["latitude"], .longitude: ["longitude"],
                    .place: ["location"], .admin1: ["admin1"], .type: ["event_type"], .actor: ["actor1"],
                    .fatalities: ["fatalities"], .precision: ["geo_precision"], .admin2: ["admin2"], .notes: ["notes"],
                ],
                required: [.id, .date, .latitude, .longitude], ucdpPrecision: false)
        case .ucdp:
            return FormatProfile(
                names: [
                    .id: ["id"], .date: ["date_start"], .latitude: ["latitude"], .longitude: ["longitude"],
                    .place: ["where_coordinates"], .admin1: ["adm_1"], .type: ["type_of_violence"], .actor: ["side_a"],
                    .fatalities: ["best"], .precision: ["where_prec"], .admin2: ["adm_2"], .notes: ["source_headline"],
                ],
                required: [.id, .date, .latitude, .longitude], ucdpPrecision: true)
        case .csv, .geojson:
            return FormatProfile(
                names: [
                    .id: ["event_id", "id", "event_id_cnty"], .date: ["event_date", "date", "date_start"],
                    .latitude: ["latitude", "lat"], .longitude: ["longitude", "lon", "lng", "long"],
                    .place: ["location", "place", "place_name", "town"], .admin1: ["admin1", "adm_1", "adm1"],
                    .type: ["event_type", "type"], .actor: ["actor", "actor1"],
                    .fatalities: ["fatalities", "deaths", "best"], .precision: ["geo_precision", "where_prec"],
                    // News-sourced lists (like the embedded sample) carry each row's source.
                    .sourceURL: ["source_url", "url"], .sourceTitle: ["source_title"],
                    .admin2: ["admin2", "adm_2", "adm2", "cercle"], .notes: ["notes", "description"],
                ],
                required: [], ucdpPrecision: false)
        }
    }

    /// Detects the format from a CSV header (names lowercased and trimmed).
    static func detect(header: [String]) -> IncidentFileFormat {
        let h = Set(header)
        if h.isSuperset(of: ["event_id_cnty", "event_date", "latitude", "longitude"]) { return .acled }
        if h.isSuperset(of: ["id", "where_prec", "date_start", "best", "latitude", "longitude"]) { return .ucdp }
        return .csv
    }
}

/// Where each field sits in a file's header.
struct ColumnMap {
    /// Column index per `IncidentField.rawValue`, nil when the file lacks it.
    var index: [Int?]
    /// Header names as written in the file (for messages).
    var header: [String]
    var ucdpPrecision: Bool

    subscript(field: IncidentField) -> Int? { index[field.rawValue] }

    /// The header name of `field`'s column, as the file spells it.
    func name(_ field: IncidentField) -> String? { self[field].map { header[$0] } }

    /// Maps `header` for `format`, applying `columns`; throws when a named or required column is
    /// missing, listing the columns the file has.
    init(header: [String], format: IncidentFileFormat, columns: IncidentColumns, file: String) throws {
        self.header = header
        let lower = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let profile = FormatProfile.of(format)
        ucdpPrecision = profile.ucdpPrecision
        index = Array(repeating: nil, count: IncidentField.allCases.count)
        // Never the whole of a huge header in a message.
        let available = header.prefix(40).map { $0.count > 60 ? String($0.prefix(60)) + "…" : $0 }.joined(separator: ", ")
            + (header.count > 40 ? ", … (\(header.count) columns)" : "")
        for field in IncidentField.allCases {
            if let wanted = field.override(in: columns) {
                guard let k = lower.firstIndex(of: wanted.trimmingCharacters(in: .whitespaces).lowercased()) else {
                    throw IncidentFileError(file: file, reason: "no column \"\(wanted)\" (given with \(field.flag)); the columns are: \(available)")
                }
                index[field.rawValue] = k
            } else if let names = profile.names[field] {
                index[field.rawValue] = names.lazy.compactMap { lower.firstIndex(of: $0) }.first
            }
        }
        // A used column whose name appears twice: which one is meant cannot be known.
        for field in IncidentField.allCases {
            guard let k = index[field.rawValue] else { continue }
            let same = lower.indices.filter { lower[$0] == lower[k] }
            if same.count > 1 {
                throw IncidentFileError(
                    file: file,
                    reason: "has \(same.count) columns named \"\(header[k])\" (columns \(same.map { String($0 + 1) }.joined(separator: ", "))); rename all but one, or name the one to use with \(field.flag) after renaming")
            }
        }
        if format == .geojson { return }
        for field in profile.required where index[field.rawValue] == nil {
            throw IncidentFileError(
                file: file,
                reason: "has no \(profile.names[field]![0]) column, which \(format.rawValue.uppercased()) files have; the columns are: \(available)")
        }
        if format == .csv {
            let lat = index[IncidentField.latitude.rawValue], lon = index[IncidentField.longitude.rawValue]
            if (lat == nil) != (lon == nil) {
                let missing: IncidentField = lat == nil ? .latitude : .longitude
                throw IncidentFileError(
                    file: file,
                    reason: "has a \(lat == nil ? "longitude" : "latitude") column but no \(missing == .latitude ? "latitude" : "longitude") column (looked for \(profile.names[missing]!.joined(separator: ", ")); name it with \(missing.flag)); the columns are: \(available)")
            }
            if lat == nil, index[IncidentField.place.rawValue] == nil {
                throw IncidentFileError(
                    file: file,
                    reason: "has no coordinate columns (looked for latitude/lat and longitude/lon/lng) and no place-name column to geocode (location, place); name them with --lat-col/--lon-col or --place-col. The columns are: \(available)")
            }
        }
    }
}

/// An incident file could not be read at all; the message names the file.
public struct IncidentFileError: LocalizedError, Sendable, Equatable {
    public let file: String
    public let reason: String
    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }
    public var errorDescription: String? { "\(file): \(reason)" }
}
