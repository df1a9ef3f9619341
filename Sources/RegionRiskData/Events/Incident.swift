import Foundation
import RegionRiskBase

/// How precisely an incident's location is known (ACLED `geo_precision`, UCDP `where_prec`).
///
/// Events known only to a region are placed at its seat or centroid by the data providers; left
/// in, they make false hot spots there, so later stages can down-weight or exclude them.
public enum LocationPrecision: Int, Sendable, Hashable, Comparable, CaseIterable {
    /// The named place itself (ACLED 1; UCDP 1).
    case exact = 1
    /// Near the named place, within about 25 km (ACLED 2; UCDP 2–3).
    case near = 2
    /// Only the region (admin-1/admin-2) is known: the point is its seat or centroid
    /// (ACLED 3; UCDP 4 and above).
    case regionOnly = 3
    /// The source did not say.
    case unknown = 9

    public static func < (a: LocationPrecision, b: LocationPrecision) -> Bool { a.rawValue < b.rawValue }

    /// From ACLED's `geo_precision` (1–3).
    public init?(acled value: Int) {
        switch value {
        case 1: self = .exact
        case 2: self = .near
        case 3: self = .regionOnly
        default: return nil
        }
    }

    /// From UCDP GED's `where_prec` (1–7).
    public init?(ucdp value: Int) {
        switch value {
        case 1: self = .exact
        case 2, 3: self = .near
        case 4...7: self = .regionOnly
        default: return nil
        }
    }
}

/// One incident of armed violence. Coordinates are (longitude, latitude), WGS 84 degrees.
public struct Incident: Sendable, Hashable {
    /// Where the record comes from: "acled", "ucdp", "csv", "geojson", "sample".
    public var source: String
    /// The source's own event id (ACLED `event_id_cnty`, UCDP `id`), or a derived one.
    public var sourceEventID: String
    /// Calendar day of the event (the first day when the source gives a range).
    public var date: CivilDate?
    /// Location, (lon, lat) degrees.
    public var location: LonLat
    public var locationPrecision: LocationPrecision
    /// Place name as reported.
    public var place: String?
    /// First-level administrative region as reported.
    public var admin1: String?
    public var eventType: String?
    public var actor: String?
    /// Reported fatalities (best estimate); nil when unknown.
    public var fatalities: Double?
    /// An explicit weight read from a user-chosen column; nil when none was given.
    public var weight: Double?
    /// Address of the report the record rests on (news-sourced lists carry one per row).
    public var sourceURL: String?
    public var sourceTitle: String?
    /// Free-text notes of the source row (ACLED `notes`, a CSV `notes` or `description` column).
    public var notes: String?

    public init(
        source: String, sourceEventID: String, date: CivilDate?, location: LonLat,
        locationPrecision: LocationPrecision = .unknown, place: String? = nil, admin1: String? = nil,
        eventType: String? = nil, actor: String? = nil, fatalities: Double? = nil, weight: Double? = nil,
        sourceURL: String? = nil, sourceTitle: String? = nil, notes: String? = nil
    ) {
        self.source = source
        self.sourceEventID = sourceEventID
        self.date = date
        self.location = location
        self.locationPrecision = locationPrecision
        self.place = place
        self.admin1 = admin1
        self.eventType = eventType
        self.actor = actor
        self.fatalities = fatalities
        self.weight = weight
        self.sourceURL = sourceURL
        self.sourceTitle = sourceTitle
        self.notes = notes
    }
}

/// Resolves a reported place name to coordinates (the gazetteer implements it); used when an
/// incident row has a place but no coordinates.
public protocol PlaceNameResolver: Sendable {
    /// The best match for `name`, using `admin1Hint` (a region name) when given; nil when
    /// nothing matches at all.
    func resolvePlaceName(_ name: String, admin1Hint: String?) -> PlaceNameResolution?
    /// The best match for `name` using every hint a row gives (admin-1, admin-2, text).
    func resolvePlaceName(_ name: String, hints: PlaceNameHints) -> PlaceNameResolution?
}

extension PlaceNameResolver {
    /// Resolvers that know only region hints use the admin-1 hint.
    package func resolvePlaceName(_ name: String, hints: PlaceNameHints) -> PlaceNameResolution? {
        resolvePlaceName(name, admin1Hint: hints.admin1)
    }
}

/// What a `PlaceNameResolver` found for a name.
public struct PlaceNameResolution: Sendable, Hashable {
    public var location: LonLat
    public var matchedName: String
    public var geonameID: Int?
    public var admin1: String?
    /// 0…1; see the gazetteer's documentation for its meaning.
    public var confidence: Double
    /// True when a runner-up was nearly as good a match.
    public var isAmbiguous: Bool
    /// Why the confidence is what it is, when the resolver says ("outside the hinted region…").
    public var notes: [String]

    public init(location: LonLat, matchedName: String, geonameID: Int?, admin1: String?, confidence: Double, isAmbiguous: Bool,
                notes: [String] = []) {
        self.notes = notes
        self.location = location
        self.matchedName = matchedName
        self.geonameID = geonameID
        self.admin1 = admin1
        self.confidence = confidence
        self.isAmbiguous = isAmbiguous
    }
}
